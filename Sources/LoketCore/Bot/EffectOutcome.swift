import Conversation
import Ledger

/// What a service did with an effect while the update was being handled.
public struct EffectOutcome: Sendable {
    /// Replies committed together with the update.
    public var replies: [NewOutboxMessage] = []
    /// Work to start after the commit (calls to Flowix); it queues its own messages.
    public var job: (@Sendable () async -> Void)?
    /// A lookup whose answer goes back into the chat's conversation.
    public var followUp: (@Sendable () async -> Input)?

    public init(replies: [NewOutboxMessage] = [], job: (@Sendable () async -> Void)? = nil,
                followUp: (@Sendable () async -> Input)? = nil) {
        self.replies = replies
        self.job = job
        self.followUp = followUp
    }
}
