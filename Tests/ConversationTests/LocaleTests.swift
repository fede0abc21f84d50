import Conversation
import Foundation
import Locales
import Testing

@Suite("Locale files")
struct LocaleTests {
    let strings: LocaleStrings

    init() throws {
        strings = try LocaleLoader.load(from: LocaleLoader.defaultDirectory())
    }

    @Test func everyKeyAndPlaceholderExistsInEveryLocale() throws {
        let indonesian = try #require(strings.tables[.id]), english = try #require(strings.tables[.en])
        #expect(Set(indonesian.keys).subtracting(english.keys).isEmpty, "missing in en: \(Set(indonesian.keys).subtracting(english.keys))")
        #expect(Set(english.keys).subtracting(indonesian.keys).isEmpty, "missing in id: \(Set(english.keys).subtracting(indonesian.keys))")
        for (key, template) in indonesian {
            guard let other = english[key] else { continue }
            #expect(LocaleStrings.placeholders(in: template) == LocaleStrings.placeholders(in: other), "placeholders of \(key)")
        }
    }

    /// Every string literal in the conversation and core sources shaped like a key (`menu.title`)
    /// must be in the files.
    @Test func everyKeyTheCodeUsesExists() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
        let pattern = try Regex(#""([a-z]+(?:\.[a-zA-Z]+)+)""#)
        var used: Set<String> = []
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
        for file in files where file.path.contains("/Conversation/") || file.path.contains("/LoketCore/") {
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in text.matches(of: pattern) {
                let literal = String(match.output[1].substring ?? "")
                // Logger labels (`loket.outbox`) share the shape but are not strings users read.
                if !literal.hasPrefix("loket.") { used.insert(literal) }
            }
        }
        #expect(used.count > 50, "found only \(used.count) keys; is the scan looking in the right place?")
        let known = Set(strings.tables[.id]?.keys.map { $0 } ?? [])
        #expect(used.subtracting(known).isEmpty, "keys used in code but missing from the locales: \(used.subtracting(known).sorted())")
    }

    @Test func placeholdersAreEscapedAndTemplatesAreNot() {
        let local = LocaleStrings(tables: [.id: ["k": "<b>{name}</b> & {missing}"]])
        #expect(local.text("k", .id, ["name": "<script>&"]) == "<b>&lt;script&gt;&amp;</b> & {missing}")
        #expect(local.text("k", .en, ["name": "x"]) == "<b>x</b> & {missing}")
        #expect(local.money(.zero, .id) == "Rp0")
    }

    @Test func malformedFilesAreClearErrors() {
        #expect(throws: LocaleLoadingError.self) { try LocaleLoader.table(from: "a: [1, 2]", file: "x.yaml") }
        #expect(throws: LocaleLoadingError.self) { try LocaleLoader.table(from: "- just\n- a list", file: "x.yaml") }
        #expect(throws: LocaleLoadingError.self) { try LocaleLoader.table(from: "a: \"unterminated", file: "x.yaml") }
    }
}
