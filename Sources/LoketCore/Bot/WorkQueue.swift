/// Work waiting for one of the ``WorkRunner``'s workers: first in, first out. A worker with
/// nothing to do waits here until work arrives or the queue closes.
actor WorkQueue {
    private var waiting: [Work] = []
    private var head = 0
    private var idle: [CheckedContinuation<Work?, Never>] = []
    private var closed = false

    /// How many pieces wait for a worker.
    var count: Int { waiting.count - head }

    /// Queues `work`, handing pieces straight to idle workers. A closed queue takes nothing and
    /// says so by returning the pieces it refused.
    func push(_ work: [Work]) -> [Work] {
        guard !closed else { return work }
        for piece in work {
            if idle.isEmpty {
                waiting.append(piece)
            } else {
                idle.removeFirst().resume(returning: piece)
            }
        }
        return []
    }

    /// The next piece, waiting for one if none is queued; `nil` once the queue is closed and empty.
    func next() async -> Work? {
        if let piece = popFirst() { return piece }
        guard !closed else { return nil }
        return await withCheckedContinuation { idle.append($0) }
    }

    /// Takes no more work; workers finish what is queued, then stop.
    func close() {
        closed = true
        for worker in idle { worker.resume(returning: nil) }
        idle.removeAll()
    }

    /// Removes and returns everything queued, in order.
    func takeAll() -> [Work] {
        let all = Array(waiting[head...])
        waiting.removeAll()
        head = 0
        return all
    }

    private func popFirst() -> Work? {
        guard head < waiting.count else { return nil }
        let piece = waiting[head]
        head += 1
        // Compact now and then, so a long-running queue does not keep what it handed out.
        if head == waiting.count {
            waiting.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 64, head * 2 >= waiting.count {
            waiting.removeFirst(head)
            head = 0
        }
        return piece
    }
}
