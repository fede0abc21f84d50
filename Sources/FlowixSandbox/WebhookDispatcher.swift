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
    private var receiver: WebhookSink?
    private(set) var deliveries: [WebhookDelivery] = []
    private var inFlight = 0
    private var idleWaiters: [CheckedContinuation<Void, Never>] = []

    init(configuration: SandboxConfiguration) {
        self.configuration = configuration
        secret = WebhookSecret(configuration.webhookSecret)
        url = configuration.webhookURL
    }

    func setURL(_ url: String?) { self.url = url }

    func setReceiver(_ receiver: WebhookSink?) { self.receiver = receiver }

    /// Records the delivery and sends it in the background.
    func send(eventID: String, eventType: String, refID: String, body: [UInt8]) {
        let index = deliveries.count
        deliveries.append(WebhookDelivery(eventID: eventID, eventType: eventType, refID: refID, body: body, attempts: []))
        guard url != nil || receiver != nil else { return }
        inFlight += 1
        Task { await self.deliver(index: index) }
    }

    private func deliver(index: Int) async {
        let delivery = deliveries[index]
        let headers = [
            "Content-Type": "application/json",
            WebhookHeaders.signatureName: secret.signature(of: delivery.body),
            WebhookHeaders.keyName: configuration.credentials.apiKey,
            WebhookHeaders.merchantName: configuration.credentials.merchantID,
            WebhookHeaders.eventName: delivery.eventType,
        ]
        let pauses: [Duration?] = [nil] + configuration.webhookRetryDelays.map { $0 }
        for pause in pauses {
            if let pause { try? await Task.sleep(for: pause) }
            let status = await attempt(delivery.body, headers: headers)
            deliveries[index].attempts.append(status)
            if let status, status / 100 == 2 { break }
        }
        inFlight -= 1
        if inFlight == 0 {
            idleWaiters.forEach { $0.resume() }
            idleWaiters.removeAll()
        }
    }

    /// One delivery attempt: to the receiver when there is one, else over HTTP; `nil` when
    /// the connection failed.
    private func attempt(_ body: [UInt8], headers: [String: String]) async -> Int? {
        if let receiver { return await receiver(headers, body) }
        guard let url else { return nil }
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            _ = try? await response.body.collect(upTo: 64 * 1024)
            return Int(response.status.code)
        } catch {
            return nil
        }
    }

    func waitUntilIdle() async {
        if inFlight == 0 { return }
        await withCheckedContinuation { idleWaiters.append($0) }
    }
}
