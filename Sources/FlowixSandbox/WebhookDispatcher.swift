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
    private var sink: WebhookSink?
    private(set) var deliveries: [WebhookDelivery] = []
    private var inFlight = 0
    private var idleWaiters: [CheckedContinuation<Void, Never>] = []

    init(configuration: SandboxConfiguration) {
        self.configuration = configuration
        secret = WebhookSecret(configuration.webhookSecret)
        url = configuration.webhookURL
    }

    func setURL(_ url: String?) { self.url = url }

    func setSink(_ sink: WebhookSink?) { self.sink = sink }

    /// Where one delivery goes, fixed when it is sent: the sink when there is one, else the URL.
    private enum Target {
        case sink(WebhookSink)
        case url(String)
    }

    /// Records the delivery and sends it in the background.
    func send(eventID: String, eventType: String, refID: String, body: [UInt8]) {
        let index = deliveries.count
        deliveries.append(WebhookDelivery(eventID: eventID, eventType: eventType, refID: refID, body: body, attempts: []))
        let target: Target
        if let sink { target = .sink(sink) } else if let url { target = .url(url) } else { return }
        inFlight += 1
        Task { await self.deliver(index: index, to: target) }
    }

    private func deliver(index: Int, to target: Target) async {
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
            let status = await attempt(delivery.body, headers: headers, to: target)
            deliveries[index].attempts.append(status)
            if let status, status / 100 == 2 { break }
        }
        inFlight -= 1
        if inFlight == 0 {
            idleWaiters.forEach { $0.resume() }
            idleWaiters.removeAll()
        }
    }

    /// One delivery attempt; `nil` when the connection failed.
    private func attempt(_ body: [UInt8], headers: [String: String], to target: Target) async -> Int? {
        let url: String
        switch target {
        case .sink(let sink): return await sink(headers, body)
        case .url(let address): url = address
        }
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
