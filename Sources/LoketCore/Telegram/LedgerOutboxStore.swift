import Foundation
import Ledger
import Logging
import Telegram

/// The outbox table as the sender's queue. Payloads are ``Telegram/OutboundMessage`` JSON.
public struct LedgerOutboxStore: OutboxStore {
    let ledger: Ledger
    let logger: Logger

    public init(ledger: Ledger, logger: Logger = Logger(label: "loket.outbox")) {
        self.ledger = ledger
        self.logger = logger
    }

    /// The outbox row for a message to `chatID`.
    public static func row(_ message: OutboundMessage, chatID: Int64, priority: RateLimiter.Priority,
                           dedupeKey: String? = nil) throws -> NewOutboxMessage {
        let payload = String(decoding: try JSONEncoder().encode(message), as: UTF8.self)
        return NewOutboxMessage(chatID: chatID, priority: priority.rawValue, payload: payload, dedupeKey: dedupeKey)
    }

    public func pendingMessages(limit: Int, now: Date, excluding: Set<Int64>) async throws -> [OutboxItem] {
        var items: [OutboxItem] = []
        for row in try await ledger.pendingOutbox(limit: limit, now: now) where !excluding.contains(row.chatId) {
            guard let message = try? JSONDecoder().decode(OutboundMessage.self, from: Data(row.payload.utf8)) else {
                logger.error("unreadable outbox payload dropped", metadata: ["outbox_id": "\(row.id)"])
                try await ledger.dropOutbox(row.id)
                continue
            }
            items.append(OutboxItem(id: row.id, chatID: row.chatId, priority: RateLimiter.Priority(rawValue: row.priority) ?? .bulk,
                                    message: message))
        }
        return items
    }

    public func markSent(_ id: Int64, messageID: Int64?) async throws { try await ledger.markOutboxSent(id, messageID: messageID) }
    public func retryLater(_ id: Int64, at date: Date) async throws { try await ledger.retryOutbox(id, at: date) }

    public func drop(_ id: Int64, reason: String) async throws {
        logger.warning("outbox message dropped", metadata: ["outbox_id": "\(id)", "reason": "\(reason)"])
        try await ledger.dropOutbox(id)
    }

    public func chatBlocked(_ chatID: Int64) async throws { try await ledger.chatBlocked(chatID) }
}
