import AsyncHTTPClient
import Foundation
import Logging
import Money

/// Every endpoint of the Flowix API v1 as a value: one `@Sendable` closure per endpoint.
///
/// ``live(configuration:httpClient:logger:)`` speaks HTTP; ``init(credentials:timeout:transport:)``
/// builds the same encoding and decoding over any transport (the sandbox answers in memory);
/// a test may replace one closure to script one answer. Every call throws only
/// ``FlowixError``, which separates a definitive rejection from an unknown outcome.
public struct FlowixAPI: Sendable {
    /// How long one request may take before its outcome is unknown (the reconciler waits past
    /// it before it sends a create again).
    public var timeout: Duration
    /// `GET /account`: balance and status of the merchant account.
    public var account: @Sendable () async throws(FlowixError) -> Account
    /// `GET /deposit/methods`: the active ways to pay a deposit.
    public var depositMethods: @Sendable () async throws(FlowixError) -> [DepositMethod]
    /// `POST /deposit/create`. With `feeByCustomer` the customer pays the fee on top (gross up).
    public var createDeposit: @Sendable (_ amount: Rupiah, _ methodCode: String, _ feeByCustomer: Bool) async throws(FlowixError) -> DepositTicket
    /// `POST /deposit/status` for a deposit reference.
    public var depositStatus: @Sendable (_ refID: String) async throws(FlowixError) -> DepositStatus
    /// `POST /deposit/cancel`: cancels a deposit that is still pending.
    public var cancelDeposit: @Sendable (_ refID: String) async throws(FlowixError) -> Void
    /// `GET /services?type=…`: products with their current prices.
    public var services: @Sendable (_ type: ServiceType) async throws(FlowixError) -> ProductList
    /// `POST /transaction/create`: buys a prepaid product. `refID` is our idempotency key.
    public var createTransaction: @Sendable (_ serviceCode: String, _ target: String, _ refID: String) async throws(FlowixError) -> TransactionReceipt
    /// `POST /transaction/status` for a purchase or bill payment reference.
    public var transactionStatus: @Sendable (_ refID: String) async throws(FlowixError) -> TransactionStatus
    /// `POST /bill/check`: looks up a postpaid bill and returns an inquiry to pay.
    public var checkBill: @Sendable (_ serviceCode: String, _ customerNo: String) async throws(FlowixError) -> BillInquiry
    /// `POST /bill/pay`: pays the bill of an earlier inquiry.
    public var payBill: @Sendable (_ serviceCode: String, _ customerNo: String, _ inquiryID: String) async throws(FlowixError) -> BillPayment
    /// `GET /payout/banks`: banks and e-wallets that payouts can reach.
    public var payoutBanks: @Sendable () async throws(FlowixError) -> [PayoutBank]
    /// `POST /payout/inquiry`: checks an account and returns its holder's name.
    public var inquirePayoutAccount: @Sendable (_ bankCode: String, _ accountNumber: String) async throws(FlowixError) -> PayoutAccount
    /// `POST /payout/create`: sends money out. The order's `refID` is our idempotency key.
    public var createPayout: @Sendable (_ order: PayoutOrder) async throws(FlowixError) -> PayoutReceipt
    /// `POST /payout/status` for a payout reference.
    public var payoutStatus: @Sendable (_ refID: String) async throws(FlowixError) -> PayoutStatus
    /// `POST /webhook/resend`: asks Flowix to deliver the webhook of a reference again.
    public var resendWebhook: @Sendable (_ refID: String) async throws(FlowixError) -> Void

    /// The endpoints over HTTP, as configured.
    public static func live(configuration: FlowixConfiguration, httpClient: HTTPClient = .shared,
                            logger: Logger = Logger(label: "loket.flowix")) -> FlowixAPI {
        FlowixAPI(credentials: configuration.credentials, timeout: configuration.timeout,
                  transport: .http(baseURL: configuration.baseURL, httpClient: httpClient, logger: logger))
    }

    /// The endpoints encoded as the reference describes and carried by `transport`.
    public init(credentials: FlowixCredentials, timeout: Duration = .seconds(15), transport: FlowixTransport) {
        self.timeout = timeout
        let call = FlowixCall(credentials: credentials, timeout: timeout, transport: transport)
        account = { () async throws(FlowixError) in try await call.send("GET", "/account") }
        depositMethods = { () async throws(FlowixError) in try await call.send("GET", "/deposit/methods") }
        createDeposit = { (amount, methodCode, feeByCustomer) async throws(FlowixError) in
            try await call.send("POST", "/deposit/create", body: [
                "amount": .integer(amount.value), "method_code": .string(methodCode), "fee_by_customer": .bool(feeByCustomer),
            ])
        }
        depositStatus = { (refID) async throws(FlowixError) in try await call.send("POST", "/deposit/status", body: ["ref_id": .string(refID)]) }
        cancelDeposit = { (refID) async throws(FlowixError) in try await call.sendExpectingNoData("/deposit/cancel", body: ["ref_id": .string(refID)]) }
        services = { (type) async throws(FlowixError) in try await call.send("GET", "/services", query: [("type", type.rawValue)]) }
        createTransaction = { (serviceCode, target, refID) async throws(FlowixError) in
            try await call.send("POST", "/transaction/create", body: [
                "service_code": .string(serviceCode), "target": .string(target), "ref_id": .string(refID),
            ])
        }
        transactionStatus = { (refID) async throws(FlowixError) in
            try await call.send("POST", "/transaction/status", body: ["ref_id": .string(refID)])
        }
        checkBill = { (serviceCode, customerNo) async throws(FlowixError) in
            try await call.send("POST", "/bill/check", body: ["service_code": .string(serviceCode), "customer_no": .string(customerNo)])
        }
        payBill = { (serviceCode, customerNo, inquiryID) async throws(FlowixError) in
            try await call.send("POST", "/bill/pay", body: [
                "service_code": .string(serviceCode), "customer_no": .string(customerNo), "inquiry_id": .string(inquiryID),
            ])
        }
        payoutBanks = { () async throws(FlowixError) in try await call.send("GET", "/payout/banks") }
        inquirePayoutAccount = { (bankCode, accountNumber) async throws(FlowixError) in
            try await call.send("POST", "/payout/inquiry", body: ["bank_code": .string(bankCode), "account_number": .string(accountNumber)])
        }
        createPayout = { (order) async throws(FlowixError) in
            var body: [String: FlowixCall.BodyValue] = [
                "bank_code": .string(order.bankCode), "account_number": .string(order.accountNumber),
                "amount": .integer(order.amount.value), "ref_id": .string(order.refID),
            ]
            if let accountName = order.accountName { body["account_name"] = .string(accountName) }
            return try await call.send("POST", "/payout/create", body: body)
        }
        payoutStatus = { (refID) async throws(FlowixError) in try await call.send("POST", "/payout/status", body: ["ref_id": .string(refID)]) }
        resendWebhook = { (refID) async throws(FlowixError) in try await call.sendExpectingNoData("/webhook/resend", body: ["ref_id": .string(refID)]) }
    }
}

/// Encodes one endpoint's request, hands it to the transport and reads the envelope.
struct FlowixCall: Sendable {
    let credentials: FlowixCredentials
    let timeout: Duration
    let transport: FlowixTransport

    /// A JSON body value; Flowix bodies are flat objects of strings, integers and booleans.
    enum BodyValue: Encodable {
        case string(String)
        case integer(Int64)
        case bool(Bool)

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .string(let value): try container.encode(value)
            case .integer(let value): try container.encode(value)
            case .bool(let value): try container.encode(value)
            }
        }
    }

    func send<Payload: Decodable>(_ method: String, _ path: String, query: [(String, String)] = [],
                                  body: [String: BodyValue]? = nil) async throws(FlowixError) -> Payload {
        let answer = try await transport.exchange(request(method, path, query: query, body: body))
        return try FlowixResponse.decode(Payload.self, status: answer.status, body: answer.body, redacting: credentials.apiKey)
    }

    func sendExpectingNoData(_ path: String, body: [String: BodyValue]) async throws(FlowixError) {
        let answer = try await transport.exchange(request("POST", path, query: [], body: body))
        try FlowixResponse.checkEnvelope(status: answer.status, body: answer.body, redacting: credentials.apiKey)
    }

    private func request(_ method: String, _ path: String, query: [(String, String)],
                         body: [String: BodyValue]?) throws(FlowixError) -> FlowixRequest {
        var headers = [("Accept", "application/json"), ("api_key", credentials.apiKey), ("merchant_id", credentials.merchantID)]
        var bytes: [UInt8]?
        if let body {
            do {
                bytes = Array(try JSONEncoder().encode(body))
            } catch {
                throw .notSent("the request body could not be encoded")
            }
            headers.append(("Content-Type", "application/json"))
        }
        return FlowixRequest(method: method, path: path, query: query, headers: headers, body: bytes, timeout: timeout)
    }
}
