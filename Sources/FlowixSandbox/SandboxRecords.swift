import Flowix
import Foundation
import Money

/// One HTTP request the sandbox received, kept so tests can assert on what a client sent.
public struct RecordedRequest: Sendable {
    public let method: String
    public let path: String
    /// Header names are lowercased.
    public let headers: [String: String]
    public let query: [String: String]
    public let body: [UInt8]
    /// When the request arrived.
    public let receivedAt: Date

    init(method: String, path: String, headers: [String: String], query: [String: String], body: [UInt8], receivedAt: Date = Date()) {
        self.method = method
        self.path = path
        self.headers = headers
        self.query = query
        self.body = body
        self.receivedAt = receivedAt
    }

    /// The body as a flat JSON object of strings (numbers and booleans spelled out), or empty.
    public var bodyFields: [String: String] { RequestFields(body: body).strings }
}

/// A webhook the sandbox sent (or tried to send).
public struct WebhookDelivery: Sendable {
    public let eventID: String
    public let eventType: String
    public let refID: String
    /// The exact bytes POSTed and signed.
    public let body: [UInt8]
    /// HTTP status of each attempt; `nil` for a connection failure.
    public internal(set) var attempts: [Int?]
    /// `true` once an attempt got a 2xx answer.
    public var delivered: Bool { attempts.contains { ($0 ?? 0) / 100 == 2 } }
}

/// A prepaid purchase or a bill payment as Flowix keeps it.
struct SandboxTransaction {
    let trxID: Int
    let refID: String
    let productCode: String
    let productName: String
    let target: String
    let price: Rupiah
    let createdAt: Date
    let scenario: SandboxScenario
    var status: FlowixStatus = .processing
    var sn: String?
    var note: String?
}

/// A deposit ticket.
struct SandboxDeposit {
    let refID: String
    let methodCode: String
    let methodType: String
    let amountRequest: Rupiah
    let amountTotal: Rupiah
    let amountReceived: Rupiah
    let fee: Rupiah
    let qrString: String
    let createdAt: Date
    let expiresAt: Date
    var status: DepositState = .pending
    var paidAt: Date?
}

/// A payout.
struct SandboxPayout {
    let refID: String
    let bankCode: String
    let bankName: String
    let accountNumber: String
    let accountName: String
    let amount: Rupiah
    let fee: Rupiah
    let createdAt: Date
    let scenario: SandboxScenario
    var status: FlowixStatus = .processing
    var note: String?
}

/// A bill looked up by `/bill/check`, waiting for `/bill/pay`.
struct SandboxBill {
    let inquiryID: String
    let serviceCode: String
    let customerNo: String
    let customerName: String
    let period: String
    let billAmount: Rupiah
    let adminFee: Rupiah
}

/// The fields of a request body, read loosely: Flowix accepts numbers as strings and vice versa.
struct RequestFields {
    let strings: [String: String]

    init(body: [UInt8]) {
        guard !body.isEmpty,
              let object = try? JSONDecoder().decode([String: Field].self, from: Data(body))
        else {
            strings = [:]
            return
        }
        strings = object.compactMapValues(\.text)
    }

    private enum Field: Decodable {
        case text(String?)
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let value = try? container.decode(String.self) { self = .text(value) }
            else if let value = try? container.decode(Int64.self) { self = .text(String(value)) }
            else if let value = try? container.decode(Bool.self) { self = .text(value ? "true" : "false") }
            else { self = .text(nil) }
        }
        var text: String? { if case .text(let value) = self { return value } else { return nil } }
    }
}

/// What Flowix did under one reference, for checking a shop's books against.
public struct SandboxOutcome: Sendable {
    public enum Kind: Sendable { case transaction, payout, deposit }

    public let kind: Kind
    /// `success`, `processing`, `failed`, `pending`, `expired`, `cancelled`.
    public let status: String
    /// The price charged, the payout amount plus fee, or the deposit amount received.
    public let amount: Rupiah
}
