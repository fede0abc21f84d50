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

/// Flowix's products as last synced, and the owner's margin rules.
public struct CatalogueStore: LedgerStore {
    let ledger: Ledger
}

extension CatalogueStore {
    /// Replaces the products of one service type with a fresh sync.
    public func replace(_ products: [CatalogueProduct], serviceType: String) async throws {
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
    public func products() async throws -> [CatalogueProduct] {
        try await read { db in try CatalogueProduct.fetchAll(db, sql: "SELECT * FROM products ORDER BY code") }
    }

    /// Sets (or replaces) the rule for a scope and level; returns its id.
    @discardableResult
    public func setMarginRule(scope: MarginRuleScope, scopeValue: String, level: String, kind: MarginRuleKind, value: Int64, adminID: Int64) async throws -> Int64 {
        let now = self.now
        return try await write { db in
            // Names match in any case, as prices look rules up: `brand:TELKOMSEL` replaces `brand:telkomsel`,
            // never sits beside it unused.
            if let existing = try db.value(Int64.self, """
                SELECT id FROM margin_rules WHERE scope = ? AND scope_value = ? COLLATE NOCASE AND level = ? ORDER BY id LIMIT 1
                """, [scope, scopeValue, level]) {
                try db.run("UPDATE margin_rules SET scope_value = ?, kind = ?, value = ?, created_by = ?, created_at = ? WHERE id = ?",
                           [scopeValue, kind, value, adminID, now, existing])
                return existing
            }
            try db.run("INSERT INTO margin_rules (scope, scope_value, level, kind, value, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       [scope, scopeValue, level, kind, value, adminID, now])
            return db.lastInsertedRowID
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

    // MARK: Closures

    /// What the owner closed, by scope key (`toko`, `produk:TSEL10`, …), most recent first.
    public func closures() async throws -> [ClosureRecord] {
        try await read { db in try ClosureRecord.fetchAll(db, sql: "SELECT * FROM closures ORDER BY closed_at DESC, scope") }
    }

    /// Closes `scope` (again, replacing an earlier closure of it) until `until` (Unix time) or
    /// until it is opened.
    public func close(scope: String, reason: String?, until: Int64?, adminID: Int64) async throws {
        let now = self.now
        try await write { db in
            try db.run("""
                INSERT INTO closures (scope, reason, until, closed_by, closed_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(scope) DO UPDATE SET reason = excluded.reason, until = excluded.until,
                    closed_by = excluded.closed_by, closed_at = excluded.closed_at
                """, [scope, reason, until, adminID, now])
        }
    }

    /// The owner's cut-off windows by category (`tagihan` → `23:30-00:30`, or `off`).
    public func cutoffSettings() async throws -> [String: String] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT key, value FROM settings WHERE key LIKE 'cutoff.%'").reduce(into: [:]) { settings, row in
                let key: String = row["key"]
                settings[String(key.dropFirst("cutoff.".count))] = row["value"]
            }
        }
    }

    /// Sets a category's cut-off window (`23:30-00:30`, or `off`), over the configured default.
    public func setCutoff(category: String, _ value: String) async throws {
        try await write { db in
            try db.run("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                       ["cutoff." + category, value])
        }
    }

    /// Opens `scope` again; `false` when it was not closed.
    public func reopen(scope: String) async throws -> Bool {
        try await write { db in
            try db.run("DELETE FROM closures WHERE scope = ?", [scope])
            return db.changesCount > 0
        }
    }
}

/// One closure as stored: the scope's key, why, until when (Unix time; `nil`: until opened).
public struct ClosureRecord: Sendable, Equatable, Codable, FetchableRecord {
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase

    public var scope: String
    public var reason: String?
    public var until: Int64?
    public var closedBy: Int64
    public var closedAt: Int64
}
