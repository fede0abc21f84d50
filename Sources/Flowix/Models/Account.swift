import Money

/// `GET /account`: the merchant account at Flowix.
public struct Account: Sendable, Equatable, Decodable {
    public let username: String
    public let email: String?
    public let phone: String?
    public let level: String?
    /// The merchant balance that purchases and payouts draw on.
    public let balance: Rupiah
    public let balanceLimit: Rupiah?
    public let currency: String?
    /// `active` for a working account.
    public let status: String
    public let kyc: String?
    public let verified: Bool?
    public let joinedAt: FlowixTimestamp?
    public let lastActive: FlowixTimestamp?

    enum CodingKeys: String, CodingKey {
        case username, email, phone, level, balance, currency, status, kyc, verified
        case balanceLimit = "balance_limit", joinedAt = "joined_at", lastActive = "last_active"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        username = try c.decode(String.self, forKey: .username)
        email = try c.decodeNonEmptyStringIfPresent(forKey: .email)
        phone = try c.decodeIdentifierIfPresent(forKey: .phone)
        level = try c.decodeNonEmptyStringIfPresent(forKey: .level)
        balance = try c.decode(Rupiah.self, forKey: .balance)
        balanceLimit = try c.decodeIfPresent(Rupiah.self, forKey: .balanceLimit)
        currency = try c.decodeNonEmptyStringIfPresent(forKey: .currency)
        status = try c.decode(String.self, forKey: .status)
        kyc = try c.decodeNonEmptyStringIfPresent(forKey: .kyc)
        verified = c.contains(.verified) && (try? c.decodeNil(forKey: .verified)) == false
            ? try c.decodeLenientBool(forKey: .verified) : nil
        joinedAt = try c.decodeIfPresent(FlowixTimestamp.self, forKey: .joinedAt)
        lastActive = try c.decodeIfPresent(FlowixTimestamp.self, forKey: .lastActive)
    }

    /// `true` when Flowix reports the account as usable.
    public var isActive: Bool { status.lowercased() == "active" }
}
