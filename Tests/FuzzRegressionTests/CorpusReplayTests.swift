import Foundation
import FuzzTargets
import Testing

/// The committed fuzz inputs: `Fuzz/Corpus/<target>/` (seeds) and `Fuzz/Regressions/<target>/`
/// (every input that ever crashed a target), found from this file's path.
enum FuzzFiles {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz")

    /// Regression inputs that still fail because the fix belongs in code the fuzz work does not
    /// own, with where the fix goes. Each is replayed as a known issue (``knownCrashesStillFail``);
    /// once fixed, that test fails and asks for the entry to be removed here.
    static let pending: [String: String] = [:]

    /// The regular files of `Fuzz/<folder>/<target>`, as paths relative to `Fuzz/`, sorted.
    static func files(_ folder: String, _ target: String) -> [String] {
        let directory = root.appendingPathComponent(folder).appendingPathComponent(target)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { "\(folder)/\(target)/\($0)" }
    }

    static func inputs(_ target: String) -> [String] {
        files("Corpus", target) + files("Regressions", target)
    }

    static func folders(_ folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(folder).path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted()
    }
}

@Suite("Fuzz corpus and regressions")
struct CorpusReplayTests {
    /// Every seed and regression input runs through its target without a trap or a broken
    /// property, in a child process so a crash is a failure that names the input.
    @Test(arguments: Fuzz.targets.map(\.name))
    func replay(_ target: String) async throws {
        let files = FuzzFiles.inputs(target).filter { FuzzFiles.pending[$0] == nil }
        #expect(!FuzzFiles.files("Corpus", target).isEmpty, "Fuzz/Corpus/\(target) has no seeds")
        let root = FuzzFiles.root.path
        let result = await #expect(processExitsWith: .success, observing: [\.standardErrorContent]) { [target = target as String, files = files as [String], root = root as String] in
            guard let entry = Fuzz.target(named: target) else { exit(3) }
            for file in files {
                FileHandle.standardError.write(Data("replaying \(file)\n".utf8))
                guard let data = FileManager.default.contents(atPath: root + "/" + file) else { exit(4) }
                entry.run(Array(data))
            }
        }
        if let result, result.exitStatus != .exitCode(0) {
            let output = String(decoding: result.standardErrorContent, as: UTF8.self)
            let last = output.split(separator: "\n").last { $0.hasPrefix("replaying ") } ?? "?"
            Issue.record("\(target) crashed on Fuzz/\(last.dropFirst("replaying ".count)):\n\(output.suffix(1_500))")
        }
    }

    /// The inputs whose fix is elsewhere (``FuzzFiles/pending``) still crash: a known issue until
    /// the fix lands, then a failure that asks for the entry to be removed.
    @Test(arguments: FuzzFiles.pending.keys.sorted())
    func knownCrashesStillFail(_ file: String) async {
        let target = file.split(separator: "/")[1]
        let path = FuzzFiles.root.path + "/" + file
        await withKnownIssue("\(file): \(FuzzFiles.pending[file] ?? "")") {
            await #expect(processExitsWith: .success) { [target = String(target) as String, path = path as String] in
                guard let entry = Fuzz.target(named: String(target)), let data = FileManager.default.contents(atPath: path) else { exit(3) }
                entry.run(Array(data))
            }
        }
    }

    @Test func everyCorpusFolderIsATarget() {
        let names = Set(Fuzz.targets.map(\.name))
        for folder in ["Corpus", "Regressions"] {
            for target in FuzzFiles.folders(folder) {
                #expect(names.contains(target), "Fuzz/\(folder)/\(target) is not a fuzz target (\(names.sorted()))")
            }
        }
        for dictionary in FuzzFiles.folders("Dictionaries") {
            #expect(dictionary.hasSuffix(".dict") && names.contains(String(dictionary.dropLast(5))), "Fuzz/Dictionaries/\(dictionary)")
        }
    }

    @Test func targetsHaveDistinctNames() {
        #expect(Set(Fuzz.targets.map(\.name)).count == Fuzz.targets.count)
    }
}
