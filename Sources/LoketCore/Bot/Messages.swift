import Conversation
import Foundation
import Ledger
import Logging
import Money
import Telegram

/// Renders what users read into outbox rows, in each user's language.
public struct Messages: Sendable {
    public let strings: LocaleStrings
    public let defaultLanguage: Language

    /// A customer's message queued in the same write that settles their money: the row, or none
    /// when it cannot be rendered, so the money still settles. Never dropped without a word: the
    /// failure is logged with the reference.
    public func told(_ reference: String, _ render: () throws -> NewOutboxMessage) -> [NewOutboxMessage] {
        do {
            return [try render()]
        } catch {
            Self.logger.error("a customer's message could not be rendered; the money settled without it",
                              metadata: ["ref_id": "\(reference)", "error": "\(error)"])
            return []
        }
    }

    static let logger = Logger(label: "loket.messages")

    public init(strings: LocaleStrings, defaultLanguage: Language) {
        self.strings = strings
        self.defaultLanguage = defaultLanguage
    }

    public func language(_ code: String?) -> Language { code.flatMap(Language.init) ?? defaultLanguage }

    public func text(_ key: String, _ language: Language, _ values: [String: String] = [:]) -> String {
        strings.text(key, language, values)
    }

    public func money(_ amount: Rupiah, _ language: Language) -> String { strings.money(amount, language) }
    /// A signed amount (a margin, a wallet movement): a loss keeps its minus sign, never shown
    /// as a zero; beyond what `Rupiah` holds, the plain digits.
    public func money(_ amount: Int64, _ language: Language) -> String {
        guard let magnitude = Int64(exactly: amount.magnitude).flatMap(Rupiah.init) else { return "Rp" + String(amount) }
        return (amount < 0 ? "−" : "") + strings.money(magnitude, language)
    }

    /// An outbox row with a conversation reply.
    public func row(_ reply: Reply, to chatID: Int64, priority: RateLimiter.Priority = .reply, dedupeKey: String? = nil) throws -> NewOutboxMessage {
        try LedgerOutboxStore.row(Self.outbound(reply), chatID: chatID, priority: priority, dedupeKey: dedupeKey)
    }

    /// An outbox row with the text for `key`.
    public func row(_ key: String, _ language: Language, _ values: [String: String] = [:], buttons: [[Button]] = [],
                    to chatID: Int64, priority: RateLimiter.Priority = .reply, dedupeKey: String? = nil) throws -> NewOutboxMessage {
        try row(Reply(text(key, language, values), buttons: buttons), to: chatID, priority: priority, dedupeKey: dedupeKey)
    }

    /// The buttons of a successful transaction: "🧾 Struk", and for a prepaid product "🔁 Beli
    /// lagi" (the same product for the same number, through a fresh confirmation). A button
    /// whose data does not fit Telegram's 64 bytes is left out (`/struk REF` still works).
    public func successButtons(_ reference: String, buyAgain: (code: String, target: String)? = nil, _ language: Language) -> [[Button]] {
        let receipt = CallbackData.receipt(reference: reference).map { Button(text("button.receipt", language), $0) }
        let again = buyAgain.flatMap { CallbackData.buyAgain(code: $0.code, target: $0.target) }.map { Button(text("button.repeat", language), $0) }
        let row = [receipt, again].compactMap { $0 }
        return row.isEmpty ? [] : [row]
    }

    /// A conversation reply as a Telegram message.
    public static func outbound(_ reply: Reply) -> OutboundMessage {
        let keyboard = reply.buttons.isEmpty ? nil : InlineKeyboardMarkup(reply.buttons.map { row in
            row.map { InlineKeyboardButton(text: $0.title, callbackData: $0.data) }
        })
        return OutboundMessage(text: reply.text, keyboard: keyboard, editMessageID: reply.editing)
    }

    /// The Deposit button shown when a balance is short.
    public func depositButton(_ language: Language) -> Button {
        Button(text("menu.deposit", language), CallbackData.menu(.deposit))
    }
}
