import Foundation

/// One Flowix request, encoded: what a ``FlowixTransport`` carries. Printed, it never shows
/// the API key.
public struct FlowixRequest: Sendable, CustomStringConvertible {
    /// `GET` or `POST`.
    public var method: String
    /// The endpoint's path below the API base, e.g. `/transaction/create`.
    public var path: String
    public var query: [(String, String)]
    /// The header fields, credentials included.
    public var headers: [(String, String)]
    /// The JSON body, if any.
    public var body: [UInt8]?
    /// How long the request may take before its outcome is unknown.
    public var timeout: Duration

    public var description: String {
        let names = headers.map { $0.0.lowercased() == "api_key" ? "api_key: <redacted>" : "\($0.0): \($0.1)" }
        return "\(method) \(path) [\(names.joined(separator: ", "))]"
    }
}

/// Flowix's answer as it came: the HTTP status and the body.
public struct FlowixAnswer: Sendable {
    public var status: Int
    public var body: Data

    public init(status: Int, body: Data) {
        self.status = status
        self.body = body
    }
}

/// Carries a request to Flowix and brings back its answer: over HTTP in production
/// (``http(baseURL:httpClient:logger:)``), straight into a sandbox in tests.
///
/// A transport that cannot tell whether Flowix received the request throws
/// ``FlowixError/outcomeUnknown(_:)``; it never reads the answer's meaning.
public struct FlowixTransport: Sendable {
    public var exchange: @Sendable (FlowixRequest) async throws(FlowixError) -> FlowixAnswer

    public init(exchange: @escaping @Sendable (FlowixRequest) async throws(FlowixError) -> FlowixAnswer) {
        self.exchange = exchange
    }
}
