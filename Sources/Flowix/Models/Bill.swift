import Money

/// The answer of `POST /bill/check`: a postpaid bill ready to be paid.
public struct BillInquiry: Sendable, Equatable, Decodable {
    /// Pass this to `/bill/pay`; it is also the payment's reference.
    public let inquiryID: String
    public let customerName: String
    public let customerNo: String
    /// The billing period, e.g. `2023-10`.
    public let period: String?
    public let adminFee: Rupiah
    public let billAmount: Rupiah

    enum CodingKeys: String, CodingKey {
        case inquiryID = "inquiry_id", customerName = "customer_name", customerNo = "customer_no"
        case period, adminFee = "admin_fee", billAmount = "bill_amount"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard let inquiry = try c.decodeIdentifierIfPresent(forKey: .inquiryID), !inquiry.isEmpty else {
            throw DecodingError.keyNotFound(CodingKeys.inquiryID, .init(codingPath: c.codingPath, debugDescription: "no inquiry_id"))
        }
        inquiryID = inquiry
        customerName = try c.decode(String.self, forKey: .customerName)
        customerNo = try c.decodeIdentifierIfPresent(forKey: .customerNo) ?? ""
        period = try c.decodeIdentifierIfPresent(forKey: .period)
        adminFee = try c.decode(Rupiah.self, forKey: .adminFee)
        billAmount = try c.decode(Rupiah.self, forKey: .billAmount)
    }

    /// Bill plus admin fee: what Flowix will charge us.
    public var total: Rupiah? { billAmount.adding(adminFee) }
}

/// The answer of `POST /bill/pay`.
public struct BillPayment: Sendable, Equatable, Decodable {
    public let trxID: String?
    /// The payment's reference (Flowix uses the inquiry id).
    public let refID: String
    public let status: FlowixStatus
    public let sn: String?

    enum CodingKeys: String, CodingKey { case trxID = "trx_id", status, sn }

    public init(from decoder: any Decoder) throws {
        refID = try decoder.decodeReference()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        trxID = try c.decodeIdentifierIfPresent(forKey: .trxID)
        status = try c.decode(FlowixStatus.self, forKey: .status)
        sn = try c.decodeIdentifierIfPresent(forKey: .sn).flatMap { $0.isEmpty ? nil : $0 }
    }
}
