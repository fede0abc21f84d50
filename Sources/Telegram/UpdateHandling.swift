/// Where the poller keeps its place. Implementations store it durably (Loket: SQLite).
public protocol UpdateLog: Sendable {
    /// The offset to ask for next, or `nil` on the first start.
    func storedOffset() async throws -> Int64?
    /// Remembers the offset and forgets the in-flight marks below it; called only after every
    /// update below it has been handled or quarantined.
    func storeOffset(_ offset: Int64) async throws
    /// What is known of fetched update ids: which were handled (or quarantined) already, and
    /// which were in flight when an earlier run died.
    func triage(_ ids: [Int64]) async throws -> UpdateLogState
    /// One durable write before a batch is handled: stores `offset` when given (every update
    /// below it finished) and marks `updates` in flight, so a run that dies on one is seen on
    /// the next start.
    func beginBatch(_ updates: [InFlightUpdate], storingOffset offset: Int64?) async throws
    /// Durably counts one more attempt at an interrupted update on its own, before it starts.
    func markRetryAlone(_ updateID: Int64) async throws
    /// Takes back that count: the attempt was stopped by a shutdown, not ended by a crash.
    func undoRetryAlone(_ updateID: Int64) async throws
    /// Updates a run that died left in flight and unhandled, for the log at start-up.
    func interruptedUpdates() async throws -> [InFlightUpdate]
    /// What keeps the storage from being written, when `error` (thrown by this log or by the
    /// handler) says so — the disk is full, it is read-only — or `nil`. Such a failure is not
    /// the update's fault: it never counts towards a quarantine.
    func storageProblem(_ error: any Error) -> String?
}

/// What an ``UpdateLog`` knows of a fetched batch.
public struct UpdateLogState: Sendable, Equatable {
    /// Updates whose effects were committed (or that were quarantined).
    public var handled: Set<Int64>
    /// Updates that were in flight when a run died, with how many times each was since retried
    /// on its own.
    public var interrupted: [Int64: Int]

    public init(handled: Set<Int64> = [], interrupted: [Int64: Int] = [:]) {
        self.handled = handled
        self.interrupted = interrupted
    }
}

/// An update marked in flight: enough to name it in a log line or a quarantine record without
/// keeping what the customer wrote.
public struct InFlightUpdate: Sendable, Equatable {
    public var updateID: Int64
    public var chatID: Int64?
    public var userID: Int64?
    /// ``Update/inputKind``.
    public var kind: String
    /// How many times it was retried on its own after a run died with it in flight.
    public var aloneAttempts: Int

    public init(updateID: Int64, chatID: Int64?, userID: Int64?, kind: String, aloneAttempts: Int = 0) {
        self.updateID = updateID
        self.chatID = chatID
        self.userID = userID
        self.kind = kind
        self.aloneAttempts = aloneAttempts
    }

    public init(_ update: Update) {
        self.init(updateID: update.updateID, chatID: update.chatID, userID: update.userID, kind: update.inputKind)
    }
}

/// Why an update was set aside instead of handled.
public enum QuarantineReason: Sendable, Equatable {
    /// Handling it threw every one of `attempts` times; `error` is the last error.
    case failed(attempts: Int, error: String)
    /// The process died while handling it: once in a batch, then again on its own.
    case crashed
    /// Telegram sent a message or button press whose fields could not be read.
    case unreadable

    /// A short code for records and metrics: `failed`, `crashed`, `unreadable`.
    public var code: String {
        switch self {
        case .failed: return "failed"
        case .crashed: return "crashed"
        case .unreadable: return "unreadable"
        }
    }

    /// What went wrong, for the record (no customer content).
    public var detail: String {
        switch self {
        case .failed(let attempts, let error): return "threw \(attempts) times; last: \(error.prefix(500))"
        case .crashed: return "the process died twice while handling it"
        case .unreadable: return "Telegram sent fields that could not be read"
        }
    }
}

/// Handles one update: applies its effects and records its id as handled, in one commit, so
/// a crash between the two cannot apply it twice.
public protocol UpdateHandler: Sendable {
    func handle(_ update: Update) async throws
    /// Sets aside an update that cannot be handled: records it durably (marking it handled),
    /// tells its sender the request could not be handled and alerts the admins. Throws only when
    /// that record cannot be written; the poller then retries the batch later.
    func quarantine(_ update: Update, reason: QuarantineReason) async throws
}
