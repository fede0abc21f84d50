import Foundation
import GRDB
import Money

/// One line of a user's wallet history (`/riwayat`).
public struct Movement: Sendable, Equatable {
    public let journalID: Int64
    public let kind: JournalKind
    public let reference: String?
    /// Positive into the wallet, negative out of it.
    public let amount: Int64
    public let balanceAfter: Int64?
    public let note: String?
    public let createdAt: Int64
}

/// Money totals over a period, from the journal (so they agree with `loket check`).
public struct LedgerTotals: Sendable, Equatable {
    /// Purchases captured in the period.
    public var purchases = 0
    /// Purchases refunded in the period.
    public var refunds = 0
    /// Sell prices of captured purchases.
    public var revenue: Int64 = 0
    /// Flowix's cost of captured purchases.
    public var cost: Int64 = 0
    /// Revenue minus cost on purchases.
    public var margin: Int64 = 0
    public var deposits = 0
    public var depositAmount: Int64 = 0
    public var payouts = 0
    public var payoutAmount: Int64 = 0
    /// Payout fees charged minus what Flowix charged for them.
    public var payoutFeeMargin: Int64 = 0
    /// Successful purchases per category: count, revenue and margin.
    public var categories: [CategoryTotals] = []
}

/// One category's share of a period's purchases.
public struct CategoryTotals: Sendable, Equatable {
    public var category: String
    public var purchases: Int
    public var revenue: Int64
    public var margin: Int64
}

extension Ledger {
    /// The wallet balance of a user (zero before their first deposit).
    public func balance(userID: Int64) async throws -> Rupiah {
        try await read { db in
            let value = try db.value(Int64.self, "SELECT balance FROM accounts WHERE code = ?", [AccountRef.wallet(userID: userID).code]) ?? 0
            return try Rupiah(stored: value)
        }
    }

    /// The last `limit` movements of a user's wallet, newest first.
    public func movements(userID: Int64, limit: Int) async throws -> [Movement] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT t.id, t.kind, t.reference, e.amount, t.wallet_balance_after, t.note, t.created_at
                FROM journal_entries e
                JOIN accounts a ON a.id = e.account_id
                JOIN journal_transactions t ON t.id = e.transaction_id
                WHERE a.code = ?
                ORDER BY t.id DESC
                LIMIT ?
                """, arguments: [AccountRef.wallet(userID: userID).code, limit]
            ).compactMap { row in
                guard let kind = JournalKind(rawValue: row[1]) else { return nil }
                return Movement(journalID: row[0], kind: kind, reference: row[2], amount: row[3],
                                balanceAfter: row[4], note: row[5], createdAt: row[6])
            }
        }
    }

    /// The order with this `ref_id`.
    public func order(refID: String) async throws -> Order? {
        try await read { db in try Order.find(refID, in: db) }
    }

    /// The payout with this `ref_id`.
    public func payout(refID: String) async throws -> Payout? {
        try await read { db in try Payout.find(refID, in: db) }
    }

    /// The deposit with this Flowix reference.
    public func deposit(refID: String) async throws -> Deposit? {
        try await read { db in try Deposit.find(refID, in: db) }
    }

    /// Totals of journal transactions written in `[from, to)`.
    public func totals(from: Date, to: Date) async throws -> LedgerTotals {
        let start = Int64(from.timeIntervalSince1970), end = Int64(to.timeIntervalSince1970)
        return try await read { db in
            var totals = LedgerTotals()
            let rows = try Row.fetchAll(db, sql: """
                SELECT t.kind, a.code, COUNT(DISTINCT t.id), SUM(e.amount)
                FROM journal_transactions t
                JOIN journal_entries e ON e.transaction_id = t.id
                JOIN accounts a ON a.id = e.account_id
                WHERE t.created_at >= ? AND t.created_at < ?
                GROUP BY t.kind, a.code
                """, arguments: [start, end])
            for row in rows {
                let kind: String = row[0], account: String = row[1], count: Int = row[2], sum: Int64 = row[3]
                switch (JournalKind(rawValue: kind), account) {
                case (.purchaseCapture, SystemAccount.purchaseHolds.code):
                    totals.purchases = count
                    totals.revenue = -sum
                case (.purchaseCapture, SystemAccount.flowixCost.code): totals.cost = sum
                case (.purchaseCapture, SystemAccount.marginRevenue.code): totals.margin = sum
                case (.purchaseRelease, SystemAccount.purchaseHolds.code): totals.refunds = count
                case (.deposit, SystemAccount.deposits.code):
                    totals.deposits = count
                    totals.depositAmount = -sum
                case (.payoutCapture, SystemAccount.payoutsSent.code):
                    totals.payouts = count
                    totals.payoutAmount = sum
                case (.payoutCapture, SystemAccount.marginRevenue.code): totals.payoutFeeMargin = sum
                default: break
                }
            }
            totals.categories = try Row.fetchAll(db, sql: """
                SELECT o.category, COUNT(*), SUM(o.sell_price), SUM(o.sell_price - COALESCE(o.final_cost, o.quoted_cost))
                FROM orders o JOIN journal_transactions t ON t.idempotency_key = 'purchase_capture:' || o.ref_id
                WHERE t.created_at >= ? AND t.created_at < ?
                GROUP BY o.category ORDER BY SUM(o.sell_price) DESC
                """, arguments: [start, end]).map { row in
                CategoryTotals(category: row[0], purchases: row[1], revenue: row[2], margin: row[3])
            }
            return totals
        }
    }
}

extension Ledger {
    /// The sum of every customer wallet: what the shop owes its customers.
    public func walletTotal() async throws -> Rupiah {
        try await read { db in
            try Rupiah(stored: db.value(Int64.self, "SELECT COALESCE(SUM(balance), 0) FROM accounts WHERE kind = 'wallet'", []) ?? 0)
        }
    }
}

extension Ledger {
    /// Journal entries written in `[from, to)`, one row each, for `loket export`.
    public func journalRows(from: Date, to: Date) async throws -> [[String]] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT t.id, t.created_at, t.kind, COALESCE(t.reference, ''), a.code, e.amount, COALESCE(t.actor_id, ''),
                       COALESCE(t.note, ''), t.idempotency_key
                FROM journal_entries e JOIN journal_transactions t ON t.id = e.transaction_id JOIN accounts a ON a.id = e.account_id
                WHERE t.created_at >= ? AND t.created_at < ? ORDER BY t.id, e.id
                """, arguments: [Int64(from.timeIntervalSince1970), Int64(to.timeIntervalSince1970)]
            ).map { row in (0..<row.count).map { index in (row[index] as DatabaseValue).description(csv: true) } }
        }
    }

    /// Orders created in `[from, to)`, one row each, for `loket export`.
    public func orderRows(from: Date, to: Date) async throws -> [[String]] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT ref_id, created_at, user_id, kind, product_code, product_name, target, sell_price, quoted_cost,
                       COALESCE(final_cost, ''), status, COALESCE(sn, ''), COALESCE(note, '')
                FROM orders WHERE created_at >= ? AND created_at < ? ORDER BY id
                """, arguments: [Int64(from.timeIntervalSince1970), Int64(to.timeIntervalSince1970)]
            ).map { row in (0..<row.count).map { index in (row[index] as DatabaseValue).description(csv: true) } }
        }
    }

    /// The names of the migrations applied to this file.
    public func appliedMigrations() async throws -> [String] {
        try await read { db in try Schema.migrator.appliedIdentifiers(db).sorted() }
    }
}

extension DatabaseValue {
    /// Integers and text as they are, NULL as empty.
    func description(csv: Bool) -> String {
        switch storage {
        case .null: return ""
        case .int64(let value): return String(value)
        case .string(let value): return value
        case .double(let value): return String(value)
        case .blob(let data): return data.base64EncodedString()
        }
    }
}
