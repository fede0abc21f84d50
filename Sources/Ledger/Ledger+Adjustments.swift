import GRDB
import Money

/// Which way an owner adjustment moves money.
public enum AdjustmentDirection: String, Sendable {
    /// `/tambahsaldo`: money into the wallet.
    case credit
    /// `/kurangisaldo`: money out of the wallet, never below zero.
    case debit
}

extension Ledger {
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
}
