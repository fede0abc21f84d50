import Conversation
import Flowix
import Foundation
import Ledger
import Logging
import Money

/// The purchase saga for prepaid products and bills:
/// save the order and hold the money (with the "diproses" message) → call Flowix → hand the
/// answer to the ``SettlementService``, which alone decides what it means for the money.
public struct PurchaseService: Sendable {
    let ledger: Ledger
    let flowix: FlowixAPI
    let catalogue: ShopCatalogue
    let settlement: SettlementService
    let messages: Messages
    /// Admins buy even while the shop or a product is closed.
    let adminIDs: Set<Int64>
    let logger: Logger

    public init(ledger: Ledger, flowix: FlowixAPI, catalogue: ShopCatalogue, settlement: SettlementService, messages: Messages,
                adminIDs: Set<Int64> = [], logger: Logger = Logger(label: "loket.purchase")) {
        self.adminIDs = adminIDs
        self.ledger = ledger
        self.flowix = flowix
        self.catalogue = catalogue
        self.settlement = settlement
        self.messages = messages
        self.logger = logger
    }

    /// The result of the first step, taken while handling the customer's update.
    public enum Placement: Sendable {
        /// Held and saved; send it to Flowix next (a `.resend` when it had been placed before,
        /// so an earlier attempt may have reached Flowix).
        case placed(Order, CreateAttempt)
        /// Nothing was held; these replies say why.
        case refused([NewOutboxMessage])
    }

    /// The closure or cut-off that stops `user` buying `code` now, as the reply that says so:
    /// checked again here, before any money moves, since a confirmation may have been shown
    /// before the owner closed the shop.
    /// An order already placed under `refID` (the same update delivered again) is no new
    /// purchase: it goes on as placed.
    private func closed(_ code: String, refID: String, user: UserRecord, _ language: Language) async throws -> Placement? {
        guard !adminIDs.contains(user.id), let (product, refusal) = await catalogue.refusal(code: code),
              try await ledger.orders.order(refID: refID) == nil else { return nil }
        logger.info("purchase refused: closed", metadata: ["product": "\(code)", "user": "\(user.id)"])
        return .refused([try messages.row(Reply(refusal.text(product: product, strings: messages.strings, language)), to: user.id)])
    }

    /// Saves a prepaid order at the confirmed price and holds it.
    public func place(_ quote: PurchaseQuote, user: UserRecord, refID: String) async throws -> Placement {
        let language = messages.language(user.language)
        if let refused = try await closed(quote.productCode, refID: refID, user: user, language) { return refused }
        guard let product = await catalogue.product(quote.productCode), product.isAvailable, let cost = product.price.flatMap(Rupiah.init) else {
            return .refused([try messages.row("purchase.unavailable", language, to: user.id)])
        }
        // Never sell below the latest known cost: the catalogue may have changed since the quote.
        guard cost <= quote.price else {
            logger.warning("quote below the latest cost refused", metadata: ["product": "\(product.code)", "quoted": "\(quote.price)", "cost": "\(cost)"])
            return .refused([try messages.row("purchase.belowCost", language, ["product": product.name], to: user.id)])
        }
        let order = NewOrder(refID: refID, userID: user.id, kind: .prepaid, productCode: product.code, productName: product.name,
                             category: product.category, brand: product.brand, target: quote.target, sellPrice: quote.price, quotedCost: cost)
        return try await hold(order, user: user, language: language)
    }

    /// Saves a bill payment at the total the customer confirmed and holds it.
    public func place(_ quote: BillQuote, user: UserRecord, refID: String) async throws -> Placement {
        let language = messages.language(user.language)
        if let refused = try await closed(quote.productCode, refID: refID, user: user, language) { return refused }
        guard let cost = quote.billAmount.adding(quote.adminFee) else {
            return .refused([try messages.row("purchase.unavailable", language, to: user.id)])
        }
        let product = await catalogue.product(quote.productCode)
        let order = NewOrder(refID: refID, userID: user.id, kind: .bill, productCode: quote.productCode, productName: quote.productName,
                             category: product?.category ?? "Tagihan", brand: product?.brand ?? "", target: quote.customerNumber,
                             sellPrice: quote.total, quotedCost: cost, inquiryID: quote.inquiryID,
                             bill: BillDetails(customerName: quote.customerName, period: quote.period, amount: quote.billAmount,
                                               adminFee: quote.adminFee))
        return try await hold(order, user: user, language: language)
    }

    private func hold(_ order: NewOrder, user: UserRecord, language: Language) async throws -> Placement {
        let processing = try messages.row("order.processing", language, [
            "product": order.productName, "target": order.target, "ref": order.refID, "price": messages.money(order.sellPrice, language),
        ], to: user.id, dedupeKey: "order-processing:\(order.refID)")
        do {
            let placement = try await settlement.metrics.timeWrite { try await ledger.orders.place(order, outbox: [processing]) }
            if placement.isNew { settlement.metrics.purchase("held") }
            logger.info("order held", metadata: ["ref_id": "\(order.refID)", "sell_price": "\(order.sellPrice)", "new": "\(placement.isNew)"])
            return .placed(placement.record, placement.isNew ? .first : .resend)
        } catch LedgerError.inquiryInUse(let other) {
            logger.warning("bill inquiry already being paid", metadata: ["ref_id": "\(order.refID)", "paid_by": "\(other)"])
            return .refused([try messages.row("bill.alreadyPaid", language, to: user.id)])
        } catch LedgerError.insufficientFunds(let balance, let needed) {
            return .refused([try messages.row("order.insufficient", language, [
                "balance": messages.money(balance, language), "price": messages.money(needed, language),
            ], buttons: [[messages.depositButton(language)]], to: user.id)])
        }
    }

    /// Sends a held order to Flowix (`/transaction/create` or `/bill/pay`) and settles on the
    /// answer. Safe to call again for the same order (`attempt: .resend`): Flowix treats `ref_id`
    /// as idempotent, and a resend's refusal never refunds by itself. Returns the follow-up.
    @discardableResult
    public func send(_ order: Order, attempt: CreateAttempt) async -> SettlementDecision.FollowUp {
        guard !order.status.isFinal else { return .none }
        var order = order
        logger.info("sending order to Flowix", metadata: ["ref_id": "\(order.refId)", "kind": "\(order.kind.rawValue)", "attempt": "\(attempt)"])
        // Recorded before it leaves, under the reference's lock, first send or resend alike: the
        // not-found clock must start over while it may arrive, and a record settled meanwhile
        // (the reconciler may have refunded it while this send waited) is never sent.
        do {
            guard let current = try await settlement.beginSend(order: order.refId, attempt: attempt) else { return .none }
            order = current
        } catch {
            logger.error("could not record the send; not sent now", metadata: ["ref_id": "\(order.refId)", "error": "\(error)"])
            return .askLater
        }
        let event: SettlementEvent, sn: String?
        do {
            switch order.kind {
            case .prepaid:
                let receipt = try await flowix.createTransaction(order.productCode, order.target, order.refId)
                (event, sn) = (.createAnswered(receipt.status, Charge(amount: receipt.price), attempt), receipt.sn)
            case .bill:
                let receipt = try await flowix.payBill(order.productCode, order.target, order.inquiryId ?? "")
                (event, sn) = (.createAnswered(receipt.status, .unstated, attempt), receipt.sn)
            }
            logger.info("Flowix answered", metadata: ["ref_id": "\(order.refId)", "event": "\(event)"])
        } catch {
            (event, sn) = (SettlementEvent(createFailure: error, attempt: attempt), nil)
            logger.warning("Flowix did not take the order", metadata: ["ref_id": "\(order.refId)", "error": "\(error)"])
        }
        do {
            return try await settlement.handle(event, order: order.refId, sn: sn)
        } catch {
            logger.error("recording the Flowix answer failed; the reconciler will ask", metadata: ["ref_id": "\(order.refId)", "error": "\(error)"])
            return .askLater
        }
    }

    /// Looks up a bill and prices it for the customer.
    public func checkBill(productCode: String, customerNumber: String, user: UserRecord) async -> Input {
        let language = messages.language(user.language)
        do {
            let inquiry = try await flowix.checkBill(productCode, customerNumber)
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
