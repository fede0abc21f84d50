import Flowix
import Foundation
import Money

/// Faults on request: the setters tests turn mid-run, and the rules the endpoints consult.
/// Everything is deterministic: counts and durations, no randomness.
extension FlowixSandbox {
    /// The paths that create a transaction or payout.
    public static let createPaths: Set<String> = ["/transaction/create", "/bill/pay", "/payout/create"]
    /// The status endpoints a ``StatusLag`` and ``reportStatus(_:for:)`` affect.
    public static let statusPaths: Set<String> = ["/transaction/status", "/payout/status"]

    // MARK: Setters

    /// From now on a create for a reference the sandbox already has is refused with `refusal`
    /// instead of returning the existing record (`nil`: back to returning it). With `times`, only
    /// that many repeats are refused; later ones get the record again. A repeat with other
    /// details (another product, target, account or amount) is refused with 409 as always.
    public func setDuplicateRefusal(_ refusal: DuplicateRefusal?, times: Int? = nil) {
        duplicateRefusal = refusal
        duplicateRefusalsLeft = times
    }

    /// From now on the status endpoints hide records as `lag` says (for records created before
    /// too: `.after` counts from each record's creation, `.checks` from its first status request).
    public func setStatusLag(_ lag: StatusLag) {
        statusLag = lag
        statusChecks = [:]
    }

    /// How the status endpoints say "not found" from now on.
    public func setNotFoundAnswer(_ answer: NotFoundAnswer) { notFoundAnswer = answer }

    /// The next `count` calls to `paths` (`nil`: any authenticated call) are answered with a
    /// rate-limit refusal and have no effect. Rules queue up: each call consumes the first rule
    /// that matches it.
    public func rateLimit(next count: Int, paths: Set<String>? = nil, answer: RateLimitAnswer = .http429) {
        rateLimits.append(CallRule(paths: paths, remaining: max(0, count), answer: answer))
    }

    /// Ends every rate limit still pending.
    public func clearRateLimits() { rateLimits = [] }

    /// The next `count` creates to `paths` (`nil`: every one until ``stopDroppingCreates()``) are
    /// recorded in ``requests`` but never applied — nothing exists under the reference and
    /// nothing is charged — and answered as `answer` says (all three are unknown outcomes to a
    /// client). A rate limit, when one matches too, comes first.
    public func dropCreates(next count: Int? = nil, paths: Set<String> = FlowixSandbox.createPaths,
                            answer: DroppedCreateAnswer = .serverError) {
        droppedCreates.append(CallRule(paths: paths.intersection(Self.createPaths), remaining: count.map { max(0, $0) }, answer: answer))
    }

    /// Applies creates again.
    public func stopDroppingCreates() { droppedCreates = [] }

    /// Charges `price` for product `code` from now on (`nil`: the catalogue price again), while
    /// `/services` keeps listing the catalogue price: Flowix's price changed after a sale was
    /// quoted. For a postpaid code the price replaces bill plus admin fee.
    public func setChargedPrice(_ price: Rupiah?, for code: String) { chargedPrices[code] = price }

    /// Charges later payouts `fee` (shown as `fee` and in `total_deduction`, and taken from the
    /// balance with the amount). Payouts already made keep theirs.
    public func setPayoutFee(_ fee: Rupiah) { payoutFee = fee }

    /// Makes `/transaction/status` or `/payout/status` report `status` (any spelling, e.g.
    /// `error`) for `refID` instead of the real one, until called with `nil`. The record itself
    /// is unchanged: it still settles, refunds and sends its webhook as usual.
    public func reportStatus(_ status: String?, for refID: String) { reportedStatuses[refID] = status }

    /// Sends a signed `transaction.status` or `payout.status` webhook for `refID` carrying
    /// `status` (any spelling, e.g. `error`), without changing the record. `false` when the
    /// sandbox has no transaction or payout under `refID`.
    @discardableResult
    public func sendStatusWebhook(refID: String, status: String) async -> Bool {
        if let transaction = transactions[refID] {
            await emit(type: "transaction.status", refID: refID, data: .object([
                ("reff_id", .string(refID)), ("product", .string(transaction.productCode)),
                ("target", .string(transaction.target)), ("status", .string(status)),
                ("sn", .string(transaction.sn ?? "")), ("note", .optional(transaction.note)),
            ]))
            return true
        }
        if let payout = payouts[refID] {
            await emit(type: "payout.status", refID: refID, data: .object([
                ("ref_id", .string(refID)), ("status", .string(status)),
                ("amount", .integer(payout.amount.value)), ("fee", .integer(payout.fee.value)), ("note", .optional(payout.note)),
            ]))
            return true
        }
        return false
    }

    /// The exchanges with `path` (and, when given, about `refID`), oldest first.
    public func exchanges(path: String, refID: String? = nil) -> [SandboxExchange] {
        exchanges.filter { $0.request.path == path && (refID == nil || $0.refID == refID) }
    }

    // MARK: Rules the endpoints consult

    /// A rate limit or a dropped create for this call, consuming the rule that gives it.
    func injectedFault(path: String, _ call: Call) -> SandboxReply? {
        if let index = rateLimits.firstIndex(where: { $0.matches(path) }) {
            let answer = rateLimits[index].answer.refusal
            consume(&rateLimits, at: index)
            return .refusal(httpStatus: answer.httpStatus, code: answer.code, message: answer.message, method: call.method, fault: .rateLimited)
        }
        if let index = droppedCreates.firstIndex(where: { $0.matches(path) }) {
            let answer = droppedCreates[index].answer
            consume(&droppedCreates, at: index)
            var reply: SandboxReply
            switch answer {
            case .serverError: reply = .failure(500, "Internal Server Error", method: call.method)
            case .htmlPage: reply = .htmlErrorPage(status: 502)
            case .timeout:
                reply = .htmlErrorPage(status: 504)
                reply.delay = configuration.slowAnswerDelay
            }
            reply.fault = .droppedCreate
            return reply
        }
        return nil
    }

    private func consume<Answer>(_ rules: inout [CallRule<Answer>], at index: Int) {
        guard let remaining = rules[index].remaining else { return }
        if remaining <= 1 { rules.remove(at: index) } else { rules[index].remaining = remaining - 1 }
    }

    /// The refusal for a repeated reference, if one is configured (consuming one of `times`).
    func refuseDuplicate(_ call: Call) -> SandboxReply? {
        guard let refusal = duplicateRefusal?.refusal else { return nil }
        if let left = duplicateRefusalsLeft {
            guard left > 0 else { return nil }
            duplicateRefusalsLeft = left - 1
        }
        return .refusal(httpStatus: refusal.httpStatus, code: refusal.code, message: refusal.message, method: call.method,
                        fault: .duplicateRefusal)
    }

    /// Whether the status endpoint should not know yet a record created at `createdAt`; counts
    /// the request for ``StatusLag/checks(_:)``.
    func hiddenByLag(_ refID: String, createdAt: Date) -> Bool {
        switch statusLag {
        case .none: return false
        case .after(let lag): return Date() < createdAt.addingTimeInterval(lag.seconds)
        case .checks(let count):
            let seen = statusChecks[refID, default: 0]
            statusChecks[refID] = seen + 1
            return seen < count
        }
    }

    /// A status endpoint's "not found", as ``notFoundAnswer`` says; `lagging` marks a record
    /// that exists.
    func statusNotFound(_ call: Call, _ message: String, lagging: Bool) -> SandboxReply {
        var reply = call.fail(404, message)
        if notFoundAnswer == .bodyInHTTP200 { reply.status = 200 }
        if lagging { reply.fault = .statusLag }
        return reply
    }

    /// The status to report for `refID`: a ``reportStatus(_:for:)`` override or the real one.
    func reportedStatus(_ refID: String, real: FlowixStatus) -> (wire: String, fault: SandboxFault?) {
        if let reported = reportedStatuses[refID] { return (reported, .reportedStatus) }
        return (real.wireValue, nil)
    }
}
