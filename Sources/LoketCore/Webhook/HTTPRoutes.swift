import Flowix
import Foundation
import Hummingbird
import Ledger
import NIOCore

/// The HTTP surface of `loket run`: `POST /webhook/flowix`, `GET /healthz` and `GET /metrics`.
public enum HTTPRoutes {
    /// The most a webhook body may weigh; larger ones are refused with 413.
    public static let maximumWebhookBytes = 64 * 1024

    /// `metricsToken`: with it, `/metrics` also answers other hosts that send
    /// `Authorization: Bearer <token>`; it always answers loopback.
    public static func router(webhooks: FlowixWebhookHandler, health: HealthCheck, metrics: LoketMetrics,
                              metricsToken: String?) -> Router<LoketRequestContext> {
        let router = Router(context: LoketRequestContext.self)
        router.post("/webhook/flowix") { request, _ -> Response in
            var request = request
            let body: ByteBuffer
            do {
                body = try await request.collectBody(upTo: maximumWebhookBytes)
            } catch {
                return json(413, #"{"received":false,"error":"too large"}"#)
            }
            let (status, answer) = await webhooks.receive(body: Array(body.readableBytesView),
                                                          headers: WebhookHeaders { header($0, request) })
            return json(status, answer)
        }
        router.get("/healthz") { _, _ -> Response in
            await health.check() ? json(200, #"{"status":"ok"}"#) : json(503, #"{"status":"database not available"}"#)
        }
        router.get("/metrics") { request, context -> Response in
            guard context.isLoopback || bearerMatches(header("Authorization", request), metricsToken) else {
                return json(403, #"{"error":"metrics are served to loopback or with the metrics token"}"#)
            }
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                            body: .init(byteBuffer: ByteBuffer(string: metrics.exposition())))
        }
        return router
    }

    /// The value of the request's header `name` (any case).
    public static func header(_ name: String, _ request: Request) -> String? {
        request.headers.first { $0.name.canonicalName == name.lowercased() }?.value
    }

    /// `Bearer <token>` against the configured token, in constant time; never with no token set.
    static func bearerMatches(_ authorization: String?, _ token: String?) -> Bool {
        guard let token, !token.isEmpty, let authorization, authorization.hasPrefix("Bearer ") else { return false }
        return Secret.equal(String(authorization.dropFirst("Bearer ".count)), token)
    }

    static func json(_ status: Int, _ body: String) -> Response {
        Response(status: .init(code: status), headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}

/// Hummingbird's basic context plus the peer's address, so `/metrics` can tell loopback apart.
public struct LoketRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// Whether the request came from this machine.
    public var isLoopback: Bool { Self.isLoopback(remoteAddress) }

    static func isLoopback(_ address: SocketAddress?) -> Bool {
        guard let address else { return false }
        if case .unixDomainSocket = address { return true }
        guard let ip = address.ipAddress else { return false }
        return ip.hasPrefix("127.") || ip == "::1" || ip.hasPrefix("::ffff:127.")
    }
}
