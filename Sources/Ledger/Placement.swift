import GRDB
import Money

/// The result of placing an order or payout: the record and the wallet balance after the hold.
public struct Placement<Record: Sendable>: Sendable {
    public let record: Record
    /// The wallet balance right after the hold was taken.
    public let balanceAfter: Rupiah
    /// `false` when the same reference had been placed before and nothing new was written.
    public let isNew: Bool
}

extension Placement {
    /// The placement made before under `refID`: the record and the balance right after its hold.
    static func earlier(_ record: Record, refID: String, in db: Database) throws -> Placement {
        guard let hold = try Hold.find(refID, in: db), let journal = try JournalRecord.fetchOne(db, key: hold.holdTransactionId) else {
            throw LedgerError.notFound("the hold of \(refID)")
        }
        return Placement(record: record, balanceAfter: try journal.walletBalance(), isNew: false)
    }
}

/// The result of settling an order or payout.
public struct Settlement<Record: Sendable>: Sendable {
    /// The record after the call.
    public let record: Record
    /// The journal transaction written, or `nil` when it was already final and nothing moved.
    public let journal: JournalRecord?

    /// `true` when this call moved the money.
    public var didSettle: Bool { journal != nil }
}

