/// Group commit: callers that write while a write is in flight are gathered and committed
/// together in the next transaction, so a burst costs a handful of fsyncs instead of one per
/// caller. Every caller still returns only after its own data is durable; at low load a
/// caller's batch is just itself, with no added wait. Reads that every update makes are
/// grouped the same way (a batch's read starts after each of its callers called).
actor GroupCommit<Item: Sendable, Output: Sendable> {
    private typealias Waiter = (item: Item, continuation: CheckedContinuation<Output, any Error>)
    private let commit: @Sendable ([Item]) async throws -> [Output]
    private var waiting: [Waiter] = []
    private var writing = false

    /// `commit` writes a batch in one transaction and returns one output per item, in order.
    init(_ commit: @escaping @Sendable ([Item]) async throws -> [Output]) {
        self.commit = commit
    }

    /// Commits `item` with whatever else is waiting and returns its output.
    func submit(_ item: Item) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            waiting.append((item, continuation))
            if !writing {
                writing = true
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !waiting.isEmpty {
            let batch = waiting
            waiting.removeAll()
            let outputs: [Output]
            do {
                outputs = try await commit(batch.map(\.item))
            } catch {
                // One bad item must not fail the others: commit them one by one.
                for waiter in batch {
                    do {
                        let output = try await commit([waiter.item])
                        guard output.count == 1 else { throw GroupCommitError.outputs(expected: 1, got: output.count) }
                        waiter.continuation.resume(returning: output[0])
                    } catch {
                        waiter.continuation.resume(throwing: error)
                    }
                }
                continue
            }
            // A commit that broke its contract has written: every caller hears of it, none waits
            // forever, and nothing is committed a second time.
            guard outputs.count == batch.count else {
                for waiter in batch {
                    waiter.continuation.resume(throwing: GroupCommitError.outputs(expected: batch.count, got: outputs.count))
                }
                continue
            }
            for (waiter, output) in zip(batch, outputs) { waiter.continuation.resume(returning: output) }
        }
        writing = false
    }
}

/// A batch commit returned a number of outputs other than one per item.
struct GroupCommitError: Error, Equatable, CustomStringConvertible {
    let expected: Int
    let got: Int

    static func outputs(expected: Int, got: Int) -> GroupCommitError { GroupCommitError(expected: expected, got: got) }

    var description: String { "a group commit returned \(got) outputs for \(expected) items" }
}
