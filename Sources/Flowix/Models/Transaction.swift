import Money

/// The answer of `POST /transaction/create`.
public struct TransactionReceipt: Sendable, Equatable, Decodable {
    /// Flowix's own id for the transaction.
    public let trxID: String?
    /// Our reference, echoed back.
    public let refID: String
    public let status: FlowixStatus
    /// What Flowix charged us.
    public let price: Rupiah
    /// The serial number (voucher code, token), once there is one.
    public let sn: String?

    enum CodingKeys: String, CodingKey { case trxID = "trx_id", status, price, sn }

    public init(from decoder: any Decoder) throws {
        refID = try decoder.decodeReference()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        trxID = try c.decodeIdentifierIfPresent(forKey: .trxID)
        status = try c.decode(FlowixStatus.self, forKey: .status)
        price = try c.decode(Rupiah.self, forKey: .price)
        sn = try c.decodeIdentifierIfPresent(forKey: .sn).flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// The answer of `/transaction/status`, for prepaid purchases and bill payments alike.
public struct TransactionStatus: Sendable, Equatable, Decodable {
    public let refID: String
    public let product: String?
    public let target: String?
    public let price: Rupiah?
    public let status: FlowixStatus
    public let sn: String?
    public let note: String?
    public let createdAt: FlowixTimestamp?

    enum CodingKeys: String, CodingKey {
        case product, target, price, status, sn, note
        case createdAt = "created_at"
    }

    public init(from decoder: any Decoder) throws {
        refID = try decoder.decodeReference()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        product = try c.decodeNonEmptyStringIfPresent(forKey: .product)
        target = try c.decodeIdentifierIfPresent(forKey: .target)
        price = try c.decodeIfPresent(Rupiah.self, forKey: .price)
        status = try c.decode(FlowixStatus.self, forKey: .status)
        sn = try c.decodeIdentifierIfPresent(forKey: .sn).flatMap { $0.isEmpty ? nil : $0 }
        note = try c.decodeNonEmptyStringIfPresent(forKey: .note)
        createdAt = try c.decodeIfPresent(FlowixTimestamp.self, forKey: .createdAt)
    }
}
