import ArgumentParser
import Foundation
import Ledger

/// `loket check`: verifies every ledger invariant of a database file.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Verify the ledger invariants of a Loket database (read-only); exits 1 on any violation.")

    @Option(help: "The SQLite file (default: $LOKET_DATABASE, else loket.sqlite).")
    var database: String?

    func run() throws {
        let path = database ?? ProcessInfo.processInfo.environment["LOKET_DATABASE"] ?? "loket.sqlite"
        guard FileManager.default.fileExists(atPath: path) else {
            throw ValidationError("database file \(path) does not exist")
        }
        print("size: \(try Ledger.storage(path: path))")
        let violations = try LedgerCheck.run(path: path)
        for violation in violations { print(violation) }
        if violations.isEmpty {
            print("ok: \(path) satisfies every ledger invariant")
        } else {
            print("\(violations.count) violation(s) in \(path)")
            throw ExitCode(1)
        }
    }
}
