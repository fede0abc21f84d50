import Conversation
import Flowix
import Foundation
import Ledger
import Logging
import Money

/// The core of a bot without its loops: every service wired to one ledger, one Flowix and one
/// clock. ``LoketRuntime`` runs it under a service group with the poller and the sender; tests
/// and a simulation drive the same graph directly, without a socket.
public struct LoketServices: Sendable {
    public let ledger: Ledger
    public let messages: Messages
    public let metrics: LoketMetrics
    public let alerts: AdminAlerts
    public let catalogue: ShopCatalogue
    public let settlement: SettlementService
    public let purchases: PurchaseService
    public let deposits: DepositService
    public let payouts: PayoutService
    public let admin: AdminService
    /// One-time login links to the owner's dashboard.
    public let dashboardLinks: DashboardLinks
    public let pins: PINService
    public let transfers: TransferService
    public let chats: ChatConversations
    public let runner: WorkRunner
    public let performer: EffectPerformer
    public let processor: UpdateProcessor
    public let reconciler: Reconciler
    public let webhooks: FlowixWebhookHandler
    /// How long a Flowix request may take: work cut off by a shutdown is given that long.
    public let flowixTimeout: Duration

    /// Opens (or creates) the database at `configuration.databasePath` and wires the services.
    public init(configuration: LoketConfiguration, strings: LocaleStrings, flowix: FlowixAPI, tuning: LoketRuntime.Tuning,
                logger: Logger = Logger(label: "loket")) throws {
        let clock = tuning.clock
        flowixTimeout = flowix.timeout
        ledger = try Ledger(path: configuration.databasePath, clock: clock)
        metrics = LoketMetrics()
        messages = Messages(strings: strings, defaultLanguage: Language(rawValue: configuration.defaultLanguage) ?? .id)
        catalogue = ShopCatalogue(ledger: ledger, flowix: flowix, roundingUnit: configuration.priceRounding, cutoffs: configuration.cutoffs,
                                  clock: clock)
        alerts = AdminAlerts(ledger: ledger, messages: messages, adminIDs: configuration.adminIDs)
        // At least three checks, spread over the grace period by the reconciler's passes.
        if configuration.notFoundGraceSeconds < 300 {
            logger.warning("LOKET_NOT_FOUND_GRACE_SECONDS is short: an order Flowix records late may be refunded and still delivered",
                           metadata: ["seconds": "\(configuration.notFoundGraceSeconds)", "default": "600"])
        }
        settlement = SettlementService(ledger: ledger, messages: messages, alerts: alerts, metrics: metrics,
                                       policy: SettlementPolicy(notFoundGrace: configuration.notFoundGraceSeconds, notFoundChecks: 3),
                                       clock: clock)
        purchases = PurchaseService(ledger: ledger, flowix: flowix, catalogue: catalogue, settlement: settlement, messages: messages,
                                    adminIDs: configuration.adminIDs)
        deposits = DepositService(ledger: ledger, flowix: flowix, messages: messages, alerts: alerts,
                                  maximumOpen: configuration.maximumOpenDeposits)
        payouts = PayoutService(ledger: ledger, flowix: flowix, catalogue: catalogue, settlement: settlement, messages: messages,
                                allowedLevels: configuration.payoutLevels)
        dashboardLinks = DashboardLinks(ledger: ledger, publicURL: configuration.publicURL, clock: clock)
        admin = AdminService(ledger: ledger, flowix: flowix, catalogue: catalogue, messages: messages, dashboard: dashboardLinks, clock: clock)
        var settings = UpdateProcessor.Settings(adminIDs: configuration.adminIDs, payoutLevels: configuration.payoutLevels,
                                                payoutFee: configuration.payoutFee)
        settings.payoutMinimum = Rupiah(10_000)!
        settings.lookupBurst = configuration.lookupBurst
        settings.lookupsPerMinute = configuration.lookupsPerMinute
        settings.shopLookupsPerSecond = configuration.shopLookupsPerSecond
        settings.shopName = configuration.shopName
        settings.pinAbove = configuration.pinAbove
        settings.transferLimits = configuration.transferLimits
        pins = PINService(ledger: ledger, hasher: PINHasher(rounds: tuning.pinRounds))
        transfers = TransferService(ledger: ledger, messages: messages, limits: configuration.transferLimits)
        chats = ChatConversations(ledger: ledger, catalogue: catalogue, messages: messages, settings: settings, clock: clock)
        runner = WorkRunner(purchases: purchases, deposits: deposits, payouts: payouts, admin: admin, chats: chats,
                            configuration: tuning.work, flowixTimeout: flowix.timeout, logger: logger)
        performer = EffectPerformer(ledger: ledger, purchases: purchases, deposits: deposits, payouts: payouts,
                                    admin: admin, pins: pins, transfers: transfers, messages: messages, settings: settings)
        processor = UpdateProcessor(ledger: ledger, chats: chats, performer: performer, runner: runner, messages: messages,
                                    settings: settings, metrics: metrics)
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
        reconciling.flowixTimeout = LoketRuntime.seconds(flowix.timeout)
        reconciling.flowixMinimumBalance = configuration.flowixMinimumBalance
        reconciler = Reconciler(ledger: ledger, flowix: flowix, purchases: purchases, settlement: settlement, deposits: deposits,
                                payouts: payouts, alerts: alerts, metrics: metrics, configuration: reconciling, clock: clock)
        let credentials = FlowixCredentials(apiKey: configuration.flowixAPIKey, merchantID: configuration.flowixMerchantID)
        webhooks = FlowixWebhookHandler(verifier: WebhookVerifier(credentials: credentials, secret: WebhookSecret(configuration.flowixWebhookSecret)),
                                        ledger: ledger, settlement: settlement, alerts: alerts, work: runner, metrics: metrics, clock: clock)
    }
}
