import AsyncHTTPClient
import Foundation
import Logging
import Money
import NIOCore
import NIOHTTP1

/// A typed async client for every endpoint of the Flowix API v1.
///
/// Credentials go out as the `api_key` and `merchant_id` headers; bodies are JSON. Every call
/// throws only ``FlowixError``, which separates a definitive rejection from an unknown outcome.
public struct FlowixClient: Sendable {
    public let configuration: FlowixConfiguration
    private let httpClient: HTTPClient
    private let logger: Logger

    /// The most a Flowix answer may weigh; anything larger is not the documented JSON.
    static let maximumBodyBytes = 8 * 1024 * 1024

    public init(configuration: FlowixConfiguration, httpClient: HTTPClient = .shared,
                logger: Logger = Logger(label: "loket.flowix")) {
        self.configuration = configuration
        self.httpClient = httpClient
        self.logger = logger
    }

    // MARK: Account

    /// `GET /account`: balance and status of the merchant account.
    public func account() async throws(FlowixError) -> Account {
        try await send(.GET, "/account")
    }

    // MARK: Deposits

    /// `GET /deposit/methods`: the active ways to pay a deposit.
    public func depositMethods() async throws(FlowixError) -> [DepositMethod] {
        try await send(.GET, "/deposit/methods")
    }

    /// `POST /deposit/create`. With `feeByCustomer` the customer pays the fee on top (gross up).
    public func createDeposit(amount: Rupiah, methodCode: String, feeByCustomer: Bool) async throws(FlowixError) -> DepositTicket {
        try await send(.POST, "/deposit/create", body: [
            "amount": .integer(amount.value), "method_code": .string(methodCode), "fee_by_customer": .bool(feeByCustomer),
        ])
    }

    /// `POST /deposit/status` for a deposit reference.
    public func depositStatus(refID: String) async throws(FlowixError) -> DepositStatus {
        try await send(.POST, "/deposit/status", body: ["ref_id": .string(refID)])
    }

    /// `POST /deposit/cancel`: cancels a deposit that is still pending.
    public func cancelDeposit(refID: String) async throws(FlowixError) {
        try await sendExpectingNoData(.POST, "/deposit/cancel", body: ["ref_id": .string(refID)])
    }

    // MARK: Catalogue

    /// `GET /services?type=…`: products with their current prices.
    public func services(_ type: ServiceType) async throws(FlowixError) -> ProductList {
        try await send(.GET, "/services", query: [("type", type.rawValue)])
    }

    // MARK: Purchases and bills

    /// `POST /transaction/create`: buys a prepaid product. `refID` is our idempotency key.
    public func createTransaction(serviceCode: String, target: String, refID: String) async throws(FlowixError) -> TransactionReceipt {
        try await send(.POST, "/transaction/create", body: [
            "service_code": .string(serviceCode), "target": .string(target), "ref_id": .string(refID),
        ])
    }

    /// `POST /transaction/status` for a purchase or bill payment reference.
    public func transactionStatus(refID: String) async throws(FlowixError) -> TransactionStatus {
        try await send(.POST, "/transaction/status", body: ["ref_id": .string(refID)])
    }

    /// `POST /bill/check`: looks up a postpaid bill and returns an inquiry to pay.
    public func checkBill(serviceCode: String, customerNo: String) async throws(FlowixError) -> BillInquiry {
        try await send(.POST, "/bill/check", body: [
            "service_code": .string(serviceCode), "customer_no": .string(customerNo),
        ])
    }

    /// `POST /bill/pay`: pays the bill of an earlier inquiry.
    public func payBill(serviceCode: String, customerNo: String, inquiryID: String) async throws(FlowixError) -> BillPayment {
        try await send(.POST, "/bill/pay", body: [
            "service_code": .string(serviceCode), "customer_no": .string(customerNo), "inquiry_id": .string(inquiryID),
        ])
    }

    // MARK: Payouts

    /// `GET /payout/banks`: banks and e-wallets that payouts can reach.
    public func payoutBanks() async throws(FlowixError) -> [PayoutBank] {
        try await send(.GET, "/payout/banks")
    }

    /// `POST /payout/inquiry`: checks an account and returns its holder's name.
    public func inquirePayoutAccount(bankCode: String, accountNumber: String) async throws(FlowixError) -> PayoutAccount {
        try await send(.POST, "/payout/inquiry", body: [
            "bank_code": .string(bankCode), "account_number": .string(accountNumber),
        ])
    }

    /// `POST /payout/create`: sends money out. `refID` is our idempotency key.
    public func createPayout(bankCode: String, accountNumber: String, accountName: String?,
                             amount: Rupiah, refID: String) async throws(FlowixError) -> PayoutReceipt {
        var body: [String: BodyValue] = [
            "bank_code": .string(bankCode), "account_number": .string(accountNumber),
            "amount": .integer(amount.value), "ref_id": .string(refID),
        ]
        if let accountName { body["account_name"] = .string(accountName) }
        return try await send(.POST, "/payout/create", body: body)
    }

    /// `POST /payout/status` for a payout reference.
    public func payoutStatus(refID: String) async throws(FlowixError) -> PayoutStatus {
        try await send(.POST, "/payout/status", body: ["ref_id": .string(refID)])
    }

    // MARK: Webhooks

    /// `POST /webhook/resend`: asks Flowix to deliver the webhook of a reference again.
    public func resendWebhook(refID: String) async throws(FlowixError) {
        try await sendExpectingNoData(.POST, "/webhook/resend", body: ["ref_id": .string(refID)])
    }

    // MARK: Transport

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

    private func send<Payload: Decodable>(_ method: NIOHTTP1.HTTPMethod, _ path: String, query: [(String, String)] = [],
                                          body: [String: BodyValue]? = nil) async throws(FlowixError) -> Payload {
        let (status, bytes) = try await exchange(method, path, query: query, body: body)
        return try FlowixResponse.decode(Payload.self, status: status, body: bytes, redacting: configuration.credentials.apiKey)
    }

    private func sendExpectingNoData(_ method: NIOHTTP1.HTTPMethod, _ path: String, body: [String: BodyValue]) async throws(FlowixError) {
        let (status, bytes) = try await exchange(method, path, query: [], body: body)
        try FlowixResponse.checkEnvelope(status: status, body: bytes, redacting: configuration.credentials.apiKey)
    }

    /// Sends one request and returns the HTTP status and body; a transport failure becomes an
    /// unknown outcome.
    private func exchange(_ method: NIOHTTP1.HTTPMethod, _ path: String, query: [(String, String)],
                          body: [String: BodyValue]?) async throws(FlowixError) -> (Int, Data) {
        var components = URLComponents(string: configuration.baseURL + path)
        if !query.isEmpty { components?.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) } }
        guard let url = components?.string, components?.scheme != nil else {
            throw .notSent("the Flowix base URL is not a valid URL")
        }
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "api_key", value: configuration.credentials.apiKey)
        request.headers.add(name: "merchant_id", value: configuration.credentials.merchantID)
        if let body {
            do {
                request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(body)))
            } catch {
                throw .notSent("the request body could not be encoded")
            }
            request.headers.add(name: "Content-Type", value: "application/json")
        }

        let started = ContinuousClock.now
        let status: Int
        let bytes: Data
        do {
            let response = try await httpClient.execute(request, deadline: .now() + .init(configuration.timeout))
            status = Int(response.status.code)
            bytes = Data(try await response.body.collect(upTo: Self.maximumBodyBytes).readableBytesView)
        } catch {
            logger.warning("flowix request failed", metadata: ["path": "\(path)", "error": "\(Self.classify(error))"])
            throw .outcomeUnknown(Self.classify(error))
        }
        logger.debug("flowix answered", metadata: [
            "path": "\(path)", "status": "\(status)", "elapsed": "\(ContinuousClock.now - started)",
        ])

        return (status, bytes)
    }

    static func classify(_ error: any Error) -> FlowixUnknownOutcome {
        if error is NIOTooManyBytesError {
            return .invalidResponse(status: 200, reason: "the body was larger than \(maximumBodyBytes) bytes")
        }
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout: return .timeout
            case .bodyLengthMismatch: return .invalidResponse(status: 200, reason: "the body was cut short")
            default: return .connection(String(describing: error))
            }
        }
        if error is CancellationError { return .connection("cancelled") }
        return .connection(String(describing: type(of: error)))
    }

}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
