/// What went wrong with a Flowix call, split by what it means for money.
///
/// A ``rejected(_:)`` error is a definitive answer: Flowix understood the request and refused it,
/// so nothing was bought and a hold may be released. An ``outcomeUnknown(_:)`` error means the
/// request may or may not have taken effect; callers keep money held and ask the status endpoint
/// later. Descriptions never contain the API key or the webhook secret.
public enum FlowixError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Flowix answered definitively that it did not do what was asked.
    case rejected(FlowixRejection)
    /// The request may have been applied; only a later status check can tell.
    case outcomeUnknown(FlowixUnknownOutcome)
    /// The request was never sent because it could not be built (for example a malformed base URL).
    case notSent(String)

    /// `true` for a definitive refusal.
    public var isRejection: Bool {
        if case .rejected = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .rejected(let rejection): return "Flowix rejected the request: \(rejection)"
        case .outcomeUnknown(let reason): return "Flowix outcome unknown: \(reason)"
        case .notSent(let reason): return "Flowix request not sent: \(reason)"
        }
    }
}

/// Flowix's own account of why it refused a request.
public struct FlowixRejection: Sendable, Equatable, CustomStringConvertible {
    /// The HTTP status of the answer.
    public let httpStatus: Int
    /// The envelope's `code`, when it had one.
    public let code: Int?
    /// The envelope's `message`, as Flowix wrote it (Indonesian or English).
    public let message: String

    public init(httpStatus: Int, code: Int?, message: String) {
        self.httpStatus = httpStatus
        self.code = code
        self.message = message
    }

    public var description: String {
        "HTTP \(httpStatus)" + (code.map { ", code \($0)" } ?? "") + ": \(message)"
    }
}

/// Why the outcome of a request is unknown.
public enum FlowixUnknownOutcome: Sendable, Equatable, CustomStringConvertible {
    /// No answer within the configured timeout.
    case timeout
    /// The connection failed or dropped.
    case connection(String)
    /// Flowix answered with an HTTP 5xx status.
    case serverError(status: Int)
    /// The answer was not the documented JSON (an HTML page, a truncated body, a missing field).
    case invalidResponse(status: Int, reason: String)

    public var description: String {
        switch self {
        case .timeout: return "no answer before the timeout"
        case .connection(let reason): return "connection failed (\(reason))"
        case .serverError(let status): return "server error HTTP \(status)"
        case .invalidResponse(let status, let reason): return "unreadable answer (HTTP \(status)): \(reason)"
        }
    }
}
