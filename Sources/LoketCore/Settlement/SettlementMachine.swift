import Flowix
import Ledger
import Money

/// How every held rupiah (a prepaid order, a bill payment, a payout) is settled: a pure
/// decision from the record's state and one event; ``SettlementService`` carries it out.
///
/// The one rule behind the table: once a create may have reached Flowix, the only road to a
/// refund is Flowix saying, for that reference, that it failed — a status `failed`, or "not
/// found" persisting past ``SettlementPolicy/notFoundGrace`` over at least
/// ``SettlementPolicy/notFoundChecks`` checks. A resend's refusal never refunds by itself, and
/// the grace period starts over when a resend leaves (``OrderStore/beginSend(_:resend:)``) and when
/// its outcome is unknown, since it may have created the transaction; so that a record whose
/// every resend ends unknown is still settled, resends stop after
/// ``SettlementPolicy/maxResends`` and "not found" is then left to run out its grace.
///
/// | state | event | transition | ledger | follow-up |
/// |---|---|---|---|---|
/// | final | anything | — | keep | — (late or repeated answers change nothing) |
/// | failed | Flowix says `success` (create, status, webhook) | — | keep; the owners are told: the customer has the refund and the goods | — |
/// | open | Flowix says `success` (create, status, webhook) | success | capture what Flowix charged (or last stated); a difference is journalled and alerted | — |
/// | pending, never resent | the first create is answered `failed` | failed | release | — |
/// | open | Flowix says `failed` (status, webhook) | failed | release | — |
/// | open | a resend is answered `failed` (a supplier's way of saying "reference used"), or a first create once anything else was sent | pending → unknown | keep | ask its status |
/// | pending, unknown | Flowix says `pending`/`processing` | processing | keep; not-found count reset; a stated price remembered | — |
/// | processing | Flowix says `pending`/`processing` | — | keep; a stated price remembered | — |
/// | open | Flowix says a status the reference does not list (`error`, …) | pending → unknown | keep; not-found count reset | ask later |
/// | pending, never resent | first create refused as invalid, unknown or unavailable product, short of balance | failed | release (rejected) | — |
/// | open | resend refused as invalid, unavailable, short of balance (and a first create's refusal once anything else was sent) | pending → unknown | keep | ask later |
/// | open | create refused: reference already used | pending → unknown | keep; not-found count reset | ask its status |
/// | open | create refused: rate limit, or a refusal of unclear meaning | pending → unknown | keep; not-found count reset | ask later |
/// | open | create outcome unknown (timeout, 5xx, unreadable) | pending → unknown | keep; not-found count reset (it may yet arrive) | ask later |
/// | open | create never left (could not be built) | — | keep | resend later |
/// | pending, unknown | status "not found", within the grace period | — | keep; count the check | resend (same reference); once resent `maxResends` times, ask later |
/// | pending, unknown | status "not found", grace period over and enough checks | failed | release; the owners are told | — |
/// | processing | status "not found" | — | keep (Flowix said it had it) | ask later |
/// | open | status query failed, rate-limited or refused | — | keep | ask later |
public enum SettlementMachine {
    /// Decides what `event` does to a record in `state`.
    public static func decide(_ state: HeldState, _ event: SettlementEvent, policy: SettlementPolicy) -> SettlementDecision {
        guard !state.status.isFinal else {
            if state.status == .failed, event.saysSuccess {
                return SettlementDecision(alert: .successAfterRefund, reason: "Flowix says success for a record already refunded")
            }
            return .keep(because: "already \(state.status.rawValue)")
        }
        // A create is the first only while nothing else has been sent: a first send that waited
        // while the reconciler resent (or Flowix already answered) may meet the earlier create at
        // Flowix, so its answer is read as a resend's and a refusal never refunds.
        let isFirstSend = state.status == .pending && state.resends == 0
        switch isFirstSend ? event : event.asResend {
        case .createAnswered(.failed, _, .resend):
            return SettlementDecision(transition: state.status == .pending ? .unknown : nil, followUp: .askStatus,
                                      reason: "a resend was answered failed; an earlier create may still be delivered")
        case .createAnswered(let status, let charge, _), .statusAnswered(let status, let charge), .webhook(let status, let charge):
            return answered(status, charge: charge, state)
        case .createRefused(let rejection, let attempt):
            return refused(rejection, attempt: attempt, state)
        case .createUnknown(let reason):
            return SettlementDecision(transition: state.status == .pending ? .unknown : nil, notFound: .reset, followUp: .askLater,
                                      reason: "create outcome unknown: \(reason)")
        case .createNotSent(let reason):
            return SettlementDecision(followUp: .resendLater, reason: "create not sent: \(reason)")
        case .statusNotFound(let now):
            return notFound(at: now, state, policy)
        case .statusUnavailable(let reason):
            return SettlementDecision(followUp: .askLater, reason: "status not known: \(reason)")
        }
    }

    private static func answered(_ status: FlowixStatus, charge: Charge, _ state: HeldState) -> SettlementDecision {
        switch status {
        case .success:
            let stated = charge.settled(state.reported ?? .unstated)
            let difference = stated.differs(from: state.expected)
            return SettlementDecision(transition: .success, ledger: .capture(stated.settled(state.expected)),
                                      alert: difference.map { .chargeDiffers(expected: state.expected, charged: $0) },
                                      reason: "Flowix says success")
        case .failed:
            return SettlementDecision(transition: .failed, ledger: .release(rejected: false), reason: "Flowix says failed")
        case .pending, .processing:
            return SettlementDecision(transition: state.status == .processing ? nil : .processing, notFound: .reset,
                                      remember: charge == .unstated ? nil : charge, reason: "Flowix is working on it")
        case .unrecognized(let text):
            return SettlementDecision(transition: state.status == .pending ? .unknown : nil, notFound: .reset, followUp: .askLater,
                                      reason: "status \"\(text)\" is not one the reference lists; kept open")
        }
    }

    private static func refused(_ rejection: FlowixRejection, attempt: CreateAttempt, _ state: HeldState) -> SettlementDecision {
        let unknown: ProgressStatus? = state.status == .pending ? .unknown : nil
        switch rejection.meaning {
        case .duplicateReference:
            return SettlementDecision(transition: unknown, notFound: .reset, followUp: .askStatus,
                                      reason: "the reference exists at Flowix: \(rejection.message)")
        case .rateLimited:
            return SettlementDecision(transition: unknown, notFound: .reset, followUp: .askLater, reason: "rate limited: \(rejection.message)")
        case .unclear:
            return SettlementDecision(transition: unknown, notFound: .reset, followUp: .askLater, reason: "refusal of unclear meaning: \(rejection)")
        case .refused, .notFound:
            switch attempt {
            case .first:
                return SettlementDecision(transition: .failed, ledger: .release(rejected: true), reason: "refused: \(rejection.message)")
            case .resend:
                return SettlementDecision(transition: unknown, followUp: .askLater,
                                          reason: "a resend was refused (\(rejection.message)); an earlier create may still be delivered")
            }
        }
    }

    private static func notFound(at now: Int64, _ state: HeldState, _ policy: SettlementPolicy) -> SettlementDecision {
        guard state.status != .processing else {
            return SettlementDecision(followUp: .askLater, reason: "not found, though Flowix said it was processing; kept open")
        }
        let since = state.notFoundSince ?? now
        let checks = state.notFoundChecks + 1
        let (elapsed, overflow) = now.subtractingReportingOverflow(since)
        if !overflow, elapsed >= policy.notFoundGrace, checks >= policy.notFoundChecks {
            return SettlementDecision(transition: .failed, ledger: .release(rejected: false), notFound: .count(since: since),
                                      alert: .refundedNotFound(seconds: elapsed, checks: checks),
                                      reason: "not found at Flowix for \(elapsed) s over \(checks) checks")
        }
        guard state.resends < policy.maxResends else {
            return SettlementDecision(notFound: .count(since: since), followUp: .askLater,
                                      reason: "not found at Flowix (check \(checks)) after \(state.resends) resends; waiting out the grace period")
        }
        return SettlementDecision(notFound: .count(since: since), followUp: .resend,
                                  reason: "not found at Flowix (check \(checks)); sent again under the same reference")
    }
}

/// A held record as the machine sees it.
public struct HeldState: Sendable, Equatable {
    public var status: ProgressStatus
    /// What Flowix should take: the quoted cost of an order; the amount and our fee of a payout.
    public var expected: Charge
    /// When the status endpoint first said "not found" (Unix time), if it did since the last sighting.
    public var notFoundSince: Int64?
    /// How many times in a row it said so.
    public var notFoundChecks: Int
    /// What Flowix last stated it charges, in an answer that did not settle (a create answered
    /// `processing` with its price); used when the settling answer states nothing.
    public var reported: Charge?
    /// How many times the create was sent again.
    public var resends: Int

    public init(status: ProgressStatus, expected: Charge, notFoundSince: Int64? = nil, notFoundChecks: Int = 0, reported: Charge? = nil,
                resends: Int = 0) {
        self.status = status
        self.expected = expected
        self.notFoundSince = notFoundSince
        self.notFoundChecks = notFoundChecks
        self.reported = reported
        self.resends = resends
    }
}

/// What Flowix took (or should take) for a record: an order's price, or a payout's amount and fee.
public struct Charge: Sendable, Equatable, CustomStringConvertible {
    public var amount: Rupiah?
    public var fee: Rupiah?

    public init(amount: Rupiah?, fee: Rupiah? = nil) {
        self.amount = amount
        self.fee = fee
    }

    /// Nothing said about money (a webhook or bill receipt without a price).
    public static let unstated = Charge(amount: nil)

    /// What Flowix said that differs from `expected`, or `nil` when it agrees (or said nothing).
    func differs(from expected: Charge) -> Charge? {
        let amountDiffers = amount != nil && expected.amount != nil && amount != expected.amount
        let feeDiffers = fee != nil && expected.fee != nil && fee != expected.fee
        return amountDiffers || feeDiffers ? self : nil
    }

    /// What to book: each part Flowix stated, else what was expected.
    func settled(_ expected: Charge) -> Charge {
        Charge(amount: amount ?? expected.amount, fee: fee ?? expected.fee)
    }

    public var description: String {
        [amount.map { "amount \($0)" }, fee.map { "fee \($0)" }].compactMap { $0 }.joined(separator: ", ")
    }
}

/// Whether a create is the first for its reference, or may follow one that reached Flowix.
public enum CreateAttempt: Sendable, Equatable {
    case first
    case resend
}

/// Something that happened to a held record.
public enum SettlementEvent: Sendable, Equatable {
    /// `/transaction/create`, `/bill/pay` or `/payout/create` answered with a status.
    case createAnswered(FlowixStatus, Charge, CreateAttempt)
    /// The create was refused (`success: false` below HTTP 500).
    case createRefused(FlowixRejection, CreateAttempt)
    /// The create may or may not have taken effect (timeout, 5xx, an unreadable answer).
    case createUnknown(String)
    /// The create could not even be sent.
    case createNotSent(String)
    /// The status endpoint answered with a status.
    case statusAnswered(FlowixStatus, Charge)
    /// The status endpoint does not know the reference, at Unix time `now`.
    case statusNotFound(now: Int64)
    /// The status could not be learnt (timeout, 5xx, a rate limit or another refusal).
    case statusUnavailable(String)
    /// A verified webhook reported a status.
    case webhook(FlowixStatus, Charge)

    /// Whether Flowix says, in this event, that it delivered.
    var saysSuccess: Bool {
        switch self {
        case .createAnswered(let status, _, _), .statusAnswered(let status, _), .webhook(let status, _): return status == .success
        case .createRefused, .createUnknown, .createNotSent, .statusNotFound, .statusUnavailable: return false
        }
    }

    /// The same event, a create's answer read as a resend's.
    var asResend: SettlementEvent {
        switch self {
        case .createAnswered(let status, let charge, _): .createAnswered(status, charge, .resend)
        case .createRefused(let rejection, _): .createRefused(rejection, .resend)
        case .createUnknown, .createNotSent, .statusAnswered, .statusNotFound, .statusUnavailable, .webhook: self
        }
    }
}

/// What to do, as data.
public struct SettlementDecision: Sendable, Equatable {
    /// The new status, when it moves (``SettlementService`` writes it, or settles the hold).
    public var transition: ProgressStatus?
    public var ledger: LedgerAction
    public var notFound: NotFoundTracking
    public var followUp: FollowUp
    public var alert: SettlementAlert?
    /// A charge Flowix stated without settling, to remember for the capture.
    public var remember: Charge?
    /// Why, for the log.
    public var reason: String

    public init(transition: ProgressStatus? = nil, ledger: LedgerAction = .keep, notFound: NotFoundTracking = .unchanged,
                followUp: FollowUp = .none, alert: SettlementAlert? = nil, remember: Charge? = nil, reason: String) {
        self.transition = transition
        self.ledger = ledger
        self.notFound = notFound
        self.followUp = followUp
        self.alert = alert
        self.remember = remember
        self.reason = reason
    }

    static func keep(because reason: String) -> SettlementDecision { SettlementDecision(reason: reason) }

    /// What happens to the held money.
    public enum LedgerAction: Sendable, Equatable {
        /// It stays held.
        case keep
        /// Flowix delivered: capture, booking this charge (the customer is told of success).
        case capture(Charge)
        /// Flowix failed it: the money goes back to the wallet, once (the customer is told;
        /// `rejected` when Flowix refused the request outright).
        case release(rejected: Bool)
    }

    /// The record of "not found" answers.
    public enum NotFoundTracking: Sendable, Equatable {
        case unchanged
        /// Flowix knows the reference: forget earlier "not found" answers.
        case reset
        /// One more "not found", the first of the run at `since`.
        case count(since: Int64)
    }

    /// Work for the reconciler.
    public enum FollowUp: Sendable, Equatable {
        case none
        /// Ask the status endpoint now.
        case askStatus
        /// Send the create again under the same reference now.
        case resend
        /// Nothing now; the reconciler's next pass asks the status.
        case askLater
        /// Nothing now; the reconciler's next pass sends it again.
        case resendLater
    }
}

/// Something the admins must hear about.
public enum SettlementAlert: Sendable, Equatable {
    /// Flowix charged something else than expected.
    case chargeDiffers(expected: Charge, charged: Charge)
    /// Refunded because Flowix kept saying it does not know the reference.
    case refundedNotFound(seconds: Int64, checks: Int)
    /// Flowix says it delivered a record that was refunded: the customer has both.
    case successAfterRefund
}

/// The settlement's timing rules.
public struct SettlementPolicy: Sendable, Equatable {
    /// How long "not found" must last before a record whose create may have reached Flowix is
    /// refunded: long enough to exclude a status endpoint that lags behind the create.
    public var notFoundGrace: Int64 = 600
    /// And over how many checks (the reconciler asks once a pass).
    public var notFoundChecks: Int = 3
    /// How many times a record Flowix does not find is sent again before "not found" is left to
    /// run out its grace period.
    public var maxResends: Int = 3

    public init(notFoundGrace: Int64 = 600, notFoundChecks: Int = 3, maxResends: Int = 3) {
        self.notFoundGrace = notFoundGrace
        self.notFoundChecks = notFoundChecks
        self.maxResends = maxResends
    }
}
