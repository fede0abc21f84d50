import Foundation
import GRDB
import Money

/// QRIS and other deposits: recorded, credited once with what Flowix received.
public struct DepositStore: LedgerStore {
    let ledger: Ledger

    /// How long a deposit not credited stays due for status checks after it closed or a webhook
    /// reported it: a day.
    public static let recheckWindow: Int64 = 24 * 3600
}

extension DepositStore {
    /// One page of deposits for the owner, newest first (``RecordFilter``): a search matches the reference.
    public func page(_ filter: RecordFilter, limit: Int) async throws -> [Deposit] {
        let (sql, arguments) = filter.query(table: "deposits", prefixColumn: nil, limit: limit)
        return try await read { db in try Deposit.fetchAll(db, sql: sql, arguments: arguments) }
    }

    /// Saves a deposit ticket Flowix created. Saving the same reference again returns it.
    @discardableResult
    public func record(_ deposit: NewDeposit) async throws -> Deposit {
        let now = self.now
        return try await write { db in
            if let existing = try Deposit.find(deposit.refID, in: db) {
                guard existing.userId == deposit.userID else { throw LedgerError.conflict("deposit \(deposit.refID) belongs to another user") }
                return existing
            }
            try db.run("""
                INSERT INTO deposits (ref_id, user_id, method_code, amount_requested, amount_to_pay, fee, qr_string,
                                      status, expires_at, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)
                """, [deposit.refID, deposit.userID, deposit.methodCode, deposit.amountRequested.value,
                                 deposit.amountToPay.value, deposit.fee.value, deposit.qrString, deposit.expiresAt, now, now])
            return try Deposit.find(deposit.refID, in: db)!
        }
    }

    /// Credits a confirmed deposit with the amount Flowix received, exactly once per reference,
    /// whatever state the ticket was in (a payment after expiry or cancel is still credited),
    /// queuing the messages `outbox` makes from the deposit and the new balance.
    /// A second call returns the deposit as it is and moves nothing.
    public func credit(_ refID: String, amountReceived: Rupiah,
                              outbox: @escaping @Sendable (Deposit, Rupiah) -> [NewOutboxMessage] = { _, _ in [] }) async throws -> Settlement<Deposit> {
        guard amountReceived > .zero else { throw LedgerError.invalidAmount("deposit credit of \(amountReceived)") }
        let now = self.now
        return try await write { db in
            guard let deposit = try Deposit.find(refID, in: db) else { throw LedgerError.notFound("deposit \(refID)") }
            guard deposit.status != .success else { return Settlement(record: deposit, journal: nil) }
            let (journal, _) = try JournalPosting(
                key: "deposit:\(refID)", kind: .deposit, reference: refID, userID: deposit.userId, actorID: nil, note: nil,
                legs: [(.wallet(userID: deposit.userId), amountReceived.value), (.system(.deposits), -amountReceived.value)]
            ).post(db, at: now)
            try db.run("""
                UPDATE deposits SET status = 'success', amount_credited = ?, updated_at = ? WHERE ref_id = ? AND status <> 'success'
                """, [amountReceived.value, now, refID])
            guard let credited = try Deposit.find(refID, in: db) else { throw LedgerError.notFound("deposit \(refID)") }
            for message in outbox(credited, try journal.walletBalance()) { try ledger.enqueue(message, db, now) }
            return Settlement(record: credited, journal: journal)
        }
    }

    /// Marks an unpaid deposit expired, cancelled or failed. A credited deposit stays credited
    /// (throws ``LedgerError/invalidTransition(from:to:)``); the same status again is a no-op.
    @discardableResult
    public func mark(_ refID: String, as status: TicketStatus) async throws -> Deposit {
        guard status != .success else { throw LedgerError.invalidTransition(from: "any", to: "success without credit") }
        let now = self.now
        return try await write { db in
            guard let deposit = try Deposit.find(refID, in: db) else { throw LedgerError.notFound("deposit \(refID)") }
            if deposit.status == status { return deposit }
            guard deposit.status.canMove(to: status) else {
                throw LedgerError.invalidTransition(from: deposit.status.rawValue, to: status.rawValue)
            }
            // Closed, but a payment may still arrive: keep asking for a day.
            try db.run("UPDATE deposits SET status = ?, updated_at = ?, recheck_until = MAX(COALESCE(recheck_until, 0), ?) WHERE ref_id = ?",
                       [status.rawValue, now, now + Self.recheckWindow, refID])
            return try Deposit.find(refID, in: db)!
        }
    }

    /// Keeps a deposit due for status checks for ``recheckWindow`` (a webhook reported it).
    public func keepDue(_ refID: String) async throws {
        let now = self.now
        try await write { db in
            try db.run("""
                UPDATE deposits SET recheck_until = MAX(COALESCE(recheck_until, 0), ?) WHERE ref_id = ? AND status <> 'success'
                """, [now + Self.recheckWindow, refID])
        }
    }

    /// Deposits to ask Flowix about, last updated before `before`: every pending one, and every
    /// other one not credited that is still due (``Deposit/recheckUntil``).
    public func due(updatedBefore before: Date, now: Date) async throws -> [Deposit] {
        try await read { db in
            try Deposit.fetchAll(db, sql: """
                SELECT * FROM deposits
                WHERE updated_at <= ? AND (status = 'pending' OR (status <> 'success' AND recheck_until > ?))
                ORDER BY id LIMIT 200
                """, arguments: [Int64(before.timeIntervalSince1970), Int64(now.timeIntervalSince1970)])
        }
    }

    /// A user's deposits still waiting for payment.
    public func open(userID: Int64) async throws -> [Deposit] {
        try await read { db in
            try Deposit.fetchAll(db, sql: "SELECT * FROM deposits WHERE user_id = ? AND status = 'pending' ORDER BY id", arguments: [userID])
        }
    }

    /// Touches a deposit, so the reconciler asks about it again only after its interval.
    public func touch(_ refID: String) async throws {
        let now = self.now
        try await write { db in try db.run("UPDATE deposits SET updated_at = ? WHERE ref_id = ?", [now, refID]) }
    }

    /// The deposit with this Flowix reference.
    public func deposit(refID: String) async throws -> Deposit? {
        try await read { db in try Deposit.find(refID, in: db) }
    }
}
