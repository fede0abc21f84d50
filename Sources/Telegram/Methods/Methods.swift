// The Bot API methods Loket calls. Parameter names and types are checked against the Bot API
// 10.1 specification by `TelegramSpecificationTests`.

/// `getMe`: the bot's own user.
public struct GetMe: TelegramMethod {
    public typealias Result = User
    public static let name = "getMe"
    public init() {}
}

/// `deleteWebhook`: long polling needs no webhook.
public struct DeleteWebhook: TelegramMethod {
    public typealias Result = Bool
    public static let name = "deleteWebhook"
    public var dropPendingUpdates: Bool?

    enum CodingKeys: String, CodingKey { case dropPendingUpdates = "drop_pending_updates" }

    public init(dropPendingUpdates: Bool? = nil) { self.dropPendingUpdates = dropPendingUpdates }
}

/// `getUpdates` with long polling.
public struct GetUpdates: TelegramMethod {
    public typealias Result = UpdateBatch
    public static let name = "getUpdates"
    public var offset: Int64?
    public var limit: Int?
    /// Seconds to wait for an update before answering with none.
    public var timeout: Int?
    public var allowedUpdates: [String]?

    enum CodingKeys: String, CodingKey { case offset, limit, timeout, allowedUpdates = "allowed_updates" }

    public init(offset: Int64?, limit: Int? = 100, timeout: Int?, allowedUpdates: [String]?) {
        self.offset = offset
        self.limit = limit
        self.timeout = timeout
        self.allowedUpdates = allowedUpdates
    }
}

/// `sendMessage`. Only the sent message's id and chat are read from the answer: the sender
/// needs nothing else, and decoding the whole message was a visible share of each reply's cost.
public struct SendMessage: TelegramMethod {
    public typealias Result = MessageReference
    public static let name = "sendMessage"
    public var chatID: Int64
    public var text: String
    public var parseMode: String?
    public var replyMarkup: InlineKeyboardMarkup?
    public var disableNotification: Bool?

    enum CodingKeys: String, CodingKey {
        case text
        case chatID = "chat_id", parseMode = "parse_mode", replyMarkup = "reply_markup", disableNotification = "disable_notification"
    }

    public init(chatID: Int64, text: String, parseMode: String? = "HTML", replyMarkup: InlineKeyboardMarkup? = nil,
                disableNotification: Bool? = nil) {
        self.chatID = chatID
        self.text = text
        self.parseMode = parseMode
        self.replyMarkup = replyMarkup
        self.disableNotification = disableNotification
    }
}

/// `editMessageText`.
public struct EditMessageText: TelegramMethod {
    public typealias Result = EditResult
    public static let name = "editMessageText"
    public var chatID: Int64
    public var messageID: Int64
    public var text: String
    public var parseMode: String?
    public var replyMarkup: InlineKeyboardMarkup?

    enum CodingKeys: String, CodingKey {
        case text
        case chatID = "chat_id", messageID = "message_id", parseMode = "parse_mode", replyMarkup = "reply_markup"
    }

    public init(chatID: Int64, messageID: Int64, text: String, parseMode: String? = "HTML", replyMarkup: InlineKeyboardMarkup? = nil) {
        self.chatID = chatID
        self.messageID = messageID
        self.text = text
        self.parseMode = parseMode
        self.replyMarkup = replyMarkup
    }
}

/// `editMessageReplyMarkup`: replaces or removes a message's buttons.
public struct EditMessageReplyMarkup: TelegramMethod {
    public typealias Result = EditResult
    public static let name = "editMessageReplyMarkup"
    public var chatID: Int64
    public var messageID: Int64
    public var replyMarkup: InlineKeyboardMarkup?

    enum CodingKeys: String, CodingKey { case chatID = "chat_id", messageID = "message_id", replyMarkup = "reply_markup" }

    public init(chatID: Int64, messageID: Int64, replyMarkup: InlineKeyboardMarkup?) {
        self.chatID = chatID
        self.messageID = messageID
        self.replyMarkup = replyMarkup
    }
}

/// `deleteMessage`: removes a message (Loket deletes a typed PIN; Telegram allows it within 48 hours).
public struct DeleteMessage: TelegramMethod {
    public typealias Result = Bool
    public static let name = "deleteMessage"
    public var chatID: Int64
    public var messageID: Int64

    enum CodingKeys: String, CodingKey { case chatID = "chat_id", messageID = "message_id" }

    public init(chatID: Int64, messageID: Int64) {
        self.chatID = chatID
        self.messageID = messageID
    }
}

/// `answerCallbackQuery`: every button press is answered, so the client stops its spinner.
public struct AnswerCallbackQuery: TelegramMethod {
    public typealias Result = Bool
    public static let name = "answerCallbackQuery"
    public var callbackQueryID: String
    public var text: String?
    public var showAlert: Bool?
    public var cacheTime: Int?

    enum CodingKeys: String, CodingKey {
        case text
        case callbackQueryID = "callback_query_id", showAlert = "show_alert", cacheTime = "cache_time"
    }

    public init(callbackQueryID: String, text: String? = nil, showAlert: Bool? = nil, cacheTime: Int? = nil) {
        self.callbackQueryID = callbackQueryID
        self.text = text
        self.showAlert = showAlert
        self.cacheTime = cacheTime
    }
}

/// `sendPhoto` with PNG bytes uploaded as multipart/form-data.
public struct SendPhoto: TelegramMethod {
    public typealias Result = MessageReference
    public static let name = "sendPhoto"
    public var chatID: Int64
    public var png: [UInt8]
    public var caption: String?
    public var parseMode: String?
    public var replyMarkup: InlineKeyboardMarkup?

    enum CodingKeys: String, CodingKey { case caption, chatID = "chat_id", parseMode = "parse_mode", replyMarkup = "reply_markup" }

    public init(chatID: Int64, png: [UInt8], caption: String? = nil, parseMode: String? = "HTML", replyMarkup: InlineKeyboardMarkup? = nil) {
        self.chatID = chatID
        self.png = png
        self.caption = caption
        self.parseMode = parseMode
        self.replyMarkup = replyMarkup
    }

    public var upload: FileUpload? { FileUpload(field: "photo", filename: "qris.png", contentType: "image/png", bytes: png) }
}

/// `setMyCommands`: the command list shown by the client.
public struct SetMyCommands: TelegramMethod {
    public typealias Result = Bool
    public static let name = "setMyCommands"
    public var commands: [BotCommand]
    public var languageCode: String?

    enum CodingKeys: String, CodingKey { case commands, languageCode = "language_code" }

    public init(commands: [BotCommand], languageCode: String? = nil) {
        self.commands = commands
        self.languageCode = languageCode
    }
}

/// `sendChatAction`, e.g. `typing` while a slow answer is prepared.
public struct SendChatAction: TelegramMethod {
    public typealias Result = Bool
    public static let name = "sendChatAction"
    public var chatID: Int64
    public var action: String

    enum CodingKeys: String, CodingKey { case action, chatID = "chat_id" }

    public init(chatID: Int64, action: String = "typing") {
        self.chatID = chatID
        self.action = action
    }
}
