import Foundation
import GRDB
import Money

/// The wallet ledger and the bot's durable state, in one SQLite file.
///
/// Each concern has its own store over the same connections: ``users``, ``wallets``,
/// ``orders``, ``payouts``, ``deposits``, ``outbox``, ``updates``, ``catalogue``, ``events`` and
/// ``reports``; the ledger itself keeps the file (migrations, maintenance, health probes).
///
/// WAL mode, `synchronous=FULL` and a busy timeout; every write is one `BEGIN IMMEDIATE`
/// transaction, so what the bot tells a user about money survives `kill -9`. Opening a file
/// migrates it forward.
public final class Ledger: Sendable {
    /// The database file.
    public let path: String
    let pool: DatabasePool
    let clock: @Sendable () -> Date
    /// The two writes every Telegram update makes (its handling, and its reply marked sent),
    /// group-committed together: one transaction carries whatever of either is waiting.
    let updateWrites: GroupCommit<UpdateWrite, Bool>
    /// The customer snapshot every turn starts with, grouped the same way: turns that start
    /// while a read is in flight share the next one (one read transaction, one hop to a reader
    /// connection, instead of one each).
    let snapshotReads: GroupCommit<UpdateStore.SnapshotRequest, CustomerSnapshot>
    let outboxFeed = OutboxFeed()

    /// The most the WAL keeps on disk after a checkpoint (64 MiB).
    public static let journalSizeLimit = 64 * 1024 * 1024

    /// How long a writer waits for another connection's lock before failing.
    public static let busyTimeout: TimeInterval = 10

    /// Opens (creating if needed) and migrates the database at `path`; with `readOnly`, opens
    /// an existing file for reading only and refuses one whose schema is behind (`loket migrate`).
    public init(path: String, readOnly: Bool = false, clock: @escaping @Sendable () -> Date = { Date() }) throws {
        self.path = path
        self.clock = clock
        let pool = try DatabasePool(path: path, configuration: Self.configuration(readOnly: readOnly))
        if readOnly {
            guard try pool.read(Schema.migrator.hasCompletedMigrations) else {
                throw LedgerError.schemaOutdated(path)
            }
        } else {
            try Schema.migrator.migrate(pool)
        }
        self.pool = pool
        let feed = outboxFeed
        updateWrites = GroupCommit { try await Self.write($0, pool: pool, feed: feed, now: Self.seconds(clock())) }
        snapshotReads = GroupCommit { requests in try await pool.read { db in try requests.map { try UpdateStore.snapshot($0, db) } } }
    }

    /// The connection settings every Loket connection uses, also used by the benchmarks'
    /// raw-SQLite baseline so both run with the same pragmas.
    public static let pragmas = ["PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL", "PRAGMA foreign_keys = ON"]

    static func configuration(readOnly: Bool = false) -> Configuration {
        var configuration = Configuration()
        configuration.readonly = readOnly
        configuration.busyMode = .timeout(busyTimeout)
        configuration.foreignKeysEnabled = true
        configuration.label = "loket.ledger"
        configuration.prepareDatabase { db in
            guard !db.configuration.readonly else { return }
            try db.run("PRAGMA synchronous = FULL")
            // After a checkpoint the WAL shrinks back to this instead of staying at its largest.
            try db.execute(sql: "PRAGMA journal_size_limit = \(journalSizeLimit)")
        }
        return configuration
    }

    var now: Int64 { Self.seconds(clock()) }

    static func seconds(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) }

    /// Runs `body` in one immediate write transaction.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await pool.write(body)
    }

    /// Runs `body` on a consistent snapshot.
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await pool.read(body)
    }
}
