import Conversation
import Flowix
import Foundation
import Hummingbird
import Ledger
import Logging
import Money
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
        /// `nil`: derived from `LOKET_RECONCILE_SECONDS`; tests set their own.
        public var reconciler: Reconciler.Configuration?
        public var catalogueInterval: Duration = .seconds(600)
        public var flowixTimeout: Duration = .seconds(15)
        /// What every part of the runtime reads as "now" (the ledger, settlement, the reconciler,
        /// sessions, the catalogue, alerts); a simulation turns it.
        public var clock: @Sendable () -> Date = { Date() }

        public init() {}
    }

    public let configuration: LoketConfiguration
    public let ledger: Ledger
    public let catalogue: ShopCatalogue
    public let processor: UpdateProcessor
    public let sender: OutboxSender
    public let reconciler: Reconciler
    public let webhooks: FlowixWebhookHandler
    public let background: BackgroundWork
    public let metrics: LoketMetrics
    let telegram: TelegramAPI
    let messages: Messages
    let alerts: AdminAlerts
    let tuning: Tuning
    let logger: Logger
    private let running = RunningGroup()

    /// `clients` default to HTTP, as configured.
    public init(configuration: LoketConfiguration, strings: LocaleStrings, tuning: Tuning = Tuning(), clients: LoketClients? = nil,
                logger: Logger = Logger(label: "loket")) throws {
        self.configuration = configuration
        self.tuning = tuning
        self.logger = logger
        let clock = tuning.clock
        ledger = try Ledger(path: configuration.databasePath, clock: clock)
        let credentials = FlowixCredentials(apiKey: configuration.flowixAPIKey, merchantID: configuration.flowixMerchantID)
        let clients = clients ?? .live(configuration, flowixTimeout: tuning.flowixTimeout)
        let flowix = clients.flowix
        telegram = clients.telegram
        let metrics = LoketMetrics()
        self.metrics = metrics
        sender = OutboxSender(api: telegram, store: LedgerOutboxStore(ledger: ledger), configuration: tuning.sender) { event in
            switch event {
            case .sent: metrics.messagesSent.increment()
            case .rateLimited: metrics.rateLimited.increment()
            case .blocked: metrics.blockedChats.increment()
            case .dropped: break
            }
        }
        messages = Messages(strings: strings, defaultLanguage: Language(rawValue: configuration.defaultLanguage) ?? .id)
        background = BackgroundWork()
        catalogue = ShopCatalogue(ledger: ledger, flowix: flowix, roundingUnit: configuration.priceRounding, clock: clock)
        let alerts = AdminAlerts(ledger: ledger, messages: messages, adminIDs: configuration.adminIDs)
        self.alerts = alerts
        // At least three checks, spread over the grace period by the reconciler's passes.
        if configuration.notFoundGraceSeconds < 300 {
            logger.warning("LOKET_NOT_FOUND_GRACE_SECONDS is short: an order Flowix records late may be refunded and still delivered",
                           metadata: ["seconds": "\(configuration.notFoundGraceSeconds)", "default": "600"])
        }
        let settlement = SettlementService(ledger: ledger, messages: messages, alerts: alerts, metrics: metrics,
                                           policy: SettlementPolicy(notFoundGrace: configuration.notFoundGraceSeconds, notFoundChecks: 3),
                                           clock: clock)
        let purchases = PurchaseService(ledger: ledger, flowix: flowix, catalogue: catalogue, settlement: settlement, messages: messages)
        let deposits = DepositService(ledger: ledger, flowix: flowix, messages: messages, alerts: alerts,
                                      maximumOpen: configuration.maximumOpenDeposits)
        let payouts = PayoutService(ledger: ledger, flowix: flowix, catalogue: catalogue, settlement: settlement, messages: messages,
                                    allowedLevels: configuration.payoutLevels)
        let admin = AdminService(ledger: ledger, flowix: flowix, catalogue: catalogue, messages: messages, clock: clock)
        var settings = UpdateProcessor.Settings(adminIDs: configuration.adminIDs, payoutLevels: configuration.payoutLevels,
                                                payoutFee: configuration.payoutFee)
        settings.payoutMinimum = Rupiah(10_000)!
        settings.lookupBurst = configuration.lookupBurst
        settings.lookupsPerMinute = configuration.lookupsPerMinute
        settings.shopLookupsPerSecond = configuration.shopLookupsPerSecond
        let chats = ChatConversations(ledger: ledger, catalogue: catalogue, messages: messages, settings: settings, clock: clock)
        let runner = WorkRunner(purchases: purchases, deposits: deposits, payouts: payouts, admin: admin, chats: chats, background: background)
        processor = UpdateProcessor(ledger: ledger, chats: chats,
                                    performer: EffectPerformer(ledger: ledger, purchases: purchases, deposits: deposits, payouts: payouts,
                                                               admin: admin, messages: messages, settings: settings),
                                    runner: runner, messages: messages, settings: settings, metrics: metrics)
        var reconciling = tuning.reconciler ?? Reconciler.Configuration()
        if tuning.reconciler == nil {
            let seconds = TimeInterval(configuration.reconcileSeconds)
            reconciling.interval = .seconds(configuration.reconcileSeconds)
            reconciling.unsentAfter = min(reconciling.unsentAfter, seconds / 2)
            reconciling.processingAfter = min(reconciling.processingAfter, seconds * 3)
            reconciling.unknownAfter = min(reconciling.unknownAfter, seconds)
            reconciling.depositAfter = min(reconciling.depositAfter, seconds * 2)
        }
        reconciling.unresolvedAfter = TimeInterval(configuration.unresolvedAfterHours * 3600)
        reconciling.flowixTimeout = Self.seconds(tuning.flowixTimeout)
        reconciling.flowixMinimumBalance = configuration.flowixMinimumBalance
        reconciler = Reconciler(ledger: ledger, flowix: flowix, purchases: purchases, settlement: settlement, deposits: deposits,
                                payouts: payouts, alerts: alerts, metrics: metrics, configuration: reconciling, clock: clock)
        webhooks = FlowixWebhookHandler(verifier: WebhookVerifier(credentials: credentials, secret: WebhookSecret(configuration.flowixWebhookSecret)),
                                        ledger: ledger, settlement: settlement, alerts: alerts, work: runner, metrics: metrics, clock: clock)
    }

    /// Runs until SIGTERM/SIGINT (or a fatal error such as a wrong token), then lets work in
    /// flight finish. `onHTTPServerRunning` receives the bound port (useful with port 0).
    public func run(gracefulShutdownSignals: [UnixSignal] = [.sigterm, .sigint],
                    onHTTPServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        // One running bot per database: a second one waits here for the first to stop.
        let lease = try await DatabaseLease.acquire(databasePath: configuration.databasePath, logger: logger)
        defer { withExtendedLifetime(lease) {} }
        try await catalogue.loadStored()
        let app = Application(
            router: HTTPRoutes.router(webhooks: webhooks, health: HealthCheck(ledger: ledger), metrics: metrics,
                                      metricsToken: configuration.metricsToken),
            configuration: .init(address: .hostname(configuration.httpHost, port: configuration.httpPort), serverName: "Loket"),
            onServerRunning: { channel in await onHTTPServerRunning(channel.localAddress?.port ?? 0) },
            logger: Logger(label: "loket.http"))
        let poller = LongPoller(api: telegram, log: LedgerUpdateLog(ledger: ledger), handler: processor, configuration: tuning.poller,
                                onConflict: { [alerts, clock = tuning.clock] in
                                    try? await alerts.raise("alert.telegramConflict", [:],
                                                            key: "telegram-conflict:\(Int(clock().timeIntervalSince1970) / 3600)")
                                })
        let group = ServiceGroup(configuration: .init(
            services: [
                .init(service: CatalogueSync(catalogue: catalogue, interval: tuning.catalogueInterval, alerts: alerts,
                                             alertAfter: TimeInterval(configuration.catalogueAlertMinutes * 60), clock: tuning.clock)),
                .init(service: sender),
                .init(service: app),
                .init(service: reconciler),
                .init(service: LedgerMaintenance(ledger: ledger, retentionDays: configuration.retentionDays, clock: tuning.clock)),
                .init(service: poller, successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup),
            ],
            gracefulShutdownSignals: gracefulShutdownSignals,
            logger: logger))
        running.set(group)
        await registerCommands()
        logger.info("loket running", metadata: ["http": "\(configuration.httpHost):\(configuration.httpPort)", "database": "\(configuration.databasePath)"])
        defer { logger.info("loket stopped") }
        try await group.run()
        // Outlast the Flowix timeout, so a create cut off here has its answer recorded; one cut
        // off anyway stays pending and the reconciler's resend waits past the same timeout.
        await background.drain(timeout: tuning.flowixTimeout + .seconds(5))
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
            ("riwayat", "command.riwayat"), ("cek", "command.cek"), ("harga", "command.harga"), ("tarik", "command.tarik"),
            ("bantuan", "command.bantuan"), ("batal", "command.batal"),
        ]
        for language in Language.allCases {
            let list = commands.map { BotCommand(command: $0.0, description: messages.text($0.1, language)) }
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
