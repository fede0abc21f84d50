import Flowix
import Foundation

extension FlowixSandbox {
    /// The Flowix API answered by this sandbox in memory: the same encoding, envelopes, faults
    /// and records as over HTTP, without a socket.
    public nonisolated func api(timeout: Duration = .seconds(15)) -> FlowixAPI {
        FlowixAPI(credentials: configuration.credentials, timeout: timeout, transport: transport)
    }

    /// Carries requests into ``handle(_:)``. A reply slower than the request's timeout ends as
    /// a timeout after the sandbox acted, as it would over HTTP.
    public nonisolated var transport: FlowixTransport {
        FlowixTransport { [self] (request: FlowixRequest) async throws(FlowixError) -> FlowixAnswer in
            var headers: [String: String] = [:]
            for (name, value) in request.headers { headers[name.lowercased()] = value }
            var query: [String: String] = [:]
            for (name, value) in request.query { query[name] = value }
            let recorded = RecordedRequest(method: request.method, path: request.path, headers: headers, query: query,
                                           body: request.body ?? [])
            let reply = await handle(recorded)
            if let delay = reply.delay {
                let waited = min(delay, request.timeout)
                do {
                    try await Task.sleep(for: waited)
                } catch {
                    Task { await self.recordAnswer(to: recorded) }
                    throw .outcomeUnknown(.connection("cancelled"))
                }
                if delay >= request.timeout {
                    Task {
                        try? await Task.sleep(for: delay - waited)
                        await self.recordAnswer(to: recorded)
                    }
                    throw .outcomeUnknown(.timeout)
                }
            }
            await recordAnswer(to: recorded)
            return FlowixAnswer(status: reply.status, body: Data(reply.body))
        }
    }

    /// Delivers webhooks to `sink` in memory instead of posting them to a URL; it answers with
    /// the HTTP status the bot's server would give. `nil`: back to the URL, if any.
    public func setWebhookSink(_ sink: WebhookSink?) async { await webhooks.setSink(sink) }
}

/// Takes a webhook's header fields and body as a bot's server would, and returns its HTTP status.
public typealias WebhookSink = @Sendable (_ headers: [String: String], _ body: [UInt8]) async -> Int
