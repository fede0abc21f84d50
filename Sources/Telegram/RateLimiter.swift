import Foundation

/// Telegram's sending limits as a pure scheduler: given the current time it books the
/// earliest moment each message may go, using the generic cell rate algorithm (a token bucket
/// kept as one "theoretical arrival time" per key).
///
/// - bulk messages share an overall budget (default 30/s);
/// - replies to a user's own message skip that budget;
/// - each private chat gets about 1 message/s sustained with a short burst allowed;
/// - each group gets 20 messages/minute.
public struct RateLimiter: Sendable {
    public struct Configuration: Sendable {
        public var overallPerSecond: Double = 30
        public var privateChatPerSecond: Double = 1
        /// Messages a private chat may get at once before the 1/s pace applies.
        public var privateChatBurst: Int = 3
        public var groupPerMinute: Double = 20

        public init() {}
    }

    /// How urgent a message is.
    public enum Priority: String, Sendable, Codable {
        /// A reply to something the user just did: not held back by the overall budget.
        case reply
        /// Broadcasts and batches of notifications.
        case bulk
    }

    private let configuration: Configuration
    private var overall: Date = .distantPast
    private var chats: [Int64: Date] = [:]

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Books a slot for one message to `chatID` and returns when it may be sent (`now` or later).
    public mutating func reserve(chatID: Int64, priority: Priority, now: Date) -> Date {
        let isGroup = chatID < 0
        let chatInterval = isGroup ? 60 / configuration.groupPerMinute : 1 / configuration.privateChatPerSecond
        let chatTolerance = isGroup ? 0 : chatInterval * Double(max(configuration.privateChatBurst - 1, 0))
        var allowed = Self.earliest(tat: chats[chatID] ?? .distantPast, now: now, tolerance: chatTolerance)
        if priority == .bulk {
            allowed = max(allowed, Self.earliest(tat: overall, now: now, tolerance: 0))
            overall = max(overall, allowed).addingTimeInterval(1 / configuration.overallPerSecond)
        }
        chats[chatID] = max(chats[chatID] ?? .distantPast, allowed).addingTimeInterval(chatInterval)
        if chats.count > 10_000 { chats = chats.filter { $0.value > now } }
        return allowed
    }

    private static func earliest(tat: Date, now: Date, tolerance: TimeInterval) -> Date {
        max(now, tat.addingTimeInterval(-tolerance))
    }
}
