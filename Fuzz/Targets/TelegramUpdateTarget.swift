import Conversation
import Foundation
#if DEBUG || FUZZING
@testable import Telegram
#else
import Telegram
#endif

/// `telegram-update`: a Bot API body read as one `Update`, as a `getUpdates` batch and, as the
/// client reads answers, as the `getUpdates` envelope at several HTTP statuses; each update's
/// text or button then goes through the parser and a conversation. A malformed update never
/// hides the rest of its batch, and a 429 always waits at least a second.
public enum TelegramUpdateTarget: FuzzTarget {
    public static let name = "telegram-update"
    public static let summary = "Update, UpdateBatch and the getUpdates envelope, then the update into a conversation"

    public static func run(_ bytes: [UInt8]) {
        let body = Data(bytes)
        var updates: [Update] = []
        if let update = try? JSONDecoder().decode(Update.self, from: body) { updates.append(update) }
        if let batch = try? JSONDecoder().decode(UpdateBatch.self, from: body) { updates += batch.updates }
        #if DEBUG || FUZZING
        for status in [200, 400, 403, 409, 429, 502] {
            do {
                let batch = try TelegramCall.interpret(UpdateBatch.self, status: status, body: body, method: GetUpdates.name)
                updates += batch.updates
            } catch {
                if case .rateLimited(let seconds) = error { Fuzz.check(seconds >= 1, "retry after \(seconds) s") }
            }
        }
        #endif
        for update in updates.prefix(20) { deliver(update) }
    }

    /// What the bot does with an update: a private message's text or caption, or a button.
    static func deliver(_ update: Update) {
        _ = update.chatID
        let input: Input
        switch update.kind {
        case .message(let message) where message.chat.isPrivate && message.from != nil:
            input = .text(message.text ?? message.caption ?? "")
            _ = message.from?.fullName
        case .callbackQuery(let query) where query.data != nil && (query.message?.chat.isPrivate ?? true):
            input = .button(query.data!)
        default: return
        }
        var driver = ConversationDriver(thorough: false)
        if let from = update.from {
            driver.customer.firstName = String(from.fullName.split(separator: " ").first ?? Substring(from.fullName))
        }
        if case .text(let text) = input {
            CommandParserTarget.checkCommand(CommandParser.parse(text, isAdmin: false), typed: text)
            driver.handle(.text(ConversationDriver.telegramText(text)))
        } else {
            driver.handle(input)
        }
    }
}

extension Update {
    var from: User? {
        switch kind {
        case .message(let message): return message.from
        case .callbackQuery(let query): return query.from
        case .unreadable, .other: return nil
        }
    }
}
