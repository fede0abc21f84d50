import Conversation
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
        /// The name at the top of every receipt.
        public var shopName = "Loket"
        /// Purchases and bills above this ask for the PIN (`LOKET_PIN_ABOVE`); `nil`: none do.
        public var pinAbove: Rupiah?
        public var transferLimits = TransferLimits.standard

        public init(adminIDs: Set<Int64>, payoutLevels: Set<String>, payoutFee: Rupiah) {
            self.adminIDs = adminIDs
            self.payoutLevels = payoutLevels
            self.payoutFee = payoutFee
        }
    }

    let ledger: Ledger
    let chats: ChatConversations
    let performer: EffectPerformer
    let runner: WorkRunner
    let messages: Messages
    let settings: Settings
    let metrics: LoketMetrics
    let logger: Logger
    /// The clock every turn reads: the one of the chats' conversations.
    var clock: @Sendable () -> Date { chats.clock }

    public init(ledger: Ledger, chats: ChatConversations, performer: EffectPerformer, runner: WorkRunner, messages: Messages,
                settings: Settings, metrics: LoketMetrics, logger: Logger = Logger(label: "loket.bot")) {
        self.ledger = ledger
        self.chats = chats
        self.performer = performer
        self.runner = runner
        self.messages = messages
        self.settings = settings
        self.metrics = metrics
        self.logger = logger
    }

    public func handle(_ update: Update) async throws {
        metrics.updates.increment()
        let incoming: (chat: Int64, from: Telegram.User, input: Input, messageID: Int64?)
        switch update.kind {
        case .message(let message) where message.chat.isPrivate && message.isForwarded:
            // Not typed by the sender: it never runs a command or moves money, even an admin's.
            let language = messages.language(try await ledger.users.user(id: message.from?.id ?? message.chat.id)?.language)
            try await ledger.updates.commit(update.updateID, session: nil,
                                          outbox: [try messages.row("forwarded.ignored", language, to: message.chat.id)])
            return
        case .message(let message) where message.chat.isPrivate && message.from != nil:
            incoming = (message.chat.id, message.from!, .text(message.text ?? message.caption ?? ""), message.messageID)
        case .callbackQuery(let query) where query.data != nil && (query.message?.chat.isPrivate ?? true):
            incoming = (query.message?.chat.id ?? query.from.id, query.from, .button(query.data!), query.message?.messageID)
        case .message, .callbackQuery, .unreadable, .other:
            try await ledger.updates.commit(update.updateID, session: nil, outbox: [])
            return
        }
        try await chats.turn(incoming.chat) {
            try await self.process(update.updateID, chat: incoming.chat, from: incoming.from, input: incoming.input,
                                   messageID: incoming.messageID)
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
            let language = messages.language(try? await ledger.users.user(id: update.userID ?? chat)?.language)
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
        try await ledger.updates.quarantine(record, outbox: rows)
    }

    /// More questions than this in one turn is a loop; the rest are not answered.
    static let questionsPerTurn = 4

    private func process(_ updateID: Int64, chat: Int64, from: Telegram.User, input: Input, messageID: Int64?) async throws {
        let now = clock()
        let snapshot = try await chats.snapshot(userID: from.id, chat: chat, now: now)
        var user = snapshot.user
        if user == nil || user?.name != from.fullName || user?.username != from.username || user?.isReachable == false {
            user = try await ledger.users.register(id: from.id, name: from.fullName, username: from.username,
                                                 language: from.languageCode == "en" ? "en" : messages.defaultLanguage.rawValue)
        }
        guard let user else { return }
        if user.isBlocked {
            try await ledger.updates.commit(updateID, session: nil, outbox: [try messages.row("account.blocked", messages.language(user.language), to: chat)])
            return
        }
        var conversation = Conversation(state: chats.state(snapshot.session, chat: chat, now: now))
        var context = await chats.context(for: user, snapshot: snapshot, now: now)
        context.messageID = messageID
        var effects = conversation.handle(input, context: context)
        // Questions the shop answers at once (is this the PIN? who is @budi?) go back into the
        // same turn, so what they unlock is performed and committed with it.
        var asked = 0
        while let index = effects.firstIndex(where: \.isQuestion), asked < Self.questionsPerTurn {
            let question = effects.remove(at: index)
            asked += 1
            guard let answer = try await performer.answer(question, user: user, updateID: updateID, now: now) else { continue }
            effects.insert(contentsOf: conversation.handle(answer, context: context), at: index)
        }
        let outcome = try await performer.perform(effects, user: user, chat: chat, updateID: updateID, now: now)
        // Handled before (by another run that got there first): its work was started then.
        guard try await ledger.updates.commit(updateID, session: (chat, chats.stored(conversation.state, chat: chat)),
                                            outbox: outcome.replies) else { return }
        await runner.submit(outcome.work)
    }
}
