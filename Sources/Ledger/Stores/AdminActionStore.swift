import Foundation
import GRDB

/// Where an owner gave a command.
public enum AdminSource: String, Sendable, Codable {
    case telegram
    case dashboard
}

/// One thing an owner did: who, from where, what, when.
public struct AdminAction: Sendable, Equatable {
    public let adminID: Int64
    public let source: AdminSource
    public let action: String
    public let createdAt: Int64
}

/// What each owner changed, from Telegram or the dashboard: the shop's audit trail.
public struct AdminActionStore: LedgerStore {
    let ledger: Ledger
}

extension AdminActionStore {
    /// Records that `adminID` did `action` from `source`.
    public func record(adminID: Int64, source: AdminSource, action: String) async throws {
        let now = self.now
        try await write { db in
            try db.run("INSERT INTO admin_actions (admin_id, source, action, created_at) VALUES (?, ?, ?, ?)",
                       [adminID, source.rawValue, String(action.prefix(500)), now])
        }
    }

    /// The latest `limit` actions, newest first.
    public func recent(limit: Int) async throws -> [AdminAction] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT admin_id, source, action, created_at FROM admin_actions ORDER BY id DESC LIMIT ?",
                             arguments: [limit]).compactMap { row in
                // A source a later version wrote (after a rollback) is left out, not an error on the owner's page.
                AdminSource(rawValue: row[1]).map { AdminAction(adminID: row[0], source: $0, action: row[2], createdAt: row[3]) }
            }
        }
    }
}
