import Foundation
import Ledger
@testable import LoketCore
import Money
import Testing

/// Receipts (struk) through the whole bot: the button on a success message, `/struk REF`, who
/// may read one, and how a PLN token, a bill and a withdrawal are laid out.
@Suite("Receipts", .serialized)
struct ReceiptIntegrationTests {
    static let customer: Int64 = 5_301
    static let stranger: Int64 = 5_302

    func fundedBot() async throws -> BotHarness {
        let bot = try await BotHarness(environment: ["LOKET_SHOP_NAME": "Konter <Maju> Jaya", "LOKET_PAYOUT_LEVELS": "member,reseller"])
        try await bot.start()
        for chat in [Self.customer, Self.stranger] {
            try await bot.say("/start", from: chat)
            try await bot.say("/tambahsaldo \(chat) 200000", from: BotHarness.admin)
            _ = try await bot.waitForMessage("ditambah", to: chat)
        }
        return bot
    }

    func lastOrder(_ bot: BotHarness) async throws -> Order {
        try #require(try await bot.ledger.orders.recent(userID: Self.customer, since: Date().addingTimeInterval(-600)).max { $0.id < $1.id })
    }

    @Test func aPurchaseReceiptFromItsButtonAndByReference() async throws {
        let bot = try await fundedBot()
        try await bot.say("TSEL10.081234567890", from: Self.customer)
        try await bot.press("Beli", in: Self.customer)
        try await bot.settle()
        _ = try await bot.waitForMessage("Berhasil", to: Self.customer)
        let order = try await lastOrder(bot)
        let receipt = try #require(try await bot.press("Struk", in: Self.customer).first?.text)
        #expect(receipt.hasPrefix("<pre>Konter &lt;Maju&gt; Jaya\n"))
        #expect(receipt.contains(" WIB\n"))
        #expect(receipt.contains("Produk : Telkomsel 10.000"))
        #expect(receipt.contains("Tujuan : 081234567890"))
        #expect(receipt.contains("SN     : \(try #require(order.sn))"))
        #expect(receipt.contains("Harga  : Rp10.500"))
        #expect(receipt.contains("Ref    : \(order.refId)"))
        #expect(receipt.hasSuffix("Terima kasih 🙏</pre>"))
        // The same by reference, from its owner and from the owner of the shop; not from anyone else.
        #expect(try await bot.say("/struk \(order.refId)", from: Self.customer).first?.text == receipt)
        #expect(try await bot.say("/struk \(order.refId)", from: BotHarness.admin).first?.text == receipt)
        #expect(try await bot.say("/struk \(order.refId.lowercased())", from: Self.customer).first?.text == receipt)
        #expect(try await bot.say("/struk \(order.refId)", from: Self.stranger).first?.text?.contains("tidak ditemukan") == true)
        #expect(try await bot.say("/struk", from: Self.customer).first?.text?.contains("/struk REF") == true)
        await bot.stop()
        bot.cleanUp()
    }

    @Test func noReceiptBeforeSuccess() async throws {
        let bot = try await fundedBot()
        try await bot.say("TSEL10.081234569999", from: Self.customer)  // Flowix keeps it processing
        try await bot.press("Beli", in: Self.customer)
        try await bot.settle()
        let order = try await lastOrder(bot)
        let answer = try await bot.say("/struk \(order.refId)", from: Self.customer).first?.text
        #expect(answer?.contains("Struk ada setelah transaksi berhasil") == true)
        #expect(answer?.contains("<pre>") == false)
        await bot.stop()
        bot.cleanUp()
    }

    @Test func aPLNTokenInGroupsOfFour() async throws {
        let bot = try await fundedBot()
        try await bot.say("PLN20.51234567890", from: Self.customer)
        try await bot.press("Beli", in: Self.customer)
        try await bot.settle()
        _ = try await bot.waitForMessage("Berhasil", to: Self.customer)
        let receipt = try #require(try await bot.press("Struk", in: Self.customer).first?.text)
        #expect(receipt.contains("No. Meter : 51234567890"))
        #expect(receipt.range(of: #"Token     : \d{4}-\d{4}-\d{4}-\d{4}-\d{4}\n"#, options: .regularExpression) != nil)
        await bot.stop()
        bot.cleanUp()
    }

    @Test func aBillReceiptHasTheBillsDetails() async throws {
        let bot = try await fundedBot()
        try await bot.say("/tagihan PLNPOST 512345678901", from: Self.customer)
        _ = try await bot.waitForMessage("Detail tagihan", to: Self.customer)
        try await bot.press("Bayar", in: Self.customer)
        try await bot.settle()
        _ = try await bot.waitForMessage("Berhasil", to: Self.customer)
        let order = try await lastOrder(bot)
        let receipt = try #require(try await bot.press("Struk", in: Self.customer).first?.text)
        #expect(receipt.contains("No. Pelanggan : 512345678901"))
        #expect(receipt.contains("Nama          : \(try #require(order.billCustomerName))"))
        #expect(receipt.contains("Tagihan       : \(Messages.plain(try #require(order.billAmount)))"))
        // bill + admin = total: the admin fee the customer paid includes the shop's margin.
        let billAmount = try #require(order.billAmount)
        let adminFee = try #require(order.sellPrice.subtracting(billAmount))
        #expect(receipt.contains("Biaya Admin   : \(Messages.plain(adminFee))"))
        #expect(receipt.contains("Total         : \(Messages.plain(order.sellPrice))"))
        if let period = order.billPeriod { #expect(receipt.contains("Periode       : \(period)")) }
        await bot.stop()
        bot.cleanUp()
    }

    /// PLN's SN as suppliers send it, `TOKEN/NAME/TARIF/DAYA/KWH`, and SNs that are no token.
    @Test func plnTokenFields() {
        let full = Receipt.PLNToken(sn: "12345678901234567890/BUDI SANTOSO/R1/1300/32,5")
        #expect(full == Receipt.PLNToken(token: "1234-5678-9012-3456-7890", name: "BUDI SANTOSO", tariff: "R1", power: "1300", kwh: "32,5"))
        #expect(Receipt.PLNToken(sn: "1234-5678-9012-3456-7890")?.token == "1234-5678-9012-3456-7890")
        #expect(Receipt.PLNToken(sn: "1234 5678 9012 3456 7890//R1M//")?.tariff == "R1M")
        #expect(Receipt.PLNToken(sn: "1234 5678 9012 3456 7890//R1M//")?.name == nil)
        #expect(Receipt.PLNToken(sn: "123456") == nil)
        #expect(Receipt.PLNToken(sn: "ABCD5678901234567890") == nil)
        #expect(Receipt.PLNToken(sn: "") == nil)
    }
}

extension Messages {
    /// An amount as the Indonesian receipts write it.
    static func plain(_ amount: Rupiah) -> String { RupiahFormat.indonesian(amount) }
}
