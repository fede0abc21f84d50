import AsyncHTTPClient
import Foundation
import NIOCore

extension TelegramTransport {
    /// Calls go to `{baseURL}/bot{token}/{method}`. The token never appears in an error.
    public static func http(token: String, baseURL: String = "https://api.telegram.org",
                            httpClient: HTTPClient = .shared) -> TelegramTransport {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        return TelegramTransport { [base] (call: TelegramRequest) async throws(TelegramError) -> TelegramAnswer in
            var request = HTTPClientRequest(url: "\(base)/bot\(token)/\(call.method)")
            request.method = .POST
            request.headers.add(name: "Content-Type", value: call.contentType)
            request.body = .bytes(ByteBuffer(bytes: call.body))
            do {
                let response = try await httpClient.execute(request, timeout: .init(call.timeout))
                return TelegramAnswer(status: Int(response.status.code),
                                      body: Data(try await response.body.collect(upTo: 16 * 1024 * 1024).readableBytesView))
            } catch {
                let text = String(describing: error)
                throw .network(token.isEmpty ? text : text.replacingOccurrences(of: token, with: "<token>"))
            }
        }
    }

    /// An HTTP client sized for a bot: enough connections to the Bot API for a burst of replies
    /// to many chats at once (the shared client allows only a few per host).
    public static func makeHTTPClient(connections: Int = 64) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
        configuration.timeout = .init(connect: .seconds(10))
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
