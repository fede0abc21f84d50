import Foundation
import GRDB
import Money

/// Money totals over a period, from the journal (so they agree with `loket check`).
public struct LedgerTotals: Sendable, Equatable {
    /// Purchases captured in the period.
    public var purchases = 0
    /// Purchases refunded in the period.
    public var refunds = 0
    /// Sell prices of captured purchases.
    public var revenue: Rupiah = .zero
    /// Flowix's cost of captured purchases.
    public var cost: Rupiah = .zero
    /// Revenue minus cost on purchases: negative when Flowix charged more than the shop sold for.
    public var margin: Int64 = 0
    public var deposits = 0
    public var depositAmount: Rupiah = .zero
    public var payouts = 0
    public var payoutAmount: Rupiah = .zero
    /// Payout fees charged minus what Flowix charged for them (may be negative).
    public var payoutFeeMargin: Int64 = 0
    /// Balance transfers between members (money that stayed in the shop).
    public var transfers = 0
    public var transferAmount: Rupiah = .zero
    /// Balance corrections by admins (`/tambahsaldo`, `/kurangisaldo`, the dashboard).
    public var adjustments = 0
    public var adjustmentCredits: Rupiah = .zero
    public var adjustmentDebits: Rupiah = .zero
    /// Successful purchases per category: count, revenue and margin.
    public var categories: [CategoryTotals] = []
}

/// One category's share of a period's purchases.
public struct CategoryTotals: Sendable, Equatable {
    public var category: String
    public var purchases: Int
    public var revenue: Rupiah
    /// May be negative (Flowix charged more than the sell price).
    public var margin: Int64
}

/// One WIB day's sales.
public struct DailyTotals: Sendable, Equatable {
    /// The day's start (Unix seconds, 00:00 WIB).
    public let day: Int64
    public var revenue: Int64
    public var margin: Int64

    public init(day: Int64, revenue: Int64, margin: Int64) {
        self.day = day
        self.revenue = revenue
        self.margin = margin
    }
}

/// One thing that happened to an order or payout, for its timeline.
public struct TimelineEntry: Sendable, Equatable {
    public enum Event: Sendable, Equatable {
        /// The record was saved (with its hold), before anything was sent.
        case placed
        /// A journal transaction under the reference: hold, capture, release.
        case journal(JournalKind, amount: Int64)
        /// A webhook from Flowix about it, by event type.
        case webhook(String)
        /// A message to the customer about it, and whether Telegram took it.
        case message(key: String, sent: Bool)
        /// The last change of the record (its status now).
        case updated(ProgressStatus)
    }

    public let at: Int64
    public let event: Event
}

/// Totals and rows for the owner's reports and exports.
public struct ReportStore: LedgerStore {
    let ledger: Ledger
}

extension ReportStore {
    /// `-value`, or an error for the one value whose negation does not fit.
    static func negated(_ value: Int64) throws -> Int64 {
        let (negated, overflow) = Int64(0).subtractingReportingOverflow(value)
        guard !overflow else { throw LedgerError.invalidAmount("a journal sum of \(value)") }
        return negated
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
                    totals.revenue = try Rupiah(stored: Self.negated(sum))
                case (.purchaseCapture, SystemAccount.flowixCost.code): totals.cost = try Rupiah(stored: sum)
                case (.purchaseCapture, SystemAccount.marginRevenue.code): totals.margin = sum
                case (.purchaseRelease, SystemAccount.purchaseHolds.code): totals.refunds = count
                case (.deposit, SystemAccount.deposits.code):
                    totals.deposits = count
                    totals.depositAmount = try Rupiah(stored: Self.negated(sum))
                case (.payoutCapture, SystemAccount.payoutsSent.code):
                    totals.payouts = count
                    totals.payoutAmount = try Rupiah(stored: sum)
                case (.payoutCapture, SystemAccount.marginRevenue.code): totals.payoutFeeMargin = sum
                default: break
                }
            }
            if let row = try Row.fetchOne(db, sql: """
                SELECT COUNT(*), COALESCE(SUM(e.amount), 0) FROM journal_transactions t
                JOIN journal_entries e ON e.transaction_id = t.id
                WHERE t.kind = 'transfer' AND e.amount > 0 AND t.created_at >= ? AND t.created_at < ?
                """, arguments: [start, end]) {
                totals.transfers = row[0]
                totals.transferAmount = try Rupiah(stored: row[1])
            }
            if let row = try Row.fetchOne(db, sql: """
                SELECT COUNT(*), COALESCE(SUM(CASE WHEN e.amount > 0 THEN e.amount END), 0),
                       COALESCE(SUM(CASE WHEN e.amount < 0 THEN -e.amount END), 0)
                FROM journal_transactions t JOIN journal_entries e ON e.transaction_id = t.id JOIN accounts a ON a.id = e.account_id
                WHERE t.kind = 'adjustment' AND a.kind = 'wallet' AND t.created_at >= ? AND t.created_at < ?
                """, arguments: [start, end]) {
                totals.adjustments = row[0]
                totals.adjustmentCredits = try Rupiah(stored: row[1])
                totals.adjustmentDebits = try Rupiah(stored: row[2])
            }
            totals.categories = try Row.fetchAll(db, sql: """
                SELECT o.category, COUNT(*), SUM(o.sell_price), SUM(o.sell_price - COALESCE(o.final_cost, o.quoted_cost))
                FROM journal_transactions t JOIN orders o ON o.ref_id = t.reference
                WHERE t.kind = 'purchase_capture' AND t.created_at >= ? AND t.created_at < ?
                GROUP BY o.category ORDER BY SUM(o.sell_price) DESC
                """, arguments: [start, end]).map { row in
                CategoryTotals(category: row[0], purchases: row[1], revenue: try Rupiah(stored: row[2]), margin: row[3])
            }
            return totals
        }
    }

    /// Revenue and margin of purchases per WIB day in `[from, to)`, oldest first; a day without
    /// sales is left out.
    public func daily(from: Date, to: Date) async throws -> [DailyTotals] {
        try await read { db in
            var days: [Int64: DailyTotals] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT (t.created_at + 25200) / 86400 AS day, a.code, SUM(e.amount)
                FROM journal_transactions t
                JOIN journal_entries e ON e.transaction_id = t.id
                JOIN accounts a ON a.id = e.account_id
                WHERE t.kind = 'purchase_capture' AND a.code IN (?, ?) AND t.created_at >= ? AND t.created_at < ?
                GROUP BY day, a.code
                """, arguments: [SystemAccount.purchaseHolds.code, SystemAccount.marginRevenue.code,
                                 Int64(from.timeIntervalSince1970), Int64(to.timeIntervalSince1970)]) {
                let day: Int64 = row[0], account: String = row[1], sum: Int64 = row[2]
                var totals = days[day] ?? DailyTotals(day: day * 86_400 - 25_200, revenue: 0, margin: 0)
                if account == SystemAccount.purchaseHolds.code { totals.revenue = try Self.negated(sum) } else { totals.margin = sum }
                days[day] = totals
            }
            return days.values.sorted { $0.day < $1.day }
        }
    }

    /// The latest `limit` alerts to `adminID` (their messages as queued), newest first.
    public func alerts(adminID: Int64, limit: Int) async throws -> [(at: Int64, payload: String)] {
        try await read { db in
            // Alerts are keyed `alert:…`; a range, so the index on the key is used.
            try Row.fetchAll(db, sql: """
                SELECT created_at, payload FROM outbox WHERE chat_id = ? AND dedupe_key >= 'alert:' AND dedupe_key < 'alert;'
                ORDER BY id DESC LIMIT ?
                """, arguments: [adminID, limit]).map { ($0[0], $0[1]) }
        }
    }

    /// Orders and payouts not final yet (pending, processing or unknown).
    public func openCount() async throws -> Int {
        try await read { db in
            try db.value(Int.self, """
                SELECT (SELECT COUNT(*) FROM orders WHERE status IN ('pending', 'processing', 'unknown'))
                     + (SELECT COUNT(*) FROM payouts WHERE status IN ('pending', 'processing', 'unknown'))
                """, []) ?? 0
        }
    }

    /// What happened to the order or payout `reference`, oldest first: saved, every journal
    /// transaction under it, every webhook about it, every message about it, its last change.
    public func timeline(reference: String, placedAt: Int64, updatedAt: Int64, status: ProgressStatus) async throws -> [TimelineEntry] {
        try await read { db in
            var entries = [TimelineEntry(at: placedAt, event: .placed)]
            for row in try Row.fetchAll(db, sql: """
                SELECT t.created_at, t.kind, COALESCE(SUM(CASE WHEN a.kind = 'wallet' THEN e.amount END), 0)
                FROM journal_transactions t JOIN journal_entries e ON e.transaction_id = t.id JOIN accounts a ON a.id = e.account_id
                WHERE t.reference = ? GROUP BY t.id ORDER BY t.id
                """, arguments: [reference]) {
                let stored: String = row[1]
                guard let kind = JournalKind(rawValue: stored) else {
                    throw LedgerError.conflict("a journal transaction of \(reference) has a kind this version does not know: \(stored)")
                }
                entries.append(TimelineEntry(at: row[0], event: .journal(kind, amount: row[2])))
            }
            for row in try Row.fetchAll(db, sql: "SELECT received_at, event_type FROM webhook_events WHERE reference = ? ORDER BY received_at",
                                        arguments: [reference]) {
                entries.append(TimelineEntry(at: row[0], event: .webhook(row[1])))
            }
            for row in try Row.fetchAll(db, sql: """
                SELECT COALESCE(sent_at, created_at), dedupe_key, status = 'sent' FROM outbox
                WHERE dedupe_key IN (?, ?, ?, ?) ORDER BY id
                """, arguments: ["order-processing:" + reference, "order-final:" + reference, "payout-processing:" + reference,
                                 "payout-final:" + reference]) {
                let key: String = row[1]
                entries.append(TimelineEntry(at: row[0], event: .message(key: String(key.prefix { $0 != ":" }), sent: row[2])))
            }
            entries.append(TimelineEntry(at: updatedAt, event: .updated(status)))
            return entries.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(\.element)
        }
    }

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
