import Foundation
import GRDB

/// An owner's signed-in browser: who, the token its forms must carry, and until when.
public struct DashboardSession: Sendable, Equatable {
    public let adminID: Int64
    /// The anti-forgery token every form of this session carries.
    public let csrf: String
}

/// The owner's dashboard: one-time login links and the sessions they open, both kept as hashes.
public struct DashboardStore: LedgerStore {
    let ledger: Ledger
}

extension DashboardStore {
    /// Records a login link for `adminID`, usable once until `expiresAt`.
    public func issueLink(tokenHash: String, adminID: Int64, expiresAt: Int64) async throws {
        try await write { db in
            try db.run("INSERT INTO dashboard_links (token_hash, admin_id, expires_at) VALUES (?, ?, ?)", [tokenHash, adminID, expiresAt])
            try db.run("DELETE FROM dashboard_links WHERE expires_at < ?", [expiresAt - 86_400])
        }
    }

    /// Uses the link: its admin when it exists, was never used and has not expired at `now`;
    /// `nil` otherwise, whichever the reason.
    public func redeem(tokenHash: String, now: Int64) async throws -> Int64? {
        // A read first: a guessed link costs no write on the connection that settles money.
        let usable = try await read { db in
            try db.value(Bool.self, "SELECT 1 FROM dashboard_links WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?", [tokenHash, now]) == true
        }
        guard usable else { return nil }
        return try await write { db in
            try db.run("UPDATE dashboard_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?", [now, tokenHash, now])
            guard db.changesCount == 1 else { return nil }
            return try db.value(Int64.self, "SELECT admin_id FROM dashboard_links WHERE token_hash = ?", [tokenHash])
        }
    }

    /// Opens a session for `adminID` until `expiresAt`.
    public func openSession(sessionHash: String, adminID: Int64, csrf: String, expiresAt: Int64) async throws {
        let now = self.now
        try await write { db in
            try db.run("INSERT INTO dashboard_sessions (session_hash, admin_id, csrf, expires_at, created_at) VALUES (?, ?, ?, ?, ?)",
                       [sessionHash, adminID, csrf, expiresAt, now])
            try db.run("DELETE FROM dashboard_sessions WHERE expires_at < ?", [now])
        }
    }

    /// The session, while it lasts at `now`.
    public func session(sessionHash: String, now: Int64) async throws -> DashboardSession? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT admin_id, csrf FROM dashboard_sessions WHERE session_hash = ? AND expires_at > ?",
                             arguments: [sessionHash, now]).map { DashboardSession(adminID: $0[0], csrf: $0[1]) }
        }
    }

    /// Ends the session (log out).
    public func closeSession(sessionHash: String) async throws {
        try await write { db in try db.run("DELETE FROM dashboard_sessions WHERE session_hash = ?", [sessionHash]) }
    }
}
