import GRDB
import Money

/// A QRIS (or other) top-up ticket, credited once when Flowix confirms the payment.
public struct Deposit: Sendable, Equatable, Codable, FetchableRecord {
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase

    public let id: Int64
    /// Flowix's `DEP-…` reference.
    public let refId: String
    public let userId: Int64
    public let methodCode: String
    public let amountRequested: Rupiah
    /// What the customer was asked to pay (request plus fee).
    public let amountToPay: Rupiah
    public let fee: Rupiah
    /// What the wallet was credited with: the amount Flowix says it received.
    public let amountCredited: Rupiah?
    public let qrString: String?
    public let status: TicketStatus
    public let expiresAt: Int64?
    public let createdAt: Int64
    public let updatedAt: Int64
    /// Until when (Unix time) a deposit not credited is still asked about: set when it expires
    /// or is cancelled, and when a webhook reports it, so a late payment is never lost.
    public let recheckUntil: Int64?

    static func find(_ refID: String, in db: Database) throws -> Deposit? {
        try db.one(Deposit.self, "SELECT * FROM deposits WHERE ref_id = ?", [refID])
    }
}

/// A deposit ticket Flowix has just created.
public struct NewDeposit: Sendable, Equatable {
    public var refID: String
    public var userID: Int64
    public var methodCode: String
    public var amountRequested: Rupiah
    public var amountToPay: Rupiah
    public var fee: Rupiah
    public var qrString: String?
    public var expiresAt: Int64?

    public init(refID: String, userID: Int64, methodCode: String, amountRequested: Rupiah, amountToPay: Rupiah,
                fee: Rupiah, qrString: String?, expiresAt: Int64?) {
        self.refID = refID
        self.userID = userID
        self.methodCode = methodCode
        self.amountRequested = amountRequested
        self.amountToPay = amountToPay
        self.fee = fee
        self.qrString = qrString
        self.expiresAt = expiresAt
    }
}
