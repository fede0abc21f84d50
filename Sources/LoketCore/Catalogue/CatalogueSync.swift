import Foundation
import Logging
import ServiceLifecycle

/// Syncs the catalogue at start-up and every interval (default 10 minutes) until shutdown, and
/// tells the admins when it has kept failing for longer than ``CatalogueHealth/alertAfter``.
public struct CatalogueSync: Service {
    let catalogue: ShopCatalogue
    let interval: Duration
    let alerts: AdminAlerts
    let alertAfter: TimeInterval
    let clock: @Sendable () -> Date
    let logger: Logger

    public init(catalogue: ShopCatalogue, interval: Duration = .seconds(600), alerts: AdminAlerts, alertAfter: TimeInterval = 3600,
                clock: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "loket.catalogue")) {
        self.logger = logger
        self.catalogue = catalogue
        self.interval = interval
        self.alerts = alerts
        self.alertAfter = alertAfter
        self.clock = clock
    }

    public func run() async throws {
        var health = CatalogueHealth(alertAfter: alertAfter)
        while !Task.isShuttingDownGracefully {
            await syncOnce(&health)
            try? await cancelWhenGracefulShutdown { [interval] in try await Task.sleep(for: interval) }
        }
    }

    /// One sync, and the alert its result calls for.
    public func syncOnce(_ health: inout CatalogueHealth) async {
        let report = await catalogue.sync()
        switch health.record(failed: !report.failures.isEmpty, at: clock()) {
        case .none:
            return
        case .alert(let since):
            let minutes = Int(clock().timeIntervalSince(since) / 60)
            do {
                try await alerts.raise("alert.catalogueFailing", [
                    "minutes": "\(minutes)", "failures": report.failures.map { $0.prefix { $0 != ":" } }.joined(separator: ", "),
                ], key: "catalogue-failing:\(Int(since.timeIntervalSince1970))")
                health.alertSent()
            } catch {
                logger.error("could not queue the catalogue alert; trying after the next sync", metadata: ["error": "\(error)"])
            }
        }
    }
}
