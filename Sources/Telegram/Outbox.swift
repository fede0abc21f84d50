import Foundation

/// A message waiting in the outbox: plain text, text with a photo, an edit of an earlier one,
/// or the deletion of a message the user typed (it held their PIN).
public struct OutboundMessage: Sendable, Codable, Equatable {
    /// HTML text (the photo caption when there is a photo).
    public var text: String
    public var keyboard: InlineKeyboardMarkup?
    /// PNG bytes to send with `sendPhoto`.
    public var photo: Data?
    /// Edit this message instead of sending a new one.
    public var editMessageID: Int64?
    /// Delete this message instead of sending anything (`text` is empty).
    public var deleteMessageID: Int64?

    public init(text: String, keyboard: InlineKeyboardMarkup? = nil, photo: Data? = nil, editMessageID: Int64? = nil,
                deleteMessageID: Int64? = nil) {
        self.text = text
        self.keyboard = keyboard
        self.photo = photo
        self.editMessageID = editMessageID
        self.deleteMessageID = deleteMessageID
    }

    /// Deletes message `messageID` of the chat.
    public static func deletion(of messageID: Int64) -> OutboundMessage { OutboundMessage(text: "", deleteMessageID: messageID) }
}

/// One row of the outbox as the sender sees it.
public struct OutboxItem: Sendable, Equatable {
    public var id: Int64
    public var chatID: Int64
    public var priority: RateLimiter.Priority
    public var message: OutboundMessage

    public init(id: Int64, chatID: Int64, priority: RateLimiter.Priority, message: OutboundMessage) {
        self.id = id
        self.chatID = chatID
        self.priority = priority
        self.message = message
    }
}

/// What a read of the outbox found.
public struct PendingMessages: Sendable, Equatable {
    public var items: [OutboxItem]
    /// The read stopped at its limit: more pending messages follow.
    public var hasMore: Bool
    /// Chats with pending messages this read did not return: one of them waits for a retry,
    /// or the chat was running (left out by `excludingChats`) and the message is not held.
    public var passedOver: Set<Int64>
    /// Every message up to this id that the store queued was handed to the `subscribe`
    /// handler before this read; a message above it was queued elsewhere.
    public var handedOverThrough: Int64

    public init(items: [OutboxItem], hasMore: Bool, passedOver: Set<Int64> = [], handedOverThrough: Int64) {
        self.items = items
        self.hasMore = hasMore
        self.passedOver = passedOver
        self.handedOverThrough = handedOverThrough
    }
}

/// The durable queue the sender drains (Loket: the `outbox` table).
public protocol OutboxStore: Sendable {
    /// Hands every message queued from now on to `onCommit` as soon as its transaction
    /// commits, in commit order (ids only grow), and returns the id of the last message queued
    /// before, which must be read with ``pendingMessages(limit:now:excludingChats:excludingIDs:)``.
    func subscribe(_ onCommit: @escaping @Sendable ([OutboxItem]) -> Void) async throws -> Int64
    /// The first `limit` pending messages in queue order, leaving out every chat that has a
    /// message waiting for a later retry (so one chat's messages never overtake each other),
    /// then the chats in `excludingChats` and the messages in `excludingIDs` (both already with
    /// the sender); the chats left out with messages not in `excludingIDs` are `passedOver`.
    func pendingMessages(limit: Int, now: Date, excludingChats: Set<Int64>, excludingIDs: Set<Int64>) async throws -> PendingMessages
    /// Telegram accepted the message and gave it `messageID`.
    func markSent(_ id: Int64, messageID: Int64?) async throws
    /// Try this message again no earlier than `date`.
    func retryLater(_ id: Int64, at date: Date) async throws
    /// Telegram refused the message for good (a bad request); it will not be sent.
    func drop(_ id: Int64, reason: String) async throws
    /// The user blocked the bot: mark them unreachable and drop their queued messages.
    func chatBlocked(_ chatID: Int64) async throws
}
