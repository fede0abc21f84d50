import Flowix
import Foundation
import Ledger
import Logging
import Money
import ServiceLifecycle

/// Settles what Flowix's answers and webhooks left open, once at start-up and then every
/// interval: orders and payouts never sent are sent again (same `ref_id`), unknown or
/// long-processing ones are asked about, and each answer goes through the
/// ``SettlementService``, whose follow-up (ask the status, send again) is carried out here;
/// pending deposits are checked, and anything unresolved for too long is flagged to the admins
/// — never silently refunded.
public struct Reconciler: Service {
    public struct Configuration: Sendable {
        public var interval: Duration = .seconds(60)
        /// A `pending` order older than this was never sent (a crash between hold and call).
        /// Never below ``flowixTimeout``: a create still waiting for its answer is not "unsent".
        public var unsentAfter: TimeInterval = 30
        /// The Flowix client's timeout.
        public var flowixTimeout: TimeInterval = 15
        /// A `processing` order without a webhook for this long is asked about.
        public var processingAfter: TimeInterval = 180
        /// An `unknown` order is asked about after this long.
        public var unknownAfter: TimeInterval = 5
        /// A deposit due for a check (``DepositStore/due(updatedBefore:now:)``) is checked after this long.
        public var depositAfter: TimeInterval = 120
        /// Unresolved for this long: tell the admins.
        public var unresolvedAfter: TimeInterval = 24 * 3600
        /// Tell the admins when the Flowix balance is below this (`nil` or zero: never).
        public var flowixMinimumBalance: Rupiah?

        public init() {}
    }

    let ledger: Ledger
    let flowix: FlowixAPI
    let purchases: PurchaseService
    let settlement: SettlementService
    let deposits: DepositService
    let payouts: PayoutService
    let alerts: AdminAlerts
    let configuration: Configuration
    let metrics: LoketMetrics
    let clock: @Sendable () -> Date
    let logger: Logger

    public init(ledger: Ledger, flowix: FlowixAPI, purchases: PurchaseService, settlement: SettlementService, deposits: DepositService,
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

    /// One pass over everything open. Returns how many items it looked at. Each kind of record
    /// is its own part: a row that cannot be read (an amount edited out of range) fails its
    /// part, loudly, never the others.
    @discardableResult
    public func reconcile() async -> Int {
        let now = clock()
        // A first send may take the create and a status call, each up to the Flowix timeout.
        let unsentAfter = max(configuration.unsentAfter, 2 * configuration.flowixTimeout + 1)
        var looked = 0
        looked += await part("unsent orders") {
            let orders = try await ledger.orders.all(in: [.pending], updatedBefore: now.addingTimeInterval(-unsentAfter))
            for order in orders {
                logger.info("sending again an order with no recorded answer", metadata: ["ref_id": "\(order.refId)"])
                await follow(purchases.send(order, attempt: .resend), order)
            }
            return orders.count
        }
        looked += await part("open orders") {
            let unknown = try await ledger.orders.all(in: [.unknown], updatedBefore: now.addingTimeInterval(-configuration.unknownAfter))
            let processing = try await ledger.orders.all(in: [.processing], updatedBefore: now.addingTimeInterval(-configuration.processingAfter))
            for order in unknown + processing { await follow(ask(about: order), order) }
            return unknown.count + processing.count
        }
        looked += await part("unsent payouts") {
            let payouts = try await ledger.payouts.all(in: [.pending], updatedBefore: now.addingTimeInterval(-unsentAfter))
            for payout in payouts { await follow(self.payouts.send(payout, attempt: .resend), payout) }
            return payouts.count
        }
        looked += await part("open payouts") {
            let open = try await ledger.payouts.all(in: [.unknown, .processing], updatedBefore: now.addingTimeInterval(-configuration.unknownAfter))
            for payout in open {
                await follow(payouts.refresh(payout.refId), payout)
                try await ledger.payouts.touch(payout.refId)
            }
            return open.count
        }
        // Pending deposits, and for a day those that closed unpaid or that a webhook reported:
        // a payment that arrives late is still credited.
        looked += await part("deposits") {
            let due = try await ledger.deposits.due(updatedBefore: now.addingTimeInterval(-configuration.depositAfter), now: now)
            for deposit in due {
                await deposits.refresh(deposit.refId)
                try await ledger.deposits.touch(deposit.refId)
            }
            return due.count
        }
        // Every open record past the limit, however many: those alerted before are skipped.
        _ = await part("unresolved alerts") {
            let openSince = now.addingTimeInterval(-configuration.unresolvedAfter)
            for order in try await ledger.orders.unresolved(createdBefore: openSince, notRemembered: AdminAlerts.rememberedPrefix + "unresolved:") {
                try await alerts.raise("alert.unresolved", ["ref": order.refId, "product": order.productName, "target": order.target,
                                                            "status": order.status.rawValue], key: "unresolved:\(order.refId)")
            }
            for payout in try await ledger.payouts.unresolved(createdBefore: openSince, notRemembered: AdminAlerts.rememberedPrefix + "unresolved:") {
                try await alerts.raise("alert.unresolvedPayout", [
                    "ref": payout.refId, "amount": RupiahFormat.indonesian(payout.amount), "bank": payout.bankName,
                    "number": payout.accountNumber, "status": payout.status.rawValue,
                ], key: "unresolved:\(payout.refId)")
            }
            return 0
        }
        _ = await part("Flowix balance") {
            if let minimum = configuration.flowixMinimumBalance, minimum > .zero, let account = try? await flowix.account(),
               account.balance < minimum {
                // One alert per hour while the balance stays low.
                try await alerts.raise("alert.flowixBalance", ["balance": RupiahFormat.indonesian(account.balance),
                                                               "minimum": RupiahFormat.indonesian(minimum)],
                                       key: "flowix-balance:\(Int(now.timeIntervalSince1970) / 3600)")
            }
            return 0
        }
        metrics.reconcilerBacklog.record(looked)
        return looked
    }

    /// Runs one part of a pass; a failure is logged and counts nothing.
    private func part(_ name: String, _ body: () async throws -> Int) async -> Int {
        do {
            return try await body()
        } catch {
            logger.error("reconciliation of \(name) failed", metadata: ["error": "\(error)"])
            return 0
        }
    }

    /// Asks about every processing order at once, whatever its age (for an admin or a test).
    public func reconcileProcessing(olderThan age: TimeInterval) async {
        let orders = (try? await ledger.orders.all(in: [.processing, .unknown], updatedBefore: clock().addingTimeInterval(-age + 1))) ?? []
        for order in orders { await follow(ask(about: order), order) }
    }

    /// Asks Flowix about one order or payout it already has (processing or unknown) now, and
    /// settles on the answer as a pass would (the owner's "ask Flowix now"). It only asks: it
    /// never sends anything again, so a create still in flight cannot be doubled; what the
    /// answer calls for next is left to the passes, with their delays. `false` when there is no
    /// such record in those states.
    public func askNow(reference: String) async -> Bool {
        let asked: Set<ProgressStatus> = [.processing, .unknown]
        if let order = try? await ledger.orders.order(refID: reference), asked.contains(order.status) {
            _ = await ask(about: order)
            return true
        }
        if let payout = try? await ledger.payouts.payout(refID: reference), asked.contains(payout.status) {
            _ = await payouts.refresh(payout.refId)
            return true
        }
        return false
    }

    /// Asks `/transaction/status` and settles on the answer exactly as a webhook would.
    private func ask(about order: Order) async -> SettlementDecision.FollowUp {
        let reference = order.kind == .bill ? (order.inquiryId ?? order.refId) : order.refId
        let event: SettlementEvent, note: String?, sn: String?
        do {
            let status = try await flowix.transactionStatus(reference)
            if status.refID == reference {
                (event, note, sn) = (.statusAnswered(status.status, Charge(amount: status.price)), status.note, status.sn)
            } else {
                logger.error("Flowix answered about another transaction; ignored", metadata: ["asked": "\(reference)", "answered": "\(status.refID)"])
                (event, note, sn) = (.statusUnavailable("answer about \(status.refID)"), nil, nil)
            }
        } catch {
            logger.warning("status check failed", metadata: ["ref_id": "\(order.refId)", "error": "\(error)"])
            (event, note, sn) = (SettlementEvent(statusFailure: error, now: settlement.now), nil, nil)
        }
        do {
            let next = try await settlement.handle(event, order: order.refId, note: note, sn: sn)
            try await ledger.orders.touch(order.refId)
            return next
        } catch {
            logger.error("recording the status failed; will ask again", metadata: ["ref_id": "\(order.refId)", "error": "\(error)"])
            return .askLater
        }
    }

    /// Carries out an order's follow-up once; later follow-ups wait for the next pass.
    private func follow(_ next: SettlementDecision.FollowUp, _ order: Order) async {
        guard let current = try? await ledger.orders.order(refID: order.refId), !current.status.isFinal else { return }
        switch next {
        case .none, .askLater, .resendLater: return
        case .askStatus: _ = await ask(about: current)
        case .resend: _ = await purchases.send(current, attempt: .resend)
        }
    }

    /// Carries out a payout's follow-up once; later follow-ups wait for the next pass.
    private func follow(_ next: SettlementDecision.FollowUp, _ payout: Payout) async {
        guard let current = try? await ledger.payouts.payout(refID: payout.refId), !current.status.isFinal else { return }
        switch next {
        case .none, .askLater, .resendLater: return
        case .askStatus: _ = await payouts.refresh(current.refId)
        case .resend: _ = await payouts.send(current, attempt: .resend)
        }
    }
}
