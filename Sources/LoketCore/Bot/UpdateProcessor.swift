import Conversation
import Flowix
import Foundation
import Ledger
import Logging
import Money
import Telegram

/// Turns each Telegram update into conversation effects and performs them.
///
/// Per update: read the customer's snapshot, run the pure ``Conversation``, take any money
/// step first (idempotent by a reference derived from the update id), then commit the new
/// session, the replies and the update id in one transaction, wake the sender, and leave the
/// calls to Flowix to background work. A re-delivered update produces the same effects and
/// the same references, so nothing is applied twice.
public final class UpdateProcessor: UpdateHandler, Sendable {
    /// What the processor needs that is not a collaborator.
    public struct Settings: Sendable {
        public var adminIDs: Set<Int64>
        public var payoutLevels: Set<String>
        public var payoutFee: Rupiah
        public var payoutMinimum: Rupiah = Rupiah(10_000)!
        /// How often customers may start lookups at Flowix (bill checks, account inquiries, deposit checks).
        public var lookupBurst = 3
        public var lookupsPerMinute = 6
        public var shopLookupsPerSecond = 10

        public init(adminIDs: Set<Int64>, payoutLevels: Set<String>, payoutFee: Rupiah) {
            self.adminIDs = adminIDs
            self.payoutLevels = payoutLevels
            self.payoutFee = payoutFee
        }
    }

    let ledger: Ledger
    let catalogue: ShopCatalogue
    let purchases: PurchaseService
    let admin: AdminService
    let money: MoneyServices
    let messages: Messages
    let settings: Settings
    let background: BackgroundWork
    let metrics: LoketMetrics
    let clock: @Sendable () -> Date
    let logger: Logger
    private let locks = KeyedLocks<Int64>()
    private let lookups: LookupLimits

    public init(ledger: Ledger, catalogue: ShopCatalogue, purchases: PurchaseService, admin: AdminService, money: MoneyServices,
                messages: Messages, settings: Settings, background: BackgroundWork, metrics: LoketMetrics,
                clock: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "loket.bot")) {
        self.ledger = ledger
        self.catalogue = catalogue
        self.purchases = purchases
        self.admin = admin
        self.money = money
        self.messages = messages
        self.settings = settings
        self.background = background
        self.metrics = metrics
        self.clock = clock
        self.logger = logger
        lookups = LookupLimits(settings: .init(burst: settings.lookupBurst, perMinute: settings.lookupsPerMinute,
                                               shopPerSecond: settings.shopLookupsPerSecond))
    }

    public func handle(_ update: Update) async throws {
        metrics.updates.increment()
        let incoming: (chat: Int64, from: Telegram.User, input: Input)
        switch update.kind {
        case .message(let message) where message.chat.isPrivate && message.isForwarded:
            // Not typed by the sender: it never runs a command or moves money, even an admin's.
            let language = messages.language(try await ledger.user(id: message.from?.id ?? message.chat.id)?.language)
            try await ledger.commitUpdate(update.updateID, session: nil,
                                          outbox: [try messages.row("forwarded.ignored", language, to: message.chat.id)])
            return
        case .message(let message) where message.chat.isPrivate && message.from != nil:
            incoming = (message.chat.id, message.from!, .text(message.text ?? message.caption ?? ""))
        case .callbackQuery(let query) where query.data != nil && (query.message?.chat.isPrivate ?? true):
            incoming = (query.message?.chat.id ?? query.from.id, query.from, .button(query.data!))
        case .message, .callbackQuery, .unreadable, .other:
            try await ledger.commitUpdate(update.updateID, session: nil, outbox: [])
            return
        }
        try await locks.withLock(incoming.chat) {
            try await self.process(update.updateID, chat: incoming.chat, from: incoming.from, input: incoming.input)
        }
    }

    /// Records the update as quarantined, apologises to its sender in a private chat and alerts
    /// the admins (at most once an hour per sender), in one transaction.
    public func quarantine(_ update: Update, reason: QuarantineReason) async throws {
        metrics.quarantined.increment()
        let record = QuarantinedUpdate(updateID: update.updateID, chatID: update.chatID, userID: update.userID,
                                       kind: update.inputKind, reason: reason.code, detail: reason.detail)
        logger.error("update quarantined", metadata: [
            "update_id": "\(record.updateID)", "chat": "\(record.chatID.map(String.init) ?? "-")",
            "user": "\(record.userID.map(String.init) ?? "-")", "input": "\(record.kind)", "reason": "\(record.detail)",
        ])
        var rows: [NewOutboxMessage] = []
        if let chat = update.chatID, update.isPrivate {
            let language = messages.language(try? await ledger.user(id: update.userID ?? chat)?.language)
            rows.append(try messages.row("update.quarantined", language, buttons: [[Button(messages.text("button.menu", language),
                                                                                           CallbackData.menu(.menu))]],
                                         to: chat, dedupeKey: "quarantined:\(update.updateID)"))
        }
        let hour = Int64(clock().timeIntervalSince1970) / 3600
        for admin in settings.adminIDs.sorted() {
            rows.append(try messages.row("alert.quarantined", messages.defaultLanguage, [
                "update": String(update.updateID), "user": update.userID.map(String.init) ?? "-",
                "kind": HTML.escape(record.kind), "reason": messages.text("quarantine.reason.\(reason.code)", messages.defaultLanguage),
            ], to: admin, priority: .bulk, dedupeKey: "alert:quarantined:\(admin):\(update.userID ?? 0):\(hour)"))
        }
        try await ledger.quarantine(record, outbox: rows)
    }

    private func process(_ updateID: Int64, chat: Int64, from: Telegram.User, input: Input) async throws {
        let now = clock()
        let snapshot = try await ledger.customerSnapshot(userID: from.id, chatID: chat, since: now.addingTimeInterval(-24 * 3600))
        var user = snapshot.user
        if user == nil || user?.name != from.fullName || user?.username != from.username || user?.isReachable == false {
            user = try await ledger.registerUser(id: from.id, name: from.fullName, username: from.username,
                                                 language: from.languageCode == "en" ? "en" : messages.defaultLanguage.rawValue)
        }
        guard let user else { return }
        let language = messages.language(user.language)
        if user.isBlocked {
            try await ledger.commitUpdate(updateID, session: nil, outbox: [try messages.row("account.blocked", language, to: chat)])
            return
        }
        var conversation = Conversation(state: Self.decodeState(snapshot.session) ?? ConversationState(updatedAt: now))
        let context = await context(for: user, balance: snapshot.balance, recent: snapshot.recentOrders, now: now)
        let effects = conversation.handle(input, context: context)

        var rows: [NewOutboxMessage] = []
        var jobs: [@Sendable () async -> Void] = []
        let reference = Reference(.order, chat: chat, update: updateID)
        for effect in effects {
            if effect.looksUpAtFlowix,
               let wait = await lookups.allow(userID: user.id, isAdmin: settings.adminIDs.contains(user.id), now: now) {
                // One customer in a loop must not get the shop rate-limited by Flowix.
                let reason = messages.text("limit.wait", language, ["seconds": String(wait)])
                if case .checkDeposit = effect {
                    rows.append(try messages.row(Reply(reason), to: chat))
                } else {
                    jobs.append { await self.followUp(chat: chat, userID: user.id, input: .lookupFailed(reason: reason)) }
                }
                continue
            }
            switch effect {
            case .send(let reply): rows.append(try messages.row(reply, to: chat))
            case .purchase(let quote):
                switch try await purchases.place(quote, user: user, refID: reference.description) {
                case .placed(let order, let attempt): jobs.append { [purchases] in await purchases.send(order, attempt: attempt) }
                case .refused(let replies): rows += replies
                }
            case .payBill(let quote):
                switch try await purchases.place(quote, user: user, refID: reference.description) {
                case .placed(let order, let attempt): jobs.append { [purchases] in await purchases.send(order, attempt: attempt) }
                case .refused(let replies): rows += replies
                }
            case .checkBill(let code, let number):
                jobs.append { [purchases] in
                    let answer = await purchases.checkBill(productCode: code, customerNumber: number, user: user)
                    await self.followUp(chat: chat, userID: user.id, input: answer)
                }
            case .showHistory: rows.append(try await history(user, language, chat))
            case .lookupOrder(let ref): rows.append(try await lookup(ref, user: user, language, chat))
            case .setLanguage(let chosen): try await ledger.setLanguage(chosen.rawValue, userID: user.id)
            case .admin, .createDeposit, .inquireAccount, .createPayout, .cancelDeposit, .checkDeposit:
                let outcome: EffectOutcome
                if case .admin(let command) = effect {
                    outcome = try await admin.execute(command, by: user, updateID: updateID, chat: chat)
                } else {
                    outcome = try await money.perform(effect, user: user, chat: chat, reference: reference)
                }
                rows += outcome.replies
                if let job = outcome.job { jobs.append(job) }
                if let input = outcome.followUp {
                    jobs.append { await self.followUp(chat: chat, userID: user.id, input: await input()) }
                }
            }
        }
        // Handled before (by another run that got there first): its work was started then.
        guard try await ledger.commitUpdate(updateID, session: (chat, Self.encodeState(conversation.state)), outbox: rows) else { return }
        for job in jobs { await background.start(job) }
    }

    /// Feeds the answer of a lookup (bill, bank account) back into the chat's conversation.
    func followUp(chat: Int64, userID: Int64, input: Input) async {
        do {
            try await locks.withLock(chat) {
                let now = self.clock()
                let snapshot = try await self.ledger.customerSnapshot(userID: userID, chatID: chat, since: now.addingTimeInterval(-24 * 3600))
                guard let user = snapshot.user else { return }
                var conversation = Conversation(state: Self.decodeState(snapshot.session) ?? ConversationState(updatedAt: now))
                let context = await self.context(for: user, balance: snapshot.balance, recent: snapshot.recentOrders, now: now)
                let rows = try conversation.handle(input, context: context).compactMap { effect -> NewOutboxMessage? in
                    if case .send(let reply) = effect { return try self.messages.row(reply, to: chat) }
                    return nil
                }
                try await self.ledger.saveSession(chatID: chat, state: Self.encodeState(conversation.state), outbox: rows)
            }
        } catch {
            logger.error("follow-up failed", metadata: ["chat": "\(chat)", "error": "\(error)"])
        }
    }

    func context(for user: UserRecord, balance: Rupiah, recent: [Order], now: Date) async -> ConversationContext {
        let level = user.level.rawValue
        let depositMethods = await catalogue.depositMethods
        let banks = await catalogue.banks
        return ConversationContext(
            now: now,
            customer: Customer(id: user.id, firstName: String(user.name.split(separator: " ").first ?? Substring(user.name)),
                               level: level, isAdmin: settings.adminIDs.contains(user.id),
                               canWithdraw: settings.payoutLevels.contains(level), balance: balance),
            language: messages.language(user.language), strings: messages.strings,
            products: await catalogue.offers(level: level),
            recentPurchases: recent.map { RecentPurchase(productCode: $0.productCode, target: $0.target,
                                                         at: Date(timeIntervalSince1970: TimeInterval($0.createdAt))) },
            depositOptions: depositMethods.map {
                DepositOption(code: $0.code, name: $0.name, minimum: $0.minAmount, maximum: $0.maxAmount, fee: $0.fee, isQRIS: $0.isQRIS)
            },
            banks: banks.map { BankOption(code: $0.code, name: $0.name, isEWallet: $0.isEWallet) },
            payoutFee: settings.payoutFee, payoutMinimum: settings.payoutMinimum)
    }

    static func decodeState(_ text: String?) -> ConversationState? {
        text.flatMap { try? JSONDecoder().decode(ConversationState.self, from: Data($0.utf8)) }
    }

    static func encodeState(_ state: ConversationState) throws -> String {
        String(decoding: try JSONEncoder().encode(state), as: UTF8.self)
    }

    // MARK: Read-only answers

    private func history(_ user: UserRecord, _ language: Language, _ chat: Int64) async throws -> NewOutboxMessage {
        let movements = try await ledger.movements(userID: user.id, limit: 10)
        guard !movements.isEmpty else { return try messages.row("history.empty", language, to: chat) }
        let lines = movements.map { movement in
            let sign = movement.amount < 0 ? "−" : "+"
            return messages.text("history.line", language, [
                "date": WIB.short(movement.createdAt), "kind": messages.text(Self.movementKey(movement.kind), language),
                "amount": sign + messages.money(abs(movement.amount), language), "ref": movement.reference ?? "-",
                "balance": movement.balanceAfter.map { messages.money($0, language) } ?? "-",
            ])
        }
        return try messages.row(Reply(messages.text("history.title", language) + "\n" + lines.joined(separator: "\n")), to: chat)
    }

    private func lookup(_ ref: String, user: UserRecord, _ language: Language, _ chat: Int64) async throws -> NewOutboxMessage {
        guard let order = try await ledger.order(refID: ref), order.userId == user.id || settings.adminIDs.contains(user.id) else {
            return try messages.row("lookup.notFound", language, ["ref": HTML.excerpt(ref)], to: chat)
        }
        return try messages.row("lookup.order", language, [
            "ref": order.refId, "product": order.productName, "target": order.target,
            "price": messages.money(order.sellPrice, language), "status": messages.text(Self.statusKey(order.status), language),
            "sn": order.sn ?? "-", "date": WIB.short(order.createdAt),
        ], to: chat)
    }

    static func movementKey(_ kind: JournalKind) -> String {
        switch kind {
        case .deposit: return "movement.deposit"
        case .purchaseHold: return "movement.purchase"
        case .purchaseCapture: return "movement.purchase"
        case .purchaseRelease: return "movement.refund"
        case .payoutHold, .payoutCapture: return "movement.payout"
        case .payoutRelease: return "movement.payoutRefund"
        case .adjustment: return "movement.adjustment"
        }
    }

    static func statusKey(_ status: ProgressStatus) -> String {
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
        case .send, .purchase, .payBill, .createDeposit, .createPayout, .showHistory, .lookupOrder, .cancelDeposit, .setLanguage, .admin:
            return false
        }
    }
}
