/// Where the poller keeps its place. Implementations store it durably (Loket: SQLite).
public protocol UpdateLog: Sendable {
    /// The offset to ask for next, or `nil` on the first start.
    func storedOffset() async throws -> Int64?
    /// Remembers the offset; called only after every update below it has been handled.
    func storeOffset(_ offset: Int64) async throws
    /// Which of `ids` were already handled (their effects committed), so they are skipped.
    func handledUpdates(among ids: [Int64]) async throws -> Set<Int64>
}

/// Handles one update: applies its effects and records its id as handled, in one commit, so
/// a crash between the two cannot apply it twice.
public protocol UpdateHandler: Sendable {
    func handle(_ update: Update) async throws
}
