/// An incoming update. Only `message` and `callback_query` are handled; any other kind decodes
/// as ``Kind/other`` and is skipped, never fatal.
public struct Update: Sendable, Equatable, Decodable {
    public enum Kind: Sendable, Equatable {
        case message(Message)
        case callbackQuery(CallbackQuery)
        /// An update kind Loket does not handle (or one that could not be read).
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
        if let message = try? container.decodeIfPresent(Message.self, forKey: .message) {
            kind = .message(message)
        } else if let query = try? container.decodeIfPresent(CallbackQuery.self, forKey: .callbackQuery) {
            kind = .callbackQuery(query)
        } else {
            kind = .other
        }
    }

    /// The chat the update belongs to, which orders its handling.
    public var chatID: Int64? {
        switch kind {
        case .message(let message): return message.chat.id
        case .callbackQuery(let query): return query.message?.chat.id ?? query.from.id
        case .other: return nil
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
                update = Update(updateID: id, kind: .other)
            } else {
                update = nil
            }
        }
    }
}
