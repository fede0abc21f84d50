import Foundation
import GRDB
import Money

/// Withdrawals to a bank or e-wallet: placed with a hold, sent, settled once.
public struct PayoutStore: LedgerStore {
    let ledger: Ledger
}

extension PayoutStore {
    /// One page of payouts for the owner, newest first (``RecordFilter``): a search matches the
    /// reference or the start of the account number.
    public func page(_ filter: RecordFilter, limit: Int) async throws -> [Payout] {
        let (sql, arguments) = filter.query(table: "payouts", prefixColumn: "account_number", limit: limit)
        return try await read { db in try Payout.fetchAll(db, sql: sql, arguments: arguments) }
    }

    /// Payouts in one of `statuses` last updated before `before`, for the reconciler.
    public func all(in statuses: [ProgressStatus], updatedBefore before: Date) async throws -> [Payout] {
        let marks = databaseQuestionMarks(count: statuses.count)
        return try await read { db in
            try Payout.fetchAll(db, sql: "SELECT * FROM payouts WHERE status IN (\(marks)) AND updated_at <= ? ORDER BY id LIMIT 200",
                                arguments: StatementArguments(statuses.map(\.rawValue))! + [Int64(before.timeIntervalSince1970)])
        }
    }

    /// Touches a payout so the reconciler waits a full interval before asking again.
    public func touch(_ refID: String) async throws {
        let now = self.now
        try await write { db in try db.run("UPDATE payouts SET updated_at = ? WHERE ref_id = ?", [now, refID]) }
    }

    /// Saves the payout and holds amount plus fee from the wallet, in one transaction, before
    /// anything is sent to Flowix. Throws ``LedgerError/insufficientFunds(balance:needed:)``
    /// when the wallet cannot cover it. Placing the same `refID` again returns the first placement.
    public func place(_ payout: NewPayout, outbox: [NewOutboxMessage] = []) async throws -> Placement<Payout> {
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
            for message in outbox { try ledger.enqueue(message, db, now) }
            let saved = try Payout.find(payout.refID, in: db)!
            return Placement(record: saved, balanceAfter: try journal.walletBalance(), isNew: true)
        }
    }

    /// Moves a payout forward to `processing` or `unknown`; see ``OrderStore/mark(_:as:sn:note:)``.
    @discardableResult
    public func mark(_ refID: String, as status: ProgressStatus, note: String? = nil) async throws -> Payout {
        try await ledger.mark(Payout.self, refID, as: status, note: note)
    }

    /// Flowix says the money arrived: capture the hold. The amount goes to `payouts_sent`,
    /// Flowix's actual fee to its cost and our fee minus Flowix's to margin, so the ledger
    /// balances even when Flowix charged a different fee than we did.
    public func complete(_ refID: String, flowixFee: Rupiah, note: String? = nil,
                               outbox: @escaping @Sendable (Payout) -> [NewOutboxMessage] = { _ in [] }) async throws -> Settlement<Payout> {
        try await ledger.settle(Payout.self, refID, as: .captured, note: note, legs: { payout in
            [(.system(.payoutsSent), payout.amount.value), (.system(.flowixCost), flowixFee.value),
             (.system(.marginRevenue), payout.fee.value - flowixFee.value)]
        }, assignments: "flowix_fee = ?, ", arguments: [flowixFee.value], outbox: outbox)
    }

    /// Flowix says the payout definitively failed: amount and fee go back to the wallet, once.
    public func fail(_ refID: String, note: String?,
                           outbox: @escaping @Sendable (Payout) -> [NewOutboxMessage] = { _ in [] }) async throws -> Settlement<Payout> {
        try await ledger.settle(Payout.self, refID, as: .released, note: note, legs: { payout in
            [(.wallet(userID: payout.userId), payout.amount.value + payout.fee.value)]
        }, outbox: outbox)
    }

    /// The payout with this `ref_id`.
    public func payout(refID: String) async throws -> Payout? {
        try await read { db in try Payout.find(refID, in: db) }
    }

    /// Records how long Flowix has not found a payout (``Payout/notFoundSince``), and touches it.
    public func trackNotFound(_ refID: String, since: Int64?, checks: Int) async throws {
        try await ledger.trackNotFound(Payout.self, refID, since: since, checks: checks)
    }

    /// Before a payout's create leaves, as ``OrderStore/beginSend(_:resend:)``.
    @discardableResult
    public func beginSend(_ refID: String, resend: Bool) async throws -> Bool {
        try await ledger.beginSend(Payout.self, refID, resend: resend)
    }

    /// Open payouts as ``OrderStore/unresolved(createdBefore:notRemembered:limit:)``.
    public func unresolved(createdBefore before: Date, notRemembered rememberedPrefix: String, limit: Int = 50) async throws -> [Payout] {
        try await ledger.unresolved(Payout.self, createdBefore: before, notRemembered: rememberedPrefix, limit: limit)
    }
}
