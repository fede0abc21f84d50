import Flowix
import Foundation
import Ledger
import Logging
import Money
import ServiceLifecycle

/// Settles what Flowix's answers and webhooks left open, once at start-up and then every
/// interval: orders and payouts never sent are sent (same `ref_id`), unknown or long-processing
/// ones are asked about, pending deposits are checked, and anything unresolved for too long is
/// flagged to the admins — never silently refunded.
public struct Reconciler: Service {
    public struct Configuration: Sendable {
        public var interval: Duration = .seconds(60)
        /// A `pending` order older than this was never sent (a crash between hold and call).
        public var unsentAfter: TimeInterval = 30
        /// A `processing` order without a webhook for this long is asked about.
        public var processingAfter: TimeInterval = 180
        /// An `unknown` order is asked about after this long.
        public var unknownAfter: TimeInterval = 5
        /// A pending deposit is checked after this long.
        public var depositAfter: TimeInterval = 120
        /// Unresolved for this long: tell the admins.
        public var unresolvedAfter: TimeInterval = 24 * 3600
        /// Tell the admins when the Flowix balance is below this (`nil` or zero: never).
        public var flowixMinimumBalance: Rupiah?

        public init() {}
    }

    let ledger: Ledger
    let flowix: FlowixClient
    let purchases: PurchaseService
    let settlement: OrderSettlement
    let deposits: DepositService
    let payouts: PayoutService
    let alerts: AdminAlerts
    let configuration: Configuration
    let metrics: LoketMetrics
    let clock: @Sendable () -> Date
    let logger: Logger

    public init(ledger: Ledger, flowix: FlowixClient, purchases: PurchaseService, settlement: OrderSettlement, deposits: DepositService,
                payouts: PayoutService, alerts: AdminAlerts, metrics: LoketMetrics, configuration: Configuration = Configuration(),
                clock: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "loket.reconciler")) {
        self.ledger = ledger
        self.flowix = flowix
        self.purchases = purchases
        self.settlement = settlement
        self.deposits = deposits
        self.payouts = payouts
        self.alerts = alerts
        self.configuration = configuration
        self.metrics = metrics
        self.clock = clock
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully {
            await reconcile()
            try? await cancelWhenGracefulShutdown { [configuration] in try await Task.sleep(for: configuration.interval) }
        }
    }

    /// One pass over everything open. Returns how many items it looked at.
    @discardableResult
    public func reconcile() async -> Int {
        let now = clock()
        var looked = 0
        do {
            for order in try await ledger.orders(in: [.pending], updatedBefore: now.addingTimeInterval(-configuration.unsentAfter)) {
                looked += 1
                logger.info("resending an order that was never sent", metadata: ["ref_id": "\(order.refId)"])
                await purchases.send(order)
            }
            let unknown = try await ledger.orders(in: [.unknown], updatedBefore: now.addingTimeInterval(-configuration.unknownAfter))
            let processing = try await ledger.orders(in: [.processing], updatedBefore: now.addingTimeInterval(-configuration.processingAfter))
            for order in unknown + processing {
                looked += 1
                await ask(about: order)
            }
            for payout in try await ledger.payouts(in: [.pending], updatedBefore: now.addingTimeInterval(-configuration.unsentAfter)) {
                looked += 1
                await payouts.send(payout)
            }
            for payout in try await ledger.payouts(in: [.unknown, .processing], updatedBefore: now.addingTimeInterval(-configuration.unknownAfter)) {
                looked += 1
                await payouts.refresh(payout.refId)
                try await ledger.touchPayout(payout.refId)
            }
            for deposit in try await ledger.deposits(status: .pending, updatedBefore: now.addingTimeInterval(-configuration.depositAfter)) {
                looked += 1
                await deposits.refresh(deposit.refId)
            }
            for order in try await ledger.orders(in: [.pending, .unknown, .processing], updatedBefore: now)
            where now.timeIntervalSince1970 - TimeInterval(order.createdAt) > configuration.unresolvedAfter {
                try await alerts.raise("alert.unresolved", ["ref": order.refId, "product": order.productName, "target": order.target,
                                                            "status": order.status.rawValue], key: "unresolved:\(order.refId)")
            }
            if let minimum = configuration.flowixMinimumBalance, minimum > .zero, let account = try? await flowix.account(),
               account.balance < minimum {
                // One alert per hour while the balance stays low.
                try await alerts.raise("alert.flowixBalance", ["balance": RupiahFormat.indonesian(account.balance),
                                                               "minimum": RupiahFormat.indonesian(minimum)],
                                       key: "flowix-balance:\(Int(now.timeIntervalSince1970) / 3600)")
            }
        } catch {
            logger.error("reconciliation pass failed", metadata: ["error": "\(error)"])
        }
        metrics.reconcilerBacklog.record(looked)
        return looked
    }

    /// Asks about every processing order at once, whatever its age (for an admin or a test).
    public func reconcileProcessing(olderThan age: TimeInterval) async {
        let orders = (try? await ledger.orders(in: [.processing, .unknown], updatedBefore: clock().addingTimeInterval(-age + 1))) ?? []
        for order in orders { await ask(about: order) }
    }

    /// Asks `/transaction/status` and applies a final answer exactly as a webhook would.
    private func ask(about order: Order) async {
        let reference = order.kind == .bill ? (order.inquiryId ?? order.refId) : order.refId
        do {
            let status = try await flowix.transactionStatus(refID: reference)
            logger.info("reconciled order", metadata: ["ref_id": "\(order.refId)", "status": "\(status.status)"])
            try await settlement.apply(status.status, to: order, price: status.price, sn: status.sn, note: status.note)
            if !status.status.isFinal { try await ledger.touchOrder(order.refId) }
        } catch FlowixError.rejected(let rejection) where rejection.httpStatus == 404 && order.status != .processing {
            // Flowix never received it: sending it again with the same ref_id is safe.
            logger.info("Flowix does not know the order; sending it", metadata: ["ref_id": "\(order.refId)"])
            await purchases.send(order)
        } catch {
            logger.warning("status check failed; will try again", metadata: ["ref_id": "\(order.refId)", "error": "\(error)"])
            try? await ledger.touchOrder(order.refId)
        }
    }
}
