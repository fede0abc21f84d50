import GRDB
import Money

/// The result of placing an order or payout: the record and the wallet balance after the hold.
public struct Placement<Record: Sendable>: Sendable {
    public let record: Record
    /// The wallet balance right after the hold was taken.
    public let balanceAfter: Rupiah
    /// `false` when the same reference had been placed before and nothing new was written.
    public let isNew: Bool
}

extension Placement {
    /// The placement made before under `refID`: the record and the balance right after its hold.
    static func earlier(_ record: Record, refID: String, in db: Database) throws -> Placement {
        let hold = try Hold.find(refID, in: db)
        let journal = try JournalRecord.fetchOne(db, key: hold?.holdTransactionId)
        return Placement(record: record, balanceAfter: try Rupiah(stored: journal?.walletBalanceAfter ?? 0), isNew: false)
    }
}

/// The result of settling an order or payout.
public struct Settlement<Record: Sendable>: Sendable {
    /// The record after the call.
    public let record: Record
    /// The journal transaction written, or `nil` when it was already final and nothing moved.
    public let journal: JournalRecord?

    /// `true` when this call moved the money.
    public var didSettle: Bool { journal != nil }
}

extension Ledger {
    /// Saves the order, holds its sell price from the wallet and queues `outbox` (the
    /// "diproses" message), in one transaction, before anything is sent to Flowix. Throws ``LedgerError/insufficientFunds(balance:needed:)``
    /// (writing nothing) when the wallet cannot cover it, and ``LedgerError/inquiryInUse(refID:)``
    /// when another order paid (or tried to pay) the same bill inquiry: Flowix knows a bill
    /// payment by its inquiry id, so an answer about it must belong to one order only; paying
    /// again takes a new bill check. Placing the same `refID` again returns the first placement.
    public func placeOrder(_ order: NewOrder, outbox: [NewOutboxMessage] = []) async throws -> Placement<Order> {
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
                                    sell_price, quoted_cost, inquiry_id, status, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)
                """, [order.refID, order.userID, order.kind.rawValue, order.productCode, order.productName,
                                 order.category, order.brand, order.target, order.sellPrice.value, order.quotedCost.value,
                                 order.inquiryID, now, now])
            let journal = try Hold.place(.purchase, reference: order.refID, userID: order.userID, amount: order.sellPrice, in: db, at: now)
            for message in outbox { try self.enqueue(message, db, now) }
            let saved = try Order.find(order.refID, in: db)!
            return Placement(record: saved, balanceAfter: try Rupiah(stored: journal.walletBalanceAfter ?? 0), isNew: true)
        }
    }

    /// Moves an order forward to `processing` or `unknown`, optionally noting an SN or a note.
    /// Staying in the same status is allowed (it only updates the SN or note); moving backwards,
    /// or away from a final status, throws ``LedgerError/invalidTransition(from:to:)``.
    @discardableResult
    public func markOrder(_ refID: String, as status: ProgressStatus, sn: String? = nil, note: String? = nil) async throws -> Order {
        try await mark(Order.self, refID, as: status, note: note, assignments: "sn = COALESCE(?, sn), ", arguments: [sn])
    }

    /// Flowix says the order succeeded: capture the hold, booking Flowix's `cost` and the
    /// difference as margin, and queue the messages `outbox` makes for the settled order, in one
    /// transaction. An order already final is returned unchanged and nothing is queued.
    public func completeOrder(_ refID: String, cost: Rupiah, sn: String?, note: String? = nil,
                              outbox: @escaping @Sendable (Order) -> [NewOutboxMessage] = { _ in [] }) async throws -> Settlement<Order> {
        try await settle(Order.self, refID, as: .captured, note: note, legs: { order in
            [(.system(.flowixCost), cost.value), (.system(.marginRevenue), order.sellPrice.value - cost.value)]
        }, assignments: "final_cost = ?, sn = COALESCE(?, sn), ", arguments: [cost.value, sn], outbox: outbox)
    }

    /// Flowix says the order definitively failed: release the hold back to the wallet, once,
    /// queuing the messages `outbox` makes. An order already final is returned unchanged.
    public func failOrder(_ refID: String, note: String?,
                          outbox: @escaping @Sendable (Order) -> [NewOutboxMessage] = { _ in [] }) async throws -> Settlement<Order> {
        try await settle(Order.self, refID, as: .released, note: note, legs: { order in
            [(.wallet(userID: order.userId), order.sellPrice.value)]
        }, outbox: outbox)
    }
}
