import Flowix
import Foundation

/// Faults the sandbox cannot make by itself, switched on by the simulator: a create that never
/// reaches Flowix, one whose answer is lost after Flowix acted, a status call cut, and a status
/// endpoint that lags behind creates in the simulation's time.
final class FlowixFaults: @unchecked Sendable {
    enum CreateFault: String, CaseIterable {
        /// The request is lost on the way: Flowix never sees it; the bot cannot know.
        case lostBeforeActing
        /// Flowix acts, and the answer is lost on the way back.
        case lostAfterActing
    }

    private let lock = NSLock()
    private let clock: SimulatedClock
    private var nextCreate: CreateFault?
    private var statusCut = false
    /// For this long after a create reaches Flowix, its status endpoint says "not found". Kept
    /// inside the bot's not-found grace period: the one assumption that refund rests on.
    private var statusLag: TimeInterval = 0
    private var reached: [String: Date] = [:]

    init(clock: SimulatedClock) { self.clock = clock }

    func failNextCreate(_ fault: CreateFault) { lock.withLock { nextCreate = fault } }
    func cutNextStatus() { lock.withLock { statusCut = true } }
    func lagStatus(by seconds: TimeInterval) { lock.withLock { statusLag = seconds } }
    func clear() { lock.withLock { (nextCreate, statusCut, statusLag) = (nil, false, 0) } }

    private func reachedFlowix(_ reference: String) {
        lock.withLock { if reached[reference] == nil { reached[reference] = clock.now } }
    }

    /// A status answer for `reference`, unless the lag or a cut hides it.
    private func status<Answer>(_ reference: String, _ call: () async throws(FlowixError) -> Answer) async throws(FlowixError) -> Answer {
        if takeStatusCut() { throw .outcomeUnknown(.connection("simulated cut")) }
        let hidden = lock.withLock { reached[reference].map { clock.now.timeIntervalSince($0) < statusLag } ?? false }
        if hidden { throw .rejected(FlowixRejection(httpStatus: 404, code: 404, message: "Transaksi tidak ditemukan.")) }
        return try await call()
    }

    private func takeCreate() -> CreateFault? { lock.withLock { defer { nextCreate = nil }; return nextCreate } }
    private func takeStatusCut() -> Bool { lock.withLock { defer { statusCut = false }; return statusCut } }

    /// `api` with the three creates and the three status calls passing through these switches.
    func wrap(_ api: FlowixAPI) -> FlowixAPI {
        var wrapped = api
        wrapped.createTransaction = { [self] code, target, refID async throws(FlowixError) in
            try await create(refID) { () async throws(FlowixError) in try await api.createTransaction(code, target, refID) }
        }
        wrapped.payBill = { [self] code, customer, inquiry async throws(FlowixError) in
            try await create(inquiry) { () async throws(FlowixError) in try await api.payBill(code, customer, inquiry) }
        }
        wrapped.createPayout = { [self] order async throws(FlowixError) in
            try await create(order.refID) { () async throws(FlowixError) in try await api.createPayout(order) }
        }
        wrapped.transactionStatus = { [self] refID async throws(FlowixError) in
            try await status(refID) { () async throws(FlowixError) in try await api.transactionStatus(refID) }
        }
        wrapped.payoutStatus = { [self] refID async throws(FlowixError) in
            try await status(refID) { () async throws(FlowixError) in try await api.payoutStatus(refID) }
        }
        wrapped.depositStatus = { [self] refID async throws(FlowixError) in
            if takeStatusCut() { throw .outcomeUnknown(.connection("simulated cut")) }
            return try await api.depositStatus(refID)
        }
        return wrapped
    }

    private func create<Answer>(_ reference: String, _ call: () async throws(FlowixError) -> Answer) async throws(FlowixError) -> Answer {
        switch takeCreate() {
        case nil:
            reachedFlowix(reference)
            return try await call()
        case .lostBeforeActing?: throw .outcomeUnknown(.timeout)
        case .lostAfterActing?:
            reachedFlowix(reference)
            _ = try await call()
            throw .outcomeUnknown(.timeout)
        }
    }
}
