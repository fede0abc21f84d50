import Money

/// A verified Flowix webhook: the envelope `id`, `event`, `timestamp` and its typed `data`.
public struct WebhookEvent: Sendable, Equatable, Decodable {
    /// Flowix's event id, used to de-duplicate deliveries.
    public let id: String
    /// The event type as sent, e.g. `transaction.status`.
    public let type: String
    /// Unix seconds, when present.
    public let timestamp: Int?
    public let payload: Payload

    /// The typed content of an event.
    public enum Payload: Sendable, Equatable {
        case transaction(TransactionUpdate)
        case deposit(DepositUpdate)
        case payout(PayoutUpdate)
        /// An event type Loket does not handle; reported, never a crash.
        case unknown
    }

    enum CodingKeys: String, CodingKey { case id, event, timestamp, data }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard let id = try c.decodeIdentifierIfPresent(forKey: .id), !id.isEmpty else {
            throw DecodingError.keyNotFound(CodingKeys.id, .init(codingPath: [], debugDescription: "no event id"))
        }
        self.id = id
        type = try c.decode(String.self, forKey: .event)
        timestamp = try c.decodeLenientIntIfPresent(forKey: .timestamp)
        switch type {
        case "transaction.status": payload = .transaction(try c.decode(TransactionUpdate.self, forKey: .data))
        case "deposit.status": payload = .deposit(try c.decode(DepositUpdate.self, forKey: .data))
        case "payout.status": payload = .payout(try c.decode(PayoutUpdate.self, forKey: .data))
        default: payload = .unknown
        }
    }
}

/// `transaction.status` data: a purchase or bill payment changed state.
public struct TransactionUpdate: Sendable, Equatable, Decodable {
    public let refID: String
    public let product: String?
    public let target: String?
    public let status: FlowixStatus
    public let sn: String?
    public let note: String?
    public let price: Rupiah?

    enum CodingKeys: String, CodingKey { case product, target, status, sn, note, price }

    public init(from decoder: any Decoder) throws {
        refID = try decoder.decodeReference()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        product = try c.decodeNonEmptyStringIfPresent(forKey: .product)
        target = try c.decodeIdentifierIfPresent(forKey: .target)
        status = try c.decode(FlowixStatus.self, forKey: .status)
        sn = try c.decodeIdentifierIfPresent(forKey: .sn).flatMap { $0.isEmpty ? nil : $0 }
        note = try c.decodeNonEmptyStringIfPresent(forKey: .note)
        price = try c.decodeIfPresent(Rupiah.self, forKey: .price)
    }
}

/// `deposit.status` data. The amount is a hint: a wallet is credited only with the amount
/// `/deposit/status` confirms.
public struct DepositUpdate: Sendable, Equatable, Decodable {
    public let refID: String
    public let status: DepositState
    public let amountReceived: Rupiah?

    enum CodingKeys: String, CodingKey { case status, amountReceived = "amount_received" }

    public init(from decoder: any Decoder) throws {
        refID = try decoder.decodeReference()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        status = try c.decode(DepositState.self, forKey: .status)
        amountReceived = try c.decodeIfPresent(Rupiah.self, forKey: .amountReceived)
    }
}

/// `payout.status` data.
public struct PayoutUpdate: Sendable, Equatable, Decodable {
    public let refID: String
    public let status: FlowixStatus
    public let note: String?
    public let amount: Rupiah?
    public let fee: Rupiah?

    enum CodingKeys: String, CodingKey { case status, note, amount, fee }

    public init(from decoder: any Decoder) throws {
        refID = try decoder.decodeReference()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        status = try c.decode(FlowixStatus.self, forKey: .status)
        note = try c.decodeNonEmptyStringIfPresent(forKey: .note)
        amount = try c.decodeIfPresent(Rupiah.self, forKey: .amount)
        fee = try c.decodeIfPresent(Rupiah.self, forKey: .fee)
    }
}
