import Foundation
import GRDB
import Money
import Testing
@testable import Ledger

@Suite("Ledger operations")
struct LedgerOperationsTests {
    let database: TemporaryDatabase
    let ledger: Ledger

    init() throws {
        database = try TemporaryDatabase()
        ledger = try database.open()
    }

    func rupiah(_ value: Int64) -> Rupiah { Rupiah(value)! }

    /// A user with a credited deposit of `amount`.
    func fundedUser(_ id: Int64, _ amount: Int64) async throws {
        try await ledger.users.register(id: id, name: "UserRecord \(id)", username: nil)
        try await ledger.deposits.record(NewDeposit(refID: "DEP-\(id)", userID: id, methodCode: "QRIS", amountRequested: rupiah(amount),
                                                  amountToPay: rupiah(amount + 700), fee: rupiah(700), qrString: "000201", expiresAt: nil))
        _ = try await ledger.deposits.credit("DEP-\(id)", amountReceived: rupiah(amount))
    }

    func order(_ ref: String, user: Int64, price: Int64, cost: Int64 = 10_000) -> NewOrder {
        NewOrder(refID: ref, userID: user, kind: .prepaid, productCode: "TSEL10", productName: "Telkomsel 10.000",
                 category: "Pulsa", brand: "Telkomsel", target: "081234567890", sellPrice: rupiah(price), quotedCost: rupiah(cost))
    }

    func expectClean() throws {
        let violations = try LedgerCheck.run(path: database.path)
        #expect(violations.isEmpty, "\(violations)")
    }

    @Test func depositIsCreditedOnceEvenAfterExpiry() async throws {
        try await ledger.users.register(id: 1, name: "Budi", username: "budi")
        try await ledger.deposits.record(NewDeposit(refID: "DEP-A", userID: 1, methodCode: "QRIS", amountRequested: rupiah(50_000),
                                                  amountToPay: rupiah(50_700), fee: rupiah(700), qrString: nil, expiresAt: nil))
        try await ledger.deposits.mark("DEP-A", as: .expired)
        let first = try await ledger.deposits.credit("DEP-A", amountReceived: rupiah(50_000))
        #expect(first.didSettle)
        #expect(first.journal?.walletBalanceAfter == 50_000)
        let second = try await ledger.deposits.credit("DEP-A", amountReceived: rupiah(50_000))
        #expect(!second.didSettle)
        #expect(second.record.status == .success)
        #expect(try await ledger.wallets.balance(userID: 1) == rupiah(50_000))
        await #expect(throws: LedgerError.invalidTransition(from: "success", to: "cancelled")) {
            try await ledger.deposits.mark("DEP-A", as: .cancelled)
        }
        try expectClean()
    }

    @Test func insufficientFundsWritesNothing() async throws {
        try await fundedUser(2, 5_000)
        await #expect(throws: LedgerError.insufficientFunds(balance: rupiah(5_000), needed: rupiah(10_500))) {
            try await ledger.orders.place(order("O-1", user: 2, price: 10_500))
        }
        #expect(try await ledger.orders.order(refID: "O-1") == nil)
        #expect(try await ledger.wallets.balance(userID: 2) == rupiah(5_000))
        try expectClean()
    }

    @Test func captureSplitsCostAndMarginAndReplaysChangeNothing() async throws {
        try await fundedUser(3, 100_000)
        let placed = try await ledger.orders.place(order("O-2", user: 3, price: 11_000, cost: 10_500))
        #expect(placed.isNew)
        #expect(placed.balanceAfter == rupiah(89_000))
        let replay = try await ledger.orders.place(order("O-2", user: 3, price: 11_000, cost: 10_500))
        #expect(!replay.isNew)
        #expect(replay.balanceAfter == rupiah(89_000))
        #expect(try await ledger.wallets.balance(userID: 3) == rupiah(89_000))

        try await ledger.orders.mark("O-2", as: .processing)
        let settled = try await ledger.orders.complete("O-2", cost: rupiah(10_500), sn: "1234")
        #expect(settled.didSettle)
        #expect(settled.record.status == .success)
        #expect(settled.record.sn == "1234")
        let again = try await ledger.orders.complete("O-2", cost: rupiah(10_500), sn: "1234")
        #expect(!again.didSettle)
        let late = try await ledger.orders.fail("O-2", note: "late failure webhook")
        #expect(!late.didSettle)
        #expect(late.record.status == .success)
        #expect(try await ledger.wallets.balance(userID: 3) == rupiah(89_000))

        let totals = try await ledger.reports.totals(from: Date(timeIntervalSinceNow: -60), to: Date(timeIntervalSinceNow: 60))
        #expect(totals.purchases == 1)
        #expect(totals.revenue == rupiah(11_000))
        #expect(totals.cost == rupiah(10_500))
        #expect(totals.margin == 500)
        #expect(totals.deposits == 1 && totals.depositAmount == rupiah(100_000))
        try expectClean()
    }

    @Test func failureRefundsExactlyOnce() async throws {
        try await fundedUser(4, 20_000)
        _ = try await ledger.orders.place(order("O-3", user: 4, price: 11_000))
        try await ledger.orders.mark("O-3", as: .unknown)
        let refund = try await ledger.orders.fail("O-3", note: "Nomor salah")
        #expect(refund.didSettle)
        #expect(refund.journal?.walletBalanceAfter == 20_000)
        #expect(!(try await ledger.orders.fail("O-3", note: "again")).didSettle)
        #expect(!(try await ledger.orders.complete("O-3", cost: rupiah(10_000), sn: nil)).didSettle)
        #expect(try await ledger.wallets.balance(userID: 4) == rupiah(20_000))
        try expectClean()
    }

    @Test func statusOnlyMovesForward() async throws {
        try await fundedUser(5, 50_000)
        _ = try await ledger.orders.place(order("O-4", user: 5, price: 11_000))
        try await ledger.orders.mark("O-4", as: .processing)
        await #expect(throws: LedgerError.invalidTransition(from: "processing", to: "unknown")) {
            try await ledger.orders.mark("O-4", as: .unknown)
        }
        _ = try await ledger.orders.complete("O-4", cost: rupiah(10_000), sn: nil)
        await #expect(throws: LedgerError.invalidTransition(from: "success", to: "processing")) {
            try await ledger.orders.mark("O-4", as: .processing)
        }
        #expect(ProgressStatus.pending.canMove(to: .unknown))
        #expect(ProgressStatus.unknown.canMove(to: .processing))
        #expect(!ProgressStatus.failed.canMove(to: .success))
        #expect(!TicketStatus.success.canMove(to: .expired))
        #expect(TicketStatus.cancelled.canMove(to: .success))
    }

    @Test func payoutBooksAFeeDifference() async throws {
        try await fundedUser(6, 200_000)
        let payout = NewPayout(refID: "WD-1", userID: 6, bankCode: "BCA", bankName: "BANK CENTRAL ASIA",
                               accountNumber: "1234567890", accountName: "BUDI", amount: rupiah(100_000), fee: rupiah(2_500))
        let placed = try await ledger.payouts.place(payout)
        #expect(placed.balanceAfter == rupiah(97_500))
        let done = try await ledger.payouts.complete("WD-1", flowixFee: rupiah(3_000))
        #expect(done.didSettle)
        #expect(done.record.flowixFee == rupiah(3_000))
        _ = try await ledger.payouts.place(NewPayout(refID: "WD-2", userID: 6, bankCode: "DANA", bankName: "DANA",
                                                   accountNumber: "0812", accountName: "BUDI", amount: rupiah(50_000), fee: rupiah(2_500)))
        let failed = try await ledger.payouts.fail("WD-2", note: "ditolak bank")
        #expect(failed.journal?.walletBalanceAfter == 97_500)
        await #expect(throws: LedgerError.insufficientFunds(balance: rupiah(97_500), needed: rupiah(102_500))) {
            try await ledger.payouts.place(NewPayout(refID: "WD-3", userID: 6, bankCode: "BCA", bankName: "BCA",
                                                   accountNumber: "1", accountName: "B", amount: rupiah(100_000), fee: rupiah(2_500)))
        }
        let totals = try await ledger.reports.totals(from: Date(timeIntervalSinceNow: -60), to: Date(timeIntervalSinceNow: 60))
        #expect(totals.payouts == 1 && totals.payoutAmount == rupiah(100_000))
        #expect(totals.payoutFeeMargin == -500)
        try expectClean()
    }

    @Test func adjustmentsNeverGoBelowZeroAndReplayByKey() async throws {
        try await ledger.users.register(id: 7, name: "Siti", username: nil)
        let credit = try await ledger.wallets.adjust(userID: 7, .credit, amount: rupiah(25_000), adminID: 99, note: "bonus", key: "a1")
        #expect(credit.walletBalanceAfter == 25_000)
        #expect(credit.actorId == 99 && credit.note == "bonus")
        let replay = try await ledger.wallets.adjust(userID: 7, .credit, amount: rupiah(25_000), adminID: 99, note: "bonus", key: "a1")
        #expect(replay == credit)
        await #expect(throws: LedgerError.insufficientFunds(balance: rupiah(25_000), needed: rupiah(30_000))) {
            try await ledger.wallets.adjust(userID: 7, .debit, amount: rupiah(30_000), adminID: 99, note: nil, key: "a2")
        }
        _ = try await ledger.wallets.adjust(userID: 7, .debit, amount: rupiah(25_000), adminID: 99, note: "koreksi", key: "a3")
        #expect(try await ledger.wallets.balance(userID: 7) == .zero)
        await #expect(throws: LedgerError.notFound("user 8")) {
            try await ledger.wallets.adjust(userID: 8, .credit, amount: rupiah(1), adminID: 99, note: nil, key: "a4")
        }
        let history = try await ledger.wallets.movements(userID: 7, limit: 10)
        #expect(history.map(\.amount) == [-25_000, 25_000])
        #expect(history.first?.balanceAfter == .zero)
        try expectClean()
    }

    @Test func journalIsAppendOnlyAndCheckCatchesTampering() async throws {
        try await fundedUser(9, 10_000)
        let queue = try DatabaseQueue(path: database.path)
        for sql in ["UPDATE journal_entries SET amount = 1", "DELETE FROM journal_transactions", "DELETE FROM journal_entries",
                    "UPDATE journal_transactions SET note = 'x'", "UPDATE accounts SET balance = -5 WHERE kind = 'wallet'"] {
            await #expect(throws: DatabaseError.self, "\(sql)") { try await queue.write { try $0.execute(sql: sql) } }
        }
        try await queue.write { try $0.execute(sql: "UPDATE accounts SET balance = balance + 1 WHERE kind = 'wallet'") }
        let violations = try LedgerCheck.run(path: database.path)
        #expect(Set(violations.map(\.invariant)) == ["accounts-sum-to-zero", "balance-matches-entries"])
    }

    @Test func reopeningMigratesAndKeepsMoney() async throws {
        try await fundedUser(10, 42_000)
        let reopened = try database.open()
        #expect(try await reopened.wallets.balance(userID: 10) == rupiah(42_000))
        let user = try await reopened.users.register(id: 10, name: "Renamed", username: "r")
        #expect(user.name == "Renamed" && user.level == .member)
        try await reopened.users.setLevel(.reseller, userID: 10)
        #expect(try await reopened.users.user(id: 10)?.level == .reseller)
    }

    /// A margin rule or an outbox row stored with a value this version does not know (a newer
    /// version's, or a hand edit past the CHECK constraints) is an error that surfaces, never a
    /// default such as "no margin" or "bulk".
    @Test func aStoredValueThisVersionCannotReadIsAnError() async throws {
        try await ledger.catalogue.setMarginRule(scope: .all, scopeValue: "", level: "member", kind: .rupiah, value: 500, adminID: 1)
        #expect(try await ledger.catalogue.marginRules().map(\.kind) == [.rupiah])
        let raw = try DatabaseQueue(path: database.path)
        try await raw.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA ignore_check_constraints = ON")
            try db.execute(sql: "UPDATE margin_rules SET kind = 'tiered'")
            try db.execute(sql: "INSERT INTO outbox (chat_id, priority, payload, created_at) VALUES (1, 'urgent', '{}', 0)")
        }
        await #expect(throws: (any Error).self) { try await ledger.catalogue.marginRules() }
        await #expect(throws: (any Error).self) { try await ledger.outbox.pending(limit: 10, now: .distantFuture) }
    }

    /// An amount stored out of `Rupiah`'s range (a hand edit) makes the record unreadable: the
    /// order is an error to whoever reads it, never a price of zero.
    @Test func aStoredAmountOutOfRangeIsAnErrorNotAZero() async throws {
        try await fundedUser(1, 50_000)
        let order = NewOrder(refID: "LKT-1-1", userID: 1, kind: .prepaid, productCode: "TSEL10", productName: "Telkomsel 10.000",
                             target: "081234567890", sellPrice: rupiah(11_000), quotedCost: rupiah(10_500))
        _ = try await ledger.orders.place(order)
        #expect(try await ledger.orders.order(refID: "LKT-1-1")?.sellPrice == rupiah(11_000))
        let raw = try DatabaseQueue(path: database.path)
        try await raw.write { db in try db.execute(sql: "UPDATE orders SET quoted_cost = ? WHERE ref_id = 'LKT-1-1'", arguments: [Int64.max]) }
        await #expect(throws: (any Error).self) { try await ledger.orders.order(refID: "LKT-1-1") }
    }

    /// Flowix charging more than the sell price is a loss the owner must see: the margin stays
    /// negative in the totals (the amounts that cannot be negative are `Rupiah`).
    @Test func aLossIsANegativeMarginNotAZero() async throws {
        try await fundedUser(4, 50_000)
        _ = try await ledger.orders.place(order("O-L", user: 4, price: 10_000, cost: 10_000))
        _ = try await ledger.orders.complete("O-L", cost: rupiah(12_500), sn: "SN")
        let totals = try await ledger.reports.totals(from: Date(timeIntervalSinceNow: -60), to: Date(timeIntervalSinceNow: 60))
        #expect(totals.revenue == rupiah(10_000) && totals.cost == rupiah(12_500))
        #expect(totals.margin == -2_500)
        #expect(totals.categories.first?.margin == -2_500)
        #expect(try await ledger.wallets.movements(userID: 4, limit: 5).first?.balanceAfter == rupiah(40_000))
        try expectClean()
    }

    /// A journal row of a kind this version does not know fails the history instead of
    /// vanishing from it.
    @Test func aMovementOfAnUnknownKindIsAnErrorNotAGap() async throws {
        try await fundedUser(5, 20_000)
        let raw = try DatabaseQueue(path: database.path)
        try await raw.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA ignore_check_constraints = ON")
            try db.execute(sql: "DROP TRIGGER IF EXISTS journal_transactions_no_update")
            try db.execute(sql: "UPDATE journal_transactions SET kind = 'cashback'")
        }
        await #expect(throws: (any Error).self) { try await ledger.wallets.movements(userID: 5, limit: 5) }
    }
}
