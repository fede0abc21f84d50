import Foundation
import GRDB
import Money

/// A product as stored by the catalogue sync.
public struct CatalogueProduct: Sendable, Equatable, Codable, FetchableRecord {
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase

    public var code: String
    public var name: String
    public var category: String
    public var brand: String
    public var type: String
    /// `prabayar` or `pascabayar`.
    public var serviceType: String
    /// Flowix's price; `nil` for bills.
    public var price: Int64?
    public var isAvailable: Bool
    public var syncedAt: Int64

    public init(code: String, name: String, category: String, brand: String, type: String, serviceType: String,
                price: Int64?, isAvailable: Bool, syncedAt: Int64) {
        self.code = code
        self.name = name
        self.category = category
        self.brand = brand
        self.type = type
        self.serviceType = serviceType
        self.price = price
        self.isAvailable = isAvailable
        self.syncedAt = syncedAt
    }
}

/// What a margin rule applies to (`margin_rules.scope`), from the widest to the narrowest.
public enum MarginRuleScope: String, Sendable, Codable, CaseIterable, DatabaseValueConvertible {
    case all, category, brand, product
}

/// How a margin rule's value reads (`margin_rules.kind`).
public enum MarginRuleKind: String, Sendable, Codable, CaseIterable, DatabaseValueConvertible {
    /// Whole rupiah added to the cost.
    case rupiah
    /// Hundredths of a percent of the cost.
    case percent
}

/// A margin rule set by an admin.
public struct MarginRuleRecord: Sendable, Equatable, Codable, FetchableRecord {
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase

    public var id: Int64
    public var scope: MarginRuleScope
    public var scopeValue: String
    public var level: String
    public var kind: MarginRuleKind
    /// Rupiah, or hundredths of a percent.
    public var value: Int64
    public var createdBy: Int64
    public var createdAt: Int64

    public init(id: Int64, scope: MarginRuleScope, scopeValue: String, level: String, kind: MarginRuleKind, value: Int64, createdBy: Int64, createdAt: Int64) {
        self.id = id
        self.scope = scope
        self.scopeValue = scopeValue
        self.level = level
        self.kind = kind
        self.value = value
        self.createdBy = createdBy
        self.createdAt = createdAt
    }
}

extension Ledger {
    // MARK: Catalogue

    /// Replaces the products of one service type with a fresh sync.
    public func replaceCatalogue(_ products: [CatalogueProduct], serviceType: String) async throws {
        try await write { db in
            try db.run("DELETE FROM products WHERE service_type = ?", [serviceType])
            for product in products {
                try db.run("""
                    INSERT OR REPLACE INTO products (code, name, category, brand, type, service_type, price, is_available, synced_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, [product.code, product.name, product.category, product.brand, product.type, serviceType,
                          product.price, product.isAvailable, product.syncedAt])
            }
        }
    }

    /// Every stored product.
    public func catalogue() async throws -> [CatalogueProduct] {
        try await read { db in try CatalogueProduct.fetchAll(db, sql: "SELECT * FROM products ORDER BY code") }
    }

    // MARK: Margin rules

    /// Sets (or replaces) the rule for a scope and level; returns its id.
    @discardableResult
    public func setMarginRule(scope: MarginRuleScope, scopeValue: String, level: String, kind: MarginRuleKind, value: Int64, adminID: Int64) async throws -> Int64 {
        let now = self.now
        return try await write { db in
            try db.run("""
                INSERT INTO margin_rules (scope, scope_value, level, kind, value, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (scope, scope_value, level) DO UPDATE SET kind = excluded.kind, value = excluded.value,
                    created_by = excluded.created_by, created_at = excluded.created_at
                """, [scope, scopeValue, level, kind, value, adminID, now])
            return try db.value(Int64.self, "SELECT id FROM margin_rules WHERE scope = ? AND scope_value = ? AND level = ?",
                                [scope, scopeValue, level]) ?? 0
        }
    }

    /// Deletes a rule; `false` when there was none with that id.
    public func deleteMarginRule(id: Int64) async throws -> Bool {
        try await write { db in
            try db.run("DELETE FROM margin_rules WHERE id = ?", [id])
            return db.changesCount == 1
        }
    }

    /// All rules, oldest first.
    public func marginRules() async throws -> [MarginRuleRecord] {
        try await read { db in try MarginRuleRecord.fetchAll(db, sql: "SELECT * FROM margin_rules ORDER BY id") }
    }

    // MARK: Webhook events

    /// Records a webhook event id; `false` when it was seen before (a replay).
    public func recordWebhookEvent(id: String, type: String, reference: String?) async throws -> Bool {
        let now = self.now
        return try await write { db in
            try db.run("INSERT OR IGNORE INTO webhook_events (event_id, event_type, reference, received_at) VALUES (?, ?, ?, ?)",
                       [id, type, reference, now])
            return db.changesCount == 1
        }
    }

    // MARK: Orders for the bot and the reconciler

    /// The order whose bill payment has this Flowix inquiry id (bills come back under it).
    /// Placement allows one order per inquiry; of two placed before that rule, the first.
    public func order(inquiryID: String) async throws -> Order? {
        try await read { db in try db.one(Order.self, "SELECT * FROM orders WHERE inquiry_id = ? ORDER BY id LIMIT 1", [inquiryID]) }
    }

    /// Orders in one of `statuses` last updated at or before `before` (whole seconds), oldest first.
    public func orders(in statuses: [ProgressStatus], updatedBefore before: Date, limit: Int = 200) async throws -> [Order] {
        let seconds = Int64(before.timeIntervalSince1970)
        return try await read { db in
            let marks = databaseQuestionMarks(count: statuses.count)
            return try Order.fetchAll(db, sql: "SELECT * FROM orders WHERE status IN (\(marks)) AND updated_at <= ? ORDER BY id LIMIT ?",
                                      arguments: StatementArguments(statuses.map(\.rawValue))! + [seconds, limit])
        }
    }

    /// A user's purchases since `since` (for the "transaksi ganda?" check), newest first.
    public func recentOrders(userID: Int64, since: Date) async throws -> [Order] {
        try await read { db in
            try Order.fetchAll(db, sql: "SELECT * FROM orders WHERE user_id = ? AND created_at >= ? AND status <> 'failed' ORDER BY id DESC LIMIT 50",
                               arguments: [userID, Int64(since.timeIntervalSince1970)])
        }
    }

    /// Touches an order so the reconciler waits a full interval before asking again.
    public func touchOrder(_ refID: String) async throws {
        let now = self.now
        try await write { db in try db.run("UPDATE orders SET updated_at = ? WHERE ref_id = ?", [now, refID]) }
    }

    /// Remembers a one-off fact (an alert already sent) under `key`, queuing `outbox` in the same
    /// transaction, so the fact is never remembered without its messages; `false`, queuing
    /// nothing, if it was remembered before.
    public func rememberOnce(_ key: String, queuing outbox: [NewOutboxMessage] = []) async throws -> Bool {
        let now = self.now
        return try await write { [outboxFeed] db in
            try db.run("INSERT OR IGNORE INTO settings (key, value) VALUES (?, '1')", [key])
            guard db.changesCount == 1 else { return false }
            for message in outbox { try Self.enqueue(message, db, now, outboxFeed) }
            return true
        }
    }
}

extension Ledger {
    /// Whether a webhook event id was applied before.
    public func isWebhookEventKnown(_ id: String) async throws -> Bool {
        try await read { db in try db.value(Bool.self, "SELECT 1 FROM webhook_events WHERE event_id = ?", [id]) ?? false }
    }

    /// A tiny read, to prove the database answers (`/healthz`); it never waits for the writer.
    public func probeRead() async throws {
        _ = try await read { db in try db.value(Int64.self, "SELECT 1", []) }
    }

    /// A tiny write, to prove the database accepts writes (`/healthz`, at most every few seconds).
    public func probeWrite() async throws {
        let now = self.now
        try await write { db in
            try db.run("INSERT INTO settings (key, value) VALUES ('health.checked_at', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                       [String(now)])
        }
    }
}
