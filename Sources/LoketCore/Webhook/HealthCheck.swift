import Ledger

/// `GET /healthz`: the database answers a read on every call, and accepts a write at most once
/// every ``writeInterval`` — a flood of health checks never queues behind the writer.
public actor HealthCheck {
    let ledger: Ledger
    let writeInterval: Duration
    private var lastWrite: (at: ContinuousClock.Instant, ok: Bool)?
    private var probing = false
    /// How many write probes ran, for tests.
    public private(set) var writeProbes = 0

    public init(ledger: Ledger, writeInterval: Duration = .seconds(5)) {
        self.ledger = ledger
        self.writeInterval = writeInterval
    }

    /// `true` when the database reads, and took the last write probe.
    public func check() async -> Bool {
        do {
            try await ledger.probeRead()
        } catch {
            return false
        }
        if let last = lastWrite, probing || last.at.duration(to: .now) < writeInterval { return last.ok }
        probing = true
        defer { probing = false }
        writeProbes += 1
        let ok = (try? await ledger.probeWrite()) != nil
        lastWrite = (.now, ok)
        return ok
    }
}

/// Refused webhooks in a fixed window: O(1) work and memory per refusal, whatever the flood,
/// and the admins alerted at most once a window.
public actor RefusalWindow {
    let window: Duration
    let threshold: Int
    private var start: ContinuousClock.Instant?
    private var count = 0

    public init(window: Duration = .seconds(600), threshold: Int = 5) {
        self.window = window
        self.threshold = threshold
    }

    /// Counts one refusal at `now`; `true` exactly once a window, when the count reaches the threshold.
    public func record(at now: ContinuousClock.Instant = .now) -> Bool {
        if let start, start.duration(to: now) < window {
            count = count == Int.max ? count : count + 1
        } else {
            start = now
            count = 1
        }
        return count == threshold
    }
}
