import Foundation
import GRDB
import Money

/// Things that must happen once: webhook events seen, alerts and notices remembered.
public struct EventStore: LedgerStore {
    let ledger: Ledger
}

extension EventStore {
    /// Records a webhook event id; `false` when it was seen before (a replay).
    public func recordWebhook(id: String, type: String, reference: String?) async throws -> Bool {
        let now = self.now
        return try await write { db in
            try db.run("INSERT OR IGNORE INTO webhook_events (event_id, event_type, reference, received_at) VALUES (?, ?, ?, ?)",
                       [id, type, reference, now])
            return db.changesCount == 1
        }
    }

    /// Remembers a one-off fact (an alert already sent) under `key`, queuing `outbox` in the same
    /// transaction, so the fact is never remembered without its messages; `false`, queuing
    /// nothing, if it was remembered before.
    public func rememberOnce(_ key: String, queuing outbox: [NewOutboxMessage] = []) async throws -> Bool {
        let now = self.now
        return try await write { [outboxFeed = ledger.outboxFeed] db in
            try db.run("INSERT OR IGNORE INTO settings (key, value) VALUES (?, '1')", [key])
            guard db.changesCount == 1 else { return false }
            for message in outbox { try Ledger.enqueue(message, db, now, outboxFeed) }
            return true
        }
    }

    /// Whether a webhook event id was applied before.
    public func isWebhookKnown(_ id: String) async throws -> Bool {
        try await read { db in try db.value(Bool.self, "SELECT 1 FROM webhook_events WHERE event_id = ?", [id]) ?? false }
    }
}
