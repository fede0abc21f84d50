import Foundation

/// One Bot API call, encoded: what a ``TelegramTransport`` carries.
public struct TelegramRequest: Sendable {
    /// The method name, e.g. `sendMessage`.
    public var method: String
    /// `application/json`, or `multipart/form-data; boundary=…` for an upload.
    public var contentType: String
    public var body: [UInt8]
    /// How long the whole call may take (for a long poll, more than the poll's own timeout).
    public var timeout: Duration
}

/// The Bot API's answer as it came: the HTTP status and the body.
public struct TelegramAnswer: Sendable {
    public var status: Int
    public var body: Data

    public init(status: Int, body: Data) {
        self.status = status
        self.body = body
    }
}

/// Carries a call to the Bot API and brings back its answer: over HTTP in production
/// (``http(token:baseURL:httpClient:)``), straight into a fake in tests. A transport throws
/// only ``TelegramError/network(_:)``; reading the answer is ``TelegramAPI``'s work.
public struct TelegramTransport: Sendable {
    public var exchange: @Sendable (TelegramRequest) async throws(TelegramError) -> TelegramAnswer

    public init(exchange: @escaping @Sendable (TelegramRequest) async throws(TelegramError) -> TelegramAnswer) {
        self.exchange = exchange
    }
}
