import Logging
import ServiceLifecycle

/// Syncs the catalogue at start-up and every interval (default 10 minutes) until shutdown.
public struct CatalogueSync: Service {
    let catalogue: ShopCatalogue
    let interval: Duration

    public init(catalogue: ShopCatalogue, interval: Duration = .seconds(600)) {
        self.catalogue = catalogue
        self.interval = interval
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully {
            await catalogue.sync()
            try? await cancelWhenGracefulShutdown { [interval] in try await Task.sleep(for: interval) }
        }
    }
}
