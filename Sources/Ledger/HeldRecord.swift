import Foundation
import GRDB

/// A record whose money the ledger holds until Flowix settles it: an ``Order`` or a ``Payout``.
/// Both move forward through ``ProgressStatus`` and settle exactly once, with their hold.
protocol HeldRecord: Sendable, FetchableRecord {
    /// The table the records live in.
    static var table: String { get }
    /// What the record is called in errors.
    static var noun: String { get }
    var userId: Int64 { get }
    var status: ProgressStatus { get }
}

extension HeldRecord {
    static func find(_ refID: String, in db: Database) throws -> Self? {
        try db.one(Self.self, "SELECT * FROM \(table) WHERE ref_id = ?", [refID])
    }
}

extension Order: HeldRecord {
    static let table = "orders"
    static let noun = "order"
}

extension Payout: HeldRecord {
    static let table = "payouts"
    static let noun = "payout"
}

extension Ledger {
    /// Moves a record forward to `processing` or `unknown` (staying put only updates the extra
    /// columns and the note), writing `assignments` (`"sn = COALESCE(?, sn), "`) with `arguments`.
    func mark<Record: HeldRecord>(_ type: Record.Type, _ refID: String, as status: ProgressStatus, note: String?,
                                  assignments: String = "", arguments: [(any DatabaseValueConvertible)?] = []) async throws -> Record {
        guard !status.isFinal else { throw LedgerError.invalidTransition(from: "any", to: status.rawValue) }
        let now = self.now
        let values = StatementArguments([status.rawValue] + arguments + [note, now, refID])
        return try await write { db in
            guard let record = try Record.find(refID, in: db) else { throw LedgerError.notFound("\(Record.noun) \(refID)") }
            guard record.status == status || record.status.canMove(to: status) else {
                throw LedgerError.invalidTransition(from: record.status.rawValue, to: status.rawValue)
            }
            try db.run("UPDATE \(Record.table) SET status = ?, \(assignments)note = COALESCE(?, note), updated_at = ? WHERE ref_id = ?", values)
            return try Record.find(refID, in: db)!
        }
    }

    /// Settles a record's hold (`.captured` makes the record `success`, `.released` makes it
    /// `failed`), once, and queues the messages `outbox` makes for the settled record, in one
    /// transaction. A record already final is returned unchanged and nothing is queued.
    func settle<Record: HeldRecord>(_ type: Record.Type, _ refID: String, as hold: Hold.Status, note: String?,
                                    legs: @escaping @Sendable (Record) -> [(AccountRef, Int64)],
                                    assignments: String = "", arguments: [(any DatabaseValueConvertible)?] = [],
                                    outbox: @escaping @Sendable (Record) -> [NewOutboxMessage]) async throws -> Settlement<Record> {
        let status: ProgressStatus
        switch hold {
        case .captured: status = .success
        case .released: status = .failed
        case .held: throw LedgerError.invalidTransition(from: "held", to: "held")
        }
        let now = self.now
        let values = StatementArguments([status.rawValue] + arguments + [note, now, refID])
        return try await write { db in
            guard let record = try Record.find(refID, in: db) else { throw LedgerError.notFound("\(Record.noun) \(refID)") }
            guard !record.status.isFinal else { return Settlement(record: record, journal: nil) }
            guard let journal = try Hold.settle(refID, as: hold, legs: legs(record), note: note, in: db, at: now) else {
                throw LedgerError.conflict("\(Record.noun) \(refID) is \(record.status.rawValue) but its hold is settled")
            }
            try db.run("""
                UPDATE \(Record.table) SET status = ?, \(assignments)note = COALESCE(?, note), updated_at = ?
                WHERE ref_id = ? AND status IN ('pending', 'processing', 'unknown')
                """, values)
            let settled = try Record.find(refID, in: db)!
            for message in outbox(settled) { try self.enqueue(message, db, now) }
            return Settlement(record: settled, journal: journal)
        }
    }
}

extension Ledger {
    func beginSend<Record: HeldRecord>(_ type: Record.Type, _ refID: String, resend: Bool) async throws -> Bool {
        let now = self.now
        return try await write { db in
            try db.run("""
                UPDATE \(Record.table) SET resends = resends + ?, not_found_since = NULL, not_found_checks = 0, updated_at = ?
                WHERE ref_id = ? AND status IN ('pending', 'unknown', 'processing') AND (? OR (status = 'pending' AND resends = 0))
                """, [resend ? 1 : 0, now, refID, resend])
            return db.changesCount == 1
        }
    }

    func trackNotFound<Record: HeldRecord>(_ type: Record.Type, _ refID: String, since: Int64?, checks: Int) async throws {
        let now = self.now
        try await write { db in
            try db.run("UPDATE \(Record.table) SET not_found_since = ?, not_found_checks = ?, updated_at = ? WHERE ref_id = ?",
                       [since, max(0, checks), now, refID])
        }
    }
}

extension Ledger {
    func unresolved<Record: HeldRecord>(_ type: Record.Type, createdBefore before: Date, notRemembered rememberedPrefix: String,
                                        limit: Int) async throws -> [Record] {
        try await read { db in
            try Record.fetchAll(db, sql: """
                SELECT * FROM \(Record.table) AS record
                WHERE status IN ('pending', 'unknown', 'processing') AND created_at <= ?
                  AND NOT EXISTS (SELECT 1 FROM settings WHERE key = ? || record.ref_id)
                ORDER BY id LIMIT ?
                """, arguments: [Int64(before.timeIntervalSince1970), rememberedPrefix, max(0, limit)])
        }
    }
}
