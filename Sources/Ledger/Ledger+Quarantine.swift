import Foundation
import GRDB

/// An update marked in flight before it was handled (`telegram_inflight`).
public struct InFlightMark: Sendable, Equatable, FetchableRecord {
    public var updateID: Int64
    public var chatID: Int64?
    public var userID: Int64?
    /// What it carried (`command /margin`, `text`, `button`), never its content.
    public var kind: String
    /// How many times it was retried on its own after a run died with it in flight.
    public var aloneAttempts: Int

    public init(updateID: Int64, chatID: Int64?, userID: Int64?, kind: String, aloneAttempts: Int = 0) {
        self.updateID = updateID
        self.chatID = chatID
        self.userID = userID
        self.kind = kind
        self.aloneAttempts = aloneAttempts
    }

    public init(row: Row) {
        self.init(updateID: row["update_id"], chatID: row["chat_id"], userID: row["user_id"], kind: row["kind"],
                  aloneAttempts: row["alone_attempts"])
    }

    /// `[[update_id, chat_id, user_id, kind], …]`, for one `json_each` insert.
    static func json(_ marks: [InFlightMark]) -> String {
        var json = "["
        for (index, mark) in marks.enumerated() {
            if index > 0 { json += "," }
            json += "[\(mark.updateID),\(mark.chatID.map(String.init) ?? "null"),\(mark.userID.map(String.init) ?? "null"),\""
            for scalar in mark.kind.unicodeScalars {
                switch scalar {
                case "\"": json += "\\\""
                case "\\": json += "\\\\"
                case _ where scalar.value < 0x20: json += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                    + String(scalar.value, radix: 16)
                default: json.unicodeScalars.append(scalar)
                }
            }
            json += "\"]"
        }
        return json + "]"
    }
}

/// An update set aside because it could not be handled (`quarantined_updates`).
public struct QuarantinedUpdate: Sendable, Equatable, FetchableRecord {
    public var updateID: Int64
    public var chatID: Int64?
    public var userID: Int64?
    public var kind: String
    /// `failed`, `crashed` or `unreadable`.
    public var reason: String
    /// The last error, or what happened; never the customer's text.
    public var detail: String
    /// Unix time.
    public var quarantinedAt: Int64

    public init(updateID: Int64, chatID: Int64?, userID: Int64?, kind: String, reason: String, detail: String, quarantinedAt: Int64 = 0) {
        self.updateID = updateID
        self.chatID = chatID
        self.userID = userID
        self.kind = kind
        self.reason = reason
        self.detail = detail
        self.quarantinedAt = quarantinedAt
    }

    public init(row: Row) {
        self.init(updateID: row["update_id"], chatID: row["chat_id"], userID: row["user_id"], kind: row["kind"],
                  reason: row["reason"], detail: row["detail"], quarantinedAt: row["quarantined_at"])
    }
}

extension Ledger {
    // MARK: Updates in flight

    /// Of `ids`: the handled (or quarantined) ones, and the in-flight marks of the others, which
    /// a run that died left behind. Reads the span of ids through two cached statements (a
    /// batch's ids are consecutive), whatever the batch's size.
    public func updateTriage(among ids: [Int64]) async throws -> (handled: Set<Int64>, interrupted: [InFlightMark]) {
        guard let low = ids.min(), let high = ids.max() else { return ([], []) }
        let wanted = Set(ids)
        return try await read { db in
            let span: StatementArguments = [low, high]
            let handled = try Set(Int64.fetchAll(db.cachedStatement(sql: "SELECT update_id FROM telegram_updates WHERE update_id BETWEEN ? AND ?"),
                                                 arguments: span)).intersection(wanted)
            let marks = try InFlightMark.fetchAll(db.cachedStatement(sql: "SELECT * FROM telegram_inflight WHERE update_id BETWEEN ? AND ?"),
                                                  arguments: span)
            return (handled, marks.filter { wanted.contains($0.updateID) && !handled.contains($0.updateID) })
        }
    }

    /// In one transaction: stores `offset` when given (as ``storeTelegramOffset(_:)``) and marks
    /// `updates` in flight, all of them through one statement. Writes nothing when there is
    /// nothing to write.
    public func beginUpdateBatch(_ updates: [InFlightMark], storingOffset offset: Int64?) async throws {
        guard offset != nil || !updates.isEmpty else { return }
        let now = self.now
        let rows = InFlightMark.json(updates)
        try await write { db in
            if let offset { try Self.storeOffset(offset, db) }
            guard !updates.isEmpty else { return }
            try db.run("""
                INSERT OR IGNORE INTO telegram_inflight (update_id, chat_id, user_id, kind, marked_at)
                SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'), json_extract(value, '$[3]'), ?
                FROM json_each(?)
                """, [now, rows])
        }
    }

    /// Counts one more attempt at an interrupted update on its own, before it starts.
    public func markRetryAlone(_ updateID: Int64) async throws {
        try await write { db in
            try db.run("UPDATE telegram_inflight SET alone_attempts = alone_attempts + 1 WHERE update_id = ?", [updateID])
        }
    }

    /// Takes back one ``markRetryAlone(_:)`` (the attempt was stopped by a shutdown).
    public func undoRetryAlone(_ updateID: Int64) async throws {
        try await write { db in
            try db.run("UPDATE telegram_inflight SET alone_attempts = alone_attempts - 1 WHERE update_id = ? AND alone_attempts > 0", [updateID])
        }
    }

    /// In-flight marks of updates neither handled nor quarantined: what a run that died was doing.
    public func interruptedUpdates() async throws -> [InFlightMark] {
        try await read { db in
            try InFlightMark.fetchAll(db, sql: """
                SELECT * FROM telegram_inflight
                WHERE update_id NOT IN (SELECT update_id FROM telegram_updates)
                ORDER BY update_id
                """)
        }
    }

    // MARK: Quarantine

    /// Sets an update aside in one transaction: the record, the update marked handled (so it is
    /// never handled again) and `outbox` (the apology and the admins' alert) queued. `false`,
    /// writing nothing, when the update was handled or quarantined before.
    @discardableResult
    public func quarantine(_ update: QuarantinedUpdate, outbox: [NewOutboxMessage]) async throws -> Bool {
        let now = self.now
        return try await write { [outboxFeed] db in
            try db.run("INSERT OR IGNORE INTO telegram_updates (update_id, handled_at) VALUES (?, ?)", [update.updateID, now])
            guard db.changesCount == 1 else { return false }
            try db.run("""
                INSERT OR IGNORE INTO quarantined_updates (update_id, chat_id, user_id, kind, reason, detail, quarantined_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, [update.updateID, update.chatID, update.userID, update.kind, update.reason, update.detail, now])
            for message in outbox { try Self.enqueue(message, db, now, outboxFeed) }
            return true
        }
    }

    /// Quarantined updates, newest first.
    public func quarantinedUpdates(limit: Int = 100) async throws -> [QuarantinedUpdate] {
        try await read { db in
            try QuarantinedUpdate.fetchAll(db, sql: "SELECT * FROM quarantined_updates ORDER BY quarantined_at DESC, update_id DESC LIMIT ?",
                                           arguments: [max(0, limit)])
        }
    }

    /// How many updates were quarantined, in all and since `since`.
    public func quarantineCount(since: Date) async throws -> (total: Int, recent: Int) {
        let seconds = Self.seconds(since)
        return try await read { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT COUNT(*), COALESCE(SUM(quarantined_at >= ?), 0) FROM quarantined_updates
                """, arguments: [seconds])
            return (row?[0] ?? 0, row?[1] ?? 0)
        }
    }
}
