import Foundation
import GRDB
import Money

/// The shop's users: registration on first contact, level, blocking and language.
public struct UserStore: LedgerStore {
    let ledger: Ledger
}

extension UserStore {
    /// Records a user on first contact, refreshing the name and username on later ones. A user
    /// who writes again is reachable again (they unblocked the bot).
    @discardableResult
    public func register(id: Int64, name: String, username: String?, language: String = "id") async throws -> UserRecord {
        let now = self.now
        return try await write { db in
            // A username belongs to one account at a time: whoever had it before gave it up, and
            // a transfer to `@name` must never reach them.
            if let username {
                try db.run("UPDATE users SET username = NULL WHERE username = ? COLLATE NOCASE AND id <> ?", [username, id])
            }
            // Through the statement cache: a first message from each of many new customers runs
            // these once each (GRDB's record methods would parse them every time).
            if var user = try db.one(UserRecord.self, "SELECT * FROM users WHERE id = ?", [id]) {
                if user.name != name || user.username != username || !user.isReachable {
                    user.name = name
                    user.username = username
                    user.isReachable = true
                    try db.run("UPDATE users SET name = ?, username = ?, is_reachable = 1 WHERE id = ?", [name, username, id])
                }
                return user
            }
            let user = UserRecord(id: id, name: name, username: username, language: language, createdAt: now)
            try db.run("""
                INSERT INTO users (id, name, username, level, language, is_blocked, is_reachable, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, [user.id, user.name, user.username, user.level.rawValue, user.language, user.isBlocked, user.isReachable, user.createdAt])
            return user
        }
    }

    /// The user with this Telegram id.
    public func user(id: Int64) async throws -> UserRecord? {
        try await read { db in try UserRecord.fetchOne(db, key: id) }
    }

    /// The user a customer means by `@username` (any case) or by a numeric id.
    public func user(handle: String) async throws -> UserRecord? {
        if handle.hasPrefix("@") {
            let name = String(handle.dropFirst())
            return try await read { db in
                // Two rows with the name (a file from before names were kept unique): nobody, not a guess.
                let found = try UserRecord.fetchAll(db, sql: "SELECT * FROM users WHERE username = ? COLLATE NOCASE LIMIT 2", arguments: [name])
                return found.count == 1 ? found[0] : nil
            }
        }
        guard let id = Int64(handle) else { return nil }
        return try await user(id: id)
    }

    /// Changes a user's level (`/level`).
    public func setLevel(_ level: UserLevel, userID: Int64) async throws {
        try await updateUser(userID) { $0.level = level }
    }

    /// Blocks or unblocks a user (`/blokir`, `/buka`).
    public func setBlocked(_ blocked: Bool, userID: Int64) async throws {
        try await updateUser(userID) { $0.isBlocked = blocked }
    }

    /// Sets the user's language (`/bahasa`).
    public func setLanguage(_ language: String, userID: Int64) async throws {
        try await updateUser(userID) { $0.language = language }
    }

    /// Users the bot can still reach and who are not blocked, for broadcasts.
    public func reachable() async throws -> [UserRecord] {
        try await read { db in try UserRecord.fetchAll(db, sql: "SELECT * FROM users WHERE is_reachable = 1 AND is_blocked = 0 ORDER BY id") }
    }

    /// One page of customers for the owner with their wallet balances, newest first: those below
    /// user id `before`, matching `search` when given (an id exactly, or a name or username
    /// containing it, any case).
    public func page(search: String?, before: Int64?, limit: Int) async throws -> [(user: UserRecord, balance: Int64)] {
        var sql = "SELECT u.*, COALESCE(a.balance, 0) AS wallet FROM users u LEFT JOIN accounts a ON a.user_id = u.id WHERE u.id < ?"
        var arguments: StatementArguments = [before ?? Int64.max]
        if let search, !search.isEmpty {
            let escaped = search.escapedForLike
            let handle = search.hasPrefix("@") ? String(escaped.dropFirst()) : escaped
            sql += " AND (u.id = ? OR u.name LIKE ? ESCAPE '\\' OR u.username LIKE ? ESCAPE '\\')"
            arguments += [Int64(search) ?? 0, "%" + escaped + "%", "%" + handle + "%"]
        }
        sql += " ORDER BY u.id DESC LIMIT ?"
        arguments += [limit]
        return try await read { [sql, arguments] db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in (try UserRecord(row: row), row["wallet"]) }
        }
    }

    private func updateUser(_ id: Int64, _ change: @escaping @Sendable (inout UserRecord) -> Void) async throws {
        try await write { db in
            guard var user = try UserRecord.fetchOne(db, key: id) else { throw LedgerError.notFound("user \(id)") }
            change(&user)
            try user.update(db)
        }
    }
}
