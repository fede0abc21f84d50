import Conversation
import Flowix
import Foundation
import Ledger
import Locales
@testable import LoketCore
import Money
import Testing

/// The effect performer on a real SQLite file, without a socket: Flowix answers only its price
/// list, because performing effects never calls it (that is ``Work`` for after the commit).
@Suite("Effect performer")
struct EffectPerformerTests {
    static let customer: Int64 = 4_242
    static let owner: Int64 = 9_001
    static let chat: Int64 = 4_242

    /// The services with Flowix unreachable for everything but its price list.
    struct World {
        let core: CoreWorld
        let user: UserRecord
        let owner: UserRecord

        var ledger: Ledger { core.ledger }
        var performer: EffectPerformer { core.services.performer }
        var runner: WorkRunner { core.services.runner }

        static func make(lookupBurst: Int = 3) async throws -> World {
            let core = try await CoreWorld(environment: ["LOKET_LOOKUP_BURST": String(lookupBurst),
                                                         "LOKET_PAYOUT_LEVELS": "member,reseller"]) { sandbox, api in
                let prices = api.services
                api = FlowixAPI(credentials: sandbox.configuration.credentials,
                                transport: FlowixTransport { _ async throws(FlowixError) -> FlowixAnswer in
                                    throw .outcomeUnknown(.connection("no Flowix in this test"))
                                })
                api.services = prices
            }
            let user = try await core.customer(EffectPerformerTests.customer, balance: Rupiah(100_000)!)
            let owner = try #require(try await core.ledger.users.user(id: CoreWorld.admin))
            return World(core: core, user: user, owner: owner)
        }

        func perform(_ effects: [Effect], update: Int64, by user: UserRecord? = nil) async throws -> EffectOutcome {
            try await performer.perform(effects, user: user ?? self.user, chat: user?.id ?? EffectPerformerTests.chat, updateID: update,
                                        now: Date(timeIntervalSince1970: 1_790_000_000))
        }

        /// What is queued for `chat`, oldest first.
        func queued(to chat: Int64) async throws -> [String] { try await core.queued(to: chat) }

        func cleanUp() { core.cleanUp() }
    }

    static let quote = PurchaseQuote(productCode: "TSEL10", productName: "Telkomsel 10.000", target: "081234567890", price: Rupiah(11_000)!)

    @Test("a purchase is held under the update's reference and sent after the commit, once however often it is delivered")
    func purchaseHeldOnce() async throws {
        let world = try await World.make()
        defer { world.cleanUp() }
        let first = try await world.perform([.purchase(Self.quote)], update: 77)
        guard case .sendOrder(let order, .first) = first.work.first, first.work.count == 1 else {
            Issue.record("expected one first send, got \(first.work)")
            return
        }
        #expect(order.refId == "LKT-4242-77")
        #expect(first.replies.isEmpty)  // the "diproses" message was queued with the hold
        #expect(try await world.ledger.wallets.balance(userID: Self.customer) == Rupiah(89_000)!)

        // The same update again (a redelivery after a crash): the same order, sent as a resend, nothing held twice.
        let again = try await world.perform([.purchase(Self.quote)], update: 77)
        #expect(again.work == [.sendOrder(order, .resend)])
        #expect(try await world.ledger.wallets.balance(userID: Self.customer) == Rupiah(89_000)!)
    }

    @Test("a purchase the wallet cannot cover only answers; nothing to send")
    func purchaseRefused() async throws {
        let world = try await World.make()
        defer { world.cleanUp() }
        let dear = PurchaseQuote(productCode: "TSEL10", productName: "Telkomsel 10.000", target: "081234567890", price: Rupiah(150_000)!)
        let outcome = try await world.perform([.purchase(dear)], update: 5)
        #expect(outcome.work.isEmpty)
        #expect(outcome.replies.count == 1)
        #expect(try await world.ledger.orders.order(refID: "LKT-4242-5") == nil)
    }

    @Test("a payout is held under the update's WD reference")
    func payoutReference() async throws {
        let world = try await World.make()
        defer { world.cleanUp() }
        let quote = PayoutQuote(account: PayoutAccount(bankCode: "BCA", bankName: "BCA", accountNumber: "1234567890", accountName: "BUDI"),
                                amount: Rupiah(50_000)!, fee: Rupiah(2_500)!)
        let outcome = try await world.perform([.createPayout(quote)], update: 78)
        guard case .sendPayout(let payout, .first) = outcome.work.first else {
            Issue.record("expected a payout send, got \(outcome.work)")
            return
        }
        #expect(payout.refId == "WD-4242-78")
        #expect(try await world.ledger.wallets.balance(userID: Self.customer) == Rupiah(47_500)!)
    }

    @Test("lookups are work for after the commit, and beyond the customer's burst they are refused to the conversation")
    func lookupsAndTheirLimit() async throws {
        let world = try await World.make(lookupBurst: 2)
        defer { world.cleanUp() }
        let check = Effect.checkBill(productCode: "PLNPOST", customerNumber: "531234567890")
        let outcome = try await world.perform([check, .inquireAccount(bankCode: "BCA", accountNumber: "1234567890"), check], update: 9)
        #expect(outcome.replies.isEmpty)
        #expect(outcome.work.count == 3)
        #expect(outcome.work[0] == .checkBill(productCode: "PLNPOST", customerNumber: "531234567890", user: world.user, chat: Self.chat))
        #expect(outcome.work[1] == .inquireAccount(bankCode: "BCA", accountNumber: "1234567890", user: world.user, chat: Self.chat))
        guard case .refuseLookup(let reason, let user, let chat) = outcome.work[2] else {
            Issue.record("the third lookup should be refused, got \(outcome.work[2])")
            return
        }
        #expect(user == world.user && chat == Self.chat && !reason.isEmpty)
    }

    @Test("a deposit is asked for under the update's reference; a status button for someone else's deposit only answers")
    func deposits() async throws {
        let world = try await World.make()
        defer { world.cleanUp() }
        let outcome = try await world.perform([.createDeposit(amount: Rupiah(50_000)!, methodCode: "QRIS")], update: 10)
        #expect(outcome.replies.count == 1)
        #expect(outcome.work == [.createDeposit(DepositRequest(amount: Rupiah(50_000)!, methodCode: "QRIS", user: world.user,
                                                                chat: Self.chat, reference: Reference(.order, chat: Self.chat, update: 10)))])

        try await world.ledger.deposits.record(NewDeposit(refID: "DEP-1", userID: Self.owner, methodCode: "QRIS",
                                                        amountRequested: Rupiah(10_000)!, amountToPay: Rupiah(10_700)!,
                                                        fee: Rupiah(700)!, qrString: nil, expiresAt: nil))
        let foreign = try await world.perform([.checkDeposit(reference: "DEP-1")], update: 11)
        #expect(foreign.work.isEmpty)
        #expect(foreign.replies.count == 1)
        let own = try await world.perform([.checkDeposit(reference: "DEP-1")], update: 12, by: world.owner)
        #expect(own.work == [.refreshDeposit(reference: "DEP-1", chat: Self.owner)])
    }

    @Test("an owner's sync and balance report are work that answers the owner's chat")
    func ownerWork() async throws {
        let world = try await World.make()
        defer { world.cleanUp() }
        let outcome = try await world.perform([.admin(.sync), .admin(.flowixStatus)], update: 13, by: world.owner)
        #expect(outcome.replies.count == 1)  // "sync started"
        #expect(outcome.work == [.admin(.syncCatalogue(chat: Self.owner, language: .id)),
                                 .admin(.reportFlowixBalance(chat: Self.owner, language: .id))])
    }

    @Test("sent replies keep the conversation's order")
    func repliesInOrder() async throws {
        let world = try await World.make()
        defer { world.cleanUp() }
        let outcome = try await world.perform([.send(Reply("satu")), .showHistory, .send(Reply("dua"))], update: 14)
        #expect(outcome.replies.count == 3)
        #expect(outcome.replies.first?.payload.contains("satu") == true)
        #expect(outcome.replies.last?.payload.contains("dua") == true)
    }

    // MARK: The work runner

    @Test("a deposit ticket is asked for once per reference; Flowix unreachable is said to the customer")
    func depositOncePerReference() async throws {
        let world = try await World.make()
        defer { world.cleanUp() }
        let request = DepositRequest(amount: Rupiah(50_000)!, methodCode: "QRIS", user: world.user, chat: Self.chat,
                                     reference: Reference(.order, chat: Self.chat, update: 20))
        await world.runner.run(.createDeposit(request))
        let told = try await world.queued(to: Self.chat)
        #expect(told.count == 1)
        await world.runner.run(.createDeposit(request))
        #expect(try await world.queued(to: Self.chat) == told)
        #expect(try await world.ledger.deposits.open(userID: Self.customer).isEmpty)
    }

    @Test("an owner's resend that Flowix does not take tells the owner why")
    func resendTellsTheOwner() async throws {
        let world = try await World.make()
        defer { world.cleanUp() }
        await world.runner.run(.admin(.resendWebhook(reference: "LKT-4242-1", chat: Self.owner, language: .id)))
        let told = try await world.queued(to: Self.owner)
        #expect(told.count == 1)
        #expect(told.first?.contains("LKT-4242-1") == true)
    }
}
