import Conversation
import Foundation
import Yams

/// Why the locale files could not be loaded.
public struct LocaleLoadingError: Error, CustomStringConvertible {
    public let description: String
}

/// Loads `locales/<language>.yaml` (flat `key: "template"` maps) into ``LocaleStrings``.
public enum LocaleLoader {
    /// Loads every language from `directory`.
    public static func load(from directory: URL) throws -> LocaleStrings {
        var tables: [Language: [String: String]] = [:]
        for language in Language.allCases {
            let file = directory.appendingPathComponent("\(language.rawValue).yaml")
            guard let text = try? String(contentsOf: file, encoding: .utf8) else {
                throw LocaleLoadingError(description: "cannot read locale file \(file.path)")
            }
            tables[language] = try table(from: text, file: file.lastPathComponent)
        }
        let file = directory.appendingPathComponent("vocabulary.yaml")
        guard let text = try? String(contentsOf: file, encoding: .utf8) else {
            throw LocaleLoadingError(description: "cannot read the vocabulary file \(file.path)")
        }
        return LocaleStrings(tables: tables, vocabulary: try vocabulary(from: text))
    }

    /// Parses `vocabulary.yaml`: `slang` and `banks` maps of text, `common` one line of words.
    public static func vocabulary(from yaml: String) throws -> Vocabulary {
        let file = "vocabulary.yaml"
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch {
            throw LocaleLoadingError(description: "\(file) is not valid YAML: \(error)")
        }
        guard let map = node?.mapping else { throw LocaleLoadingError(description: "\(file) is not a map of sections") }
        func section(_ name: String) throws -> [String: String] {
            guard let value = map[name] else { throw LocaleLoadingError(description: "\(file) has no \(name) section") }
            return try table(node: value, file: "\(file) (\(name))")
        }
        guard let common = map["common"]?.scalar?.string else {
            throw LocaleLoadingError(description: "\(file): common must be one line of words")
        }
        let slang = try section("slang")
        if let upper = slang.keys.first(where: { $0 != $0.lowercased() }) {
            throw LocaleLoadingError(description: "\(file): slang word \(upper) is not lowercase")
        }
        return Vocabulary(slang: slang, common: Set(common.split(separator: " ").map(String.init)), bankNames: try section("banks"))
    }

    /// Parses one file; every key and every value must be text.
    ///
    /// The file is read as YAML nodes and checked before anything is made of them: Yams' `load`
    /// traps on a key that is not text (`? [a]: b`, `? {<<: x}: y`), so it is not used.
    public static func table(from yaml: String, file: String) throws -> [String: String] {
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch {
            throw LocaleLoadingError(description: "\(file) is not valid YAML: \(error)")
        }
        return try table(node: node, file: file)
    }

    /// One flat map of text keys to text values.
    static func table(node: Node?, file: String) throws -> [String: String] {
        guard let map = node?.mapping else { throw LocaleLoadingError(description: "\(file) is not a map of keys") }
        var table: [String: String] = [:]
        for (keyNode, value) in map {
            guard let key = keyNode.scalar?.string, keyNode.tag.description != Tag.Name.merge.rawValue else {
                throw LocaleLoadingError(description: "\(file) is not a map of keys: a key is not text (line \((keyNode.mark?.line).map(String.init) ?? "?"))")
            }
            guard let text = value.scalar, value.tag.description == Tag.Name.str.rawValue else {
                throw LocaleLoadingError(description: "\(file): the value of \(key) is not a string")
            }
            table[key] = text.string
        }
        return table
    }

    /// Finds the `locales` folder: `$LOKET_LOCALES_DIR`, `./locales`, next to the executable, or
    /// the source checkout this binary was built from.
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> URL {
        var candidates: [URL] = []
        if let configured = environment["LOKET_LOCALES_DIR"], !configured.isEmpty {
            candidates.append(URL(fileURLWithPath: configured))
        }
        candidates.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("locales"))
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent()
        candidates.append(executable.appendingPathComponent("locales"))
        candidates.append(executable.appendingPathComponent("../share/loket/locales").standardizedFileURL)
        let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(checkout.appendingPathComponent("locales"))
        guard let found = candidates.first(where: {
            FileManager.default.fileExists(atPath: $0.appendingPathComponent("\(Language.id.rawValue).yaml").path)
        }) else {
            throw LocaleLoadingError(description: "no locales folder found (looked in \(candidates.map(\.path).joined(separator: ", "))); set LOKET_LOCALES_DIR")
        }
        return found
    }
}
