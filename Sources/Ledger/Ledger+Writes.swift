import Foundation
import GRDB
import Money

/// The writes several stores share, and the two the bot groups into one durable commit: an
/// update with its session and replies, and the marks of messages Telegram took.
extension Ledger {

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

    /// One of the writes every Telegram update makes.
    enum UpdateWrite: Sendable {
        /// The update was handled: returns `false` (writing nothing) when it had been before.
        case handled(UpdateCommit)
        /// Telegram accepted an outbox message.
        case sent(SentMark)
    }

    static func write(_ writes: [UpdateWrite], pool: DatabasePool, feed: OutboxFeed, now: Int64) async throws -> [Bool] {
        try await pool.write { db in
            try writes.map { write in
                switch write {
                case .handled(let commit):
                    try db.run("INSERT OR IGNORE INTO telegram_updates (update_id, handled_at) VALUES (?, ?)", [commit.updateID, now])
                    guard db.changesCount == 1 else { return false }
                    if let session = commit.session { try Self.saveSession(session.chatID, session.state, db, now) }
                    for message in commit.outbox { try Self.enqueue(message, db, now, feed) }
                    return true
                case .sent(let mark):
                    try db.run("UPDATE outbox SET status = 'sent', sent_at = ?, telegram_message_id = ? WHERE id = ?", [now, mark.messageID, mark.id])
                    return true
                }
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

    /// Queues `message` in the write transaction running on `db`; the subscriber of
    /// ``OutboxQueue/subscribe(_:)`` hears of it once the transaction commits.
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

    /// An outbox row Telegram accepted, with the id of the message it made.
    struct SentMark: Sendable {
        let id: Int64
        let messageID: Int64?
    }


}
