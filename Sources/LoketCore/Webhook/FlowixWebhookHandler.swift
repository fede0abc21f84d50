import Flowix
import Foundation
import Ledger
import Logging

/// Applies verified Flowix webhooks. Events are de-duplicated by id; every status change goes
/// through the same settlement code as the create answer and the reconciler, so a late,
/// repeated or out-of-order event can only move an order forward.
public struct FlowixWebhookHandler: Sendable {
    let verifier: WebhookVerifier
    let ledger: Ledger
    let settlement: SettlementService
    let alerts: AdminAlerts
    let work: WorkRunner
    let refusals: RefusalWindow
    let metrics: LoketMetrics
    let clock: @Sendable () -> Date
    let logger: Logger

    public init(verifier: WebhookVerifier, ledger: Ledger, settlement: SettlementService, alerts: AdminAlerts, work: WorkRunner,
                metrics: LoketMetrics, clock: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "loket.webhook")) {
        self.clock = clock
        self.metrics = metrics
        self.verifier = verifier
        self.ledger = ledger
        self.settlement = settlement
        self.alerts = alerts
        self.work = work
        self.refusals = RefusalWindow()
        self.logger = logger
    }

    /// The HTTP status and JSON body to answer a delivery with.
    public func receive(body: [UInt8], headers: WebhookHeaders) async -> (Int, String) {
        let event: WebhookEvent
        do {
            event = try verifier.verify(body: body, headers: headers)
        } catch {
            logger.warning("webhook refused", metadata: ["reason": "\(error)"])
            metrics.webhookRejected.increment()
            // No database work per refused request: a counter, and one alert a window.
            if error.httpStatus != 400, await refusals.record() {
                try? await alerts.raise("alert.signatureFailures", [:], key: "signature-failures:\(Int(clock().timeIntervalSince1970) / 3600)")
            }
            return (error.httpStatus, #"{"received":false,"error":"\#(error.httpStatus == 400 ? "malformed" : "unauthorized")"}"#)
        }
        do {
            guard try await !ledger.events.isWebhookKnown(event.id) else {
                logger.info("duplicate webhook ignored", metadata: ["event": "\(event.id)"])
                return (200, #"{"received":true,"duplicate":true}"#)
            }
            let reference = try await apply(event)
            _ = try await ledger.events.recordWebhook(id: event.id, type: event.type, reference: reference)
            metrics.webhookAccepted.increment()
            return (200, #"{"received":true}"#)
        } catch {
            logger.error("webhook could not be applied; Flowix will retry", metadata: ["event": "\(event.id)", "error": "\(error)"])
            return (500, #"{"received":false}"#)
        }
    }

    private func apply(_ event: WebhookEvent) async throws -> String? {
        switch event.payload {
        case .transaction(let update):
            let byReference = try await ledger.orders.order(refID: update.refID)
            let found = try await byReference == nil ? ledger.orders.order(inquiryID: update.refID) : byReference
            guard let order = found else {
                logger.warning("webhook for an unknown order", metadata: ["ref_id": "\(update.refID)", "status": "\(update.status)"])
                return update.refID
            }
            logger.info("transaction webhook", metadata: ["ref_id": "\(order.refId)", "status": "\(update.status)"])
            try await settlement.handle(.webhook(update.status, Charge(amount: update.price)), order: order.refId, note: update.note, sn: update.sn)
            return update.refID
        case .deposit(let update):
            logger.info("deposit webhook", metadata: ["ref_id": "\(update.refID)", "status": "\(update.status)"])
            // Due for the reconciler until Flowix's status endpoint gives a final answer, even if
            // this check fails: the event id is recorded below, so Flowix's retries are ignored.
            try await ledger.deposits.keepDue(update.refID)
            await work.submit([.refreshDeposit(reference: update.refID, chat: nil)])
            return update.refID
        case .payout(let update):
            guard let payout = try await ledger.payouts.payout(refID: update.refID) else {
                logger.warning("webhook for an unknown payout", metadata: ["ref_id": "\(update.refID)"])
                return update.refID
            }
            try await settlement.handle(.webhook(update.status, Charge(amount: update.amount, fee: update.fee)), payout: payout.refId, note: update.note)
            return update.refID
        case .unknown:
            logger.info("webhook of an unhandled type", metadata: ["type": "\(event.type)"])
            return nil
        }
    }
}
