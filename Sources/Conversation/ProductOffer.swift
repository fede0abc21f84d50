import Money

/// What the shop sells, as the menu groups it.
public enum Category: String, Sendable, Codable, CaseIterable {
    case pulsa
    case data
    case emoney
    case game
    case pln
    case bill

    /// What the product is sent to.
    public var targetKind: TargetKind {
        switch self {
        case .pulsa, .data, .emoney: return .phone
        case .game: return .gameID
        case .pln: return .plnMeter
        case .bill: return .pdam
        }
    }
}

/// A product as one customer sees it: with the sell price for their level.
public struct ProductOffer: Sendable, Codable, Equatable {
    public var code: String
    public var name: String
    public var category: Category
    public var brand: String
    /// What this customer pays; `nil` for bills, whose amount comes from the inquiry.
    public var sellPrice: Rupiah?
    public var isAvailable: Bool

    public init(code: String, name: String, category: Category, brand: String, sellPrice: Rupiah?, isAvailable: Bool = true) {
        self.code = code
        self.name = name
        self.category = category
        self.brand = brand
        self.sellPrice = sellPrice
        self.isAvailable = isAvailable
    }

    /// What a bill product is sent to, from its brand.
    public var targetKind: TargetKind {
        guard category == .bill else { return category.targetKind }
        switch brand.uppercased() {
        case "PLN": return .plnMeter
        case "BPJS": return .bpjs
        default: return .pdam
        }
    }

    /// The face value in the product's name (`Telkomsel 10.000` → 10000), for free-text matching.
    public var nominal: Int64? {
        let words = name.split(whereSeparator: { $0 == " " })
        for word in words.reversed() {
            if case .success(let amount) = AmountParser.parse(String(word)) { return amount.value }
        }
        return nil
    }
}

/// A deposit method as the bot offers it.
public struct DepositOption: Sendable, Codable, Equatable {
    public var code: String
    public var name: String
    public var minimum: Rupiah
    public var maximum: Rupiah
    /// The fee for a given amount is computed by the service; this is the fixed part shown.
    public var fee: Rupiah
    public var isQRIS: Bool

    public init(code: String, name: String, minimum: Rupiah, maximum: Rupiah, fee: Rupiah, isQRIS: Bool) {
        self.code = code
        self.name = name
        self.minimum = minimum
        self.maximum = maximum
        self.fee = fee
        self.isQRIS = isQRIS
    }
}

/// A bank or e-wallet payouts can go to.
public struct BankOption: Sendable, Codable, Equatable {
    public var code: String
    public var name: String
    public var isEWallet: Bool

    public init(code: String, name: String, isEWallet: Bool) {
        self.code = code
        self.name = name
        self.isEWallet = isEWallet
    }
}
