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

/// A member's balance transfer to another member, as asked.
public struct NewTransfer: Sendable, Equatable {
    /// `TF-<chat>-<update>`: the update that asked for it, so a redelivery transfers nothing twice.
    public var reference: String
    public var senderID: Int64
    public var recipientID: Int64
    public var amount: Rupiah

    public init(reference: String, senderID: Int64, recipientID: Int64, amount: Rupiah) {
        self.reference = reference
        self.senderID = senderID
        self.recipientID = recipientID
        self.amount = amount
    }
}

/// A transfer written (or found written by an earlier run of the same update).
public struct TransferResult: Sendable, Equatable {
    public let journal: JournalRecord
    public let isNew: Bool
    public let senderBalance: Rupiah
    public let recipientBalance: Rupiah
}

/// What members transferred, in and out, for `/pengguna`.
public struct TransferTotals: Sendable, Equatable {
    public var sentCount = 0
    public var sent: Rupiah = .zero
    public var receivedCount = 0
    public var received: Rupiah = .zero
}

/// Wallets and their journal: balances, movements, the owner's adjustments and members' transfers.
public struct WalletStore: LedgerStore {
    let ledger: Ledger
}

extension WalletStore {
    /// An owner's manual credit or debit, recorded with the admin's id and note. A debit the
    /// wallet cannot cover throws ``LedgerError/insufficientFunds(balance:needed:)``. The same
    /// `key` again returns the first result; with another user, amount, direction or note it
    /// throws ``LedgerError/idempotencyKeyReused(_:)``.
    public func adjust(userID: Int64, _ direction: AdjustmentDirection, amount: Rupiah, adminID: Int64,
                       note: String?, key: String) async throws -> JournalRecord {
        guard amount > .zero else { throw LedgerError.invalidAmount("adjustment of \(amount)") }
        let signed = direction == .credit ? amount.value : -amount.value
        let now = self.now
        return try await write { db in
            let posting = JournalPosting(
                key: "adjustment:\(key)", kind: .adjustment, reference: nil, userID: userID, actorID: adminID, note: note,
                legs: [(.wallet(userID: userID), signed), (.system(.ownerAdjustments), -signed)]
            )
            // A form posted again with another amount, direction or note is refused, not taken for the first.
            try posting.requireSameAsWritten(db)
            return try posting.post(db, at: now).record
        }
    }

    /// Moves `transfer.amount` from the sender's wallet to the recipient's as one journal
    /// transaction keyed by the reference, and queues `outbox` (built from both balances after)
    /// in the same write. Throws ``LedgerError/insufficientFunds(balance:needed:)`` when the
    /// sender cannot cover it and ``LedgerError/dailyLimitReached(remaining:)`` when their
    /// transfers since `dayStart` would pass `dailyLimit`; the same reference again moves
    /// nothing and returns the first result.
    public func transfer(_ transfer: NewTransfer, dailyLimit: Rupiah, dayStart: Date,
                         outbox: @escaping @Sendable (_ senderBalance: Rupiah, _ recipientBalance: Rupiah) throws -> [NewOutboxMessage])
        async throws -> TransferResult {
        guard transfer.amount > .zero else { throw LedgerError.invalidAmount("transfer of \(transfer.amount)") }
        guard transfer.senderID != transfer.recipientID else { throw LedgerError.conflict("a transfer to the sender's own wallet") }
        let now = self.now, start = Int64(dayStart.timeIntervalSince1970)
        let key = "transfer:\(transfer.reference)", sender = AccountRef.wallet(userID: transfer.senderID)
        return try await write { db in
            if let existing = try db.value(Int64.self, "SELECT id FROM journal_transactions WHERE idempotency_key = ?", [key]) {
                // The same reference must be the same transfer: never another amount or recipient.
                let legs = try JournalPosting.writtenLegs(of: existing, db)
                let asked = ["\(sender.code) \(-transfer.amount.value)", "\(AccountRef.wallet(userID: transfer.recipientID).code) \(transfer.amount.value)"]
                guard legs == asked else { throw LedgerError.idempotencyKeyReused(key) }
            } else {
                let sent = try db.value(Int64.self, """
                    SELECT COALESCE(SUM(-e.amount), 0) FROM journal_transactions t
                    JOIN journal_entries e ON e.transaction_id = t.id
                    JOIN accounts a ON a.id = e.account_id
                    WHERE t.kind = 'transfer' AND t.user_id = ? AND a.code = ? AND t.created_at >= ?
                    """, [transfer.senderID, sender.code, start]) ?? 0
                let (total, overflow) = sent.addingReportingOverflow(transfer.amount.value)
                if overflow || total > dailyLimit.value {
                    throw LedgerError.dailyLimitReached(remaining: try Rupiah(stored: max(0, dailyLimit.value - min(sent, dailyLimit.value))))
                }
            }
            let (record, isNew) = try JournalPosting(
                key: key, kind: .transfer, reference: transfer.reference, userID: transfer.senderID, actorID: nil, note: nil,
                legs: [(.wallet(userID: transfer.recipientID), transfer.amount.value), (sender, -transfer.amount.value)]
            ).post(db, at: now)
            let result = TransferResult(journal: record, isNew: isNew, senderBalance: try Self.balance(transfer.senderID, db),
                                        recipientBalance: try Self.balance(transfer.recipientID, db))
            for message in try outbox(result.senderBalance, result.recipientBalance) { try ledger.enqueue(message, db, now) }
            return result
        }
    }

    /// What `userID` sent to and received from other members, all time.
    public func transferTotals(userID: Int64) async throws -> TransferTotals {
        try await read { db in
            var totals = TransferTotals()
            for row in try Row.fetchAll(db, sql: """
                SELECT e.amount > 0, COUNT(*), SUM(e.amount) FROM journal_transactions t
                JOIN journal_entries e ON e.transaction_id = t.id
                JOIN accounts a ON a.id = e.account_id
                WHERE t.kind = 'transfer' AND a.code = ?
                GROUP BY e.amount > 0
                """, arguments: [AccountRef.wallet(userID: userID).code]) {
                let incoming: Bool = row[0], count: Int = row[1], sum: Int64 = row[2]
                if incoming {
                    (totals.receivedCount, totals.received) = (count, try Rupiah(stored: sum))
                } else {
                    (totals.sentCount, totals.sent) = (count, try Rupiah(stored: ReportStore.negated(sum)))
                }
            }
            return totals
        }
    }

    /// The wallet balance of a user (zero before their first deposit).
    public func balance(userID: Int64) async throws -> Rupiah {
        try await read { db in try Self.balance(userID, db) }
    }

    /// The wallet balance of a user, read in `db`'s transaction (zero before their first deposit).
    static func balance(_ userID: Int64, _ db: Database) throws -> Rupiah {
        try Rupiah(stored: db.value(Int64.self, "SELECT balance FROM accounts WHERE code = ?", [AccountRef.wallet(userID: userID).code]) ?? 0)
    }

    /// The last `limit` movements of a user's wallet, newest first.
    public func movements(userID: Int64, limit: Int) async throws -> [Movement] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT t.id, t.kind, t.reference, e.amount,
                       CASE WHEN t.user_id = a.user_id THEN t.wallet_balance_after
                            ELSE (SELECT SUM(x.amount) FROM journal_entries x WHERE x.account_id = a.id AND x.transaction_id <= t.id)
                       END,
                       t.note, t.created_at
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
