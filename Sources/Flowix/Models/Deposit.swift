import Money

/// One active way to pay a deposit (`GET /deposit/methods`).
public struct DepositMethod: Sendable, Equatable, Decodable {
    public let code: String
    public let name: String
    /// `qris`, `bank`, `ewallet`, `va`, …
    public let type: String
    public let minAmount: Rupiah
    public let maxAmount: Rupiah
    /// The fixed part of the fee.
    public let fee: Rupiah
    /// The proportional part of the fee.
    public let feePercent: Percentage
    public let image: String?

    enum CodingKeys: String, CodingKey {
        case code, name, type, fee, image
        case minAmount = "min_amount", maxAmount = "max_amount", feePercent = "fee_percent"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        code = try c.decode(String.self, forKey: .code)
        name = try c.decode(String.self, forKey: .name)
        type = try c.decodeIfPresent(String.self, forKey: .type) ?? ""
        minAmount = try c.decode(Rupiah.self, forKey: .minAmount)
        maxAmount = try c.decode(Rupiah.self, forKey: .maxAmount)
        fee = try c.decode(Rupiah.self, forKey: .fee)
        feePercent = try c.decodeIfPresent(Percentage.self, forKey: .feePercent) ?? Percentage(basisPoints: 0)
        image = try c.decodeNonEmptyStringIfPresent(forKey: .image)
        guard minAmount <= maxAmount else {
            throw DecodingError.dataCorruptedError(forKey: .maxAmount, in: c, debugDescription: "max_amount is below min_amount")
        }
    }

    /// `true` for QRIS methods, which the bot offers first.
    public var isQRIS: Bool { type.lowercased() == "qris" || code.uppercased().hasPrefix("QRIS") }
}

/// How to pay a deposit: a QRIS payload, a virtual account or a bank transfer.
public struct PaymentData: Sendable, Equatable, Decodable {
    public struct QR: Sendable, Equatable, Decodable {
        /// A hosted image of the code; Loket renders its own from ``string``.
        public let image: String?
        /// The EMVCo QRIS payload to encode.
        public let string: String
    }

    public let qr: QR?
    public let payURL: String?
    public let vaNumber: String?
    public let bankAccount: String?
    public let bankName: String?
    public let accountName: String?

    enum CodingKeys: String, CodingKey {
        case qr
        case payURL = "pay_url", vaNumber = "va_number", bankAccount = "bank_account"
        case bankName = "bank_name", accountName = "account_name"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        qr = try c.decodeIfPresent(QR.self, forKey: .qr)
        payURL = try c.decodeNonEmptyStringIfPresent(forKey: .payURL)
        vaNumber = try c.decodeIdentifierIfPresent(forKey: .vaNumber)
        bankAccount = try c.decodeIdentifierIfPresent(forKey: .bankAccount)
        bankName = try c.decodeNonEmptyStringIfPresent(forKey: .bankName)
        accountName = try c.decodeNonEmptyStringIfPresent(forKey: .accountName)
    }
}

/// The answer of `POST /deposit/create`: a ticket to pay.
public struct DepositTicket: Sendable, Equatable, Decodable {
    /// Flowix's reference for the deposit (`DEP-…`).
    public let refID: String
    public let amountRequest: Rupiah
    /// What the customer must pay (request plus fee when the customer bears it).
    public let amountTotal: Rupiah
    /// What the merchant balance will receive.
    public let amountReceived: Rupiah
    public let feeCharged: Rupiah
    public let expiredAt: FlowixTimestamp?
    public let paymentData: PaymentData

    enum CodingKeys: String, CodingKey {
        case amountRequest = "amount_request", amountTotal = "amount_total"
        case amountReceived = "amount_received", feeCharged = "fee_charged"
        case expiredAt = "expired_at", paymentData = "payment_data"
    }

    public init(from decoder: any Decoder) throws {
        refID = try decoder.decodeReference()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        amountRequest = try c.decode(Rupiah.self, forKey: .amountRequest)
        amountTotal = try c.decode(Rupiah.self, forKey: .amountTotal)
        amountReceived = try c.decode(Rupiah.self, forKey: .amountReceived)
        feeCharged = try c.decode(Rupiah.self, forKey: .feeCharged)
        expiredAt = try c.decodeIfPresent(FlowixTimestamp.self, forKey: .expiredAt)
        paymentData = try c.decode(PaymentData.self, forKey: .paymentData)
    }
}

/// The answer of `/deposit/status`.
public struct DepositStatus: Sendable, Equatable, Decodable {
    public let refID: String
    public let method: String?
    public let type: String?
    /// What the customer was asked to pay.
    public let amountBilling: Rupiah
    /// What reached the merchant balance; this is what a wallet is credited with.
    public let amountReceived: Rupiah
    public let fee: Rupiah?
    public let status: DepositState
    public let qrString: String?
    public let payURL: String?
    public let createdAt: FlowixTimestamp?
    public let expiredAt: FlowixTimestamp?
    public let paidAt: FlowixTimestamp?

    enum CodingKeys: String, CodingKey {
        case method, type, fee, status
        case amountBilling = "amount_billing", amountReceived = "amount_received"
        case paymentDetails = "payment_details"
        case createdAt = "created_at", expiredAt = "expired_at", paidAt = "paid_at"
    }

    enum DetailKeys: String, CodingKey {
        case qrString = "qr_string", payURL = "pay_url"
    }

    public init(from decoder: any Decoder) throws {
        refID = try decoder.decodeReference()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        method = try c.decodeNonEmptyStringIfPresent(forKey: .method)
        type = try c.decodeNonEmptyStringIfPresent(forKey: .type)
        amountBilling = try c.decode(Rupiah.self, forKey: .amountBilling)
        amountReceived = try c.decode(Rupiah.self, forKey: .amountReceived)
        fee = try c.decodeIfPresent(Rupiah.self, forKey: .fee)
        status = try c.decode(DepositState.self, forKey: .status)
        if c.contains(.paymentDetails), try !c.decodeNil(forKey: .paymentDetails) {
            let details = try c.nestedContainer(keyedBy: DetailKeys.self, forKey: .paymentDetails)
            qrString = try details.decodeNonEmptyStringIfPresent(forKey: .qrString)
            payURL = try details.decodeNonEmptyStringIfPresent(forKey: .payURL)
        } else {
            qrString = nil
            payURL = nil
        }
        createdAt = try c.decodeIfPresent(FlowixTimestamp.self, forKey: .createdAt)
        expiredAt = try c.decodeIfPresent(FlowixTimestamp.self, forKey: .expiredAt)
        paidAt = try c.decodeIfPresent(FlowixTimestamp.self, forKey: .paidAt)
    }
}
