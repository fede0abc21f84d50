import Foundation
import Ledger
import Logging
import ServiceLifecycle

/// Keeps the database from growing without bound: every interval it prunes history older than
/// the retention (sent outbox messages with their QR images, webhook event ids) and truncates
/// the WAL.
public struct LedgerMaintenance: Service {
    let ledger: Ledger
    let retention: TimeInterval
    let interval: Duration
    let clock: @Sendable () -> Date
    let logger: Logger

    public init(ledger: Ledger, retentionDays: Int, interval: Duration = .seconds(3_600), clock: @escaping @Sendable () -> Date = { Date() },
                logger: Logger = Logger(label: "loket.maintenance")) {
        self.ledger = ledger
        retention = TimeInterval(retentionDays) * 86_400
        self.interval = interval
        self.clock = clock
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully {
            try? await cancelWhenGracefulShutdown { [interval] in try await Task.sleep(for: interval) }
            guard !Task.isShuttingDownGracefully else { break }
            await tidy()
        }
    }

    /// One pass: prune, then truncate the WAL.
    @discardableResult
    public func tidy() async -> PruneReport? {
        do {
            let report = try await ledger.prune(before: clock().addingTimeInterval(-retention))
            try await ledger.checkpoint()
            if report.outboxRows + report.webhookEvents > 0 {
                logger.info("pruned history", metadata: ["outbox_rows": "\(report.outboxRows)", "webhook_events": "\(report.webhookEvents)"])
            }
            return report
        } catch {
            logger.warning("maintenance pass failed; will try again", metadata: ["error": "\(error)"])
            return nil
        }
    }
}
