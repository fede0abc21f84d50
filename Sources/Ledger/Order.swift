import GRDB
import Money

/// A prepaid purchase or bill payment, from the moment it is held until Flowix settles it.
public struct Order: Sendable, Equatable, Codable, FetchableRecord {
    public enum Kind: String, Sendable, Codable { case prepaid, bill }

    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase

    public let id: Int64
    /// Our unique reference, sent to Flowix as `ref_id`.
    public let refId: String
    public let userId: Int64
    public let kind: Kind
    public let productCode: String
    public let productName: String
    public let category: String
    public let brand: String
    /// Phone, meter or customer number.
    public let target: String
    /// What the customer pays (held from the wallet).
    public let sellPrice: Rupiah
    /// Flowix's price when the order was placed.
    public let quotedCost: Rupiah
    /// What Flowix finally charged.
    public let finalCost: Rupiah?
    /// For bills: the `inquiry_id` from `/bill/check`.
    public let inquiryId: String?
    public let status: ProgressStatus
    public let sn: String?
    public let note: String?
    public let createdAt: Int64
    public let updatedAt: Int64
    /// When Flowix's status endpoint first said it does not know the reference (Unix time),
    /// counting from the last time it did know it; `nil` when it has not said so.
    public let notFoundSince: Int64?
    /// How many status checks in a row said "not found".
    public let notFoundChecks: Int
    /// The price Flowix stated before settling (a create answered `processing` with its price).
    public let flowixPrice: Rupiah?
    /// How many times the create was sent again under the same reference.
    public let resends: Int
    /// For bills: what the check said, for the receipt (`nil` for orders from before v6).
    public let billCustomerName: String?
    public let billPeriod: String?
    public let billAmount: Rupiah?
    public let billAdminFee: Rupiah?
}

/// What a bill check said about the bill being paid, kept with the order for its receipt.
public struct BillDetails: Sendable, Equatable {
    public var customerName: String?
    public var period: String?
    public var amount: Rupiah
    public var adminFee: Rupiah

    public init(customerName: String?, period: String?, amount: Rupiah, adminFee: Rupiah) {
        self.customerName = customerName
        self.period = period
        self.amount = amount
        self.adminFee = adminFee
    }
}

/// What the bot knows when a customer presses Beli or Bayar.
public struct NewOrder: Sendable, Equatable {
    public var refID: String
    public var userID: Int64
    public var kind: Order.Kind
    public var productCode: String
    public var productName: String
    public var category: String
    public var brand: String
    public var target: String
    public var sellPrice: Rupiah
    public var quotedCost: Rupiah
    public var inquiryID: String?
    public var bill: BillDetails?

    public init(refID: String, userID: Int64, kind: Order.Kind, productCode: String, productName: String,
                category: String = "", brand: String = "", target: String, sellPrice: Rupiah, quotedCost: Rupiah,
                inquiryID: String? = nil, bill: BillDetails? = nil) {
        self.refID = refID
        self.userID = userID
        self.kind = kind
        self.productCode = productCode
        self.productName = productName
        self.category = category
        self.brand = brand
        self.target = target
        self.sellPrice = sellPrice
        self.quotedCost = quotedCost
        self.inquiryID = inquiryID
        self.bill = bill
    }
}
