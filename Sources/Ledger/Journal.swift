import Foundation
import GRDB
import Money

/// What a journal transaction records.
public enum JournalKind: String, Sendable, Codable, CaseIterable {
    case deposit
    case purchaseHold = "purchase_hold"
    case purchaseCapture = "purchase_capture"
    case purchaseRelease = "purchase_release"
    case payoutHold = "payout_hold"
    case payoutCapture = "payout_capture"
    case payoutRelease = "payout_release"
    case adjustment
    /// A member's balance moved to another member's wallet (`/transfer`).
    case transfer
}

/// A journal transaction as stored: append-only, unique by its idempotency key.
public struct JournalRecord: Sendable, Equatable, Codable, FetchableRecord, TableRecord {
    public static let databaseTableName = "journal_transactions"
    public let id: Int64
    public let idempotencyKey: String
    public let kind: JournalKind
    public let reference: String?
    public let userId: Int64?
    public let actorId: Int64?
    public let note: String?
    /// The wallet's balance right after this transaction, when it touched a wallet.
    public let walletBalanceAfter: Int64?
    public let createdAt: Int64

    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase

    /// The wallet's balance right after this transaction; an error, never a zero, for one that
    /// touched no wallet or whose stored balance is out of range.
    public func walletBalance() throws -> Rupiah {
        guard let walletBalanceAfter else { throw LedgerError.notFound("a wallet balance after journal transaction \(id)") }
        return try Rupiah(stored: walletBalanceAfter)
    }
}

/// One journal transaction to write: legs that sum to zero, under an idempotency key.
struct JournalPosting {
    let key: String
    let kind: JournalKind
    let reference: String?
    let userID: Int64?
    let actorID: Int64?
    let note: String?
    let legs: [(AccountRef, Int64)]

    /// The legs of journal transaction `id` as written, `<account code> <amount>`, in a stable order.
    static func writtenLegs(of id: Int64, _ db: Database) throws -> [String] {
        try Row.fetchAll(db, sql: """
            SELECT a.code, e.amount FROM journal_entries e JOIN accounts a ON a.id = e.account_id
            WHERE e.transaction_id = ? ORDER BY e.amount, a.code
            """, arguments: [id]).map { "\($0[0] as String) \($0[1] as Int64)" }
    }

    /// Throws ``LedgerError/idempotencyKeyReused(_:)`` when a transaction is already written
    /// under this key with other legs or another note: the same key must mean the same posting,
    /// never another amount, wallet or note taken for the first.
    func requireSameAsWritten(_ db: Database) throws {
        guard let existing = try db.one(JournalRecord.self, "SELECT * FROM journal_transactions WHERE idempotency_key = ?", [key]) else { return }
        let asked = legs.filter { $0.1 != 0 }.sorted { ($0.1, $0.0.code) < ($1.1, $1.0.code) }.map { "\($0.0.code) \($0.1)" }
        guard existing.note == note, try Self.writtenLegs(of: existing.id, db) == asked else { throw LedgerError.idempotencyKeyReused(key) }
    }

    /// Writes the transaction, its entries and the balances, or returns the transaction already
    /// written under the same key. A wallet that would go below zero throws
    /// ``LedgerError/insufficientFunds(balance:needed:)`` and, thrown inside a write, rolls
    /// everything back.
    func post(_ db: Database, at now: Int64) throws -> (record: JournalRecord, isNew: Bool) {
        if let existing = try db.one(JournalRecord.self, "SELECT * FROM journal_transactions WHERE idempotency_key = ?", [key]) {
            guard existing.kind == kind, existing.reference == reference else { throw LedgerError.idempotencyKeyReused(key) }
            return (existing, false)
        }
        let nonZero = legs.filter { $0.1 != 0 }
        guard nonZero.count >= 2, nonZero.reduce(0, { $0 + $1.1 }) == 0 else {
            throw LedgerError.unbalanced("\(kind.rawValue) \(key): \(nonZero.map { "\($0.0.code) \($0.1)" })")
        }
        var walletBalanceAfter: Int64?
        var accountIDs: [Int64] = []
        for (account, amount) in nonZero {
            let accountID = try Self.accountID(for: account, in: db)
            try db.run("""
                UPDATE accounts SET balance = balance + :amount
                WHERE id = :id AND (kind = 'system' OR balance + :amount >= 0)
                """, ["amount": amount, "id": accountID])
            let updated = db.changesCount == 1
            let balance = try db.value(Int64.self, "SELECT balance FROM accounts WHERE id = ?", [accountID]) ?? 0
            if !updated {
                throw LedgerError.insufficientFunds(balance: try Rupiah(stored: balance), needed: try Rupiah(stored: -amount))
            }
            // The balance of the wallet the transaction belongs to (a transfer's sender).
            if case .wallet(let owner) = account, owner == userID { walletBalanceAfter = balance }
            accountIDs.append(accountID)
        }
        try db.run("""
            INSERT INTO journal_transactions
                (idempotency_key, kind, reference, user_id, actor_id, note, wallet_balance_after, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, [key, kind.rawValue, reference, userID, actorID, note, walletBalanceAfter, now])
        let transactionID = db.lastInsertedRowID
        for (accountID, leg) in zip(accountIDs, nonZero) {
            try db.run("INSERT INTO journal_entries (transaction_id, account_id, amount) VALUES (?, ?, ?)",
                           [transactionID, accountID, leg.1])
        }
        let record = JournalRecord(id: transactionID, idempotencyKey: key, kind: kind, reference: reference, userId: userID,
                                   actorId: actorID, note: note, walletBalanceAfter: walletBalanceAfter, createdAt: now)
        return (record, true)
    }

    /// The account's row id; a wallet is opened on first use (its user must exist).
    static func accountID(for account: AccountRef, in db: Database) throws -> Int64 {
        if let id = try db.value(Int64.self, "SELECT id FROM accounts WHERE code = ?", [account.code]) {
            return id
        }
        guard case .wallet(let userID) = account else { throw LedgerError.notFound("account \(account.code)") }
        guard try db.value(Bool.self, "SELECT 1 FROM users WHERE id = ?", [userID]) == true else {
            throw LedgerError.notFound("user \(userID)")
        }
        try db.run("INSERT INTO accounts (code, kind, user_id) VALUES (?, 'wallet', ?)", [account.code, userID])
        return db.lastInsertedRowID
    }
}
