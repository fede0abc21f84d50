import Conversation
import Foundation
import Ledger
import Logging
import Money

/// Balance transfers between members: one journal transaction under the update's reference
/// (`TF-<chat>-<update>`), within the owner's limits, with both sides told in the same write.
public struct TransferService: Sendable {
    let ledger: Ledger
    let messages: Messages
    let limits: TransferLimits
    let logger: Logger

    public init(ledger: Ledger, messages: Messages, limits: TransferLimits, logger: Logger = Logger(label: "loket.transfer")) {
        self.ledger = ledger
        self.messages = messages
        self.limits = limits
        self.logger = logger
    }

    /// A registered user who may receive a transfer: by id or `@username`, not blocked.
    public func recipient(_ handle: String) async throws -> Recipient? {
        guard let user = try await ledger.users.user(handle: handle), !user.isBlocked else { return nil }
        return Recipient(id: user.id, name: user.name, username: user.username)
    }

    /// Moves the money and queues both messages; refusals (limits, balance, a recipient gone)
    /// are replies to the sender, and move nothing.
    public func send(_ quote: TransferQuote, from sender: UserRecord, chat: Int64, reference: String, now: Date) async throws -> EffectOutcome {
        let language = messages.language(sender.language)
        func refuse(_ key: String, _ values: [String: String] = [:]) throws -> EffectOutcome {
            EffectOutcome(replies: [try messages.row(key, language, values, to: chat)])
        }
        guard quote.amount >= limits.minimum else { return try refuse("transfer.belowMinimum", ["min": messages.money(limits.minimum, language)]) }
        guard quote.amount <= limits.maximum else { return try refuse("transfer.aboveMaximum", ["max": messages.money(limits.maximum, language)]) }
        guard let recipient = try await ledger.users.user(id: quote.recipient.id), !recipient.isBlocked, recipient.id != sender.id else {
            return try refuse("transfer.recipientNotFound")
        }
        let amount = quote.amount
        let recipientLanguage = messages.language(recipient.language)
        let senderHandle = sender.username.map { "@" + $0 } ?? "ID \(sender.id)"
        do {
            let result = try await ledger.wallets.transfer(
                NewTransfer(reference: reference, senderID: sender.id, recipientID: recipient.id, amount: amount),
                dailyLimit: limits.daily, dayStart: WIB.startOfDay(now)
            ) { [messages] senderBalance, recipientBalance in
                [
                    try messages.row("transfer.done", language, [
                        "amount": messages.money(amount, language), "name": recipient.name,
                        "who": quote.recipient.handle, "balance": messages.money(senderBalance, language), "ref": reference,
                    ], to: chat, dedupeKey: "transfer-sent:\(reference)"),
                    try messages.row("transfer.received", recipientLanguage, [
                        "amount": messages.money(amount, recipientLanguage), "name": sender.name, "who": senderHandle,
                        "balance": messages.money(recipientBalance, recipientLanguage), "ref": reference,
                    ], to: recipient.id, dedupeKey: "transfer-received:\(reference)"),
                ]
            }
            if result.isNew {
                logger.info("transfer", metadata: ["ref": "\(reference)", "from": "\(sender.id)", "to": "\(recipient.id)", "amount": "\(amount)"])
            }
            return EffectOutcome()
        } catch LedgerError.insufficientFunds(let balance, _) {
            return try refuse("transfer.insufficient", ["balance": messages.money(balance, language)])
        } catch LedgerError.dailyLimitReached(let remaining) {
            return try refuse("transfer.dailyLimit", ["daily": messages.money(limits.daily, language), "remaining": messages.money(remaining, language)])
        }
    }
}
