import Conversation
import Flowix
import FlowixSandbox
import Foundation
import GRDB
import Ledger
@testable import LoketCore
import Money
import Testing

/// The purchase, payout, deposit, webhook and reconciler services driven directly, with Flowix
/// in memory and a clock the test turns: the money rules at the speed of a unit test.
@Suite("Money services without sockets")
struct MoneyServicesTests {
    static let customer: Int64 = 7_001
    static let start = Rupiah(100_000)!
    static let quote = PurchaseQuote(productCode: "TSEL10", productName: "Telkomsel 10.000", target: "081234567890", price: Rupiah(11_000)!)

    /// Places the quote for `user` and returns the held order.
    func hold(_ world: CoreWorld, _ user: UserRecord, refID: String) async throws -> Order {
        guard case .placed(let order, .first) = try await world.services.purchases.place(Self.quote, user: user, refID: refID) else {
            throw HarnessError("the order was not held")
        }
        return order
    }

    @Test("an answer lost after Flowix acted keeps the money held; Flowix's success settles it, never a refund")
    func lostAnswerStaysHeld() async throws {
        let world = try await CoreWorld { _, api in
            let create = api.createTransaction
            api.createTransaction = { code, target, refID async throws(FlowixError) in
                _ = try await create(code, target, refID)
                throw .outcomeUnknown(.timeout)
            }
        }
        defer { world.cleanUp() }
        let user = try await world.customer(Self.customer, balance: Self.start)
        let order = try await hold(world, user, refID: "LKT-7001-1")
        await world.services.purchases.send(order, attempt: .first)
        #expect(try await world.ledger.orders.order(refID: order.refId)?.status == .unknown)
        #expect(try await world.ledger.wallets.balance(userID: Self.customer) == Rupiah(89_000))

        world.advance(60)
        await world.services.reconciler.reconcile()
        #expect(try await world.ledger.orders.order(refID: order.refId)?.status == .processing)
        #expect(try await world.ledger.wallets.balance(userID: Self.customer) == Rupiah(89_000))

        #expect(await world.sandbox.settle(refID: order.refId, as: .success))
        await world.sandbox.waitForWebhooks()
        #expect(try await world.ledger.orders.order(refID: order.refId)?.status == .success)
        world.advance(600)
        await world.services.reconciler.reconcile()
        #expect(try await world.ledger.wallets.balance(userID: Self.customer) == Rupiah(89_000))
        #expect(try await world.queued(to: Self.customer).filter { $0.contains("Berhasil") || $0.contains("berhasil") }.count == 1)
        #expect(try world.violations().isEmpty)
    }

    @Test("Flowix refusing the first create refunds at once and exactly once")
    func refusalRefundsOnce() async throws {
        let world = try await CoreWorld()
        defer { world.cleanUp() }
        let user = try await world.customer(Self.customer, balance: Self.start)
        await world.sandbox.setBalance(Rupiah(1_000)!)
        let order = try await hold(world, user, refID: "LKT-7001-2")
        await world.services.purchases.send(order, attempt: .first)
        #expect(try await world.ledger.orders.order(refID: order.refId)?.status == .failed)
        #expect(try await world.ledger.wallets.balance(userID: Self.customer) == Self.start)
        // Sent again (a redelivered update, a reconciler pass): nothing moves.
        let settled = try #require(try await world.ledger.orders.order(refID: order.refId))
        await world.services.purchases.send(settled, attempt: .resend)
        world.advance(3_600)
        await world.services.reconciler.reconcile()
        #expect(try await world.ledger.wallets.balance(userID: Self.customer) == Self.start)
        let told = try await world.queued(to: Self.customer)
        #expect(told.filter { $0.contains("ditolak") }.count == 1, "\(told)")
        #expect(try world.violations().isEmpty)
    }

    @Test("a record Flowix finds late is never refunded while it says 'not found'")
    func lateRecordIsNotRefunded() async throws {
        let world = try await CoreWorld()
        defer { world.cleanUp() }
        let user = try await world.customer(Self.customer, balance: Self.start)
        await world.sandbox.setStatusLag(.checks(4))
        let order = try await hold(world, user, refID: "LKT-7001-3")
        await world.sandbox.dropCreates(next: 1, answer: .timeout)
        await world.services.purchases.send(order, attempt: .first)
        for _ in 0..<12 {
            world.advance(60)
            await world.services.reconciler.reconcile()
            let status = try #require(try await world.ledger.orders.order(refID: order.refId)?.status)
            #expect(status != .failed, "refunded while Flowix may still deliver")
            if status == .processing { break }
        }
        #expect(try await world.ledger.orders.order(refID: order.refId)?.status == .processing)
        #expect(try await world.ledger.wallets.balance(userID: Self.customer) == Rupiah(89_000))
        #expect(try world.violations().isEmpty)
    }

    @Test("a create Flowix never recorded is refunded only after the grace period and the checks")
    func notFoundRefundsAfterTheGrace() async throws {
        let world = try await CoreWorld()
        defer { world.cleanUp() }
        let user = try await world.customer(Self.customer, balance: Self.start)
        await world.sandbox.dropCreates(answer: .serverError)
        let order = try await hold(world, user, refID: "LKT-7001-4")
        let sentAt = world.now.value
        await world.services.purchases.send(order, attempt: .first)
        var refundedAfter: TimeInterval?
        for _ in 0..<30 where refundedAfter == nil {
            world.advance(60)
            await world.services.reconciler.reconcile()
            if try await world.ledger.orders.order(refID: order.refId)?.status == .failed {
                refundedAfter = world.now.value.timeIntervalSince(sentAt)
            }
        }
        let waited = try #require(refundedAfter, "never settled")
        #expect(waited >= 600, "refunded after \(waited) s, inside the grace period")
        #expect(try await world.ledger.wallets.balance(userID: Self.customer) == Self.start)
        #expect(await world.sandbox.outcomes()[order.refId] == nil)  // Flowix really has nothing
        #expect(try world.violations().isEmpty)
    }

    /// Found by `loket-sim` (seed 103): the first send waited in memory while the reconciler
    /// resent, Flowix refused (its balance ran out) and said "not found" past the grace period,
    /// and the order was refunded; then the first send went out with the order as it was when
    /// held, and Flowix took it. A send reads the order under its lock before it leaves.
    @Test("a first send that waited while the reconciler refunded the order never leaves")
    func staleFirstSendStaysHome() async throws {
        let world = try await CoreWorld()
        defer { world.cleanUp() }
        let user = try await world.customer(Self.customer, balance: Self.start)
        let stale = try await hold(world, user, refID: "LKT-7001-7")
        await world.sandbox.setBalance(Rupiah(1_000)!)
        for _ in 0..<20 where try await world.ledger.orders.order(refID: stale.refId)?.status != .failed {
            world.advance(300)
            await world.services.reconciler.reconcile()
        }
        #expect(try await world.ledger.orders.order(refID: stale.refId)?.status == .failed)
        await world.sandbox.setBalance(Rupiah(5_000_000)!)
        await world.services.purchases.send(stale, attempt: .first)
        #expect(await world.sandbox.outcomes()[stale.refId] == nil, "Flowix got an order the customer was refunded for")
        #expect(try await world.ledger.wallets.balance(userID: Self.customer) == Self.start)
        #expect(try world.violations().isEmpty)
    }

    @Test("a payout whose answer was lost and that Flowix then fails is refunded amount and fee, once, by webhook and reconciler alike")
    func payoutLostThenFailed() async throws {
        let world = try await CoreWorld { _, api in
            let create = api.createPayout
            api.createPayout = { order async throws(FlowixError) in
                _ = try await create(order)
                throw .outcomeUnknown(.connection("reset"))
            }
        }
        defer { world.cleanUp() }
        let user = try await world.customer(Self.customer, balance: Self.start, level: .reseller)
        let quote = PayoutQuote(account: PayoutAccount(bankCode: "BCA", bankName: "BCA", accountNumber: "1234567890", accountName: "BUDI"),
                                amount: Rupiah(50_000)!, fee: Rupiah(2_500)!)
        let placed = try await world.services.payouts.place(quote, user: user, chat: Self.customer, refID: "WD-7001-5")
        guard case .sendPayout(let payout, .first) = placed.work.first else { throw HarnessError("not held: \(placed.work)") }
        #expect(try await world.ledger.wallets.balance(userID: Self.customer) == Rupiah(47_500))
        await world.services.payouts.send(payout, attempt: .first)
        #expect(try await world.ledger.payouts.payout(refID: payout.refId)?.status == .unknown)

        #expect(await world.sandbox.settle(refID: payout.refId, as: .failed))
        await world.sandbox.waitForWebhooks()
        world.advance(60)
        await world.services.reconciler.reconcile()
        await world.services.payouts.refresh(payout.refId)
        #expect(try await world.ledger.payouts.payout(refID: payout.refId)?.status == .failed)
        #expect(try await world.ledger.wallets.balance(userID: Self.customer) == Self.start)
        #expect(try world.violations().isEmpty)
    }

    @Test("an order whose stored amount cannot be read fails its own part of a reconciler pass, not the deposits'")
    func unreadableRowStaysInItsPart() async throws {
        let world = try await CoreWorld()
        defer { world.cleanUp() }
        let user = try await world.customer(Self.customer, balance: Self.start)
        let order = try await hold(world, user, refID: "LKT-7001-8")
        let raw = try DatabaseQueue(path: world.ledger.path)
        try await raw.write { db in try db.execute(sql: "UPDATE orders SET quoted_cost = ? WHERE ref_id = ?", arguments: [Int64.max, order.refId]) }
        await #expect(throws: (any Error).self) { try await world.ledger.orders.order(refID: order.refId) }

        await world.sandbox.setWebhookSink(nil)  // only the reconciler hears of the payment
        let request = DepositRequest(amount: Rupiah(50_000)!, methodCode: "QRIS", user: user, chat: Self.customer,
                                     reference: Reference(.order, chat: Self.customer, update: 8))
        await world.services.deposits.create(request)
        let deposit = try #require(try await world.ledger.deposits.open(userID: Self.customer).first)
        #expect(await world.sandbox.payDeposit(refID: deposit.refId))
        world.advance(3_600)
        await world.services.reconciler.reconcile()
        #expect(try await world.ledger.deposits.deposit(refID: deposit.refId)?.status == .success)
    }

    @Test("a paid deposit is credited once, whether the webhook, the reconciler or both report it")
    func depositCreditedOnce() async throws {
        let world = try await CoreWorld()
        defer { world.cleanUp() }
        let user = try await world.customer(Self.customer, balance: .zero)
        let request = DepositRequest(amount: Rupiah(50_000)!, methodCode: "QRIS", user: user, chat: Self.customer,
                                     reference: Reference(.order, chat: Self.customer, update: 6))
        await world.services.deposits.create(request)
        let deposit = try #require(try await world.ledger.deposits.open(userID: Self.customer).first)
        #expect(await world.sandbox.payDeposit(refID: deposit.refId))
        await world.sandbox.waitForWebhooks()
        await world.runQueuedWork()
        world.advance(3_600)
        await world.services.reconciler.reconcile()
        await world.services.deposits.refresh(deposit.refId)
        #expect(try await world.ledger.wallets.balance(userID: Self.customer) == Rupiah(50_000))
        #expect(try await world.queued(to: Self.customer).filter { $0.contains("masuk") }.count == 1)
        #expect(try world.violations().isEmpty)
    }
}
