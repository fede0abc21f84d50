import Money

/// Why a ledger operation wrote nothing.
public enum LedgerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The wallet cannot cover the amount ("saldo tidak cukup"); `balance` is what it holds.
    case insufficientFunds(balance: Rupiah, needed: Rupiah)
    /// The idempotency key was already used for a different operation.
    case idempotencyKeyReused(String)
    /// No user, order, deposit or payout with that id or reference.
    case notFound(String)
    /// The record already exists with different content.
    case conflict(String)
    /// A bill's Flowix inquiry was already paid, or tried, by the order `refID`: Flowix knows a
    /// bill payment by its inquiry id, so a second order for it would share its answers.
    case inquiryInUse(refID: String)
    /// A status change that would move backwards or settle twice.
    case invalidTransition(from: String, to: String)
    /// A posting that does not balance; a programming error caught before writing.
    case unbalanced(String)
    /// An amount out of range (zero, negative, or beyond `Rupiah.maximum`).
    case invalidAmount(String)
    /// A transfer over what the sender may still send today; `remaining` is what they may.
    case dailyLimitReached(remaining: Rupiah)
    /// A file opened for reading whose schema is older than this build's (run `loket migrate`).
    case schemaOutdated(String)

    public var description: String {
        switch self {
        case .insufficientFunds(let balance, let needed): return "saldo tidak cukup: balance \(balance), needed \(needed)"
        case .idempotencyKeyReused(let key): return "idempotency key \(key) was used for another operation"
        case .notFound(let what): return "not found: \(what)"
        case .conflict(let what): return "conflict: \(what)"
        case .inquiryInUse(let refID): return "the bill inquiry is already paid by order \(refID)"
        case .invalidTransition(let from, let to): return "status cannot move from \(from) to \(to)"
        case .unbalanced(let what): return "unbalanced posting: \(what)"
        case .invalidAmount(let what): return "invalid amount: \(what)"
        case .dailyLimitReached(let remaining): return "daily transfer limit reached: \(remaining) left today"
        case .schemaOutdated(let path): return "\(path) has an older schema; run loket migrate first"
        }
    }
}
