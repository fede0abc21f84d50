import Foundation
import GRDB
import Testing
@testable import Ledger

/// A writer process is killed with SIGKILL at random moments, many times, on one database file.
/// After every kill the file passes `loket check` and every operation the writer acknowledged
/// (printed only after its transaction committed) is in the journal.
@Suite("Ledger survives kill -9")
struct LedgerCrashTests {
    static let kills = 25

    /// The crash writer, built next to the test bundle by SwiftPM.
    static func writerExecutable() throws -> URL {
        let productsFolder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [productsFolder, Bundle.main.bundleURL.deletingLastPathComponent(), Bundle.main.bundleURL]
            .map { $0.appendingPathComponent("LedgerCrashWriter") }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw WriterMissing(looked: candidates.map(\.path))
        }
        return found
    }

    struct WriterMissing: Error, CustomStringConvertible {
        let looked: [String]
        var description: String { "LedgerCrashWriter was not built; looked in \(looked)" }
    }

    /// Collects a child's standard output from a pipe.
    final class OutputCollector: @unchecked Sendable {
        private let lock = NSLock()
        private var data = Data()

        func append(_ chunk: Data) {
            lock.lock()
            data.append(chunk)
            lock.unlock()
        }

        /// The complete lines received so far (a line cut by the kill is left out).
        var completeLines: [String] {
            lock.lock()
            defer { lock.unlock() }
            let text = String(decoding: data, as: UTF8.self)
            var lines = text.components(separatedBy: "\n")
            lines.removeLast()
            return lines
        }
    }

    @Test func randomKillsLoseNothingAcknowledged() async throws {
        let writer = try Self.writerExecutable()
        let database = try TemporaryDatabase()
        let seed = UInt64.random(in: 1...UInt64.max)
        var random = SeededGenerator(seed: seed)
        var acknowledged: [String] = []
        for run in 1...Self.kills {
            let process = Process()
            process.executableURL = writer
            process.arguments = [database.path, String(run)]
            let pipe = Pipe()
            let collector = OutputCollector()
            pipe.fileHandleForReading.readabilityHandler = { handle in collector.append(handle.availableData) }
            process.standardOutput = pipe
            try process.run()
            try await Task.sleep(for: .milliseconds(Int(random.next() % 300) + 120))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            pipe.fileHandleForReading.readabilityHandler = nil
            collector.append(pipe.fileHandleForReading.readDataToEndOfFile())
            #expect(process.terminationReason == .uncaughtSignal, "seed \(seed), run \(run): the writer exited on its own")

            let lines = collector.completeLines
            acknowledged += lines.compactMap { $0.hasPrefix("ack ") ? String($0.dropFirst(4)) : nil }

            let violations = try LedgerCheck.run(path: database.path)
            #expect(violations.isEmpty, "seed \(seed), run \(run): \(violations)")
            let queue = try DatabaseQueue(path: database.path, configuration: Ledger.configuration(readOnly: true))
            let stored = try await queue.read { db in try Set(String.fetchAll(db, sql: "SELECT idempotency_key FROM journal_transactions")) }
            let missing = acknowledged.filter { !stored.contains($0) }
            #expect(missing.isEmpty, "seed \(seed), run \(run): acknowledged but missing \(missing)")
        }
        #expect(acknowledged.count > Self.kills, "the writer acknowledged only \(acknowledged.count) operations in \(Self.kills) runs")
    }
}
