import AsyncHTTPClient
import Flowix
import FlowixSandbox
import Foundation
import Hummingbird
import Loopback
import Money
import NIOCore

/// Runs `body` against a fresh sandbox on loopback and a client configured for it.
func withSandbox<T>(_ configuration: SandboxConfiguration = SandboxConfiguration(settlementDelay: nil),
                    clientTimeout: Duration = .seconds(5),
                    _ body: (SandboxServer, FlowixAPI) async throws -> T) async throws -> T {
    let server = try await SandboxServer.start(sandbox: FlowixSandbox(configuration: configuration))
    let client = FlowixAPI.live(configuration: FlowixConfiguration(
        baseURL: server.baseURL, credentials: configuration.credentials, timeout: clientTimeout))
    do {
        let result = try await body(server, client)
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}

/// A webhook receiver on loopback that records deliveries and answers with queued statuses
/// (200 once the queue is empty).
actor WebhookReceiver {
    struct Delivery: Sendable {
        let body: [UInt8]
        let headers: WebhookHeaders
        let eventHeader: String?
    }

    private(set) var deliveries: [Delivery] = []
    private var statuses: [Int]
    private var server: LoopbackServer?

    init(answering statuses: [Int] = []) { self.statuses = statuses }

    var url: String { "http://127.0.0.1:\(server?.port ?? 0)/webhook/flowix" }

    func start() async throws {
        let router = Router()
        router.post("/webhook/flowix") { request, _ -> Response in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            func header(_ name: String) -> String? {
                request.headers.first { $0.name.canonicalName == name.lowercased() }?.value
            }
            let status = await self.record(Delivery(
                body: Array(body.readableBytesView),
                headers: WebhookHeaders(signature: header(WebhookHeaders.signatureName),
                                        key: header(WebhookHeaders.keyName), merchant: header(WebhookHeaders.merchantName)),
                eventHeader: header(WebhookHeaders.eventName)))
            return Response(status: .init(code: status))
        }
        server = try await LoopbackServer.start(router: router, name: "webhook receiver")
    }

    func stop() async { await server?.stop() }

    private func record(_ delivery: Delivery) -> Int {
        deliveries.append(delivery)
        return statuses.isEmpty ? 200 : statuses.removeFirst()
    }
}

/// Sends a raw request, for checks the typed client cannot express (credentials in the body).
func rawRequest(_ url: String, get: Bool = false, headers: [(String, String)] = [],
                body: String? = nil) async throws -> (Int, String) {
    var request = HTTPClientRequest(url: url)
    request.method = get ? .GET : .POST
    for (name, value) in headers { request.headers.add(name: name, value: value) }
    if let body { request.body = .bytes(ByteBuffer(string: body)) }
    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
    let bytes = try await response.body.collect(upTo: 1 << 20)
    return (Int(response.status.code), String(buffer: bytes))
}
