import Foundation
import Money

/// The customer a conversation is with, as the services know them right now.
public struct Customer: Sendable, Equatable {
    public var id: Int64
    public var firstName: String
    /// `member` or `reseller`.
    public var level: String
    public var isAdmin: Bool
    /// Whether their level may withdraw (`/tarik`).
    public var canWithdraw: Bool
    public var balance: Rupiah
    /// Whether they set a transaction PIN, and whether too many wrong ones locked it.
    public var pin: PINState

    public init(id: Int64, firstName: String, level: String = "member", isAdmin: Bool = false, canWithdraw: Bool = false,
                balance: Rupiah = .zero, pin: PINState = .none) {
        self.id = id
        self.firstName = firstName
        self.level = level
        self.isAdmin = isAdmin
        self.canWithdraw = canWithdraw
        self.balance = balance
        self.pin = pin
    }
}

/// A customer's transaction PIN, as the conversation may know it (never the PIN itself).
public enum PINState: Sendable, Equatable {
    case none
    case set
    /// Three wrong PINs: protected actions wait until then.
    case locked(until: Date)
}

/// The owner's limits on balance transfers between members.
public struct TransferLimits: Sendable, Equatable {
    public var minimum: Rupiah
    public var maximum: Rupiah
    /// What one member may send in one WIB day, all transfers together.
    public var daily: Rupiah

    public init(minimum: Rupiah, maximum: Rupiah, daily: Rupiah) {
        self.minimum = minimum
        self.maximum = maximum
        self.daily = daily
    }

    public static let standard = TransferLimits(minimum: Rupiah(1_000)!, maximum: Rupiah(5_000_000)!, daily: Rupiah(10_000_000)!)
}

/// A purchase the customer made recently, for the "transaksi ganda?" check.
public struct RecentPurchase: Sendable, Equatable {
    public var productCode: String
    public var target: String
    public var at: Date

    public init(productCode: String, target: String, at: Date) {
        self.productCode = productCode
        self.target = target
        self.at = at
    }
}

/// Everything the conversation may know besides what the user typed: the clock, the customer,
/// the catalogue with their prices, and the strings. The conversation never fetches any of it.
public struct ConversationContext: Sendable {
    public var now: Date
    public var customer: Customer
    public var language: Language
    public var strings: LocaleStrings
    public var products: [ProductOffer]
    public var recentPurchases: [RecentPurchase]
    public var depositOptions: [DepositOption]
    public var banks: [BankOption]
    public var payoutFee: Rupiah
    public var payoutMinimum: Rupiah
    /// How long a session may sit idle before its buttons stop working.
    public var sessionTimeout: TimeInterval
    /// What the owner closed and the daily cut-offs: purchases are refused before any money moves.
    public var hours: ShopHours
    /// Purchases and bills above this need the PIN (`LOKET_PIN_ABOVE`); `nil`: none do.
    /// Payouts and transfers always do.
    public var pinAbove: Rupiah?
    public var transferLimits: TransferLimits
    /// The Telegram message the input came from: the one typed, or the one whose button was pressed.
    public var messageID: Int64?

    public init(now: Date, customer: Customer, language: Language, strings: LocaleStrings, products: [ProductOffer],
                recentPurchases: [RecentPurchase] = [], depositOptions: [DepositOption] = [], banks: [BankOption] = [],
                payoutFee: Rupiah = Rupiah(2_500)!, payoutMinimum: Rupiah = Rupiah(10_000)!, sessionTimeout: TimeInterval = 15 * 60,
                hours: ShopHours = ShopHours(), pinAbove: Rupiah? = nil, transferLimits: TransferLimits = .standard,
                messageID: Int64? = nil) {
        self.now = now
        self.customer = customer
        self.language = language
        self.strings = strings
        self.products = products
        self.recentPurchases = recentPurchases
        self.depositOptions = depositOptions
        self.banks = banks
        self.payoutFee = payoutFee
        self.payoutMinimum = payoutMinimum
        self.sessionTimeout = sessionTimeout
        self.hours = hours
        self.pinAbove = pinAbove
        self.transferLimits = transferLimits
        self.messageID = messageID
    }

    /// The text for `key` in the customer's language.
    func text(_ key: String, _ values: [String: String] = [:]) -> String {
        strings.text(key, language, values)
    }

    /// Rupiah in the customer's language.
    func money(_ amount: Rupiah) -> String { strings.money(amount, language) }

    /// Free text read against this shop: its vocabulary, its banks and its catalogue's brands.
    func read(_ text: String) -> Utterance {
        Utterance.read(text, vocabulary: strings.vocabulary, banks: banks.map(\.code), catalogue: products)
    }

    func product(_ code: String) -> ProductOffer? {
        products.first { $0.code.caseInsensitiveCompare(code) == .orderedSame }
    }
}
