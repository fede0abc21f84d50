/// Group commit: callers that write while a write is in flight are gathered and committed
/// together in the next transaction, so a burst costs a handful of fsyncs instead of one per
/// caller. Every caller still returns only after its own data is durable; at low load a
/// caller's batch is just itself, with no added wait.
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
            do {
                let outputs = try await commit(batch.map(\.item))
                for (waiter, output) in zip(batch, outputs) { waiter.continuation.resume(returning: output) }
            } catch {
                // One bad item must not fail the others: commit them one by one.
                for waiter in batch {
                    do {
                        let output = try await commit([waiter.item])
                        waiter.continuation.resume(returning: output[0])
                    } catch {
                        waiter.continuation.resume(throwing: error)
                    }
                }
            }
        }
        writing = false
    }
}
