import Conversation
import Foundation
import Ledger
@testable import LoketCore
import Money
import Testing

/// The owner closing the shop, a product or a category, and the daily cut-off, through the
/// whole bot and through the services: refused before any money moves, deposits and /saldo go
/// on, admins are not blocked, and what is closed survives a restart.
@Suite("Shop hours end to end", .serialized)
struct ShopHoursIntegrationTests {
    static let customer: Int64 = 5_401
    static let quote = PurchaseQuote(productCode: "TSEL10", productName: "Telkomsel 10.000", target: "081234567890", price: Rupiah(11_000)!)

    @Test func theOwnerClosesTheShopAndOpensItAgain() async throws {
        let bot = try await BotHarness()
        try await bot.start()
        try await bot.say("/start", from: Self.customer)
        try await bot.say("/tambahsaldo \(Self.customer) 100000", from: BotHarness.admin)
        _ = try await bot.waitForMessage("ditambah", to: Self.customer)
        let confirmation = try await bot.say("TSEL10.081234567890", from: Self.customer)
        #expect(confirmation.first?.text?.contains("Telkomsel 10.000") == true)

        #expect(try await bot.say("/tutup produk:TSL10", from: BotHarness.admin).first?.text?.contains("Tidak ada produk") == true)
        let closed = try #require(try await bot.say("/tutup toko sampai 23:59 stok opname", from: BotHarness.admin).first?.text)
        #expect(closed.contains("Ditutup") && closed.contains("23:59 WIB") && closed.contains("stok opname"))
        // Beli on the confirmation shown before: refused, nothing held.
        let refused = try #require(try await bot.press("Beli", in: Self.customer).first?.text)
        #expect(refused.contains("toko sedang tutup") && refused.contains("stok opname") && refused.contains("23:59"))
        #expect(try await bot.ledger.wallets.balance(userID: Self.customer) == Rupiah(100_000))
        #expect(try await bot.say("TSEL10.081234567890", from: Self.customer).first?.text?.contains("toko sedang tutup") == true)
        #expect(try await bot.say("/saldo", from: Self.customer).first?.text?.contains("Rp100.000") == true)
        #expect(try await bot.say("/deposit 50rb", from: Self.customer).first?.text?.contains("tutup") == false)
        // The owner is not blocked, and sees what is closed.
        #expect(try await bot.say("TSEL10.081234567890", from: BotHarness.admin).first?.text?.contains("Telkomsel 10.000") == true)
        let list = try #require(try await bot.say("/tutup", from: BotHarness.admin).first?.text)
        #expect(list.contains("<code>toko</code>") && list.contains("stok opname"))
        // It survives a restart: a catalogue loaded from the file alone has it.
        let fresh = ShopCatalogue(ledger: bot.ledger, flowix: bot.flowixAPI, roundingUnit: 50)
        try await fresh.loadStored()
        #expect(await fresh.hours.closures.map(\.scope) == [.shop])

        #expect(try await bot.say("/buka toko", from: BotHarness.admin).first?.text?.contains("Dibuka lagi") == true)
        #expect(try await bot.say("/buka toko", from: BotHarness.admin).first?.text?.contains("tidak sedang ditutup") == true)
        try await bot.say("TSEL10.081234567890", from: Self.customer)
        try await bot.press("Beli", in: Self.customer)
        try await bot.settle()
        _ = try await bot.waitForMessage("Berhasil", to: Self.customer)
        #expect(try await bot.ledger.wallets.balance(userID: Self.customer) == Rupiah(100_000 - 10_500))
        #expect(try bot.checkLedger().isEmpty)
        await bot.stop()
        bot.cleanUp()
    }

    /// The service checks again, whatever the chat showed: a purchase or a bill payment in a
    /// closed scope or in its cut-off holds nothing.
    @Test func theServicesRefuseBeforeAnyMoneyMoves() async throws {
        let world = try await CoreWorld(environment: ["LOKET_CUTOFFS": "tagihan=23:30-00:30"])
        defer { world.cleanUp() }
        let user = try await world.customer(Self.customer, balance: Rupiah(100_000)!)
        try await world.ledger.catalogue.close(scope: ClosureScope.brand("Telkomsel").key, reason: "gangguan", until: nil, adminID: CoreWorld.admin)
        try await world.services.catalogue.reloadClosures()
        guard case .refused(let replies) = try await world.services.purchases.place(Self.quote, user: user, refID: "LKT-5401-1") else {
            Issue.record("a purchase of a closed brand was held")
            return
        }
        #expect(replies.first?.payload.contains("sedang tidak dijual") == true)
        // At 23:45 WIB a bill payment is in its cut-off.
        let local = Int64(world.now.value.timeIntervalSince1970) + 7 * 3_600
        world.now.set(Date(timeIntervalSince1970: TimeInterval(local - local % 86_400 - 7 * 3_600 + (23 * 60 + 45) * 60)))
        let bill = BillQuote(productCode: "PLNPOST", productName: "PLN Pascabayar", customerNumber: "512345678901", customerName: "BUDI",
                             period: "2026-11", billAmount: Rupiah(50_000)!, adminFee: Rupiah(2_500)!, total: Rupiah(53_000)!, inquiryID: "INQ-9")
        guard case .refused(let billReplies) = try await world.services.purchases.place(bill, user: user, refID: "LKT-5401-2") else {
            Issue.record("a bill was held in its cut-off")
            return
        }
        #expect(billReplies.first?.payload.contains("00:30") == true)
        // The owner buys whatever is closed.
        let owner = try await world.customer(CoreWorld.admin, balance: Rupiah(100_000)!)
        guard case .placed = try await world.services.purchases.place(Self.quote, user: owner, refID: "LKT-9001-1") else {
            Issue.record("the owner was refused")
            return
        }
        try #require(try await world.ledger.catalogue.reopen(scope: ClosureScope.brand("Telkomsel").key))
        #expect(try await world.ledger.wallets.balance(userID: Self.customer) == Rupiah(100_000))
        #expect(try await world.ledger.orders.order(refID: "LKT-5401-1") == nil)
        // The owner turns the bills' cut-off off, and gives pulsa one: the next bill is held, pulsa refused.
        _ = try await world.services.admin.execute(.setCutoff(category: .bill, window: nil), by: owner, origin: .update(1), chat: CoreWorld.admin)
        let told = try await world.services.admin.execute(.setCutoff(category: .pulsa, window: CutoffWindow(setting: "pulsa=23:00-23:59")),
                                                          by: owner, origin: .update(2), chat: CoreWorld.admin)
        #expect(told.replies.first?.payload.contains("23:00-23:59") == true)
        guard case .placed = try await world.services.purchases.place(bill, user: user, refID: "LKT-5401-3") else {
            Issue.record("a bill was refused with its cut-off turned off")
            return
        }
        guard case .refused = try await world.services.purchases.place(Self.quote, user: user, refID: "LKT-5401-4") else {
            Issue.record("pulsa was sold in the cut-off the owner set")
            return
        }
        #expect(try world.violations().isEmpty)
    }

    /// An order held just before the shop closed, its update delivered again after: the same
    /// order goes on (the same effects for the same update), nothing is held twice.
    @Test func anUpdateDeliveredAgainAfterClosingGoesOnAsPlaced() async throws {
        let world = try await CoreWorld()
        defer { world.cleanUp() }
        let user = try await world.customer(Self.customer, balance: Rupiah(100_000)!)
        guard case .placed(_, .first) = try await world.services.purchases.place(Self.quote, user: user, refID: "LKT-5401-7") else {
            Issue.record("the order was not held")
            return
        }
        try await world.ledger.catalogue.close(scope: ClosureScope.shop.key, reason: nil, until: nil, adminID: CoreWorld.admin)
        try await world.services.catalogue.reloadClosures()
        guard case .placed(_, .resend) = try await world.services.purchases.place(Self.quote, user: user, refID: "LKT-5401-7") else {
            Issue.record("the order held before the shop closed was refused when its update came again")
            return
        }
        #expect(try await world.ledger.wallets.balance(userID: Self.customer) == Rupiah(100_000 - 11_000))
    }
}
