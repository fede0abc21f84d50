import AsyncHTTPClient
import NIOCore

/// Posts raw webhook deliveries to the bot, as an attacker or a replaying proxy would.
enum WebhookPoster {
    static func post(port: Int, body: [UInt8], headers: [(String, String)]) async throws -> Int {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/webhook/flowix")
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        _ = try? await response.body.collect(upTo: 1 << 16)
        return Int(response.status.code)
    }
}
