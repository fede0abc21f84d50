import Ledger

/// What performing an effect comes to: the replies committed together with the update, and the
/// ``Work`` to start once it is committed.
public struct EffectOutcome: Sendable, Equatable {
    /// Replies committed together with the update.
    public var replies: [NewOutboxMessage] = []
    /// Work to start after the commit, in order.
    public var work: [Work] = []

    public init(replies: [NewOutboxMessage] = [], work: [Work] = []) {
        self.replies = replies
        self.work = work
    }

    /// Both outcomes, this one's first.
    mutating func append(_ other: EffectOutcome) {
        replies += other.replies
        work += other.work
    }
}
