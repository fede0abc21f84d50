import GRDB
import Money

extension Ledger {
    /// Saves the payout and holds amount plus fee from the wallet, in one transaction, before
    /// anything is sent to Flowix. Throws ``LedgerError/insufficientFunds(balance:needed:)``
    /// when the wallet cannot cover it. Placing the same `refID` again returns the first placement.
    public func placePayout(_ payout: NewPayout, outbox: [NewOutboxMessage] = []) async throws -> Placement<Payout> {
        guard let total = payout.amount.adding(payout.fee), payout.amount > .zero else {
            throw LedgerError.invalidAmount("payout of \(payout.amount) plus fee \(payout.fee)")
        }
        let now = self.now
        return try await write { db in
            if let existing = try Payout.find(payout.refID, in: db) {
                guard existing.userId == payout.userID, existing.amount == payout.amount,
                      existing.accountNumber == payout.accountNumber else {
                    throw LedgerError.conflict("payout \(payout.refID) exists with other details")
                }
                return try .earlier(existing, refID: payout.refID, in: db)
            }
            try db.run("""
                INSERT INTO payouts (ref_id, user_id, bank_code, bank_name, account_number, account_name, amount, fee,
                                     status, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)
                """, [payout.refID, payout.userID, payout.bankCode, payout.bankName, payout.accountNumber,
                                 payout.accountName, payout.amount.value, payout.fee.value, now, now])
            let journal = try Hold.place(.payout, reference: payout.refID, userID: payout.userID, amount: total, in: db, at: now)
            for message in outbox { try self.enqueue(message, db, now) }
            let saved = try Payout.find(payout.refID, in: db)!
            return Placement(record: saved, balanceAfter: try Rupiah(stored: journal.walletBalanceAfter ?? 0), isNew: true)
        }
    }

    /// Moves a payout forward to `processing` or `unknown`; see ``markOrder(_:as:sn:note:)``.
    @discardableResult
    public func markPayout(_ refID: String, as status: ProgressStatus, note: String? = nil) async throws -> Payout {
        try await mark(Payout.self, refID, as: status, note: note)
    }

    /// Flowix says the money arrived: capture the hold. The amount goes to `payouts_sent`,
    /// Flowix's actual fee to its cost and our fee minus Flowix's to margin, so the ledger
    /// balances even when Flowix charged a different fee than we did.
    public func completePayout(_ refID: String, flowixFee: Rupiah, note: String? = nil,
                               outbox: @escaping @Sendable (Payout) -> [NewOutboxMessage] = { _ in [] }) async throws -> Settlement<Payout> {
        try await settle(Payout.self, refID, as: .captured, note: note, legs: { payout in
            [(.system(.payoutsSent), payout.amount.value), (.system(.flowixCost), flowixFee.value),
             (.system(.marginRevenue), payout.fee.value - flowixFee.value)]
        }, assignments: "flowix_fee = ?, ", arguments: [flowixFee.value], outbox: outbox)
    }

    /// Flowix says the payout definitively failed: amount and fee go back to the wallet, once.
    public func failPayout(_ refID: String, note: String?,
                           outbox: @escaping @Sendable (Payout) -> [NewOutboxMessage] = { _ in [] }) async throws -> Settlement<Payout> {
        try await settle(Payout.self, refID, as: .released, note: note, legs: { payout in
            [(.wallet(userID: payout.userId), payout.amount.value + payout.fee.value)]
        }, outbox: outbox)
    }
}
