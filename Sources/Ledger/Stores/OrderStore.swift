import Foundation
import GRDB
import Money

/// Purchases and bill payments: placed with a hold, sent, settled once.
public struct OrderStore: LedgerStore {
    let ledger: Ledger
}

extension OrderStore {
    /// The order whose bill payment has this Flowix inquiry id (bills come back under it).
    /// Placement allows one order per inquiry; of two placed before that rule, the first.
    public func order(inquiryID: String) async throws -> Order? {
        try await read { db in try db.one(Order.self, "SELECT * FROM orders WHERE inquiry_id = ? ORDER BY id LIMIT 1", [inquiryID]) }
    }

    /// Orders in one of `statuses` last updated at or before `before` (whole seconds), oldest first.
    public func all(in statuses: [ProgressStatus], updatedBefore before: Date, limit: Int = 200) async throws -> [Order] {
        let seconds = Int64(before.timeIntervalSince1970)
        return try await read { db in
            let marks = databaseQuestionMarks(count: statuses.count)
            return try Order.fetchAll(db, sql: "SELECT * FROM orders WHERE status IN (\(marks)) AND updated_at <= ? ORDER BY id LIMIT ?",
                                      arguments: StatementArguments(statuses.map(\.rawValue))! + [seconds, limit])
        }
    }

    /// One page of orders for the owner, newest first (``RecordFilter``): a search matches the
    /// reference or the start of the destination.
    public func page(_ filter: RecordFilter, limit: Int) async throws -> [Order] {
        let (sql, arguments) = filter.query(table: "orders", prefixColumn: "target", limit: limit)
        return try await read { db in try Order.fetchAll(db, sql: sql, arguments: arguments) }
    }

    /// A user's purchases since `since` (for the "transaksi ganda?" check), newest first.
    public func recent(userID: Int64, since: Date) async throws -> [Order] {
        try await read { db in
            try Order.fetchAll(db, sql: "SELECT * FROM orders WHERE user_id = ? AND created_at >= ? AND status <> 'failed' ORDER BY id DESC LIMIT 50",
                               arguments: [userID, Int64(since.timeIntervalSince1970)])
        }
    }

    /// Touches an order so the reconciler waits a full interval before asking again.
    public func touch(_ refID: String) async throws {
        let now = self.now
        try await write { db in try db.run("UPDATE orders SET updated_at = ? WHERE ref_id = ?", [now, refID]) }
    }

    /// Saves the order, holds its sell price from the wallet and queues `outbox` (the
    /// "diproses" message), in one transaction, before anything is sent to Flowix. Throws ``LedgerError/insufficientFunds(balance:needed:)``
    /// (writing nothing) when the wallet cannot cover it, and ``LedgerError/inquiryInUse(refID:)``
    /// when another order paid (or tried to pay) the same bill inquiry: Flowix knows a bill
    /// payment by its inquiry id, so an answer about it must belong to one order only; paying
    /// again takes a new bill check. Placing the same `refID` again returns the first placement.
    public func place(_ order: NewOrder, outbox: [NewOutboxMessage] = []) async throws -> Placement<Order> {
        let now = self.now
        return try await write { db in
            if let existing = try Order.find(order.refID, in: db) {
                guard existing.userId == order.userID, existing.sellPrice == order.sellPrice,
                      existing.productCode == order.productCode, existing.target == order.target else {
                    throw LedgerError.conflict("order \(order.refID) exists with other details")
                }
                return try .earlier(existing, refID: order.refID, in: db)
            }
            if let inquiry = order.inquiryID,
               let other = try String.fetchOne(db.cachedStatement(sql: "SELECT ref_id FROM orders WHERE inquiry_id = ? LIMIT 1"),
                                               arguments: [inquiry]) {
                throw LedgerError.inquiryInUse(refID: other)
            }
            try db.run("""
                INSERT INTO orders (ref_id, user_id, kind, product_code, product_name, category, brand, target,
                                    sell_price, quoted_cost, inquiry_id, status, created_at, updated_at,
                                    bill_customer_name, bill_period, bill_amount, bill_admin_fee)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?)
                """, [order.refID, order.userID, order.kind.rawValue, order.productCode, order.productName,
                                 order.category, order.brand, order.target, order.sellPrice.value, order.quotedCost.value,
                                 order.inquiryID, now, now, order.bill?.customerName, order.bill?.period, order.bill?.amount.value,
                                 order.bill?.adminFee.value])
            let journal = try Hold.place(.purchase, reference: order.refID, userID: order.userID, amount: order.sellPrice, in: db, at: now)
            for message in outbox { try ledger.enqueue(message, db, now) }
            let saved = try Order.find(order.refID, in: db)!
            return Placement(record: saved, balanceAfter: try journal.walletBalance(), isNew: true)
        }
    }

    /// Moves an order forward to `processing` or `unknown`, optionally noting an SN or a note.
    /// Staying in the same status is allowed (it only updates the SN or note); moving backwards,
    /// or away from a final status, throws ``LedgerError/invalidTransition(from:to:)``.
    @discardableResult
    public func mark(_ refID: String, as status: ProgressStatus, sn: String? = nil, note: String? = nil) async throws -> Order {
        try await ledger.mark(Order.self, refID, as: status, note: note, assignments: "sn = COALESCE(?, sn), ", arguments: [sn])
    }

    /// Flowix says the order succeeded: capture the hold, booking Flowix's `cost` and the
    /// difference as margin, and queue the messages `outbox` makes for the settled order, in one
    /// transaction. An order already final is returned unchanged and nothing is queued.
    public func complete(_ refID: String, cost: Rupiah, sn: String?, note: String? = nil,
                              outbox: @escaping @Sendable (Order) -> [NewOutboxMessage] = { _ in [] }) async throws -> Settlement<Order> {
        try await ledger.settle(Order.self, refID, as: .captured, note: note, legs: { order in
            [(.system(.flowixCost), cost.value), (.system(.marginRevenue), order.sellPrice.value - cost.value)]
        }, assignments: "final_cost = ?, sn = COALESCE(?, sn), ", arguments: [cost.value, sn], outbox: outbox)
    }

    /// Flowix says the order definitively failed: release the hold back to the wallet, once,
    /// queuing the messages `outbox` makes. An order already final is returned unchanged.
    public func fail(_ refID: String, note: String?,
                          outbox: @escaping @Sendable (Order) -> [NewOutboxMessage] = { _ in [] }) async throws -> Settlement<Order> {
        try await ledger.settle(Order.self, refID, as: .released, note: note, legs: { order in
            [(.wallet(userID: order.userId), order.sellPrice.value)]
        }, outbox: outbox)
    }

    /// The order with this `ref_id`.
    public func order(refID: String) async throws -> Order? {
        try await read { db in try Order.find(refID, in: db) }
    }

    /// Records how long Flowix has not found an order (``Order/notFoundSince``), and touches it.
    public func trackNotFound(_ refID: String, since: Int64?, checks: Int) async throws {
        try await ledger.trackNotFound(Order.self, refID, since: since, checks: checks)
    }

    /// Remembers the price Flowix stated for an order that is not settled yet.
    public func rememberFlowixPrice(_ refID: String, _ price: Rupiah) async throws {
        try await write { db in
            try db.run("UPDATE orders SET flowix_price = ? WHERE ref_id = ? AND status IN ('pending', 'processing', 'unknown')", [price.value, refID])
        }
    }

    /// Before an order's create leaves, first or again: forgets earlier "not found" answers,
    /// since this create may make the transaction (the grace period starts over), and counts it
    /// when it is a resend. `false`, writing nothing, when the order is settled, or for a first
    /// send when anything else went out meanwhile (the reconciler owns it then): it must not be
    /// sent.
    @discardableResult
    public func beginSend(_ refID: String, resend: Bool) async throws -> Bool {
        try await ledger.beginSend(Order.self, refID, resend: resend)
    }

    /// Open orders created at or before `before` for which no setting named `rememberedPrefix`
    /// + reference exists yet (the "unresolved" alert not raised), oldest first. Past the first
    /// `limit`, the next pass finds the rest once these are remembered.
    public func unresolved(createdBefore before: Date, notRemembered rememberedPrefix: String, limit: Int = 50) async throws -> [Order] {
        try await ledger.unresolved(Order.self, createdBefore: before, notRemembered: rememberedPrefix, limit: limit)
    }
}
