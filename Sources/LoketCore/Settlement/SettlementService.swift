import Conversation
import Flowix
import Foundation
import Ledger
import Logging
import Money

/// Carries out ``SettlementMachine``'s decisions for orders and payouts, from whichever path
/// brings an event (the create answer, the status endpoint, a webhook): it writes the status,
/// captures or releases the hold with the customer's message in the same transaction, keeps
/// the "not found" record, alerts the admins, and returns the follow-up for the caller.
public struct SettlementService: Sendable {
    let ledger: Ledger
    let messages: Messages
    let alerts: AdminAlerts
    let metrics: LoketMetrics
    let policy: SettlementPolicy
    let clock: @Sendable () -> Date
    let logger: Logger
    private let locks = KeyedLocks<String>()

    public init(ledger: Ledger, messages: Messages, alerts: AdminAlerts, metrics: LoketMetrics, policy: SettlementPolicy = SettlementPolicy(),
                clock: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "loket.settlement")) {
        self.ledger = ledger
        self.messages = messages
        self.alerts = alerts
        self.metrics = metrics
        self.policy = policy
        self.clock = clock
        self.logger = logger
    }

    /// The Unix time events are stamped with.
    var now: Int64 { Int64(clock().timeIntervalSince1970.rounded(.down)) }

    // MARK: Orders

    /// Applies `event` to the order `refID` names; `note` and `sn` are what Flowix wrote, if
    /// anything. One reference is decided at a time, on its row as it is now, so a webhook and
    /// the reconciler never act on a stale copy.
    @discardableResult
    public func handle(_ event: SettlementEvent, order refID: String, note: String? = nil, sn: String? = nil) async throws -> SettlementDecision.FollowUp {
        try await locks.withLock(refID) {
            guard let order = try await ledger.orders.order(refID: refID) else { throw LedgerError.notFound("order \(refID)") }
            return try await decide(event, order, note: note, sn: sn)
        }
    }

    private func decide(_ event: SettlementEvent, _ order: Order, note: String?, sn: String?) async throws -> SettlementDecision.FollowUp {
        let expected = Charge(amount: order.quotedCost)
        let state = HeldState(status: order.status, expected: expected, notFoundSince: order.notFoundSince, notFoundChecks: order.notFoundChecks,
                              reported: order.flowixPrice.map { Charge(amount: $0) }, resends: order.resends)
        let decision = SettlementMachine.decide(state, event, policy: policy)
        logger.info("order settlement", metadata: ["ref_id": "\(order.refId)", "from": "\(order.status.rawValue)",
                                                   "to": "\(decision.transition?.rawValue ?? "-")", "why": "\(decision.reason)"])
        try await track(decision.notFound, state) { try await ledger.orders.trackNotFound(order.refId, since: $0, checks: $1) }
        if let price = decision.remember?.amount { try await ledger.orders.rememberFlowixPrice(order.refId, price) }
        let language = try await messages.language(ledger.users.user(id: order.userId)?.language)
        let messages = self.messages
        let reason = note ?? Self.customerReason(event) ?? "-"
        let alertRows = try alertRows(decision.alert, reference: order.refId, what: order.productName)
        switch decision.ledger {
        case .capture(let charge):
            let cost = charge.amount ?? order.quotedCost
            let journalNote = cost == order.quotedCost ? note : "Flowix charged \(cost), quoted \(order.quotedCost)"
            let settled = try await ledger.orders.complete(order.refId, cost: cost, sn: sn, note: journalNote) { done in
                (messages.told(done.refId) { try messages.row("order.success", language, [
                    "product": done.productName, "target": done.target, "sn": done.sn ?? "-", "ref": done.refId,
                    "price": messages.money(done.sellPrice, language),
                ], buttons: messages.successButtons(done.refId, buyAgain: done.kind == .prepaid ? (done.productCode, done.target) : nil, language),
                to: done.userId, dedupeKey: "order-final:\(done.refId)") }) + alertRows
            }
            if settled.didSettle { metrics.purchase("success") }
        case .release(let rejected):
            let settled = try await ledger.orders.fail(order.refId, note: reason) { done in
                (messages.told(done.refId) { try messages.row(rejected ? "order.rejected" : "order.failed", language, [
                    "product": done.productName, "target": done.target, "reason": reason, "ref": done.refId,
                    "price": messages.money(done.sellPrice, language),
                ], to: done.userId, dedupeKey: "order-final:\(done.refId)") }) + alertRows
            }
            if settled.didSettle { metrics.purchase(rejected ? "rejected" : "failed") }
        case .keep:
            if let status = decision.transition {
                try await ledger.orders.mark(order.refId, as: status, sn: sn, note: note ?? Self.customerReason(event))
                if status == .unknown { metrics.purchase("unknown") }
            }
            if !alertRows.isEmpty { try await ledger.outbox.enqueue(alertRows) }
        }
        return decision.followUp
    }

    /// Before an order's create leaves, first or again: under the reference's lock, on the row
    /// as it is now, restarts the not-found clock and counts a resend
    /// (``OrderStore/beginSend(_:resend:)``). The order to send, or `nil` when it was settled
    /// meanwhile (a reconciler pass while this send waited) and must not be sent.
    public func beginSend(order refID: String, attempt: CreateAttempt) async throws -> Order? {
        try await locks.withLock(refID) {
            guard try await ledger.orders.beginSend(refID, resend: attempt == .resend) else { return nil }
            return try await ledger.orders.order(refID: refID)
        }
    }

    // MARK: Payouts

    /// Before a payout's create leaves, as ``beginSend(order:attempt:)``.
    public func beginSend(payout refID: String, attempt: CreateAttempt) async throws -> Payout? {
        try await locks.withLock(refID) {
            guard try await ledger.payouts.beginSend(refID, resend: attempt == .resend) else { return nil }
            return try await ledger.payouts.payout(refID: refID)
        }
    }

    /// Applies `event` to the payout `refID` names; `note` is what Flowix wrote, if anything.
    /// One reference is decided at a time, on its row as it is now.
    @discardableResult
    public func handle(_ event: SettlementEvent, payout refID: String, note: String? = nil) async throws -> SettlementDecision.FollowUp {
        try await locks.withLock(refID) {
            guard let payout = try await ledger.payouts.payout(refID: refID) else { throw LedgerError.notFound("payout \(refID)") }
            return try await decide(event, payout, note: note)
        }
    }

    private func decide(_ event: SettlementEvent, _ payout: Payout, note: String?) async throws -> SettlementDecision.FollowUp {
        let expected = Charge(amount: payout.amount, fee: payout.fee)
        let state = HeldState(status: payout.status, expected: expected, notFoundSince: payout.notFoundSince, notFoundChecks: payout.notFoundChecks,
                              resends: payout.resends)
        let decision = SettlementMachine.decide(state, event, policy: policy)
        logger.info("payout settlement", metadata: ["ref_id": "\(payout.refId)", "from": "\(payout.status.rawValue)",
                                                    "to": "\(decision.transition?.rawValue ?? "-")", "why": "\(decision.reason)"])
        try await track(decision.notFound, state) { try await ledger.payouts.trackNotFound(payout.refId, since: $0, checks: $1) }
        let language = try await messages.language(ledger.users.user(id: payout.userId)?.language)
        let messages = self.messages
        let reason = note ?? Self.customerReason(event) ?? "-"
        let alertRows = try alertRows(decision.alert, reference: payout.refId, what: "\(payout.bankName) \(payout.accountNumber)")
        switch decision.ledger {
        case .capture(let charge):
            let fee = charge.fee ?? payout.fee
            let journalNote = charge == expected ? note : "Flowix charged \(charge), expected \(expected)"
            _ = try await ledger.payouts.complete(payout.refId, flowixFee: fee, note: journalNote) { done in
                (messages.told(done.refId) { try messages.row("payout.success", language, [
                    "amount": messages.money(done.amount, language), "bank": done.bankName, "number": done.accountNumber,
                    "name": done.accountName, "ref": done.refId,
                ], buttons: messages.successButtons(done.refId, language), to: done.userId, dedupeKey: "payout-final:\(done.refId)") }) + alertRows
            }
        case .release:
            _ = try await ledger.payouts.fail(payout.refId, note: reason) { done in
                (messages.told(done.refId) { try messages.row("payout.failed", language, [
                    "amount": messages.money(done.amount.value + done.fee.value, language), "reason": reason, "ref": done.refId,
                ], to: done.userId, dedupeKey: "payout-final:\(done.refId)") }) + alertRows
            }
        case .keep:
            if let status = decision.transition {
                try await ledger.payouts.mark(payout.refId, as: status, note: note ?? Self.customerReason(event))
            }
            if !alertRows.isEmpty { try await ledger.outbox.enqueue(alertRows) }
        }
        return decision.followUp
    }

    /// The admins' alert for a decision, queued in the same transaction as the money it is about.
    private func alertRows(_ alert: SettlementAlert?, reference: String, what: String) throws -> [NewOutboxMessage] {
        let language = messages.defaultLanguage
        func money(_ amount: Rupiah?) -> String { messages.money(amount ?? .zero, language) }
        switch alert {
        case nil: return []
        case .chargeDiffers(let expected, let charged)?:
            if expected.fee == nil {
                return try alerts.rows("alert.chargeDiffers", ["ref": reference, "what": HTML.escape(what), "expected": money(expected.amount),
                                                                "charged": money(charged.amount)], key: "charge-differs:\(reference)")
            }
            return try alerts.rows("alert.payoutChargeDiffers", [
                "ref": reference, "amount": money(expected.amount), "fee": money(expected.fee),
                "chargedAmount": money(charged.amount ?? expected.amount), "chargedFee": money(charged.fee ?? expected.fee),
            ], key: "charge-differs:\(reference)")
        case .successAfterRefund?:
            return try alerts.rows("alert.successAfterRefund", ["ref": reference, "what": HTML.escape(what)], key: "success-after-refund:\(reference)")
        case .refundedNotFound(let seconds, let checks)?:
            return try alerts.rows("alert.refundedNotFound", ["ref": reference, "what": HTML.escape(what), "minutes": String(seconds / 60),
                                                               "checks": String(checks)], key: "refunded-not-found:\(reference)")
        }
    }

    // MARK: Shared

    /// Writes the "not found" record when the decision changes it.
    private func track(_ tracking: SettlementDecision.NotFoundTracking, _ state: HeldState,
                       _ write: (Int64?, Int) async throws -> Void) async throws {
        switch tracking {
        case .unchanged: return
        case .reset:
            if state.notFoundSince != nil || state.notFoundChecks > 0 { try await write(nil, 0) }
        case .count(let since):
            try await write(since, state.notFoundChecks + 1)
        }
    }

    /// What Flowix said, for the customer's message and the record's note.
    static func customerReason(_ event: SettlementEvent) -> String? {
        switch event {
        case .createRefused(let rejection, _): return rejection.message
        case .createAnswered, .createUnknown, .createNotSent, .statusAnswered, .statusNotFound, .statusUnavailable, .webhook: return nil
        }
    }
}

extension SettlementEvent {
    /// The event a failed create is: refused (with whether it was the first attempt), unknown
    /// or never sent.
    public init(createFailure error: FlowixError, attempt: CreateAttempt) {
        switch error {
        case .rejected(let rejection): self = .createRefused(rejection, attempt)
        case .outcomeUnknown(let reason): self = .createUnknown(reason.description)
        case .notSent(let reason): self = .createNotSent(reason)
        }
    }

    /// The event a failed status query is: "not found", or nothing learnt.
    public init(statusFailure error: FlowixError, now: Int64) {
        switch error {
        case .rejected(let rejection) where rejection.meaning == .notFound: self = .statusNotFound(now: now)
        case .rejected(let rejection): self = .statusUnavailable(rejection.description)
        case .outcomeUnknown(let reason): self = .statusUnavailable(reason.description)
        case .notSent(let reason): self = .statusUnavailable(reason)
        }
    }
}
