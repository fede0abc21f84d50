@testable import Ledger
import Synchronization
import Testing

/// Group commit without a database: the commit is a closure that records its batches.
@Suite("Group commit")
struct GroupCommitTests {
    /// The batches a commit was given, in order.
    final class Batches: Sendable {
        private let state = Mutex<[[Int]]>([])
        func record(_ batch: [Int]) { state.withLock { $0.append(batch) } }
        var all: [[Int]] { state.withLock { $0 } }
    }

    struct Bad: Error {}

    @Test("alone, a caller's batch is itself")
    func alone() async throws {
        let batches = Batches()
        let group = GroupCommit<Int, Int> { items in batches.record(items); return items.map { $0 * 10 } }
        for value in 1...3 { #expect(try await group.submit(value) == value * 10) }
        #expect(batches.all == [[1], [2], [3]])
    }

    @Test("callers that arrive during a commit share the next one, and each gets its own output")
    func burst() async throws {
        let batches = Batches()
        let group = GroupCommit<Int, Int> { items in
            batches.record(items)
            try await Task.sleep(for: .milliseconds(20))  // an fsync
            return items.map { $0 * 10 }
        }
        let outputs = try await withThrowingTaskGroup(of: (Int, Int).self) { tasks in
            for value in 0..<100 { tasks.addTask { (value, try await group.submit(value)) } }
            return try await tasks.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
        #expect(outputs.count == 100)
        #expect(outputs.allSatisfy { $0.value == $0.key * 10 })
        #expect(batches.all.flatMap { $0 }.sorted() == Array(0..<100))
        #expect(batches.all.count < 20, "100 callers in \(batches.all.count) commits")
    }

    @Test("a batch that fails is committed item by item: one bad item fails alone")
    func badItemFailsAlone() async throws {
        let batches = Batches()
        let group = GroupCommit<Int, Int> { items in
            batches.record(items)
            try await Task.sleep(for: .milliseconds(5))
            if items.contains(13) { throw Bad() }
            return items
        }
        let results = await withTaskGroup(of: (Int, Bool).self) { tasks in
            for value in [11, 12, 13, 14] { tasks.addTask { (value, (try? await group.submit(value)) != nil) } }
            return await tasks.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
        #expect(results == [11: true, 12: true, 13: false, 14: true])
        #expect(batches.all.contains([13]))
    }

    @Test("a commit that returns the wrong number of outputs is an error for every caller, never a wait or a trap")
    func wrongOutputCount() async throws {
        let short = GroupCommit<Int, Int> { _ in [] }
        await #expect(throws: GroupCommitError.outputs(expected: 1, got: 0)) { try await short.submit(1) }
        let failingThenShort = GroupCommit<Int, Int> { items in
            if items.count > 1 { throw Bad() }
            return []
        }
        await #expect(throws: GroupCommitError.self) {
            try await withThrowingTaskGroup(of: Int.self) { tasks in
                for value in 0..<5 { tasks.addTask { try await failingThenShort.submit(value) } }
                try await tasks.waitForAll()
            }
        }
    }
}
