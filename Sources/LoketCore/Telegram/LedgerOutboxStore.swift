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
        let stored: OutboxPriority = switch priority {
        case .reply: .reply
        case .bulk: .bulk
        }
        return NewOutboxMessage(chatID: chatID, priority: stored, payload: payload, dedupeKey: dedupeKey, content: message)
    }

    /// The text of a stored message (Telegram HTML), or `nil` when its payload cannot be read.
    public static func text(ofPayload payload: String) -> String? {
        (try? JSONDecoder().decode(OutboundMessage.self, from: Data(payload.utf8)))?.text
    }

    public func subscribe(_ onCommit: @escaping @Sendable ([OutboxItem]) -> Void) async throws -> Int64 {
        // The ledger calls back on its writer queue, which every commit waits for: only pass the
        // rows on there, and decode them in order on a task of their own.
        let (committed, continuation) = AsyncStream.makeStream(of: [OutboxRow].self)
        let lastQueued = try await ledger.outbox.subscribe { continuation.yield($0) }
        Task {
            for await rows in committed {
                var items: [OutboxItem] = []
                for row in rows {
                    if let item = item(row) { items.append(item) } else { try? await drop(row.id, reason: "unreadable payload") }
                }
                onCommit(items)
            }
        }
        return lastQueued
    }

    public func pendingMessages(limit: Int, now: Date, excludingChats: Set<Int64>, excludingIDs: Set<Int64>) async throws -> PendingMessages {
        var items: [OutboxItem] = []
        let (rows, retrying, handedOverThrough) = try await ledger.outbox.pending(limit: limit, now: now)
        var passedOver = retrying
        for row in rows where !excludingIDs.contains(row.id) {
            if excludingChats.contains(row.chatID) {
                passedOver.insert(row.chatID)
                continue
            }
            guard let item = item(row) else {
                try await drop(row.id, reason: "unreadable payload")
                continue
            }
            items.append(item)
        }
        return PendingMessages(items: items, hasMore: rows.count == limit, passedOver: passedOver, handedOverThrough: handedOverThrough)
    }

    /// The sender's view of a row, or `nil` when its payload cannot be read.
    private func item(_ row: OutboxRow) -> OutboxItem? {
        // A row handed over on commit carries the message its payload encodes.
        guard let message = row.content as? OutboundMessage ?? (try? JSONDecoder().decode(OutboundMessage.self, from: Data(row.payload.utf8)))
        else { return nil }
        let priority: RateLimiter.Priority = switch row.priority {
        case .reply: .reply
        case .bulk: .bulk
        }
        return OutboxItem(id: row.id, chatID: row.chatID, priority: priority, message: message)
    }

    public func markSent(_ id: Int64, messageID: Int64?) async throws { try await ledger.outbox.markSent(id, messageID: messageID) }
    public func retryLater(_ id: Int64, at date: Date) async throws { try await ledger.outbox.retry(id, at: date) }

    public func drop(_ id: Int64, reason: String) async throws {
        logger.warning("outbox message dropped", metadata: ["outbox_id": "\(id)", "reason": "\(reason)"])
        try await ledger.outbox.drop(id)
    }

    public func chatBlocked(_ chatID: Int64) async throws { try await ledger.outbox.chatBlocked(chatID) }
}
