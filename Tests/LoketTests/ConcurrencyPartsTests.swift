@testable import LoketCore
import Synchronization
import Testing

/// The small concurrent parts the core leans on, without sockets or a database.
@Suite("Keyed locks and background work")
struct ConcurrencyPartsTests {
    /// What ran, in order, and how many ran at once at most.
    final class Trace: Sendable {
        private let state = Mutex<(order: [Int], running: Int, most: Int)>(([], 0, 0))
        func enter(_ id: Int) { state.withLock { $0.order.append(id); $0.running += 1; $0.most = max($0.most, $0.running) } }
        func leave() { state.withLock { $0.running -= 1 } }
        var order: [Int] { state.withLock { $0.order } }
        var most: Int { state.withLock { $0.most } }
    }

    @Test("one key: turns never overlap, and every one runs")
    func oneKeyInArrivalOrder() async throws {
        let locks = KeyedLocks<Int64>()
        let trace = Trace()
        await locks.lock(7)  // held, so every turn below queues
        let turns = (0..<20).map { id in
            Task {
                try await locks.withLock(7) {
                    trace.enter(id)
                    try await Task.sleep(for: .milliseconds(1))
                    trace.leave()
                }
            }
        }
        try await Task.sleep(for: .milliseconds(50))  // let them all queue
        await locks.unlock(7)
        for turn in turns { try await turn.value }
        #expect(trace.most == 1)
        #expect(trace.order.count == 20)
        #expect(Set(trace.order) == Set(0..<20))
    }

    @Test("arrival order is kept exactly when arrivals are spaced")
    func spacedArrivals() async throws {
        let locks = KeyedLocks<Int64>()
        let trace = Trace()
        await locks.lock(1)
        var turns: [Task<Void, Never>] = []
        for id in 0..<5 {
            turns.append(Task { await locks.withLock(1) { trace.enter(id); trace.leave() } })
            try await Task.sleep(for: .milliseconds(10))
        }
        await locks.unlock(1)
        for turn in turns { await turn.value }
        #expect(trace.order == [0, 1, 2, 3, 4])
    }

    @Test("different keys do not wait for each other")
    func keysAreIndependent() async throws {
        let locks = KeyedLocks<Int64>()
        await locks.lock(1)
        // Key 2 is free although key 1 is held.
        let other = await locks.withLock(2) { 42 }
        #expect(other == 42)
        await locks.unlock(1)
    }

    @Test("a turn that throws still lets the next one in")
    func throwingTurnUnlocks() async throws {
        struct Boom: Error {}
        let locks = KeyedLocks<Int64>()
        await #expect(throws: Boom.self) { try await locks.withLock(3) { throw Boom() } }
        let next = await locks.withLock(3) { "next" }
        #expect(next == "next")
    }

    @Test("background work is counted while it runs, and draining waits for it")
    func drainWaits() async throws {
        let work = BackgroundWork()
        let finished = Mutex(false)
        await work.start {
            try? await Task.sleep(for: .milliseconds(100))
            finished.withLock { $0 = true }
        }
        #expect(await work.count == 1)
        await work.drain(timeout: .seconds(5))
        #expect(finished.withLock { $0 })
        #expect(await work.count == 0)
    }

    @Test("draining gives up at its timeout when work hangs")
    func drainTimesOut() async throws {
        let work = BackgroundWork()
        await work.start { try? await Task.sleep(for: .seconds(3)) }
        let clock = ContinuousClock()
        let took = await clock.measure { await work.drain(timeout: .milliseconds(200)) }
        #expect(took < .seconds(5))
        #expect(await work.count == 1)
    }
}
