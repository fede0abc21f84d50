/// The parts of a `Message` the bot uses; unknown fields are ignored.
public struct Message: Sendable, Codable, Equatable {
    public var messageID: Int64
    public var from: User?
    public var chat: Chat
    /// Unix time.
    public var date: Int64
    public var text: String?
    public var caption: String?

    enum CodingKeys: String, CodingKey { case messageID = "message_id", from, chat, date, text, caption }

    public init(messageID: Int64, from: User?, chat: Chat, date: Int64, text: String? = nil, caption: String? = nil) {
        self.messageID = messageID
        self.from = from
        self.chat = chat
        self.date = date
        self.text = text
        self.caption = caption
    }
}

/// A button press on an inline keyboard (`CallbackQuery`).
public struct CallbackQuery: Sendable, Codable, Equatable {
    public var id: String
    public var from: User
    /// The message the button was on; may be only partly known when it is old.
    public var message: MessageReference?
    public var data: String?

    enum CodingKeys: String, CodingKey { case id, from, message, data }

    public init(id: String, from: User, message: MessageReference?, data: String?) {
        self.id = id
        self.from = from
        self.message = message
        self.data = data
    }
}

/// The chat and id of a message, which is all Telegram guarantees for an inaccessible one.
public struct MessageReference: Sendable, Codable, Equatable {
    public var messageID: Int64
    public var chat: Chat

    enum CodingKeys: String, CodingKey { case messageID = "message_id", chat }

    public init(messageID: Int64, chat: Chat) {
        self.messageID = messageID
        self.chat = chat
    }
}

/// An inline keyboard (`InlineKeyboardMarkup`).
public struct InlineKeyboardMarkup: Sendable, Codable, Equatable {
    public var inlineKeyboard: [[InlineKeyboardButton]]

    enum CodingKeys: String, CodingKey { case inlineKeyboard = "inline_keyboard" }

    public init(_ rows: [[InlineKeyboardButton]]) { inlineKeyboard = rows }
}

/// A callback button (`InlineKeyboardButton`); `callbackData` is at most 64 bytes.
public struct InlineKeyboardButton: Sendable, Codable, Equatable {
    public var text: String
    public var callbackData: String?

    enum CodingKeys: String, CodingKey { case text, callbackData = "callback_data" }

    public init(text: String, callbackData: String) {
        self.text = text
        self.callbackData = callbackData
    }
}

/// A command shown in the client's menu (`BotCommand`).
public struct BotCommand: Sendable, Codable, Equatable {
    public var command: String
    public var description: String

    public init(command: String, description: String) {
        self.command = command
        self.description = description
    }
}
