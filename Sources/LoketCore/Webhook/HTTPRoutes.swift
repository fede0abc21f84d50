import Flowix
import Foundation
import Hummingbird
import Ledger
import NIOCore

/// The HTTP surface of `loket run`: `POST /webhook/flowix`, `GET /healthz` and `GET /metrics`.
public enum HTTPRoutes {
    /// The most a webhook body may weigh; larger ones are refused with 413.
    public static let maximumWebhookBytes = 64 * 1024

    public static func router(webhooks: FlowixWebhookHandler, ledger: Ledger, metrics: LoketMetrics) -> Router<BasicRequestContext> {
        let router = Router()
        router.post("/webhook/flowix") { request, _ -> Response in
            var request = request
            let body: ByteBuffer
            do {
                body = try await request.collectBody(upTo: maximumWebhookBytes)
            } catch {
                return json(413, #"{"received":false,"error":"too large"}"#)
            }
            func header(_ name: String) -> String? {
                request.headers.first { $0.name.canonicalName == name.lowercased() }?.value
            }
            let (status, answer) = await webhooks.receive(body: Array(body.readableBytesView), headers: WebhookHeaders(
                signature: header(WebhookHeaders.signatureName), key: header(WebhookHeaders.keyName),
                merchant: header(WebhookHeaders.merchantName)))
            return json(status, answer)
        }
        router.get("/healthz") { _, _ -> Response in
            do {
                try await ledger.probeWrite()
                return json(200, #"{"status":"ok"}"#)
            } catch {
                return json(503, #"{"status":"database not writable"}"#)
            }
        }
        router.get("/metrics") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                     body: .init(byteBuffer: ByteBuffer(string: metrics.exposition())))
        }
        return router
    }

    static func json(_ status: Int, _ body: String) -> Response {
        Response(status: .init(code: status), headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
