/// A failed Bot API call, classified by what the caller should do about it.
public enum TelegramError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 401: the token is wrong. Stop with one clear line.
    case unauthorized(String)
    /// 409: another instance is polling (or a webhook is set). Stop with one clear line.
    case conflict(String)
    /// 429: wait `retryAfter` seconds, then try again.
    case rateLimited(retryAfter: Int)
    /// 403: the user blocked the bot (or the bot was removed); final for that chat.
    case forbidden(String)
    /// 400 "message is not modified": harmless.
    case notModified
    /// Any other 4xx: the request itself is wrong; retrying will not help.
    case badRequest(code: Int, description: String)
    /// 5xx: retry with backoff.
    case serverError(status: Int, description: String)
    /// No answer (timeout, refused or dropped connection): retry with backoff.
    case network(String)
    /// An answer that is not the Bot API envelope: retry with backoff.
    case invalidResponse(String)

    /// Whether waiting and sending the same request again may succeed.
    public var isRetryable: Bool {
        switch self {
        case .rateLimited, .serverError, .network, .invalidResponse: return true
        default: return false
        }
    }

    public var description: String {
        switch self {
        case .unauthorized(let text): return "Telegram rejected the bot token (401: \(text))"
        case .conflict(let text): return "another bot instance is polling with this token (409: \(text))"
        case .rateLimited(let seconds): return "Telegram rate limit, retry after \(seconds) s"
        case .forbidden(let text): return "forbidden (403: \(text))"
        case .notModified: return "message is not modified"
        case .badRequest(let code, let text): return "bad request (\(code): \(text))"
        case .serverError(let status, let text): return "Telegram server error (\(status): \(text))"
        case .network(let text): return "network error: \(text)"
        case .invalidResponse(let text): return "unreadable answer: \(text)"
        }
    }
}
