import Flowix
import Telegram

/// The outside parties a running bot talks to, as values: Flowix and the Telegram Bot API.
/// Production speaks HTTP to both (``live(_:flowixTimeout:)``); tests and the simulation
/// hand in values answered in memory.
public struct LoketClients: Sendable {
    public var flowix: FlowixAPI
    public var telegram: TelegramAPI

    public init(flowix: FlowixAPI, telegram: TelegramAPI) {
        self.flowix = flowix
        self.telegram = telegram
    }

    /// Both over HTTP, to the addresses and with the credentials configured.
    public static func live(_ configuration: LoketConfiguration, flowixTimeout: Duration) -> LoketClients {
        let credentials = FlowixCredentials(apiKey: configuration.flowixAPIKey, merchantID: configuration.flowixMerchantID)
        return LoketClients(
            flowix: .live(configuration: FlowixConfiguration(baseURL: configuration.flowixBaseURL, credentials: credentials,
                                                             timeout: flowixTimeout)),
            telegram: .live(token: configuration.telegramToken, baseURL: configuration.telegramAPIURL, httpClient: telegramHTTPClient))
    }

    /// One pooled HTTP client for every bot in the process, kept for its lifetime.
    static let telegramHTTPClient = TelegramTransport.makeHTTPClient()
}
