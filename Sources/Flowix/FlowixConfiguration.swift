/// Where the Flowix API is and who we are to it.
public struct FlowixConfiguration: Sendable {
    /// The API base without a trailing slash, e.g. `https://flowix.web.id/api/v1`.
    public var baseURL: String
    /// The merchant's credentials, sent as headers on every request.
    public var credentials: FlowixCredentials
    /// How long one request may take before its outcome is unknown.
    public var timeout: Duration

    /// The production API base.
    public static let productionBaseURL = "https://flowix.web.id/api/v1"

    public init(baseURL: String = FlowixConfiguration.productionBaseURL,
                credentials: FlowixCredentials,
                timeout: Duration = .seconds(15)) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.credentials = credentials
        self.timeout = timeout
    }
}

/// The API key (secret) and merchant id (identity). Printing it never shows the key.
public struct FlowixCredentials: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public let apiKey: String
    public let merchantID: String

    public init(apiKey: String, merchantID: String) {
        self.apiKey = apiKey
        self.merchantID = merchantID
    }

    public var description: String { "FlowixCredentials(merchant: \(merchantID), apiKey: <redacted>)" }
    public var debugDescription: String { description }
}
