import Foundation
import GRDB

/// A customer's transaction PIN as stored: a salted slow hash, never the PIN, and the count of
/// wrong tries towards the lock.
public struct StoredPIN: Sendable, Equatable {
    public let hash: [UInt8]
    public let salt: [UInt8]
    /// The hash's work factor when it was made (it may be raised for new PINs later).
    public let rounds: Int
    public let failures: Int
    public let lockedUntil: Int64?
}

/// Transaction PINs: set, checked (a wrong one counts, once per update), locked, reset.
public struct PINStore: LedgerStore {
    let ledger: Ledger
}

extension PINStore {
    /// The user's PIN, or `nil` when they have none.
    public func pin(userID: Int64) async throws -> StoredPIN? {
        try await read { db in try Self.fetch(userID, db) }
    }

    /// Sets (or replaces) the user's PIN; any wrong tries and lock are forgotten.
    public func set(userID: Int64, hash: [UInt8], salt: [UInt8], rounds: Int) async throws {
        let now = self.now
        try await write { db in
            try db.run("""
                INSERT INTO pins (user_id, hash, salt, rounds, failures, last_failed_update, locked_until, updated_at)
                VALUES (?, ?, ?, ?, 0, NULL, NULL, ?)
                ON CONFLICT(user_id) DO UPDATE SET hash = excluded.hash, salt = excluded.salt, rounds = excluded.rounds,
                    failures = 0, last_failed_update = NULL, locked_until = NULL, updated_at = excluded.updated_at
                """, [userID, Data(hash), Data(salt), rounds, now])
        }
    }

    /// Removes the user's PIN and its lock (`/resetpin`) and queues `outbox` (telling them) in
    /// the same write; `false`, queuing nothing, when they had none.
    public func remove(userID: Int64, outbox: [NewOutboxMessage] = []) async throws -> Bool {
        let now = self.now
        return try await write { db in
            try db.run("DELETE FROM pins WHERE user_id = ?", [userID])
            guard db.changesCount == 1 else { return false }
            for message in outbox { try ledger.enqueue(message, db, now) }
            return true
        }
    }

    /// A right PIN: the wrong tries before it no longer count.
    public func accepted(userID: Int64) async throws {
        try await write { db in
            try db.run("UPDATE pins SET failures = 0, last_failed_update = NULL WHERE user_id = ? AND failures > 0", [userID])
        }
    }

    /// A wrong PIN given in update `updateID`; the same update again (a redelivery) does not
    /// count twice. The `lockAfter`-th wrong try locks PIN-protected actions until `lockUntil`
    /// (Unix seconds) and starts the count again. Returns the PIN as it stands after.
    public func failed(userID: Int64, updateID: Int64, lockAfter: Int, lockUntil: Int64) async throws -> StoredPIN? {
        try await write { db in
            try db.run("""
                UPDATE pins SET failures = failures + 1, last_failed_update = ?
                WHERE user_id = ? AND last_failed_update IS NOT ?
                """, [updateID, userID, updateID])
            try db.run("UPDATE pins SET failures = 0, locked_until = ? WHERE user_id = ? AND failures >= ?",
                       [lockUntil, userID, lockAfter])
            return try Self.fetch(userID, db)
        }
    }

    private static func fetch(_ userID: Int64, _ db: Database) throws -> StoredPIN? {
        try Row.fetchOne(db, sql: "SELECT hash, salt, rounds, failures, locked_until FROM pins WHERE user_id = ?", arguments: [userID]).map { row in
            StoredPIN(hash: [UInt8](row[0] as Data), salt: [UInt8](row[1] as Data), rounds: row[2], failures: row[3],
                      lockedUntil: row[4])
        }
    }
}
