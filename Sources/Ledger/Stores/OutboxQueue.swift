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
    public let payload: String
    /// Queuing the same key twice keeps one message (for notifications that may be produced twice).
    public var dedupeKey: String?
    /// The value `payload` encodes, when the caller has it: handed to the subscriber with the
    /// committed row, so the sender does not decode what was just encoded. Never stored.
    public let content: (any Sendable)?

    public init(chatID: Int64, priority: OutboxPriority, payload: String, dedupeKey: String? = nil, content: (any Sendable)? = nil) {
        self.chatID = chatID
        self.priority = priority
        self.payload = payload
        self.dedupeKey = dedupeKey
        self.content = content
    }

    /// The stored fields are the message; `content` is only a shortcut to its payload.
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.chatID == rhs.chatID && lhs.priority == rhs.priority && lhs.payload == rhs.payload && lhs.dedupeKey == rhs.dedupeKey
    }
}

/// A queued outbox row.
public struct OutboxRow: Sendable, Equatable, FetchableRecord {
    public let id: Int64
    public let chatID: Int64
    public let priority: OutboxPriority
    public let payload: String
    /// What `payload` encodes, on a row handed over on commit whose message carried it
    /// (``NewOutboxMessage/content``); `nil` on a row read from the table.
    public let content: (any Sendable)?

    /// A priority this version does not know is an error, never a guess.
    public init(row: Row) throws {
        id = try row.decode(atIndex: 0)
        chatID = try row.decode(atIndex: 1)
        priority = try row.decode(atIndex: 2)
        payload = try row.decode(atIndex: 3)
        content = nil
    }

    init(id: Int64, message: NewOutboxMessage) {
        self.id = id
        chatID = message.chatID
        priority = message.priority
        payload = message.payload
        content = message.content
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.id == rhs.id && lhs.chatID == rhs.chatID && lhs.priority == rhs.priority && lhs.payload == rhs.payload
    }
}

/// Messages waiting for Telegram, in the order they were queued.
public struct OutboxQueue: LedgerStore {
    let ledger: Ledger
}

extension OutboxQueue {
    /// Queues messages on their own (notifications from services, broadcasts).
    public func enqueue(_ messages: [NewOutboxMessage]) async throws {
        let now = self.now
        try await write { db in for message in messages { try ledger.enqueue(message, db, now) } }
    }

    /// Hands every outbox row queued from now on to `subscriber` as soon as its transaction
    /// commits, in commit order (ids only grow), and returns the id of the last row queued
    /// before: rows up to it must be read from the table.
    public func subscribe(_ subscriber: @escaping @Sendable ([OutboxRow]) -> Void) async throws -> Int64 {
        try await ledger.pool.writeWithoutTransaction { [outboxFeed = ledger.outboxFeed] db in
            let lastQueued = try db.value(Int64.self, "SELECT MAX(id) FROM outbox", []) ?? 0
            outboxFeed.subscribe(subscriber, lastQueued: lastQueued)
            return lastQueued
        }
    }

    /// Pending messages in queue order, leaving out chats with a message waiting for a retry
    /// (`retrying`), and the id up to which this ledger has handed its queued rows to the
    /// ``OutboxQueue/subscribe(_:)`` subscriber. Read on the writer connection, between
    /// transactions, so the two agree: a returned row above that id was queued by another
    /// connection and will never be handed over.
    public func pending(limit: Int, now: Date) async throws -> (rows: [OutboxRow], retrying: Set<Int64>, handedOverThrough: Int64) {
        let seconds = Int64(now.timeIntervalSince1970)
        return try await ledger.pool.writeWithoutTransaction { [outboxFeed = ledger.outboxFeed] db in
            let retrying = try Set(Int64.fetchAll(db.cachedStatement(sql: """
                SELECT DISTINCT chat_id FROM outbox WHERE status = 'pending' AND not_before > ?
                """), arguments: [seconds]))
            let rows = try OutboxRow.fetchAll(db.cachedStatement(sql: """
                SELECT id, chat_id, priority, payload FROM outbox
                WHERE status = 'pending'
                  AND chat_id NOT IN (SELECT chat_id FROM outbox WHERE status = 'pending' AND not_before > ?)
                ORDER BY id LIMIT ?
                """), arguments: [seconds, limit])
            return (rows, retrying, outboxFeed.deliveredThrough)
        }
    }

    /// Telegram accepted the message. Concurrent calls are group-committed, with the updates'
    /// own commits.
    public func markSent(_ id: Int64, messageID: Int64? = nil) async throws {
        _ = try await ledger.updateWrites.submit(.sent(Ledger.SentMark(id: id, messageID: messageID)))
    }

    /// How the messages whose dedupe key starts with `prefix` are doing: sent, dropped, pending.
    public func progress(dedupePrefix prefix: String) async throws -> (sent: Int, dropped: Int, pending: Int) {
        try await read { db in
            var counts = (sent: 0, dropped: 0, pending: 0)
            for row in try Row.fetchAll(db, sql: "SELECT status, COUNT(*) FROM outbox WHERE dedupe_key >= ? AND dedupe_key < ? GROUP BY status",
                                        arguments: [prefix, Self.upperBound(ofPrefix: prefix)]) {
                switch row[0] as String {
                case "sent": counts.sent = row[1]
                case "dropped": counts.dropped = row[1]
                default: counts.pending = row[1]
                }
            }
            return counts
        }
    }

    /// The payloads of the messages to `chatID` whose dedupe key starts with `prefix`, in the order queued.
    public func payloads(chatID: Int64, dedupePrefix prefix: String) async throws -> [String] {
        try await read { db in
            try String.fetchAll(db, sql: "SELECT payload FROM outbox WHERE dedupe_key >= ? AND dedupe_key < ? AND chat_id = ? ORDER BY id",
                                arguments: [prefix, Self.upperBound(ofPrefix: prefix), chatID])
        }
    }

    /// The smallest text above every text that starts with `prefix` (its last character moved
    /// one up), so a prefix is a range the index on dedupe keys answers, not a scan.
    static func upperBound(ofPrefix prefix: String) -> String {
        guard let last = prefix.unicodeScalars.last, let next = Unicode.Scalar(last.value + 1) else { return prefix + "\u{10FFFF}" }
        return String(prefix.unicodeScalars.dropLast()) + String(next)
    }

    /// The Telegram message id of the sent outbox message with `dedupeKey`.
    public func telegramMessageID(dedupeKey: String) async throws -> Int64? {
        try await read { db in try db.value(Int64.self, "SELECT telegram_message_id FROM outbox WHERE dedupe_key = ? AND status = 'sent'", [dedupeKey]) }
    }

    /// Tries the message again no earlier than `date`.
    public func retry(_ id: Int64, at date: Date) async throws {
        try await write { db in
            try db.run("UPDATE outbox SET attempts = attempts + 1, not_before = ? WHERE id = ? AND status = 'pending'",
                       [Int64(date.timeIntervalSince1970.rounded(.up)), id])
        }
    }

    /// Gives up on one message.
    public func drop(_ id: Int64) async throws {
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
    public func counts() async throws -> [String: Int] {
        try await read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT status, COUNT(*) FROM outbox GROUP BY status") { counts[row[0]] = row[1] }
            return counts
        }
    }
}
