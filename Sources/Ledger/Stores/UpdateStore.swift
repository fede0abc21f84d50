import Foundation
import GRDB
import Money

/// What handling one update needs to know about its customer, read in one snapshot.
public struct CustomerSnapshot: Sendable {
    public let user: UserRecord?
    public let session: String?
    public let balance: Rupiah
    /// Orders placed since the cut-off that did not fail, newest first.
    public let recentOrders: [Order]
    /// Whether the user set a transaction PIN, and until when wrong tries locked it.
    public let hasPIN: Bool
    public let pinLockedUntil: Int64?
}

/// Telegram updates: the poller's offset, each update committed with its chat's session and replies, updates in flight and in quarantine.
public struct UpdateStore: LedgerStore {
    let ledger: Ledger
}

extension UpdateStore {
    /// The stored `getUpdates` offset.
    public func offset() async throws -> Int64? {
        try await read { db in
            try db.value(String.self, "SELECT value FROM settings WHERE key = 'telegram.offset'", []).flatMap(Int64.init)
        }
    }

    /// Stores the offset, forgets handled update ids far below it and the in-flight marks below it.
    public func storeOffset(_ offset: Int64) async throws {
        try await write { db in try Ledger.storeOffset(offset, db) }
    }

    /// Commits what handling one update produced, in one transaction: the update is marked
    /// handled, the chat's conversation state saved and the replies queued. Returns `false`
    /// (writing nothing) when the update had been handled before. Concurrent calls are
    /// group-committed: one transaction for all of them, each returning after it is durable.
    @discardableResult
    public func commit(_ updateID: Int64, session: (chatID: Int64, state: String)?, outbox: [NewOutboxMessage]) async throws -> Bool {
        try await ledger.updateWrites.submit(.handled(Ledger.UpdateCommit(updateID: updateID, session: session, outbox: outbox)))
    }

    /// Whose snapshot a turn needs, and from when its orders count as recent.
    struct SnapshotRequest: Sendable {
        let userID: Int64
        let chatID: Int64
        let since: Int64
    }

    /// The user, their chat's session, balance and recent orders, in one read. Concurrent
    /// calls share one read transaction; each sees everything committed before it was called.
    public func customerSnapshot(userID: Int64, chatID: Int64, since: Date) async throws -> CustomerSnapshot {
        try await ledger.snapshotReads.submit(SnapshotRequest(userID: userID, chatID: chatID, since: Int64(since.timeIntervalSince1970)))
    }

    static func snapshot(_ request: SnapshotRequest, _ db: Database) throws -> CustomerSnapshot {
        // The user and their PIN's state in one statement (every update reads both).
        let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT users.*, pins.user_id AS pin_user_id, pins.locked_until AS pin_locked_until
            FROM users LEFT JOIN pins ON pins.user_id = users.id WHERE users.id = ?
            """), arguments: [request.userID])
        return CustomerSnapshot(
            user: try row.map(UserRecord.init(row:)),
            session: try db.value(String.self, "SELECT state FROM sessions WHERE chat_id = ?", [request.chatID]),
            balance: try WalletStore.balance(request.userID, db),
            recentOrders: try Order.fetchAll(db.cachedStatement(sql: """
                SELECT * FROM orders WHERE user_id = ? AND created_at >= ? AND status <> 'failed' ORDER BY id DESC LIMIT 20
                """), arguments: [request.userID, request.since]),
            hasPIN: (row?["pin_user_id"] as Int64?) != nil, pinLockedUntil: row?["pin_locked_until"])
    }

    /// Saves a chat's session and queues replies outside an update (the answer to a lookup).
    public func saveSession(chatID: Int64, state: String, outbox: [NewOutboxMessage]) async throws {
        let now = self.now
        try await write { db in
            try Ledger.saveSession(chatID, state, db, now)
            for message in outbox { try ledger.enqueue(message, db, now) }
        }
    }

    /// Of `ids`: the handled (or quarantined) ones, and the in-flight marks of the others, which
    /// a run that died left behind. Reads the span of ids through two cached statements (a
    /// batch's ids are consecutive), whatever the batch's size.
    public func triage(among ids: [Int64]) async throws -> (handled: Set<Int64>, interrupted: [InFlightMark]) {
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

    /// In one transaction: stores `offset` when given (as ``storeOffset(_:)``) and marks
    /// `updates` in flight, all of them through one statement. Writes nothing when there is
    /// nothing to write.
    public func beginBatch(_ updates: [InFlightMark], storingOffset offset: Int64?) async throws {
        guard offset != nil || !updates.isEmpty else { return }
        let now = self.now
        let rows = InFlightMark.json(updates)
        try await write { db in
            if let offset { try Ledger.storeOffset(offset, db) }
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
    public func interrupted() async throws -> [InFlightMark] {
        try await read { db in
            try InFlightMark.fetchAll(db, sql: """
                SELECT * FROM telegram_inflight
                WHERE update_id NOT IN (SELECT update_id FROM telegram_updates)
                ORDER BY update_id
                """)
        }
    }

    /// Sets an update aside in one transaction: the record, the update marked handled (so it is
    /// never handled again) and `outbox` (the apology and the admins' alert) queued. `false`,
    /// writing nothing, when the update was handled or quarantined before.
    @discardableResult
    public func quarantine(_ update: QuarantinedUpdate, outbox: [NewOutboxMessage]) async throws -> Bool {
        let now = self.now
        return try await write { [outboxFeed = ledger.outboxFeed] db in
            try db.run("INSERT OR IGNORE INTO telegram_updates (update_id, handled_at) VALUES (?, ?)", [update.updateID, now])
            guard db.changesCount == 1 else { return false }
            try db.run("""
                INSERT OR IGNORE INTO quarantined_updates (update_id, chat_id, user_id, kind, reason, detail, quarantined_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, [update.updateID, update.chatID, update.userID, update.kind, update.reason, update.detail, now])
            for message in outbox { try Ledger.enqueue(message, db, now, outboxFeed) }
            return true
        }
    }

    /// Quarantined updates, newest first.
    public func quarantined(limit: Int = 100) async throws -> [QuarantinedUpdate] {
        try await read { db in
            try QuarantinedUpdate.fetchAll(db, sql: "SELECT * FROM quarantined_updates ORDER BY quarantined_at DESC, update_id DESC LIMIT ?",
                                           arguments: [max(0, limit)])
        }
    }

    /// How many updates were quarantined, in all and since `since`.
    public func quarantineCount(since: Date) async throws -> (total: Int, recent: Int) {
        let seconds = Ledger.seconds(since)
        return try await read { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT COUNT(*), COALESCE(SUM(quarantined_at >= ?), 0) FROM quarantined_updates
                """, arguments: [seconds])
            return (row?[0] ?? 0, row?[1] ?? 0)
        }
    }
}
