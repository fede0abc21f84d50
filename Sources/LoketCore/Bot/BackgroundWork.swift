import Logging

/// Work started by an update that must not hold up the chat's lane (calls to Flowix), tracked
/// so a graceful shutdown can let it finish.
public actor BackgroundWork {
    private var running: [Int: Task<Void, Never>] = [:]
    private var next = 0

    public init() {}

    /// Starts `job` in the background.
    public func start(_ job: @escaping @Sendable () async -> Void) {
        let id = next
        next += 1
        running[id] = Task {
            await job()
            self.finished(id)
        }
    }

    private func finished(_ id: Int) { running[id] = nil }

    /// Waits for the jobs running now, at most `timeout`.
    public func drain(timeout: Duration) async {
        let deadline = ContinuousClock.now + timeout
        while !running.isEmpty, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(2))
        }
    }

    /// How many jobs are running.
    public var count: Int { running.count }
}
