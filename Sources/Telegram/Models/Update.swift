/// An incoming update. Only `message` and `callback_query` are handled; any other kind decodes
/// as ``Kind/other`` and is skipped, and a message or button press whose fields cannot be read
/// decodes as ``Kind/unreadable(chatID:userID:)`` so it is set aside, never fatal.
public struct Update: Sendable, Equatable, Decodable {
    public enum Kind: Sendable, Equatable {
        case message(Message)
        case callbackQuery(CallbackQuery)
        /// A message or button press that could not be read; the chat and sender when they could.
        case unreadable(chatID: Int64?, userID: Int64?)
        /// An update kind Loket does not handle.
        case other
    }

    public var updateID: Int64
    public var kind: Kind

    enum CodingKeys: String, CodingKey { case updateID = "update_id", message, callbackQuery = "callback_query" }

    public init(updateID: Int64, kind: Kind) {
        self.updateID = updateID
        self.kind = kind
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        updateID = try container.decode(Int64.self, forKey: .updateID)
        if container.contains(.message) {
            if let message = try? container.decode(Message.self, forKey: .message) {
                kind = .message(message)
            } else {
                let loose = try? container.decode(LooseSender.self, forKey: .message)
                kind = .unreadable(chatID: loose?.chat?.id, userID: loose?.from?.id)
            }
        } else if container.contains(.callbackQuery) {
            if let query = try? container.decode(CallbackQuery.self, forKey: .callbackQuery) {
                kind = .callbackQuery(query)
            } else {
                let loose = try? container.decode(LooseSender.self, forKey: .callbackQuery)
                kind = .unreadable(chatID: loose?.message?.chat?.id ?? loose?.from?.id, userID: loose?.from?.id)
            }
        } else {
            kind = .other
        }
    }

    /// Whatever can be read of who sent an update that failed to decode.
    private struct LooseSender: Decodable {
        struct Identified: Decodable { let id: Int64? }
        struct Carrier: Decodable { let chat: Identified? }
        let chat: Identified?
        let from: Identified?
        let message: Carrier?
    }

    /// The chat the update belongs to, which orders its handling.
    public var chatID: Int64? {
        switch kind {
        case .message(let message): return message.chat.id
        case .callbackQuery(let query): return query.message?.chat.id ?? query.from.id
        case .unreadable(let chatID, _): return chatID
        case .other: return nil
        }
    }

    /// The user who sent the update, when known.
    public var userID: Int64? {
        switch kind {
        case .message(let message): return message.from?.id
        case .callbackQuery(let query): return query.from.id
        case .unreadable(_, let userID): return userID
        case .other: return nil
        }
    }

    /// Whether the update came from a one-to-one chat (or a button press with no known chat).
    public var isPrivate: Bool {
        switch kind {
        case .message(let message): return message.chat.isPrivate
        case .callbackQuery(let query): return query.message?.chat.isPrivate ?? true
        case .unreadable(let chatID, let userID): return chatID != nil && chatID == userID
        case .other: return false
        }
    }

    /// What the update carries, without its content, for logs and quarantine records:
    /// `command /margin`, `text`, `forwarded`, `button`, `unreadable` or `other`.
    public var inputKind: String {
        switch kind {
        case .message(let message):
            if message.isForwarded { return "forwarded" }
            let text = (message.text ?? message.caption ?? "").drop { $0 == " " || $0 == "\n" }
            guard text.first == "/" else { return message.text == nil && message.caption == nil ? "no text" : "text" }
            let name = text.dropFirst().prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }.prefix(32)
            return "command /\(name.lowercased())"
        case .callbackQuery: return "button"
        case .unreadable: return "unreadable"
        case .other: return "other"
        }
    }
}

/// A batch from `getUpdates`, read one element at a time so a malformed update is skipped
/// (its id still advances the offset) instead of failing the whole batch.
public struct UpdateBatch: Sendable, Decodable {
    public let updates: [Update]

    public init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        var updates: [Update] = []
        while !container.isAtEnd {
            let element = try container.decode(Lenient.self)
            if let update = element.update { updates.append(update) }
        }
        self.updates = updates
    }

    private struct Lenient: Decodable {
        let update: Update?
        init(from decoder: any Decoder) {
            if let update = try? Update(from: decoder) {
                self.update = update
            } else if let id = try? decoder.container(keyedBy: Update.CodingKeys.self).decode(Int64.self, forKey: .updateID) {
                update = Update(updateID: id, kind: .unreadable(chatID: nil, userID: nil))
            } else {
                update = nil
            }
        }
    }
}
