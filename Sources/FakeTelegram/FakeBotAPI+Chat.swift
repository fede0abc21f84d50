import Foundation
import Telegram

/// Talking to a bot through the fake like a person would: send, press a button, wait for
/// answers. Used by the tests, the fault-injection suite and the demo.
extension FakeBotAPI {
    /// Why a conversation step did not get its answer.
    public struct ChatTimeout: Error, CustomStringConvertible {
        public let description: String
    }

    /// Sends a message from `chat` and waits until the bot sent `count` new messages there.
    @discardableResult
    /// With `forwardedFrom`, the message is one `chat` forwarded from that user.
    public func say(_ text: String, from chat: Int64, forwardedFrom: Int64? = nil, expecting count: Int = 1,
                    timeout: Duration = .seconds(20)) async throws -> [Call] {
        let before = delivered(to: chat).count
        pushMessage(chatID: chat, text: text, firstName: "User\(chat)", forwardedFrom: forwardedFrom)
        return try await replies(to: chat, after: before, count: count, timeout: timeout)
    }

    /// Presses the button whose title contains `title` on the latest message to `chat` that has one.
    @discardableResult
    public func press(_ title: String, in chat: Int64, expecting count: Int = 1, timeout: Duration = .seconds(20)) async throws -> [Call] {
        let calls = delivered(to: chat)
        guard let (data, message) = calls.reversed().lazy.compactMap({ call in Self.button(title, in: call).map { ($0, call.messageID) } }).first
        else {
            throw ChatTimeout(description: "no button \"\(title)\" in chat \(chat); last message: \(calls.last?.text ?? "-")")
        }
        pushCallback(chatID: chat, data: data, messageID: message ?? 1)
        return try await replies(to: chat, after: calls.count, count: count, timeout: timeout)
    }

    /// Waits until `chat` got `count` messages after the first `before`.
    public func replies(to chat: Int64, after before: Int, count: Int, timeout: Duration = .seconds(20)) async throws -> [Call] {
        let deadline = ContinuousClock.now + timeout
        while delivered(to: chat).count < before + count {
            guard ContinuousClock.now < deadline else {
                throw ChatTimeout(description: "chat \(chat) got \(delivered(to: chat).count - before) of \(count) replies")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return Array(delivered(to: chat).dropFirst(before))
    }

    /// Waits until a message to `chat` contains `text`, and returns the latest such message.
    @discardableResult
    public func waitForMessage(_ text: String, to chat: Int64, timeout: Duration = .seconds(20)) async throws -> Call {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let found = delivered(to: chat).last(where: { $0.text?.contains(text) == true }) { return found }
            guard ContinuousClock.now < deadline else {
                throw ChatTimeout(description: "no message containing \"\(text)\" reached chat \(chat); last: \(delivered(to: chat).last?.text ?? "-")")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// The `callback_data` of the button titled `title` in a sent message.
    public static func button(_ title: String, in call: Call) -> String? {
        guard let markup = call.parameters["reply_markup"],
              let keyboard = try? JSONDecoder().decode(InlineKeyboardMarkup.self, from: Data(markup.utf8)) else { return nil }
        return keyboard.inlineKeyboard.flatMap { $0 }.first { $0.text.contains(title) }?.callbackData
    }
}
