import Conversation
import Foundation
import Hummingbird
import Ledger
import Logging
import ServiceLifecycle
import UnixSignals
import Telegram

/// `loket run` assembled: the poller, the sender, the webhook and health server, the catalogue
/// sync and the reconciler, under one service group with graceful shutdown.
public final class LoketRuntime: Sendable {
    /// Knobs tests and the demo turn; production uses the defaults.
    public struct Tuning: Sendable {
        public var poller = LongPoller.Configuration()
        public var sender = OutboxSender.Configuration()
        public var work = WorkRunner.Configuration()
        /// `nil`: derived from `LOKET_RECONCILE_SECONDS`; tests set their own.
        public var reconciler: Reconciler.Configuration?
        public var catalogueInterval: Duration = .seconds(600)
        public var flowixTimeout: Duration = .seconds(15)
        /// What every part of the runtime reads as "now" (the ledger, settlement, the reconciler,
        /// sessions, the catalogue, alerts); a simulation turns it.
        public var clock: @Sendable () -> Date = { Date() }
        /// PBKDF2 rounds for new PINs; only a simulation of thousands of PINs lowers it.
        public var pinRounds = PINHasher.standardRounds

        public init() {}
    }

    public let configuration: LoketConfiguration
    /// Every service of the bot, wired to one ledger, one Flowix and one clock.
    public let services: LoketServices
    public let sender: OutboxSender
    let telegram: TelegramAPI
    let tuning: Tuning
    let logger: Logger
    private let running = RunningGroup()

    public var ledger: Ledger { services.ledger }
    public var catalogue: ShopCatalogue { services.catalogue }
    public var processor: UpdateProcessor { services.processor }
    public var reconciler: Reconciler { services.reconciler }
    public var webhooks: FlowixWebhookHandler { services.webhooks }

    /// `clients` default to HTTP, as configured.
    public init(configuration: LoketConfiguration, strings: LocaleStrings, tuning: Tuning = Tuning(), clients: LoketClients? = nil,
                logger: Logger = Logger(label: "loket")) throws {
        self.configuration = configuration
        self.tuning = tuning
        self.logger = logger
        let clients = clients ?? .live(configuration, flowixTimeout: tuning.flowixTimeout)
        telegram = clients.telegram
        let services = try LoketServices(configuration: configuration, strings: strings, flowix: clients.flowix, tuning: tuning, logger: logger)
        self.services = services
        let metrics = services.metrics
        sender = OutboxSender(api: telegram, store: LedgerOutboxStore(ledger: services.ledger), configuration: tuning.sender) { event in
            switch event {
            case .sent: metrics.messagesSent.increment()
            case .rateLimited: metrics.rateLimited.increment()
            case .blocked: metrics.blockedChats.increment()
            case .dropped: break
            }
        }
    }

    /// Runs until SIGTERM/SIGINT (or a fatal error such as a wrong token), then lets work in
    /// flight finish. `onHTTPServerRunning` receives the bound port (useful with port 0).
    /// `routes` adds routes of its own to the HTTP server (the owner's dashboard).
    public func run(gracefulShutdownSignals: [UnixSignal] = [.sigterm, .sigint],
                    routes: (Router<LoketRequestContext>) -> Void = { _ in },
                    onHTTPServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        // One running bot per database: a second one waits here for the first to stop.
        let lease = try await DatabaseLease.acquire(databasePath: configuration.databasePath, logger: logger)
        defer { withExtendedLifetime(lease) {} }
        try await services.catalogue.loadStored()
        let router = HTTPRoutes.router(webhooks: services.webhooks, health: HealthCheck(ledger: services.ledger), metrics: services.metrics,
                                       metricsToken: configuration.metricsToken)
        routes(router)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.httpHost, port: configuration.httpPort), serverName: "Loket"),
            onServerRunning: { channel in await onHTTPServerRunning(channel.localAddress?.port ?? 0) },
            logger: Logger(label: "loket.http"))
        let poller = LongPoller(api: telegram, log: LedgerUpdateLog(ledger: services.ledger), handler: services.processor, configuration: tuning.poller,
                                onConflict: { [alerts = services.alerts, clock = tuning.clock] in
                                    try? await alerts.raise("alert.telegramConflict", [:],
                                                            key: "telegram-conflict:\(Int(clock().timeIntervalSince1970) / 3600)")
                                })
        let group = ServiceGroup(configuration: .init(
            services: [
                .init(service: sender),
                // Before the sender, so a graceful shutdown stops the runner first and the sender
                // still delivers what the last work had to say; after every part that makes work.
                .init(service: services.runner),
                .init(service: CatalogueSync(catalogue: services.catalogue, interval: tuning.catalogueInterval, alerts: services.alerts,
                                             alertAfter: TimeInterval(configuration.catalogueAlertMinutes * 60), clock: tuning.clock)),
                .init(service: app),
                .init(service: services.reconciler),
                .init(service: LedgerMaintenance(ledger: services.ledger, retentionDays: configuration.retentionDays, clock: tuning.clock)),
                .init(service: poller, successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup),
            ],
            gracefulShutdownSignals: gracefulShutdownSignals,
            logger: logger))
        running.set(group)
        await registerCommands()
        logger.info("loket running", metadata: ["http": "\(configuration.httpHost):\(configuration.httpPort)", "database": "\(configuration.databasePath)"])
        defer { logger.info("loket stopped") }
        try await group.run()
    }

    static func seconds(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }

    /// Asks a running bot to stop as SIGTERM would.
    public func shutdown() async {
        await running.get()?.triggerGracefulShutdown()
    }

    /// Registers the customer commands with Indonesian (and English) descriptions.
    func registerCommands() async {
        let commands: [(String, String)] = [
            ("menu", "command.menu"), ("saldo", "command.saldo"), ("deposit", "command.deposit"), ("tagihan", "command.tagihan"),
            ("riwayat", "command.riwayat"), ("cek", "command.cek"), ("struk", "command.struk"), ("harga", "command.harga"), ("tarik", "command.tarik"),
            ("bantuan", "command.bantuan"), ("batal", "command.batal"),
        ]
        for language in Language.allCases {
            let list = commands.map { BotCommand(command: $0.0, description: services.messages.text($0.1, language)) }
            do {
                try await telegram.setMyCommands(SetMyCommands(commands: list, languageCode: language == .id ? nil : language.rawValue))
            } catch {
                logger.warning("setMyCommands failed", metadata: ["error": "\(error)"])
            }
        }
    }
}

/// The service group of a running bot, for ``LoketRuntime/shutdown()``.
final class RunningGroup: @unchecked Sendable {
    private let lock = NSLock()
    private var group: ServiceGroup?

    func set(_ group: ServiceGroup) {
        lock.lock()
        self.group = group
        lock.unlock()
    }

    func get() -> ServiceGroup? {
        lock.lock()
        defer { lock.unlock() }
        return group
    }
}
