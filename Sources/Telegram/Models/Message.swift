/// The parts of a `Message` the bot uses; unknown fields are ignored.
public struct Message: Sendable, Codable, Equatable {
    public var messageID: Int64
    public var from: User?
    public var chat: Chat
    /// Unix time.
    public var date: Int64
    public var text: String?
    public var caption: String?
    /// The sender did not type this: it was forwarded from someone (`forward_origin`, or the
    /// older `forward_from…` fields), is a forwarded story, or was sent through an inline bot.
    /// Such a message never runs a command.
    public var isForwarded: Bool

    enum CodingKeys: String, CodingKey {
        case messageID = "message_id", from, chat, date, text, caption
        case forwardOrigin = "forward_origin", viaBot = "via_bot", story
        case forwardFrom = "forward_from", forwardFromChat = "forward_from_chat", forwardSenderName = "forward_sender_name"
        case forwardDate = "forward_date", isAutomaticForward = "is_automatic_forward"
    }

    /// The fields whose presence marks a message its sender did not type.
    static let forwardMarkers: [CodingKeys] = [.forwardOrigin, .forwardFrom, .forwardFromChat, .forwardSenderName, .forwardDate,
                                               .isAutomaticForward, .story, .viaBot]

    public init(messageID: Int64, from: User?, chat: Chat, date: Int64, text: String? = nil, caption: String? = nil,
                isForwarded: Bool = false) {
        self.messageID = messageID
        self.from = from
        self.chat = chat
        self.date = date
        self.text = text
        self.caption = caption
        self.isForwarded = isForwarded
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        messageID = try container.decode(Int64.self, forKey: .messageID)
        from = try container.decodeIfPresent(User.self, forKey: .from)
        chat = try container.decode(Chat.self, forKey: .chat)
        date = try container.decode(Int64.self, forKey: .date)
        text = try container.decodeIfPresent(String.self, forKey: .text)
        caption = try container.decodeIfPresent(String.self, forKey: .caption)
        isForwarded = Self.forwardMarkers.contains { container.contains($0) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(messageID, forKey: .messageID)
        try container.encodeIfPresent(from, forKey: .from)
        try container.encode(chat, forKey: .chat)
        try container.encode(date, forKey: .date)
        try container.encodeIfPresent(text, forKey: .text)
        try container.encodeIfPresent(caption, forKey: .caption)
        if isForwarded { try container.encode(date, forKey: .forwardDate) }
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

/// The chat and id of a message, which is all Telegram guarantees for an inaccessible one, and
/// all Loket reads of a message it sent.
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
