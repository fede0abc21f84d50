import Conversation
import Foundation
import Ledger
import Synchronization
import Logging
import Money

/// Every chat's conversation as the database keeps it: one turn at a time per chat (an update,
/// or the answer to a lookup it started), the context a turn runs in, and the session's JSON.
public final class ChatConversations: Sendable {
    let ledger: Ledger
    let catalogue: ShopCatalogue
    let messages: Messages
    let settings: UpdateProcessor.Settings
    let clock: @Sendable () -> Date
    let logger: Logger
    private let locks = KeyedLocks<Int64>()
    /// PIN digits typed so far, per chat: in this process only, never in the session row.
    private let drafts = Mutex<[Int64: PINDraft]>([:])

    public init(ledger: Ledger, catalogue: ShopCatalogue, messages: Messages, settings: UpdateProcessor.Settings,
                clock: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "loket.bot")) {
        self.ledger = ledger
        self.catalogue = catalogue
        self.messages = messages
        self.settings = settings
        self.clock = clock
        self.logger = logger
    }

    /// Runs `body` as the chat's only turn: turns of one chat never load and save its session at
    /// the same time, and run in the order they arrive.
    func turn<T: Sendable>(_ chat: Int64, _ body: @Sendable () async throws -> T) async rethrows -> T {
        try await locks.withLock(chat, body)
    }

    /// The customer's snapshot for a turn starting `now`: orders of the last 24 hours count as recent.
    func snapshot(userID: Int64, chat: Int64, now: Date) async throws -> CustomerSnapshot {
        try await ledger.updates.customerSnapshot(userID: userID, chatID: chat, since: now.addingTimeInterval(-24 * 3600))
    }

    /// Feeds the answer of a lookup (a bill, an account holder, a refusal) into the chat's
    /// conversation, in a turn of its own, and queues what it says.
    func answer(_ input: Input, chat: Int64, userID: Int64) async {
        do {
            try await turn(chat) {
                let now = self.clock()
                let snapshot = try await self.snapshot(userID: userID, chat: chat, now: now)
                guard let user = snapshot.user else { return }
                var conversation = Conversation(state: self.state(snapshot.session, chat: chat, now: now))
                let context = await self.context(for: user, snapshot: snapshot, now: now)
                let rows = try conversation.handle(input, context: context).compactMap { effect -> NewOutboxMessage? in
                    if case .send(let reply) = effect { return try self.messages.row(reply, to: chat) }
                    return nil
                }
                try await self.ledger.updates.saveSession(chatID: chat, state: self.stored(conversation.state, chat: chat), outbox: rows)
            }
        } catch {
            logger.error("follow-up failed", metadata: ["chat": "\(chat)", "error": "\(error)"])
        }
    }

    /// What the conversation knows of the shop and the customer for one turn.
    func context(for user: UserRecord, snapshot: CustomerSnapshot, now: Date) async -> ConversationContext {
        let level = user.level.rawValue, balance = snapshot.balance, recent = snapshot.recentOrders
        // One hop to the catalogue per turn, not four.
        let (offers, depositMethods, banks, hours) = await catalogue.view(level: level)
        return ConversationContext(
            now: now,
            customer: Customer(id: user.id, firstName: String(user.name.split(separator: " ").first ?? Substring(user.name)),
                               level: level, isAdmin: settings.adminIDs.contains(user.id),
                               canWithdraw: settings.payoutLevels.contains(level), balance: balance,
                               pin: PINService.state(hasPIN: snapshot.hasPIN, lockedUntil: snapshot.pinLockedUntil, now: now)),
            language: messages.language(user.language), strings: messages.strings,
            products: offers,
            recentPurchases: recent.map { RecentPurchase(productCode: $0.productCode, target: $0.target,
                                                         at: Date(timeIntervalSince1970: TimeInterval($0.createdAt))) },
            depositOptions: depositMethods.map {
                DepositOption(code: $0.code, name: $0.name, minimum: $0.minAmount, maximum: $0.maxAmount, fee: $0.fee, isQRIS: $0.isQRIS)
            },
            banks: banks.map { BankOption(code: $0.code, name: $0.name, isEWallet: $0.isEWallet) },
            payoutFee: settings.payoutFee, payoutMinimum: settings.payoutMinimum, hours: hours, pinAbove: settings.pinAbove,
            transferLimits: settings.transferLimits)
    }

    /// The chat's session as saved, with any PIN digits typed so far put back from memory; a
    /// fresh one when there is none or it no longer decodes.
    func state(_ saved: String?, chat: Int64, now: Date) -> ConversationState {
        var state = Self.decodeState(saved) ?? ConversationState(updatedAt: now)
        state.unseal(drafts.withLock { $0[chat] })
        return state
    }

    /// The session's JSON to save, without PIN digits: those stay in memory for the next turn.
    func stored(_ state: ConversationState, chat: Int64) throws -> String {
        let (stored, draft) = state.sealed()
        drafts.withLock { $0[chat] = draft }
        return try Self.encodeState(stored)
    }

    /// A saved session; `nil` (a fresh start) when there is none or it no longer decodes.
    static func decodeState(_ text: String?) -> ConversationState? {
        text.flatMap { try? JSONDecoder().decode(ConversationState.self, from: Data($0.utf8)) }
    }

    static func encodeState(_ state: ConversationState) throws -> String {
        String(decoding: try JSONEncoder().encode(state), as: UTF8.self)
    }
}
