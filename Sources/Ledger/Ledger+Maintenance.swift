import Foundation
import GRDB
import Money

/// What ``Ledger/prune(before:)`` removed.
public struct PruneReport: Sendable, Equatable {
    public var outboxRows = 0
    public var webhookEvents = 0
}

/// How big the database is, for `loket check` and the operator.
public struct StorageReport: Sendable, Equatable, CustomStringConvertible {
    public var databaseBytes: Int64
    public var walBytes: Int64
    public var outboxRows: Int
    public var outboxPending: Int
    public var webhookEvents: Int
    public var quarantinedUpdates: Int

    public var description: String {
        "database \(databaseBytes / 1024) KiB, WAL \(walBytes / 1024) KiB; outbox \(outboxRows) rows (\(outboxPending) pending), "
            + "\(webhookEvents) webhook events, \(quarantinedUpdates) quarantined updates"
    }
}

extension Ledger {
    /// Rows deleted per transaction, so pruning never holds the writer for long.
    static let pruneBatch = 1_000

    /// Deletes what is only history: outbox messages sent or dropped (QR images included) and
    /// webhook event ids received before `date`. Money, orders and the journal are never pruned.
    /// A webhook replayed after that is applied again, which the settlement makes harmless (a
    /// final record does not move; a credited deposit is not credited twice).
    public func prune(before date: Date) async throws -> PruneReport {
        let cutoff = Self.seconds(date)
        var report = PruneReport()
        while true {
            let deleted = try await write { db in
                try db.run("""
                    DELETE FROM outbox WHERE id IN (
                        SELECT id FROM outbox WHERE status IN ('sent', 'dropped') AND COALESCE(sent_at, created_at) < ? LIMIT ?)
                    """, [cutoff, Self.pruneBatch])
                return db.changesCount
            }
            report.outboxRows += deleted
            if deleted < Self.pruneBatch { break }
        }
        while true {
            let deleted = try await write { db in
                try db.run("""
                    DELETE FROM webhook_events WHERE event_id IN (SELECT event_id FROM webhook_events WHERE received_at < ? LIMIT ?)
                    """, [cutoff, Self.pruneBatch])
                return db.changesCount
            }
            report.webhookEvents += deleted
            if deleted < Self.pruneBatch { break }
        }
        return report
    }

    /// Copies the WAL into the database and truncates it to zero bytes (a quiet moment's work:
    /// it waits for readers to finish).
    public func checkpoint() async throws {
        try await pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
    }

    /// Sizes and row counts of the database at `path`, read-only.
    public static func storage(path: String) throws -> StorageReport {
        func size(_ file: String) -> Int64 {
            ((try? FileManager.default.attributesOfItem(atPath: file)[.size]) as? NSNumber)?.int64Value ?? 0
        }
        let queue = try DatabaseQueue(path: path, configuration: configuration(readOnly: true))
        return try queue.read { db in
            StorageReport(
                databaseBytes: size(path), walBytes: size(path + "-wal"),
                outboxRows: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox") ?? 0,
                outboxPending: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE status = 'pending'") ?? 0,
                webhookEvents: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM webhook_events") ?? 0,
                quarantinedUpdates: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM quarantined_updates") ?? 0)
        }
    }
}

extension Ledger {
    /// A tiny read, to prove the database answers (`/healthz`); it never waits for the writer.
    public func probeRead() async throws {
        _ = try await read { db in try db.value(Int64.self, "SELECT 1", []) }
    }

    /// A tiny write, to prove the database accepts writes (`/healthz`, at most every few seconds).
    public func probeWrite() async throws {
        let now = self.now
        try await write { db in
            try db.run("INSERT INTO settings (key, value) VALUES ('health.checked_at', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                       [String(now)])
        }
    }
}

extension Ledger {
    /// The names of the migrations applied to this file.
    public func appliedMigrations() async throws -> [String] {
        try await read { db in try Schema.migrator.appliedIdentifiers(db).sorted() }
    }
}
