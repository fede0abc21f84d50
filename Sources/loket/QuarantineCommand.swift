import ArgumentParser
import Foundation
import Ledger

/// `loket quarantine`: the updates set aside because they could not be handled.
struct QuarantineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quarantine",
        abstract: "List the Telegram updates that were quarantined because they could not be handled (read-only).")

    @Option(help: "The SQLite file (default: $LOKET_DATABASE, else loket.sqlite).") var database: String?
    @Option(help: "How many records to show, newest first.") var limit = 50

    func run() async throws {
        let path = database ?? ProcessInfo.processInfo.environment["LOKET_DATABASE"] ?? "loket.sqlite"
        guard FileManager.default.fileExists(atPath: path) else { throw ValidationError("database file \(path) does not exist") }
        guard limit > 0 else { throw ValidationError("--limit must be at least 1") }
        let ledger = try Ledger(path: path, readOnly: true)
        let (total, recent) = try await ledger.updates.quarantineCount(since: Date().addingTimeInterval(-24 * 3600))
        print("\(total) quarantined update(s), \(recent) in the last 24 hours")
        for record in try await ledger.updates.quarantined(limit: limit) {
            let when = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(record.quarantinedAt)))
            print([when, "update \(record.updateID)", "chat \(record.chatID.map(String.init) ?? "-")",
                   "user \(record.userID.map(String.init) ?? "-")", record.kind, record.reason, record.detail].joined(separator: "\t"))
        }
    }
}
