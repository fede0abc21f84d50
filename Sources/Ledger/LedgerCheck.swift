import GRDB

/// One broken invariant found by ``LedgerCheck``.
public struct LedgerViolation: Sendable, Equatable, CustomStringConvertible {
    /// Which invariant, e.g. `journal-balanced`.
    public let invariant: String
    public let detail: String

    public var description: String { "\(invariant): \(detail)" }
}

/// Verifies every money invariant of a Loket database, read-only (`loket check`).
public enum LedgerCheck {
    /// Opens `path` read-only and returns every violation found (empty when all hold).
    public static func run(path: String) throws -> [LedgerViolation] {
        let queue = try DatabaseQueue(path: path, configuration: Ledger.configuration(readOnly: true))
        return try queue.read(run)
    }

    static let invariants: [(name: String, sql: String, describe: @Sendable (Row) -> String)] = [
        ("journal-balanced", """
            SELECT transaction_id, SUM(amount) FROM journal_entries GROUP BY transaction_id HAVING SUM(amount) <> 0
            """, { "journal transaction \($0[0] as Int64) sums to \($0[1] as Int64)" }),
        ("journal-has-entries", """
            SELECT t.id, COUNT(e.id) FROM journal_transactions t LEFT JOIN journal_entries e ON e.transaction_id = t.id
            GROUP BY t.id HAVING COUNT(e.id) < 2
            """, { "journal transaction \($0[0] as Int64) has \($0[1] as Int) entries" }),
        ("accounts-sum-to-zero", """
            SELECT SUM(balance) FROM accounts HAVING SUM(balance) <> 0
            """, { "all account balances sum to \($0[0] as Int64)" }),
        ("balance-matches-entries", """
            SELECT a.code, a.balance, COALESCE(SUM(e.amount), 0) FROM accounts a
            LEFT JOIN journal_entries e ON e.account_id = a.id
            GROUP BY a.id HAVING a.balance <> COALESCE(SUM(e.amount), 0)
            """, { "\($0[0] as String) balance \($0[1] as Int64) but its entries sum to \($0[2] as Int64)" }),
        ("wallet-not-negative", """
            SELECT code, balance FROM accounts WHERE kind = 'wallet' AND balance < 0
            """, { "\($0[0] as String) is at \($0[1] as Int64)" }),
        ("hold-settled-once", """
            SELECT reference, COUNT(*) FROM journal_transactions
            WHERE kind IN ('purchase_capture', 'purchase_release', 'payout_capture', 'payout_release')
            GROUP BY reference HAVING COUNT(*) > 1
            """, { "hold \($0[0] as String) was settled \($0[1] as Int) times" }),
        ("hold-status-matches-journal", """
            SELECT h.reference, h.status FROM holds h
            LEFT JOIN journal_transactions t ON t.id = h.settle_transaction_id
            WHERE (h.status = 'held') <> (t.id IS NULL)
               OR (h.status = 'captured' AND t.kind NOT IN ('purchase_capture', 'payout_capture'))
               OR (h.status = 'released' AND t.kind NOT IN ('purchase_release', 'payout_release'))
            """, { "hold \($0[0] as String) is \($0[1] as String) but the journal disagrees" }),
        ("hold-accounts-match-open-holds", """
            SELECT a.code, a.balance, COALESCE((SELECT SUM(amount) FROM holds h WHERE h.status = 'held'
                AND ((h.purpose = 'purchase' AND a.code = 'system:purchase_holds')
                  OR (h.purpose = 'payout' AND a.code = 'system:payout_holds'))), 0) AS open
            FROM accounts a WHERE a.code IN ('system:purchase_holds', 'system:payout_holds') AND a.balance <> open
            """, { "\($0[0] as String) holds \($0[1] as Int64) but open holds add up to \($0[2] as Int64)" }),
        ("order-has-hold", """
            SELECT o.ref_id FROM orders o LEFT JOIN holds h ON h.reference = o.ref_id AND h.purpose = 'purchase'
            WHERE h.id IS NULL OR h.amount <> o.sell_price
            """, { "order \($0[0] as String) has no matching hold" }),
        ("final-order-holds-nothing", """
            SELECT o.ref_id, o.status, h.status FROM orders o JOIN holds h ON h.reference = o.ref_id
            WHERE (o.status = 'success' AND h.status <> 'captured') OR (o.status = 'failed' AND h.status <> 'released')
               OR (o.status NOT IN ('success', 'failed') AND h.status <> 'held')
            """, { "order \($0[0] as String) is \($0[1] as String) but its hold is \($0[2] as String)" }),
        ("payout-has-hold", """
            SELECT p.ref_id FROM payouts p LEFT JOIN holds h ON h.reference = p.ref_id AND h.purpose = 'payout'
            WHERE h.id IS NULL OR h.amount <> p.amount + p.fee
            """, { "payout \($0[0] as String) has no matching hold" }),
        ("final-payout-holds-nothing", """
            SELECT p.ref_id, p.status, h.status FROM payouts p JOIN holds h ON h.reference = p.ref_id
            WHERE (p.status = 'success' AND h.status <> 'captured') OR (p.status = 'failed' AND h.status <> 'released')
               OR (p.status NOT IN ('success', 'failed') AND h.status <> 'held')
            """, { "payout \($0[0] as String) is \($0[1] as String) but its hold is \($0[2] as String)" }),
        ("deposit-credited-once", """
            SELECT d.ref_id, d.status FROM deposits d
            LEFT JOIN journal_transactions t ON t.idempotency_key = 'deposit:' || d.ref_id
            LEFT JOIN journal_entries e ON e.transaction_id = t.id AND e.amount > 0
            WHERE (d.status = 'success') <> (t.id IS NOT NULL) OR (t.id IS NOT NULL AND e.amount <> d.amount_credited)
            """, { "deposit \($0[0] as String) is \($0[1] as String) but its credit in the journal disagrees" }),
        ("journal-append-only", """
            SELECT name FROM (SELECT 'journal_transactions_no_update' AS name UNION ALL SELECT 'journal_transactions_no_delete'
                UNION ALL SELECT 'journal_entries_no_update' UNION ALL SELECT 'journal_entries_no_delete')
            WHERE name NOT IN (SELECT name FROM sqlite_master WHERE type = 'trigger')
            """, { "trigger \($0[0] as String) is missing" }),
    ]

    static func run(_ db: Database) throws -> [LedgerViolation] {
        var violations: [LedgerViolation] = []
        let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check")
        if integrity != ["ok"] {
            violations += integrity.map { LedgerViolation(invariant: "integrity-check", detail: $0) }
        }
        for invariant in invariants {
            for row in try Row.fetchAll(db, sql: invariant.sql) {
                violations.append(LedgerViolation(invariant: invariant.name, detail: invariant.describe(row)))
            }
        }
        return violations
    }
}
