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

    public func subscribe(_ onCommit: @escaping @Sendable ([OutboxItem]) -> Void) async throws -> Int64 {
        try await ledger.subscribeToOutbox { [self] rows in
            // Runs on the ledger's writer queue right after the commit: decode and hand over, nothing else.
            onCommit(rows.compactMap { row in
                guard let item = item(row) else {
                    Task { try? await drop(row.id, reason: "unreadable payload") }
                    return nil
                }
                return item
            })
        }
    }

    public func pendingMessages(limit: Int, now: Date, excludingChats: Set<Int64>, excludingIDs: Set<Int64>) async throws -> PendingMessages {
        var items: [OutboxItem] = []
        let (rows, handedOverThrough) = try await ledger.pendingOutbox(limit: limit, now: now)
        for row in rows where !excludingChats.contains(row.chatID) && !excludingIDs.contains(row.id) {
            guard let item = item(row) else {
                try await drop(row.id, reason: "unreadable payload")
                continue
            }
            items.append(item)
        }
        return PendingMessages(items: items, hasMore: rows.count == limit, handedOverThrough: handedOverThrough)
    }

    /// The sender's view of a row, or `nil` when its payload cannot be read.
    private func item(_ row: OutboxRow) -> OutboxItem? {
        guard let message = try? JSONDecoder().decode(OutboundMessage.self, from: Data(row.payload.utf8)) else { return nil }
        return OutboxItem(id: row.id, chatID: row.chatID, priority: RateLimiter.Priority(rawValue: row.priority) ?? .bulk, message: message)
    }

    public func markSent(_ id: Int64, messageID: Int64?) async throws { try await ledger.markOutboxSent(id, messageID: messageID) }
    public func retryLater(_ id: Int64, at date: Date) async throws { try await ledger.retryOutbox(id, at: date) }

    public func drop(_ id: Int64, reason: String) async throws {
        logger.warning("outbox message dropped", metadata: ["outbox_id": "\(id)", "reason": "\(reason)"])
        try await ledger.dropOutbox(id)
    }

    public func chatBlocked(_ chatID: Int64) async throws { try await ledger.chatBlocked(chatID) }
}
