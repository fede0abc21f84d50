import Foundation
import GRDB
import Money
import TestSupport
import Testing
@testable import Ledger

/// Members' balance transfers and transaction PINs as the ledger keeps them.
@Suite("Transfers and PINs in the ledger")
struct TransferAndPINStoreTests {
    let database: TemporaryDatabase
    let ledger: Ledger
    let clock = TestClock(Date(timeIntervalSince1970: 1_790_000_000))

    init() throws {
        database = try TemporaryDatabase()
        ledger = try database.open(clock: { [clock] in clock.now })
    }

    func rupiah(_ value: Int64) -> Rupiah { Rupiah(value)! }

    func funded(_ id: Int64, _ amount: Int64) async throws {
        try await ledger.users.register(id: id, name: "User \(id)", username: "user\(id)")
        _ = try await ledger.wallets.adjust(userID: id, .credit, amount: rupiah(amount), adminID: 1, note: nil, key: "fund-\(id)")
    }

    func transfer(_ reference: String, _ amount: Int64, daily: Int64 = 1_000_000) async throws -> TransferResult {
        try await ledger.wallets.transfer(NewTransfer(reference: reference, senderID: 1, recipientID: 2, amount: rupiah(amount)),
                                          dailyLimit: rupiah(daily), dayStart: clock.now.addingTimeInterval(-3_600)) { sender, recipient in
            [NewOutboxMessage(chatID: 1, priority: .reply, payload: "{\"text\":\"sent, \(sender)\"}", dedupeKey: "sent:\(reference)"),
             NewOutboxMessage(chatID: 2, priority: .reply, payload: "{\"text\":\"got, \(recipient)\"}", dedupeKey: "got:\(reference)")]
        }
    }

    @Test func aTransferIsOneBalancedJournalTransactionAndAReplayMovesNothing() async throws {
        try await funded(1, 100_000)
        try await funded(2, 5_000)
        let first = try await transfer("TF-1-10", 30_000)
        #expect(first.isNew && first.senderBalance == rupiah(70_000) && first.recipientBalance == rupiah(35_000))
        let replay = try await transfer("TF-1-10", 30_000)
        #expect(!replay.isNew && replay.journal.id == first.journal.id)
        // The same reference for another amount is refused, not taken as the first.
        await #expect(throws: LedgerError.idempotencyKeyReused("transfer:TF-1-10")) { _ = try await transfer("TF-1-10", 31_000) }
        #expect(try await ledger.wallets.balance(userID: 1) == rupiah(70_000))
        #expect(try await ledger.wallets.balance(userID: 2) == rupiah(35_000))
        // Both messages queued once, in the same write.
        let queued = try await ledger.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE dedupe_key IN ('sent:TF-1-10', 'got:TF-1-10')") }
        #expect(queued == 2)
        // Each side's history shows its own balance after the transfer.
        let sent = try await ledger.wallets.movements(userID: 1, limit: 1)[0]
        let received = try await ledger.wallets.movements(userID: 2, limit: 1)[0]
        #expect(sent.kind == .transfer && sent.amount == -30_000 && sent.balanceAfter == rupiah(70_000))
        #expect(received.kind == .transfer && received.amount == 30_000 && received.balanceAfter == rupiah(35_000))
        #expect(try await ledger.wallets.transferTotals(userID: 1) == TransferTotals(sentCount: 1, sent: rupiah(30_000)))
        #expect(try await ledger.wallets.transferTotals(userID: 2) == TransferTotals(receivedCount: 1, received: rupiah(30_000)))
        let totals = try await ledger.reports.totals(from: clock.now.addingTimeInterval(-60), to: clock.now.addingTimeInterval(60))
        #expect(totals.transfers == 1 && totals.transferAmount == rupiah(30_000))
        let violations = try LedgerCheck.run(path: database.path)
        #expect(violations.isEmpty, "\(violations)")
    }

    @Test func aTransferTheWalletOrTheDayCannotCoverMovesNothing() async throws {
        try await funded(1, 50_000)
        try await funded(2, 0 + 1)
        await #expect(throws: LedgerError.insufficientFunds(balance: rupiah(50_000), needed: rupiah(60_000))) {
            _ = try await transfer("TF-1-20", 60_000)
        }
        _ = try await transfer("TF-1-21", 20_000, daily: 30_000)
        await #expect(throws: LedgerError.dailyLimitReached(remaining: rupiah(10_000))) {
            _ = try await transfer("TF-1-22", 15_000, daily: 30_000)
        }
        // The replay of one already written is not refused by the limit it counts in.
        #expect(try await !transfer("TF-1-21", 20_000, daily: 30_000).isNew)
        #expect(try await ledger.wallets.balance(userID: 1) == rupiah(30_000))
        await #expect(throws: LedgerError.self) {
            _ = try await ledger.wallets.transfer(NewTransfer(reference: "TF-1-23", senderID: 1, recipientID: 1, amount: rupiah(1_000)),
                                                  dailyLimit: rupiah(1_000_000), dayStart: clock.now) { _, _ in [] }
        }
        let violations = try LedgerCheck.run(path: database.path)
        #expect(violations.isEmpty, "\(violations)")
    }

    @Test func aWrongPINCountsOncePerUpdateAndTheThirdLocks() async throws {
        try await ledger.users.register(id: 1, name: "Budi", username: nil)
        #expect(try await ledger.pins.pin(userID: 1) == nil)
        try await ledger.pins.set(userID: 1, hash: Array(repeating: 7, count: 32), salt: Array(repeating: 1, count: 16), rounds: 1_000)
        let lockUntil = Int64(clock.now.timeIntervalSince1970) + 900
        #expect(try await ledger.pins.failed(userID: 1, updateID: 10, lockAfter: 3, lockUntil: lockUntil)?.failures == 1)
        #expect(try await ledger.pins.failed(userID: 1, updateID: 10, lockAfter: 3, lockUntil: lockUntil)?.failures == 1, "a redelivery")
        #expect(try await ledger.pins.failed(userID: 1, updateID: 11, lockAfter: 3, lockUntil: lockUntil)?.failures == 2)
        let locked = try await ledger.pins.failed(userID: 1, updateID: 12, lockAfter: 3, lockUntil: lockUntil)
        #expect(locked?.lockedUntil == lockUntil && locked?.failures == 0)
        // It survives reopening the file.
        let reopened = try database.open()
        #expect(try await reopened.pins.pin(userID: 1)?.lockedUntil == lockUntil)
        #expect(try await reopened.updates.customerSnapshot(userID: 1, chatID: 1, since: clock.now).pinLockedUntil == lockUntil)
        // A right PIN forgets the wrong ones; a reset removes it all.
        _ = try await ledger.pins.failed(userID: 1, updateID: 13, lockAfter: 3, lockUntil: lockUntil)
        try await ledger.pins.accepted(userID: 1)
        #expect(try await ledger.pins.pin(userID: 1)?.failures == 0)
        #expect(try await ledger.pins.remove(userID: 1))
        #expect(try await !ledger.pins.remove(userID: 1))
        #expect(try await ledger.updates.customerSnapshot(userID: 1, chatID: 1, since: clock.now).hasPIN == false)
    }

    @Test func aRecipientIsFoundByIdOrUsernameInAnyCase() async throws {
        try await ledger.users.register(id: 77, name: "Siti", username: "Siti_Cell")
        #expect(try await ledger.users.user(handle: "@siti_cell")?.id == 77)
        #expect(try await ledger.users.user(handle: "77")?.id == 77)
        #expect(try await ledger.users.user(handle: "@nobody") == nil)
        #expect(try await ledger.users.user(handle: "x") == nil)
        // A username given up and taken by someone else follows them: never the old account.
        try await ledger.users.register(id: 5, name: "Mallory", username: "budi_cell")
        try await ledger.users.register(id: 99, name: "Budi", username: "budi_cell")
        #expect(try await ledger.users.user(handle: "@BUDI_CELL")?.id == 99)
        #expect(try await ledger.users.user(id: 5)?.username == nil)
    }
}
