/// The forward-only life of an order or payout:
/// `pending → processing → success | failed`, with `unknown` when Flowix's answer was lost.
public enum ProgressStatus: String, Sendable, Codable, CaseIterable {
    /// Saved and held, not yet sent to Flowix (or sent with no answer recorded yet).
    case pending
    /// Flowix accepted it and is working on it.
    case processing
    /// The outcome of the request is unknown; the reconciler asks Flowix.
    case unknown
    case success
    case failed

    /// `true` for `success` and `failed`.
    public var isFinal: Bool { self == .success || self == .failed }

    /// Whether moving to `next` goes forward. Staying put is not a move.
    public func canMove(to next: ProgressStatus) -> Bool {
        switch (self, next) {
        case (.pending, .processing), (.pending, .unknown), (.pending, .success), (.pending, .failed): return true
        case (.unknown, .processing), (.unknown, .success), (.unknown, .failed): return true
        case (.processing, .success), (.processing, .failed): return true
        default: return false
        }
    }
}

/// The life of a deposit ticket (``Deposit/status``). A paid deposit is credited even after it expired or was
/// cancelled: money that arrived is never dropped.
public enum TicketStatus: String, Sendable, Codable, CaseIterable {
    case pending
    case success
    case expired
    case cancelled
    case failed

    public func canMove(to next: TicketStatus) -> Bool {
        switch (self, next) {
        case (.pending, .expired), (.pending, .cancelled), (.pending, .failed): return true
        case (.pending, .success), (.expired, .success), (.cancelled, .success), (.failed, .success): return true
        default: return false
        }
    }
}
