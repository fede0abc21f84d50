// `loket-fuzz`: the libFuzzer entry point (built with `LOKET_FUZZ=fuzzer,address`, see
// Fuzz/run.sh and Package.swift) or, in a normal build, a replayer of corpus and crash files.
import Foundation
import FuzzTargets

#if FUZZING
import CFuzzer

/// The target named by `LOKET_FUZZ_TARGET`, looked up once.
nonisolated(unsafe) private var selected: FuzzEntry?

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<Int32>?, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) -> Int32 {
    let name = ProcessInfo.processInfo.environment["LOKET_FUZZ_TARGET"] ?? ""
    if name == "--list" {
        for target in Fuzz.targets { print(target.name) }
        exit(0)
    }
    guard let target = Fuzz.target(named: name) else {
        let names = Fuzz.targets.map(\.name).joined(separator: ", ")
        FileHandle.standardError.write(Data("LOKET_FUZZ_TARGET must name a target (\(names)); it is \"\(name)\"\n".utf8))
        exit(2)
    }
    selected = target
    // Loads the locale files and builds the fixtures before the first input is timed.
    target.run([])
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    selected?.run(bytes)
    return 0
}

/// The program's entry: libFuzzer's driver, with the command line (libFuzzer's flags and the
/// corpus folders). SwiftPM names the entry point of an executable target itself, so the fuzz
/// build has a `main` of its own rather than libFuzzer's.
@main
struct FuzzDriver {
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzz(data, size) })
    }
}

#else

@main
struct Replay {
    static func main() {
        var arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "--list" {
            for target in Fuzz.targets { print(target.name.padding(toLength: 20, withPad: " ", startingAt: 0), target.summary) }
            return
        }
        guard arguments.count >= 2, let target = Fuzz.target(named: arguments.removeFirst()) else {
            let usage = """
                usage: loket-fuzz <target> <file or directory>...   replays inputs through a target
                       loket-fuzz --list                            lists the targets
                To fuzz, build with Fuzz/run.sh (libFuzzer); see Fuzz/README.md.

                """
            FileHandle.standardError.write(Data(usage.utf8))
            exit(2)
        }
        var count = 0
        for path in arguments {
            for file in files(at: path) {
                guard let data = FileManager.default.contents(atPath: file) else {
                    FileHandle.standardError.write(Data("cannot read \(file)\n".utf8))
                    exit(1)
                }
                print("\(target.name) \(file)")
                target.run(Array(data))
                count += 1
            }
        }
        print("\(count) inputs ran through \(target.name) without a crash")
    }

    /// The file itself, or every regular file below a directory, sorted.
    static func files(at path: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { return [path] }
        let entries = FileManager.default.enumerator(atPath: path)?.compactMap { $0 as? String } ?? []
        return entries.map { path + "/" + $0 }.filter {
            var directory: ObjCBool = false
            return FileManager.default.fileExists(atPath: $0, isDirectory: &directory) && !directory.boolValue
        }.sorted()
    }
}

#endif
