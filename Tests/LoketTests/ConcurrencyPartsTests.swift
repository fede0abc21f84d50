@testable import LoketCore
import Ledger
import Synchronization
import Testing

/// The small concurrent parts the core leans on, without sockets or a database.
@Suite("Keyed locks and the work queue")
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

    // MARK: The work queue

    static let user = UserRecord(id: 5, name: "Budi", username: nil, language: "id", createdAt: 0)

    static func piece(_ id: Int) -> Work {
        .refuseLookup(reason: "\(id)", user: user, chat: 5)
    }

    static func id(_ work: Work?) -> Int? {
        guard case .refuseLookup(let reason, _, _) = work else { return nil }
        return Int(reason)
    }

    @Test("the queue hands out work first in, first out, and a waiting worker gets the next piece")
    func queueInOrder() async throws {
        let queue = WorkQueue()
        #expect(await queue.push((0..<100).map(Self.piece)).isEmpty)
        var seen: [Int] = []
        for _ in 0..<100 { seen.append(try #require(Self.id(await queue.next()))) }
        #expect(seen == Array(0..<100))
        #expect(await queue.count == 0)
        let waiting = Task { await queue.next() }
        try await Task.sleep(for: .milliseconds(20))
        #expect(await queue.push([Self.piece(7)]).isEmpty)
        #expect(Self.id(await waiting.value) == 7)
    }

    @Test("a closed queue lets what is queued run down, then ends its workers, and takes nothing new")
    func queueCloses() async throws {
        let queue = WorkQueue()
        _ = await queue.push([Self.piece(1), Self.piece(2)])
        let idle = Task { () -> [Int?] in [Self.id(await queue.next()), Self.id(await queue.next()), Self.id(await queue.next())] }
        try await Task.sleep(for: .milliseconds(20))
        await queue.close()
        #expect(await idle.value == [1, 2, nil])
        #expect(await queue.push([Self.piece(3)]).count == 1)
        #expect(await queue.next() == nil)
    }

    @Test("taking the queue empties it, in order")
    func queueTakeAll() async throws {
        let queue = WorkQueue()
        _ = await queue.push((0..<5).map(Self.piece))
        #expect(Self.id(await queue.next()) == 0)
        #expect(await queue.takeAll().map { Self.id($0) } == [1, 2, 3, 4])
        #expect(await queue.count == 0)
    }
}
