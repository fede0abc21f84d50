import GRDB
import Money

/// A withdrawal from a wallet to a bank account or e-wallet.
public struct Payout: Sendable, Equatable, Codable, FetchableRecord {
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase

    public let id: Int64
    public let refId: String
    public let userId: Int64
    public let bankCode: String
    public let bankName: String
    public let accountNumber: String
    public let accountName: String
    /// What reaches the account.
    public let amount: Rupiah
    /// What the customer pays on top; amount plus fee is held.
    public let fee: Rupiah
    /// The fee Flowix finally charged, once known.
    public let flowixFee: Rupiah?
    public let status: ProgressStatus
    public let note: String?
    public let createdAt: Int64
    public let updatedAt: Int64
    /// When Flowix's status endpoint first said it does not know the reference (Unix time),
    /// counting from the last time it did know it; `nil` when it has not said so.
    public let notFoundSince: Int64?
    /// How many status checks in a row said "not found".
    public let notFoundChecks: Int
    /// How many times the create was sent again under the same reference.
    public let resends: Int
}

/// What the bot knows when a customer confirms a withdrawal.
public struct NewPayout: Sendable, Equatable {
    public var refID: String
    public var userID: Int64
    public var bankCode: String
    public var bankName: String
    public var accountNumber: String
    public var accountName: String
    public var amount: Rupiah
    public var fee: Rupiah

    public init(refID: String, userID: Int64, bankCode: String, bankName: String, accountNumber: String,
                accountName: String, amount: Rupiah, fee: Rupiah) {
        self.refID = refID
        self.userID = userID
        self.bankCode = bankCode
        self.bankName = bankName
        self.accountNumber = accountNumber
        self.accountName = accountName
        self.amount = amount
        self.fee = fee
    }
}
