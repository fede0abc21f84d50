import Foundation
import Metrics
import NIOCore
import Prometheus

/// The bot's counters, exposed at `GET /metrics` in the Prometheus text format.
///
/// Built with swift-metrics on a swift-prometheus factory that each runtime owns, so nothing
/// global is bootstrapped and tests can run several bots in one process.
public struct LoketMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let updates: Metrics.Counter
    let quarantined: Metrics.Counter
    let messagesSent: Metrics.Counter
    let rateLimited: Metrics.Counter
    let blockedChats: Metrics.Counter
    let webhookRejected: Metrics.Counter
    let webhookAccepted: Metrics.Counter
    let reconcilerBacklog: Metrics.Gauge
    let ledgerWrites: Metrics.Timer
    private let factory: PrometheusMetricsFactory

    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [.milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
                                                   .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .seconds(1)]
        self.factory = factory
        updates = Metrics.Counter(label: "loket_updates_handled_total", factory: factory)
        quarantined = Metrics.Counter(label: "loket_updates_quarantined_total", factory: factory)
        messagesSent = Metrics.Counter(label: "loket_messages_sent_total", factory: factory)
        rateLimited = Metrics.Counter(label: "loket_telegram_rate_limited_total", factory: factory)
        blockedChats = Metrics.Counter(label: "loket_telegram_blocked_chats_total", factory: factory)
        webhookRejected = Metrics.Counter(label: "loket_webhook_verifications_failed_total", factory: factory)
        webhookAccepted = Metrics.Counter(label: "loket_webhooks_accepted_total", factory: factory)
        reconcilerBacklog = Metrics.Gauge(label: "loket_reconciler_backlog", factory: factory)
        ledgerWrites = Metrics.Timer(label: "loket_ledger_write_seconds", factory: factory)
    }

    /// Counts a purchase reaching `status` (`held`, `success`, `failed`, `unknown`).
    func purchase(_ status: String) {
        Metrics.Counter(label: "loket_purchases_total", dimensions: [("status", status)], factory: factory).increment()
    }

    /// Times a ledger write.
    func timeWrite<T>(_ body: () async throws -> T) async rethrows -> T {
        let start = ContinuousClock.now
        defer {
            let (seconds, attoseconds) = (ContinuousClock.now - start).components
            ledgerWrites.recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        }
        return try await body()
    }

    /// The Prometheus text exposition.
    public func exposition() -> String {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}
