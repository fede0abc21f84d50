import Foundation
import Ledger
import Logging

/// Messages to every admin about something that needs a person: an order unresolved for too
/// long, money for a reference we do not know, repeated forged webhooks. Each alert is sent
/// once per key.
public struct AdminAlerts: Sendable {
    let ledger: Ledger
    let messages: Messages
    let adminIDs: Set<Int64>
    let logger: Logger

    public init(ledger: Ledger, messages: Messages, adminIDs: Set<Int64>,
                logger: Logger = Logger(label: "loket.alerts")) {
        self.ledger = ledger
        self.messages = messages
        self.adminIDs = adminIDs
        self.logger = logger
    }

    /// The alert's outbox rows, one per admin, to queue in the transaction that makes it true;
    /// the outbox keeps one row per `key` and admin, so it is sent once even if written twice.
    public func rows(_ textKey: String, _ values: [String: String], key: String) throws -> [NewOutboxMessage] {
        try adminIDs.sorted().map {
            try messages.row(textKey, messages.defaultLanguage, values, to: $0, priority: .bulk, dedupeKey: "alert:\(key):\($0)")
        }
    }

    /// What ``raise(_:_:key:)`` remembers an alert under, before its key.
    public static let rememberedPrefix = "alert:"

    /// Sends the alert `key` has not sent before: remembered and queued in one transaction, so
    /// it is never remembered as sent without being queued.
    public func raise(_ textKey: String, _ values: [String: String], key: String) async throws {
        let rows = try self.rows(textKey, values, key: key)
        guard try await ledger.events.rememberOnce(Self.rememberedPrefix + key, queuing: rows) else { return }
        logger.warning("admin alert", metadata: ["alert": "\(textKey)", "key": "\(key)"])
    }
}
