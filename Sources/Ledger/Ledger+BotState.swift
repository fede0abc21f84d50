import Foundation
import GRDB
import Money

/// How urgent an outbox message is (`outbox.priority`): a reply to what a customer just did, or
/// part of a broadcast that may wait.
public enum OutboxPriority: String, Sendable, Equatable, CaseIterable, DatabaseValueConvertible {
    case reply, bulk
}

/// A message to put in the outbox. The payload is opaque JSON to the ledger.
public struct NewOutboxMessage: Sendable, Equatable {
    public var chatID: Int64
    public var priority: OutboxPriority
    public var payload: String
    /// Queuing the same key twice keeps one message (for notifications that may be produced twice).
    public var dedupeKey: String?

    public init(chatID: Int64, priority: OutboxPriority, payload: String, dedupeKey: String? = nil) {
        self.chatID = chatID
        self.priority = priority
        self.payload = payload
        self.dedupeKey = dedupeKey
    }
}

/// A queued outbox row.
public struct OutboxRow: Sendable, Equatable, FetchableRecord {
    public let id: Int64
    public let chatID: Int64
    public let priority: OutboxPriority
    public let payload: String

    /// A priority this version does not know is an error, never a guess.
    public init(row: Row) throws {
        id = try row.decode(atIndex: 0)
        chatID = try row.decode(atIndex: 1)
        priority = try row.decode(atIndex: 2)
        payload = try row.decode(atIndex: 3)
    }

    init(id: Int64, message: NewOutboxMessage) {
        self.id = id
        chatID = message.chatID
        priority = message.priority
        payload = message.payload
    }
}

extension Ledger {
    // MARK: Telegram offset and handled updates

    /// The stored `getUpdates` offset.
    public func telegramOffset() async throws -> Int64? {
        try await read { db in
            try db.value(String.self, "SELECT value FROM settings WHERE key = 'telegram.offset'", []).flatMap(Int64.init)
        }
    }

    /// Stores the offset, forgets handled update ids far below it and the in-flight marks below it.
    public func storeTelegramOffset(_ offset: Int64) async throws {
        try await write { db in try Self.storeOffset(offset, db) }
    }

    static func storeOffset(_ offset: Int64, _ db: Database) throws {
        try db.run("INSERT INTO settings (key, value) VALUES ('telegram.offset', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                   [String(offset)])
        try db.run("DELETE FROM telegram_updates WHERE update_id < ?", [offset.subtractingReportingOverflow(10_000).partialValue])
        try db.run("DELETE FROM telegram_inflight WHERE update_id < ?", [offset])
    }

    /// What handling one update produced: the update id, the chat's new session and replies.
    public struct UpdateCommit: Sendable {
        public var updateID: Int64
        public var session: (chatID: Int64, state: String)?
        public var outbox: [NewOutboxMessage]
    }

    /// Commits what handling one update produced, in one transaction: the update is marked
    /// handled, the chat's conversation state saved and the replies queued. Returns `false`
    /// (writing nothing) when the update had been handled before. Concurrent calls are
    /// group-committed: one transaction for all of them, each returning after it is durable.
    @discardableResult
    public func commitUpdate(_ updateID: Int64, session: (chatID: Int64, state: String)?, outbox: [NewOutboxMessage]) async throws -> Bool {
        try await updateCommits.submit(UpdateCommit(updateID: updateID, session: session, outbox: outbox))
    }

    static func writeUpdateCommits(_ commits: [UpdateCommit], pool: DatabasePool, feed: OutboxFeed, now: Int64) async throws -> [Bool] {
        try await pool.write { db in
            try commits.map { commit in
                try db.run("INSERT OR IGNORE INTO telegram_updates (update_id, handled_at) VALUES (?, ?)", [commit.updateID, now])
                guard db.changesCount == 1 else { return false }
                if let session = commit.session { try Self.saveSession(session.chatID, session.state, db, now) }
                for message in commit.outbox { try Self.enqueue(message, db, now, feed) }
                return true
            }
        }
    }

    // MARK: Conversation sessions

    static func saveSession(_ chatID: Int64, _ state: String, _ db: Database, _ now: Int64) throws {
        try db.run("""
            INSERT INTO sessions (chat_id, state, updated_at) VALUES (?, ?, ?)
            ON CONFLICT(chat_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at
            """, [chatID, state, now])
    }

    // MARK: Outbox

    /// Queues messages on their own (notifications from services, broadcasts).
    public func enqueue(_ messages: [NewOutboxMessage]) async throws {
        let now = self.now
        try await write { db in for message in messages { try self.enqueue(message, db, now) } }
    }

    /// Queues `message` in the write transaction running on `db`; the subscriber of
    /// ``subscribeToOutbox(_:)`` hears of it once the transaction commits.
    func enqueue(_ message: NewOutboxMessage, _ db: Database, _ now: Int64) throws {
        try Self.enqueue(message, db, now, outboxFeed)
    }

    static func enqueue(_ message: NewOutboxMessage, _ db: Database, _ now: Int64, _ feed: OutboxFeed) throws {
        try db.run("""
            INSERT OR IGNORE INTO outbox (chat_id, priority, payload, dedupe_key, created_at) VALUES (?, ?, ?, ?, ?)
            """, [message.chatID, message.priority, message.payload, message.dedupeKey, now])
        guard db.changesCount == 1 else { return }
        feed.queued(OutboxRow(id: db.lastInsertedRowID, message: message), in: db)
    }

    /// Hands every outbox row queued from now on to `subscriber` as soon as its transaction
    /// commits, in commit order (ids only grow), and returns the id of the last row queued
    /// before: rows up to it must be read from the table.
    public func subscribeToOutbox(_ subscriber: @escaping @Sendable ([OutboxRow]) -> Void) async throws -> Int64 {
        try await pool.writeWithoutTransaction { [outboxFeed] db in
            let lastQueued = try db.value(Int64.self, "SELECT MAX(id) FROM outbox", []) ?? 0
            outboxFeed.subscribe(subscriber, lastQueued: lastQueued)
            return lastQueued
        }
    }

    /// Pending messages in queue order, leaving out chats with a message waiting for a retry,
    /// and the id up to which this ledger has handed its queued rows to the
    /// ``subscribeToOutbox(_:)`` subscriber. Read on the writer connection, between
    /// transactions, so the two agree: a returned row above that id was queued by another
    /// connection and will never be handed over.
    public func pendingOutbox(limit: Int, now: Date) async throws -> (rows: [OutboxRow], handedOverThrough: Int64) {
        let seconds = Int64(now.timeIntervalSince1970)
        return try await pool.writeWithoutTransaction { [outboxFeed] db in
            let rows = try OutboxRow.fetchAll(db.cachedStatement(sql: """
                SELECT id, chat_id, priority, payload FROM outbox
                WHERE status = 'pending'
                  AND chat_id NOT IN (SELECT chat_id FROM outbox WHERE status = 'pending' AND not_before > ?)
                ORDER BY id LIMIT ?
                """), arguments: [seconds, limit])
            return (rows, outboxFeed.deliveredThrough)
        }
    }

    /// Telegram accepted the message. Concurrent calls are group-committed.
    public func markOutboxSent(_ id: Int64, messageID: Int64? = nil) async throws {
        try await sentMarks.submit(SentMark(id: id, messageID: messageID))
    }

    /// An outbox row Telegram accepted, with the id of the message it made.
    struct SentMark: Sendable {
        let id: Int64
        let messageID: Int64?
    }

    static func writeSentMarks(_ marks: [SentMark], pool: DatabasePool, now: Int64) async throws -> [Void] {
        try await pool.write { db in
            try marks.map { mark in
                try db.run("UPDATE outbox SET status = 'sent', sent_at = ?, telegram_message_id = ? WHERE id = ?", [now, mark.messageID, mark.id])
            }
        }
    }

    /// How the messages whose dedupe key starts with `prefix` are doing: sent, dropped, pending.
    public func outboxProgress(dedupePrefix prefix: String) async throws -> (sent: Int, dropped: Int, pending: Int) {
        try await read { db in
            var counts = (sent: 0, dropped: 0, pending: 0)
            for row in try Row.fetchAll(db, sql: "SELECT status, COUNT(*) FROM outbox WHERE dedupe_key LIKE ? || '%' GROUP BY status",
                                        arguments: [prefix]) {
                switch row[0] as String {
                case "sent": counts.sent = row[1]
                case "dropped": counts.dropped = row[1]
                default: counts.pending = row[1]
                }
            }
            return counts
        }
    }

    /// The Telegram message id of the sent outbox message with `dedupeKey`.
    public func telegramMessageID(dedupeKey: String) async throws -> Int64? {
        try await read { db in try db.value(Int64.self, "SELECT telegram_message_id FROM outbox WHERE dedupe_key = ? AND status = 'sent'", [dedupeKey]) }
    }

    /// Tries the message again no earlier than `date`.
    public func retryOutbox(_ id: Int64, at date: Date) async throws {
        try await write { db in
            try db.run("UPDATE outbox SET attempts = attempts + 1, not_before = ? WHERE id = ? AND status = 'pending'",
                       [Int64(date.timeIntervalSince1970.rounded(.up)), id])
        }
    }

    /// Gives up on one message.
    public func dropOutbox(_ id: Int64) async throws {
        try await write { db in try db.run("UPDATE outbox SET status = 'dropped' WHERE id = ? AND status = 'pending'", [id]) }
    }

    /// The user blocked the bot: they become unreachable and their queued messages are dropped.
    public func chatBlocked(_ chatID: Int64) async throws {
        try await write { db in
            try db.run("UPDATE outbox SET status = 'dropped' WHERE chat_id = ? AND status = 'pending'", [chatID])
            try db.run("UPDATE users SET is_reachable = 0 WHERE id = ?", [chatID])
        }
    }

    /// How many messages of each status the outbox holds, for metrics and tests.
    public func outboxCounts() async throws -> [String: Int] {
        try await read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT status, COUNT(*) FROM outbox GROUP BY status") { counts[row[0]] = row[1] }
            return counts
        }
    }
}

/// What handling one update needs to know about its customer, read in one snapshot.
public struct CustomerSnapshot: Sendable {
    public let user: UserRecord?
    public let session: String?
    public let balance: Rupiah
    /// Orders placed since the cut-off that did not fail, newest first.
    public let recentOrders: [Order]
}

extension Ledger {
    /// The user, their chat's session, balance and recent orders, in one read.
    public func customerSnapshot(userID: Int64, chatID: Int64, since: Date) async throws -> CustomerSnapshot {
        try await read { db in
            CustomerSnapshot(
                user: try db.one(UserRecord.self, "SELECT * FROM users WHERE id = ?", [userID]),
                session: try db.value(String.self, "SELECT state FROM sessions WHERE chat_id = ?", [chatID]),
                balance: try Rupiah(stored: db.value(Int64.self, "SELECT balance FROM accounts WHERE code = ?", [AccountRef.wallet(userID: userID).code]) ?? 0),
                recentOrders: try Order.fetchAll(db.cachedStatement(sql: """
                    SELECT * FROM orders WHERE user_id = ? AND created_at >= ? AND status <> 'failed' ORDER BY id DESC LIMIT 20
                    """), arguments: [userID, Int64(since.timeIntervalSince1970)]))
        }
    }

    /// Saves a chat's session and queues replies outside an update (the answer to a lookup).
    public func saveSession(chatID: Int64, state: String, outbox: [NewOutboxMessage]) async throws {
        let now = self.now
        try await write { db in
            try Self.saveSession(chatID, state, db, now)
            for message in outbox { try self.enqueue(message, db, now) }
        }
    }

    /// Users the bot can still reach and who are not blocked, for broadcasts.
    public func reachableUsers() async throws -> [UserRecord] {
        try await read { db in try UserRecord.fetchAll(db, sql: "SELECT * FROM users WHERE is_reachable = 1 AND is_blocked = 0 ORDER BY id") }
    }
}
