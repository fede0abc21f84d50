import ArgumentParser
import Foundation
import LoketCore
import Ledger

/// `loket export`: the journal and the orders of a period as CSV files.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write journal.csv and orders.csv for a period (dates in WIB, YYYY-MM-DD).")

    @Option(help: "First day, inclusive (YYYY-MM-DD, WIB).") var from: String
    @Option(help: "Last day, inclusive (YYYY-MM-DD, WIB).") var to: String
    @Option(help: "The SQLite file (default: $LOKET_DATABASE, else loket.sqlite).") var database: String?
    @Option(help: "Folder to write the CSV files to.") var output = "."

    func run() async throws {
        guard let start = Self.wibMidnight(from), let lastDay = Self.wibMidnight(to) else {
            throw ValidationError("--from and --to must be dates like 2026-11-01")
        }
        guard start <= lastDay else { throw ValidationError("--from must not be after --to") }
        let path = database ?? ProcessInfo.processInfo.environment["LOKET_DATABASE"] ?? "loket.sqlite"
        guard FileManager.default.fileExists(atPath: path) else { throw ValidationError("database file \(path) does not exist") }
        let ledger = try Ledger(path: path, readOnly: true)
        let end = lastDay.addingTimeInterval(24 * 3600)
        let folder = URL(fileURLWithPath: output)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let journal = try await ledger.reports.journalRows(from: start, to: end)
        try Self.write(["transaction_id", "created_at_wib", "kind", "reference", "account", "amount", "actor_id", "note", "idempotency_key"],
                       journal, to: folder.appendingPathComponent("journal.csv"))
        let orders = try await ledger.reports.orderRows(from: start, to: end)
        try Self.write(["ref_id", "created_at_wib", "user_id", "kind", "product_code", "product_name", "target", "sell_price",
                        "quoted_cost", "final_cost", "status", "sn", "note"], orders, to: folder.appendingPathComponent("orders.csv"))
        print("wrote \(journal.count) journal entries and \(orders.count) orders to \(folder.path)")
    }

    /// Midnight of a `YYYY-MM-DD` day in WIB (UTC+7).
    static func wibMidnight(_ text: String) -> Date? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        var components = DateComponents(year: parts[0], month: parts[1], day: parts[2])
        components.timeZone = TimeZone(secondsFromGMT: 7 * 3600)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = components.timeZone!
        guard let date = calendar.date(from: components), calendar.component(.day, from: date) == parts[2],
              calendar.component(.month, from: date) == parts[1] else { return nil }
        return date
    }

    static func write(_ header: [String], _ rows: [[String]], to url: URL) throws {
        let rows = rows.map { row in
            row.enumerated().map { index, value in
                index == 1 ? Int64(value).map(WIB.dateTime) ?? value : value
            }
        }
        try CSV.text(header, rows).write(to: url, atomically: true, encoding: .utf8)
    }
}

/// `loket migrate`: brings a database file up to the current schema.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Create or migrate the database to the current schema.")

    @Option(help: "The SQLite file (default: $LOKET_DATABASE, else loket.sqlite).") var database: String?

    func run() async throws {
        let path = database ?? ProcessInfo.processInfo.environment["LOKET_DATABASE"] ?? "loket.sqlite"
        let ledger = try Ledger(path: path)
        for migration in try await ledger.appliedMigrations() { print("applied: \(migration)") }
        print("ok: \(path) is at the current schema")
    }
}
