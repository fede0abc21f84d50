import Conversation
import Flowix
import Foundation
import Ledger
import Logging
import Money

/// The purchase saga for prepaid products and bills:
/// save the order and hold the money (with the "diproses" message) → call Flowix → record the
/// answer. A definitive refusal refunds; an unknown outcome keeps the hold for the reconciler.
public struct PurchaseService: Sendable {
    let ledger: Ledger
    let flowix: FlowixClient
    let catalogue: ShopCatalogue
    let settlement: OrderSettlement
    let messages: Messages
    let logger: Logger

    public init(ledger: Ledger, flowix: FlowixClient, catalogue: ShopCatalogue, settlement: OrderSettlement, messages: Messages,
                logger: Logger = Logger(label: "loket.purchase")) {
        self.ledger = ledger
        self.flowix = flowix
        self.catalogue = catalogue
        self.settlement = settlement
        self.messages = messages
        self.logger = logger
    }

    /// The result of the first step, taken while handling the customer's update.
    public enum Placement: Sendable {
        /// Held and saved; send it to Flowix next.
        case placed(Order)
        /// Nothing was held; these replies say why.
        case refused([NewOutboxMessage])
    }

    /// Saves a prepaid order at the confirmed price and holds it.
    public func place(_ quote: PurchaseQuote, user: UserRecord, refID: String) async throws -> Placement {
        let language = messages.language(user.language)
        guard let product = await catalogue.product(quote.productCode), product.isAvailable, let cost = product.price.flatMap(Rupiah.init) else {
            return .refused([try messages.row("purchase.unavailable", language, to: user.id)])
        }
        let order = NewOrder(refID: refID, userID: user.id, kind: .prepaid, productCode: product.code, productName: product.name,
                             category: product.category, brand: product.brand, target: quote.target, sellPrice: quote.price, quotedCost: cost)
        return try await hold(order, user: user, language: language)
    }

    /// Saves a bill payment at the total the customer confirmed and holds it.
    public func place(_ quote: BillQuote, user: UserRecord, refID: String) async throws -> Placement {
        let language = messages.language(user.language)
        guard let cost = quote.billAmount.adding(quote.adminFee) else {
            return .refused([try messages.row("purchase.unavailable", language, to: user.id)])
        }
        let product = await catalogue.product(quote.productCode)
        let order = NewOrder(refID: refID, userID: user.id, kind: .bill, productCode: quote.productCode, productName: quote.productName,
                             category: product?.category ?? "Tagihan", brand: product?.brand ?? "", target: quote.customerNumber,
                             sellPrice: quote.total, quotedCost: cost, inquiryID: quote.inquiryID)
        return try await hold(order, user: user, language: language)
    }

    private func hold(_ order: NewOrder, user: UserRecord, language: Language) async throws -> Placement {
        let processing = try messages.row("order.processing", language, [
            "product": order.productName, "target": order.target, "ref": order.refID, "price": messages.money(order.sellPrice, language),
        ], to: user.id, dedupeKey: "order-processing:\(order.refID)")
        do {
            let placement = try await settlement.metrics.timeWrite { try await ledger.placeOrder(order, outbox: [processing]) }
            if placement.isNew { settlement.metrics.purchase("held") }
            logger.info("order held", metadata: ["ref_id": "\(order.refID)", "sell_price": "\(order.sellPrice)", "new": "\(placement.isNew)"])
            return .placed(placement.record)
        } catch LedgerError.insufficientFunds(let balance, let needed) {
            return .refused([try messages.row("order.insufficient", language, [
                "balance": messages.money(balance, language), "price": messages.money(needed, language),
            ], buttons: [[messages.depositButton(language)]], to: user.id)])
        }
    }

    /// Sends a held order to Flowix (`/transaction/create` or `/bill/pay`) and records the
    /// answer. Safe to call again for the same order: Flowix treats `ref_id` as idempotent.
    public func send(_ order: Order) async {
        guard !order.status.isFinal else { return }
        logger.info("sending order to Flowix", metadata: ["ref_id": "\(order.refId)", "kind": "\(order.kind.rawValue)"])
        do {
            let status: FlowixStatus, price: Rupiah?, sn: String?
            switch order.kind {
            case .prepaid:
                let receipt = try await flowix.createTransaction(serviceCode: order.productCode, target: order.target, refID: order.refId)
                (status, price, sn) = (receipt.status, receipt.price, receipt.sn)
            case .bill:
                let receipt = try await flowix.payBill(serviceCode: order.productCode, customerNo: order.target, inquiryID: order.inquiryId ?? "")
                (status, price, sn) = (receipt.status, nil, receipt.sn)
            }
            logger.info("Flowix answered", metadata: ["ref_id": "\(order.refId)", "status": "\(status)"])
            try await settlement.apply(status.isFinal ? status : .processing, to: order, price: price, sn: sn, note: nil)
        } catch let error as FlowixError {
            await record(error, for: order)
        } catch {
            logger.error("recording the Flowix answer failed; the reconciler will retry", metadata: ["ref_id": "\(order.refId)", "error": "\(error)"])
        }
    }

    private func record(_ error: FlowixError, for order: Order) async {
        do {
            switch error {
            case .rejected(let rejection) where rejection.httpStatus == 409:
                // "ref_id already used": Flowix has a transaction under it; ask for its status.
                logger.warning("Flowix reports the reference exists", metadata: ["ref_id": "\(order.refId)"])
                try await ledger.markOrder(order.refId, as: .unknown, note: rejection.message)
            case .rejected(let rejection):
                logger.info("Flowix refused the order", metadata: ["ref_id": "\(order.refId)", "reason": "\(rejection.message)"])
                try await settlement.fail(order, reason: rejection.message, rejected: true)
            case .outcomeUnknown(let reason):
                logger.warning("Flowix outcome unknown; holding for the reconciler", metadata: ["ref_id": "\(order.refId)", "reason": "\(reason)"])
                try await ledger.markOrder(order.refId, as: .unknown, note: "\(reason)")
                settlement.metrics.purchase("unknown")
            case .notSent(let reason):
                logger.error("order not sent; the reconciler will retry", metadata: ["ref_id": "\(order.refId)", "reason": "\(reason)"])
            }
        } catch {
            logger.error("recording the Flowix answer failed", metadata: ["ref_id": "\(order.refId)", "error": "\(error)"])
        }
    }

    /// Looks up a bill and prices it for the customer.
    public func checkBill(productCode: String, customerNumber: String, user: UserRecord) async -> Input {
        let language = messages.language(user.language)
        do {
            let inquiry = try await flowix.checkBill(serviceCode: productCode, customerNo: customerNumber)
            guard let cost = inquiry.total else { return .lookupFailed(reason: messages.text("bill.unreadable", language)) }
            let product = await catalogue.product(productCode)
            guard let total = await catalogue.priceBook.sellPrice(cost: cost, code: productCode, category: product?.category ?? "Tagihan",
                                                                 brand: product?.brand ?? "", level: user.level.rawValue) else {
                return .lookupFailed(reason: messages.text("bill.unreadable", language))
            }
            return .billChecked(BillQuote(productCode: productCode, productName: product?.name ?? productCode,
                                          customerNumber: customerNumber, customerName: inquiry.customerName, period: inquiry.period,
                                          billAmount: inquiry.billAmount, adminFee: inquiry.adminFee, total: total, inquiryID: inquiry.inquiryID))
        } catch .rejected(let rejection) {
            return .lookupFailed(reason: rejection.message)
        } catch {
            logger.warning("bill check failed", metadata: ["product": "\(productCode)", "error": "\(error)"])
            return .lookupFailed(reason: messages.text("flowix.unreachable", language))
        }
    }
}
