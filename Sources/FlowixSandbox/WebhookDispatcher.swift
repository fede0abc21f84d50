import AsyncHTTPClient
import Flowix
import Foundation
import NIOCore

/// Delivers signed webhooks the way Flowix does: a POST with the `X-Flowix-*` headers,
/// retried on a non-2xx answer or a connection failure.
actor WebhookDispatcher {
    private let configuration: SandboxConfiguration
    private let secret: WebhookSecret
    private var url: String?
    private(set) var deliveries: [WebhookDelivery] = []
    private var inFlight = 0
    private var idleWaiters: [CheckedContinuation<Void, Never>] = []

    init(configuration: SandboxConfiguration) {
        self.configuration = configuration
        secret = WebhookSecret(configuration.webhookSecret)
        url = configuration.webhookURL
    }

    func setURL(_ url: String?) { self.url = url }

    /// Records the delivery and sends it in the background.
    func send(eventID: String, eventType: String, refID: String, body: [UInt8]) {
        let index = deliveries.count
        deliveries.append(WebhookDelivery(eventID: eventID, eventType: eventType, refID: refID, body: body, attempts: []))
        guard let url else { return }
        inFlight += 1
        Task { await self.deliver(index: index, to: url) }
    }

    private func deliver(index: Int, to url: String) async {
        let delivery = deliveries[index]
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: WebhookHeaders.signatureName, value: secret.signature(of: delivery.body))
        request.headers.add(name: WebhookHeaders.keyName, value: configuration.credentials.apiKey)
        request.headers.add(name: WebhookHeaders.merchantName, value: configuration.credentials.merchantID)
        request.headers.add(name: WebhookHeaders.eventName, value: delivery.eventType)
        request.body = .bytes(ByteBuffer(bytes: delivery.body))
        let pauses: [Duration?] = [nil] + configuration.webhookRetryDelays.map { $0 }
        for pause in pauses {
            if let pause { try? await Task.sleep(for: pause) }
            var status: Int?
            do {
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
                status = Int(response.status.code)
                _ = try? await response.body.collect(upTo: 64 * 1024)
            } catch {
                status = nil
            }
            deliveries[index].attempts.append(status)
            if let status, status / 100 == 2 { break }
        }
        inFlight -= 1
        if inFlight == 0 {
            idleWaiters.forEach { $0.resume() }
            idleWaiters.removeAll()
        }
    }

    func waitUntilIdle() async {
        if inFlight == 0 { return }
        await withCheckedContinuation { idleWaiters.append($0) }
    }
}
