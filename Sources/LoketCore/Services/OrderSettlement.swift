import Conversation
import Flowix
import Foundation
import Ledger
import Logging
import Money

/// Applies Flowix's final word on an order, from whichever path brings it (the create answer,
/// a webhook or the reconciler): success captures the hold, failure refunds it exactly once,
/// and the customer is told in the same transaction. Status only moves forward.
public struct OrderSettlement: Sendable {
    let ledger: Ledger
    let messages: Messages
    let logger: Logger
    let metrics: LoketMetrics

    public init(ledger: Ledger, messages: Messages, metrics: LoketMetrics,
                logger: Logger = Logger(label: "loket.orders")) {
        self.ledger = ledger
        self.metrics = metrics
        self.messages = messages
        self.logger = logger
    }

    /// Applies a status Flowix reported for `order`.
    public func apply(_ status: FlowixStatus, to order: Order, price: Rupiah?, sn: String?, note: String?) async throws {
        switch status {
        case .success: try await succeed(order, cost: price ?? Rupiah(stored: order.quotedCost), sn: sn, note: note)
        case .failed: try await fail(order, reason: note ?? "-", rejected: false)
        case .processing, .pending:
            if order.status == .pending || order.status == .unknown {
                try await ledger.markOrder(order.refId, as: .processing, sn: sn, note: note)
            }
        case .unrecognized(let text):
            logger.warning("unrecognised order status kept open", metadata: ["ref_id": "\(order.refId)", "status": "\(text)"])
        }
    }

    /// Captures the hold and tells the customer, with the SN.
    public func succeed(_ order: Order, cost: Rupiah, sn: String?, note: String?) async throws {
        let language = try await messages.language(ledger.user(id: order.userId)?.language)
        let messages = self.messages
        let settlement = try await ledger.completeOrder(order.refId, cost: cost, sn: sn, note: note) { settled in
            let row = try? messages.row("order.success", language, [
                "product": settled.productName, "target": settled.target, "sn": settled.sn ?? "-", "ref": settled.refId,
                "price": messages.money(settled.sellPrice, language),
            ], to: settled.userId, dedupeKey: "order-final:\(settled.refId)")
            return row.map { [$0] } ?? []
        }
        if settlement.didSettle {
            logger.info("order succeeded", metadata: ["ref_id": "\(order.refId)", "cost": "\(cost)", "sn": "\(sn ?? "")"])
            metrics.purchase("success")
        }
    }

    /// Releases the hold (once) and tells the customer the money is back. `rejected` means
    /// Flowix refused the request outright, so nothing was ever charged.
    public func fail(_ order: Order, reason: String, rejected: Bool) async throws {
        let language = try await messages.language(ledger.user(id: order.userId)?.language)
        let messages = self.messages
        let settlement = try await ledger.failOrder(order.refId, note: reason) { settled in
            let row = try? messages.row(rejected ? "order.rejected" : "order.failed", language, [
                "product": settled.productName, "target": settled.target, "reason": reason, "ref": settled.refId,
                "price": messages.money(settled.sellPrice, language),
            ], to: settled.userId, dedupeKey: "order-final:\(settled.refId)")
            return row.map { [$0] } ?? []
        }
        if settlement.didSettle {
            logger.info("order refunded", metadata: ["ref_id": "\(order.refId)", "reason": "\(reason)", "rejected": "\(rejected)"])
            metrics.purchase(rejected ? "rejected" : "failed")
        }
    }
}
