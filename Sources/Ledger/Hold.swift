import GRDB
import Money

/// What money is held for.
public enum HoldPurpose: String, Sendable, Codable {
    case purchase
    case payout

    var account: SystemAccount { self == .purchase ? .purchaseHolds : .payoutHolds }
    var holdKind: JournalKind { self == .purchase ? .purchaseHold : .payoutHold }
    var captureKind: JournalKind { self == .purchase ? .purchaseCapture : .payoutCapture }
    var releaseKind: JournalKind { self == .purchase ? .purchaseRelease : .payoutRelease }
}

/// Money taken from a wallet while Flowix decides; captured on success, released on a
/// definitive failure, and settled exactly once (a guarded update and a trigger enforce it).
public struct Hold: Sendable, Equatable, Codable, FetchableRecord {
    public enum Status: String, Sendable, Codable { case held, captured, released }

    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase

    public let id: Int64
    /// The order or payout `ref_id`.
    public let reference: String
    public let purpose: HoldPurpose
    public let userId: Int64
    public let amount: Int64
    public let status: Status
    public let holdTransactionId: Int64
    public let settleTransactionId: Int64?

    static func find(_ reference: String, in db: Database) throws -> Hold? {
        try db.one(Hold.self, "SELECT * FROM holds WHERE reference = ?", [reference])
    }

    /// Moves `amount` from the wallet to the purpose's hold account.
    static func place(_ purpose: HoldPurpose, reference: String, userID: Int64, amount: Rupiah,
                      in db: Database, at now: Int64) throws -> JournalRecord {
        guard amount > .zero else { throw LedgerError.invalidAmount("a hold of \(amount)") }
        let (record, isNew) = try JournalPosting(
            key: "hold:\(reference)", kind: purpose.holdKind, reference: reference, userID: userID, actorID: nil, note: nil,
            legs: [(.wallet(userID: userID), -amount.value), (.system(purpose.account), amount.value)]
        ).post(db, at: now)
        if isNew {
            try db.run("""
                INSERT INTO holds (reference, purpose, user_id, amount, hold_transaction_id) VALUES (?, ?, ?, ?, ?)
                """, [reference, purpose.rawValue, userID, amount.value, record.id])
        }
        return record
    }

    /// Settles the hold with `legs` that take the whole held amount out of the hold account.
    /// Returns `nil` when the hold was already settled (nothing is written).
    static func settle(_ reference: String, as status: Status, legs: [(AccountRef, Int64)], note: String?,
                       in db: Database, at now: Int64) throws -> JournalRecord? {
        guard let hold = try find(reference, in: db) else { throw LedgerError.notFound("hold \(reference)") }
        guard hold.status == .held else { return nil }
        let kind = status == .captured ? hold.purpose.captureKind : hold.purpose.releaseKind
        let (record, _) = try JournalPosting(
            key: "\(kind.rawValue):\(reference)", kind: kind, reference: reference, userID: hold.userId, actorID: nil,
            note: note, legs: [(.system(hold.purpose.account), -hold.amount)] + legs
        ).post(db, at: now)
        try db.run("""
            UPDATE holds SET status = ?, settle_transaction_id = ? WHERE reference = ? AND status = 'held'
            """, [status.rawValue, record.id, reference])
        guard db.changesCount == 1 else { throw LedgerError.invalidTransition(from: hold.status.rawValue, to: status.rawValue) }
        return record
    }
}
