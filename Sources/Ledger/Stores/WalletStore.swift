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
    public let balanceAfter: Rupiah?
    public let note: String?
    public let createdAt: Int64
}

/// Which way an owner adjustment moves money.
public enum AdjustmentDirection: String, Sendable {
    /// `/tambahsaldo`: money into the wallet.
    case credit
    /// `/kurangisaldo`: money out of the wallet, never below zero.
    case debit
}

/// Wallets and their journal: balances, movements, and the owner's adjustments.
public struct WalletStore: LedgerStore {
    let ledger: Ledger
}

extension WalletStore {
    /// An owner's manual credit or debit, recorded with the admin's id and note. A debit the
    /// wallet cannot cover throws ``LedgerError/insufficientFunds(balance:needed:)``. The same
    /// `key` again returns the first result.
    public func adjust(userID: Int64, _ direction: AdjustmentDirection, amount: Rupiah, adminID: Int64,
                       note: String?, key: String) async throws -> JournalRecord {
        guard amount > .zero else { throw LedgerError.invalidAmount("adjustment of \(amount)") }
        let signed = direction == .credit ? amount.value : -amount.value
        let now = self.now
        return try await write { db in
            try JournalPosting(
                key: "adjustment:\(key)", kind: .adjustment, reference: nil, userID: userID, actorID: adminID, note: note,
                legs: [(.wallet(userID: userID), signed), (.system(.ownerAdjustments), -signed)]
            ).post(db, at: now).record
        }
    }

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
            ).map { row in
                let stored: String = row[1]
                guard let kind = JournalKind(rawValue: stored) else {
                    throw LedgerError.conflict("journal transaction \(row[0] as Int64) has a kind this version does not know: \(stored)")
                }
                return Movement(journalID: row[0], kind: kind, reference: row[2], amount: row[3],
                                balanceAfter: try (row[4] as Int64?).map(Rupiah.init(stored:)), note: row[5], createdAt: row[6])
            }
        }
    }

    /// The sum of every customer wallet: what the shop owes its customers.
    public func total() async throws -> Rupiah {
        try await read { db in
            try Rupiah(stored: db.value(Int64.self, "SELECT COALESCE(SUM(balance), 0) FROM accounts WHERE kind = 'wallet'", []) ?? 0)
        }
    }
}
