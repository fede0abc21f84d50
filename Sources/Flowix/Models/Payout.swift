import Money

/// A bank or e-wallet that payouts can go to (`GET /payout/banks`).
public struct PayoutBank: Sendable, Equatable, Decodable {
    public let code: String
    public let name: String
    /// `bank` or `ewallet`.
    public let type: String

    enum CodingKeys: String, CodingKey { case code, name, type }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        code = try c.decode(String.self, forKey: .code)
        name = try c.decode(String.self, forKey: .name)
        type = try c.decodeIfPresent(String.self, forKey: .type) ?? "bank"
    }

    /// `true` for e-wallets (DANA, OVO, GoPay, …).
    public var isEWallet: Bool { type.lowercased() == "ewallet" || type.lowercased() == "e-wallet" }
}

/// The answer of `POST /payout/inquiry`: the holder of an account.
public struct PayoutAccount: Sendable, Equatable, Decodable {
    public let accountName: String
    public let accountNumber: String
    public let bankCode: String

    enum CodingKeys: String, CodingKey {
        case accountName = "account_name", accountNumber = "account_number", bankCode = "bank_code"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        accountName = try c.decode(String.self, forKey: .accountName)
        accountNumber = try c.decodeIdentifierIfPresent(forKey: .accountNumber) ?? ""
        bankCode = try c.decodeIfPresent(String.self, forKey: .bankCode) ?? ""
    }
}

/// The answer of `POST /payout/create`.
public struct PayoutReceipt: Sendable, Equatable, Decodable {
    public let refID: String
    public let status: FlowixStatus

    enum CodingKeys: String, CodingKey { case status }

    public init(from decoder: any Decoder) throws {
        refID = try decoder.decodeReference()
        status = try decoder.container(keyedBy: CodingKeys.self).decode(FlowixStatus.self, forKey: .status)
    }
}

/// The answer of `/payout/status`.
public struct PayoutStatus: Sendable, Equatable, Decodable {
    public let refID: String
    public let method: String?
    public let bankName: String?
    public let accountNumber: String?
    public let accountName: String?
    public let amount: Rupiah
    /// The fee Flowix actually charged.
    public let fee: Rupiah
    /// Amount plus fee, taken from the merchant balance.
    public let totalDeduction: Rupiah?
    public let status: FlowixStatus
    public let note: String?
    public let createdAt: FlowixTimestamp?

    enum CodingKeys: String, CodingKey {
        case method, amount, fee, status, note
        case bankName = "bank_name", accountNumber = "account_number", accountName = "account_name"
        case totalDeduction = "total_deduction", createdAt = "created_at"
    }

    public init(from decoder: any Decoder) throws {
        refID = try decoder.decodeReference()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        method = try c.decodeNonEmptyStringIfPresent(forKey: .method)
        bankName = try c.decodeNonEmptyStringIfPresent(forKey: .bankName)
        accountNumber = try c.decodeIdentifierIfPresent(forKey: .accountNumber)
        accountName = try c.decodeNonEmptyStringIfPresent(forKey: .accountName)
        amount = try c.decode(Rupiah.self, forKey: .amount)
        fee = try c.decode(Rupiah.self, forKey: .fee)
        totalDeduction = try c.decodeIfPresent(Rupiah.self, forKey: .totalDeduction)
        status = try c.decode(FlowixStatus.self, forKey: .status)
        note = try c.decodeNonEmptyStringIfPresent(forKey: .note)
        createdAt = try c.decodeIfPresent(FlowixTimestamp.self, forKey: .createdAt)
    }
}

/// What `POST /payout/create` sends: where the money goes, how much, and our reference.
public struct PayoutOrder: Sendable, Equatable {
    public var bankCode: String
    public var accountNumber: String
    /// The holder's name from the inquiry, when there was one.
    public var accountName: String?
    public var amount: Rupiah
    public var refID: String

    public init(bankCode: String, accountNumber: String, accountName: String?, amount: Rupiah, refID: String) {
        self.bankCode = bankCode
        self.accountNumber = accountNumber
        self.accountName = accountName
        self.amount = amount
        self.refID = refID
    }
}
