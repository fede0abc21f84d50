import Foundation

// The knobs that make the sandbox answer the way a real H2H supplier sometimes does: refusing a
// repeated reference, lagging behind on its status endpoints, rate-limiting, charging something
// else than it listed, dropping a create. Each is a ``SandboxConfiguration`` field (in force from
// the start) and a setter on ``FlowixSandbox`` (to turn it on or off mid-test). The rules are in
// README.md ("Faults on request").

/// How a create (`/transaction/create`, `/bill/pay`, `/payout/create`) answers a reference it
/// already has. `nil` in ``SandboxConfiguration/duplicateRefusal`` keeps the documented
/// behaviour: the record made the first time is returned, and nothing is charged again.
///
/// The presets' messages carry no hint when the code says it all, so each way of saying
/// "reference already used" can be tested on its own; ``custom(httpStatus:code:message:)``
/// builds any other refusal (`code: nil` leaves the body's `code` out).
public enum DuplicateRefusal: Sendable, Equatable {
    /// HTTP 409, body `code` 409, message `Permintaan ditolak.`
    case http409
    /// HTTP 200, body `{"success":false,"code":409,"message":"Permintaan ditolak."}`
    case bodyCode409
    /// HTTP 200, body `{"success":false,"code":400,"message":"Ref ID sudah digunakan"}`
    case bodyInHTTP200
    /// HTTP 400, body `{"success":false,"code":400,"message":"Ref ID sudah digunakan"}`
    case bodyInHTTP400
    case custom(httpStatus: Int, code: Int?, message: String)

    /// A message that says nothing about why; only the status and code do.
    public static let neutralMessage = "Permintaan ditolak."
    /// What Flowix-like suppliers say for a reused reference.
    public static let duplicateMessage = "Ref ID sudah digunakan"

    var refusal: (httpStatus: Int, code: Int?, message: String) {
        switch self {
        case .http409: return (409, 409, Self.neutralMessage)
        case .bodyCode409: return (200, 409, Self.neutralMessage)
        case .bodyInHTTP200: return (200, 400, Self.duplicateMessage)
        case .bodyInHTTP400: return (400, 400, Self.duplicateMessage)
        case .custom(let httpStatus, let code, let message): return (httpStatus, code, message)
        }
    }
}

/// How a rate-limited call is answered (``FlowixSandbox/rateLimit(next:paths:answer:)``).
public enum RateLimitAnswer: Sendable, Equatable {
    /// HTTP 429, body `code` 429, message `Permintaan ditolak.`
    case http429
    /// HTTP 200, body `{"success":false,"code":429,"message":"Permintaan ditolak."}`
    case bodyCode429
    case custom(httpStatus: Int, code: Int?, message: String)

    var refusal: (httpStatus: Int, code: Int?, message: String) {
        switch self {
        case .http429: return (429, 429, DuplicateRefusal.neutralMessage)
        case .bodyCode429: return (200, 429, DuplicateRefusal.neutralMessage)
        case .custom(let httpStatus, let code, let message): return (httpStatus, code, message)
        }
    }
}

/// For how long `/transaction/status` and `/payout/status` say "not found" about a transaction
/// or payout that exists (a status endpoint that lags behind the create).
public enum StatusLag: Sendable, Equatable {
    /// They know every record at once.
    case none
    /// "Not found" until this long after the record was created.
    case after(Duration)
    /// The first `n` status requests for each reference answer "not found".
    case checks(Int)
}

/// How a status endpoint says it does not know a reference — for references it really does not
/// know and for those hidden by a ``StatusLag`` alike.
public enum NotFoundAnswer: Sendable, Equatable {
    /// HTTP 404, body `code` 404, `Transaksi tidak ditemukan.` / `Payout tidak ditemukan.`
    case http404
    /// HTTP 200 with the same body (`success: false`, `code: 404`).
    case bodyInHTTP200
}

/// How a dropped create is answered: it is recorded in ``FlowixSandbox/requests`` but never
/// applied, so nothing exists under its reference and nothing is charged.
public enum DroppedCreateAnswer: Sendable, Equatable {
    /// HTTP 500, as a crashing back end would.
    case serverError
    /// An nginx-style HTML page with HTTP 502.
    case htmlPage
    /// HTTP 504, only after ``SandboxConfiguration/slowAnswerDelay`` (a client timeout when that is
    /// longer than the client waits).
    case timeout
}

/// Which knob produced an answer (``SandboxExchange/fault``).
public enum SandboxFault: String, Sendable, Equatable {
    /// A repeated reference refused (``DuplicateRefusal``).
    case duplicateRefusal
    /// A call rate-limited (``RateLimitAnswer``).
    case rateLimited
    /// A record hidden by the ``StatusLag``.
    case statusLag
    /// A create dropped (``DroppedCreateAnswer``).
    case droppedCreate
    /// A status replaced by ``FlowixSandbox/reportStatus(_:for:)``.
    case reportedStatus
}

/// One request and the answer the sandbox gave it (before any delay), for tests that check
/// what a client was told. The body is read only when asked.
public struct SandboxExchange: Sendable {
    public let request: RecordedRequest
    /// The HTTP status of the answer.
    public let httpStatus: Int
    /// The exact body sent.
    public let body: [UInt8]
    /// The knob that produced this answer; `nil` for the sandbox's ordinary rules (including the
    /// target-suffix scenarios).
    public let fault: SandboxFault?
    /// When the answer was decided.
    public let answeredAt: Date

    init(request: RecordedRequest, reply: SandboxReply) {
        self.request = request
        httpStatus = reply.status
        body = reply.body
        fault = reply.fault
        answeredAt = Date()
    }

    private var object: [String: Any]? { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] }

    /// The body's `success`; `nil` when absent or not JSON.
    public var success: Bool? { object?["success"] as? Bool }
    /// The body's `code`; `nil` when absent or not JSON.
    public var code: Int? { (object?["code"] as? NSNumber)?.intValue }
    /// The body's `message`; `nil` when absent or not JSON.
    public var message: String? { object?["message"] as? String }
    /// `data.status` when the answer has one.
    public var status: String? { (object?["data"] as? [String: Any])?["status"] as? String }

    /// The request's `ref_id` (body or query), or `inquiry_id` for `/bill/pay`.
    public var refID: String? {
        request.bodyFields["ref_id"] ?? request.query["ref_id"] ?? request.bodyFields["inquiry_id"] ?? request.query["inquiry_id"]
    }

    /// `true` for a refusal (`success: false`) or an answer that is not the JSON envelope.
    public var isRefusal: Bool { success != true }
}

/// A rule of ``FlowixSandbox/rateLimit(next:paths:answer:)`` or
/// ``FlowixSandbox/dropCreates(next:paths:answer:)``: the next `remaining` calls to `paths`
/// (`nil`: any path; `remaining == nil`: every call until cleared).
struct CallRule<Answer: Sendable>: Sendable {
    var paths: Set<String>?
    var remaining: Int?
    var answer: Answer

    func matches(_ path: String) -> Bool { (paths?.contains(path) ?? true) && remaining.map { $0 > 0 } ?? true }
}
