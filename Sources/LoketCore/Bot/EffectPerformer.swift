import Conversation
import Foundation
import Ledger
import Money

/// Performs what one update's conversation asked for, in one exhaustive `switch` over
/// ``Effect``: money steps now (held under the update's ``Reference``, so a redelivered update
/// holds nothing twice), read-only answers now, and everything that waits on Flowix as ``Work``
/// for after the commit. It never calls Flowix itself.
public struct EffectPerformer: Sendable {
    let ledger: Ledger
    let purchases: PurchaseService
    let deposits: DepositService
    let payouts: PayoutService
    let admin: AdminService
    let pins: PINService
    let transfers: TransferService
    let messages: Messages
    let adminIDs: Set<Int64>
    let shopName: String
    let lookups: LookupLimits

    public init(ledger: Ledger, purchases: PurchaseService, deposits: DepositService, payouts: PayoutService, admin: AdminService,
                pins: PINService, transfers: TransferService, messages: Messages, settings: UpdateProcessor.Settings) {
        self.ledger = ledger
        self.purchases = purchases
        self.deposits = deposits
        self.payouts = payouts
        self.admin = admin
        self.pins = pins
        self.transfers = transfers
        self.messages = messages
        self.adminIDs = settings.adminIDs
        shopName = settings.shopName
        lookups = LookupLimits(settings: .init(burst: settings.lookupBurst, perMinute: settings.lookupsPerMinute,
                                               shopPerSecond: settings.shopLookupsPerSecond))
    }

    /// The effects of one update from `user` in `chat`, in order.
    public func perform(_ effects: [Effect], user: UserRecord, chat: Int64, updateID: Int64, now: Date) async throws -> EffectOutcome {
        let reference = Reference(.order, chat: chat, update: updateID)
        var outcome = EffectOutcome()
        for effect in effects {
            if effect.looksUpAtFlowix, let wait = await lookups.allow(userID: user.id, isAdmin: adminIDs.contains(user.id), now: now) {
                // One customer in a loop must not get the shop rate-limited by Flowix.
                let reason = messages.text("limit.wait", messages.language(user.language), ["seconds": String(wait)])
                if case .checkDeposit = effect {
                    outcome.replies.append(try messages.row(Reply(reason), to: chat))
                } else {
                    outcome.work.append(.refuseLookup(reason: reason, user: user, chat: chat))
                }
                continue
            }
            outcome.append(try await perform(effect, user: user, chat: chat, updateID: updateID, reference: reference, now: now))
        }
        return outcome
    }

    /// The answer to a question the conversation asked (``Effect/isQuestion``), for the same
    /// turn; `nil` for any other effect.
    public func answer(_ question: Effect, user: UserRecord, updateID: Int64, now: Date) async throws -> Input? {
        switch question {
        case .verifyPIN(let pin): return .pinChecked(try await pins.verify(pin, userID: user.id, updateID: updateID, now: now))
        case .findRecipient(let handle): return .recipientFound(try await transfers.recipient(handle))
        case .send, .purchase, .checkBill, .payBill, .createDeposit, .inquireAccount, .createPayout, .showHistory, .lookupOrder,
             .showReceipt, .cancelDeposit, .checkDeposit, .setLanguage, .admin, .setPIN, .deleteMessage, .transfer:
            return nil
        }
    }

    func perform(_ effect: Effect, user: UserRecord, chat: Int64, updateID: Int64, reference: Reference, now: Date) async throws -> EffectOutcome {
        let language = messages.language(user.language)
        switch effect {
        case .send(let reply):
            return EffectOutcome(replies: [try messages.row(reply, to: chat)])
        case .purchase(let quote):
            return Self.outcome(of: try await purchases.place(quote, user: user, refID: reference.description))
        case .payBill(let quote):
            return Self.outcome(of: try await purchases.place(quote, user: user, refID: reference.description))
        case .checkBill(let code, let number):
            return EffectOutcome(work: [.checkBill(productCode: code, customerNumber: number, user: user, chat: chat)])
        case .showHistory:
            return EffectOutcome(replies: [try await history(user, language, chat)])
        case .lookupOrder(let ref):
            return EffectOutcome(replies: [try await lookup(ref, user: user, language, chat)])
        case .showReceipt(let ref):
            return EffectOutcome(replies: [try await receipt(ref, user: user, language, chat)])
        case .setLanguage(let chosen):
            try await ledger.users.setLanguage(chosen.rawValue, userID: user.id)
            return EffectOutcome()
        case .admin(let command):
            return try await admin.execute(command, by: user, origin: .update(updateID), chat: chat)
        case .createDeposit(let amount, let method):
            return try await deposits.start(DepositRequest(amount: amount, methodCode: method, user: user, chat: chat, reference: reference))
        case .checkDeposit(let ref):
            // A button names a record: only its owner may ask about it.
            guard let deposit = try await ledger.deposits.deposit(refID: ref), deposit.userId == user.id else {
                return EffectOutcome(replies: [try messages.row("deposit.notFound", language, ["ref": ref], to: chat)])
            }
            return EffectOutcome(work: [.refreshDeposit(reference: ref, chat: chat)])
        case .cancelDeposit(let ref):
            return EffectOutcome(work: [.cancelDeposit(reference: ref, user: user, chat: chat)])
        case .inquireAccount(let bank, let number):
            return EffectOutcome(work: [.inquireAccount(bankCode: bank, accountNumber: number, user: user, chat: chat)])
        case .createPayout(let quote):
            return try await payouts.place(quote, user: user, chat: chat, refID: reference.as(.payout).description)
        case .transfer(let quote):
            return try await transfers.send(quote, from: user, chat: chat, reference: reference.as(.transfer).description, now: now)
        case .setPIN(let pin):
            try await pins.set(pin, userID: user.id)
            return EffectOutcome(replies: [try messages.row("pin.saved", language, buttons: [[Button(messages.text("button.menu", language),
                                                                                                  CallbackData.menu(.menu))]], to: chat)])
        case .deleteMessage(let messageID):
            return EffectOutcome(replies: [try LedgerOutboxStore.row(.deletion(of: messageID), chatID: chat, priority: .reply,
                                                                     dedupeKey: "delete:\(chat):\(messageID)")])
        case .verifyPIN, .findRecipient:
            // Answered within the turn (``answer(_:user:updateID:now:)``) before the rest is
            // performed; one that gets here was asked too many times in one turn.
            return EffectOutcome(replies: [try messages.row("session.expired", language, to: chat)])
        }
    }

    /// A placed order is sent after the commit; a refused one only answers.
    static func outcome(of placement: PurchaseService.Placement) -> EffectOutcome {
        switch placement {
        case .placed(let order, let attempt): return EffectOutcome(work: [.sendOrder(order, attempt)])
        case .refused(let replies): return EffectOutcome(replies: replies)
        }
    }

    // MARK: Read-only answers

    private func history(_ user: UserRecord, _ language: Language, _ chat: Int64) async throws -> NewOutboxMessage {
        let movements = try await ledger.wallets.movements(userID: user.id, limit: 10)
        guard !movements.isEmpty else { return try messages.row("history.empty", language, to: chat) }
        let lines = movements.map { movement in
            messages.text("history.line", language, [
                "date": WIB.short(movement.createdAt), "kind": messages.text(Self.movementKey(movement.kind), language),
                "amount": (movement.amount > 0 ? "+" : "") + messages.money(movement.amount, language), "ref": movement.reference ?? "-",
                "balance": movement.balanceAfter.map { messages.money($0, language) } ?? "-",
            ])
        }
        return try messages.row(Reply(messages.text("history.title", language) + "\n" + lines.joined(separator: "\n")), to: chat)
    }

    private func lookup(_ ref: String, user: UserRecord, _ language: Language, _ chat: Int64) async throws -> NewOutboxMessage {
        guard let order = try await ledger.orders.order(refID: ref), order.userId == user.id || adminIDs.contains(user.id) else {
            return try messages.row("lookup.notFound", language, ["ref": HTML.excerpt(ref)], to: chat)
        }
        return try messages.row("lookup.order", language, [
            "ref": order.refId, "product": order.productName, "target": order.target,
            "price": messages.money(order.sellPrice, language), "status": messages.text(Self.statusKey(order.status), language),
            "sn": order.sn ?? "-", "date": WIB.short(order.createdAt),
        ], to: chat)
    }

    /// A transaction's receipt, for its owner or an admin, once it succeeded.
    private func receipt(_ ref: String, user: UserRecord, _ language: Language, _ chat: Int64) async throws -> NewOutboxMessage {
        let mayRead = { (owner: Int64) in owner == user.id || adminIDs.contains(user.id) }
        let receipt = Receipt(messages: messages, language: language, shopName: shopName)
        if let order = try await ledger.orders.order(refID: ref), mayRead(order.userId) {
            guard order.status == .success else { return try notFinal(order.refId, order.status, language, chat) }
            return try messages.row(Reply(receipt.text(for: order)), to: chat)
        }
        if let payout = try await ledger.payouts.payout(refID: ref), mayRead(payout.userId) {
            guard payout.status == .success else { return try notFinal(payout.refId, payout.status, language, chat) }
            return try messages.row(Reply(receipt.text(for: payout)), to: chat)
        }
        return try messages.row("receipt.notFound", language, ["ref": HTML.excerpt(ref)], to: chat)
    }

    private func notFinal(_ ref: String, _ status: ProgressStatus, _ language: Language, _ chat: Int64) throws -> NewOutboxMessage {
        guard status != .failed else { return try messages.row("receipt.failed", language, ["ref": ref], to: chat) }
        return try messages.row("receipt.notYet", language, ["ref": ref, "status": messages.text(Self.statusKey(status), language)], to: chat)
    }

    public static func movementKey(_ kind: JournalKind) -> String {
        switch kind {
        case .deposit: return "movement.deposit"
        case .purchaseHold: return "movement.purchase"
        case .purchaseCapture: return "movement.purchase"
        case .purchaseRelease: return "movement.refund"
        case .payoutHold, .payoutCapture: return "movement.payout"
        case .payoutRelease: return "movement.payoutRefund"
        case .adjustment: return "movement.adjustment"
        case .transfer: return "movement.transfer"
        }
    }

    public static func statusKey(_ status: ProgressStatus) -> String {
        switch status {
        case .pending: return "status.pending"
        case .processing: return "status.processing"
        case .unknown: return "status.unknown"
        case .success: return "status.success"
        case .failed: return "status.failed"
        }
    }
}

extension Effect {
    /// Whether performing it asks Flowix something without moving money.
    var looksUpAtFlowix: Bool {
        switch self {
        case .checkBill, .inquireAccount, .checkDeposit: return true
        case .send, .purchase, .payBill, .createDeposit, .createPayout, .showHistory, .lookupOrder, .showReceipt, .cancelDeposit, .setLanguage,
             .admin, .verifyPIN, .setPIN, .deleteMessage, .findRecipient, .transfer:
            return false
        }
    }
}
