import Foundation
import Testing

/// Requests typed the way customers write them, through the built bot, the fake Bot API and the
/// Flowix sandbox (issue #20): the understanding layer answers on Telegram as in the table.
@Suite("Everyday words end to end", .serialized)
struct EverydayWordsIntegrationTests {
    static let customer: Int64 = 5_301

    @Test func everydayRequestsAreUnderstoodOverTelegram() async throws {
        let bot = try await BotHarness()
        try await bot.start()
        defer { bot.cleanUp() }
        try await bot.say("/start", from: Self.customer)

        // No XL 50.000 is sold: said back, with the nearest real choices, never a confirmation.
        let refused = try await bot.say("pulsa xl lima puluh ribu 087712345678", from: Self.customer)
        #expect(refused.last?.text?.contains("tidak tersedia") == true)
        #expect(BotHarness.button("XL 25.000", in: refused.last!) != nil)
        #expect(refused.last?.text?.contains("Beli") != true)
        let confirmation = try await bot.press("XL 25.000", in: Self.customer)
        #expect(confirmation.last?.text?.contains("087712345678") == true)
        try await bot.press("Batal", in: Self.customer, expecting: 2)

        let greeting = try await bot.say("selamat malam kak", from: Self.customer)
        #expect(greeting.last?.text?.contains("Selamat malam") == true)
        #expect(BotHarness.button("Pulsa", in: greeting.last!) != nil)

        let bill = try await bot.say("cek tagihan listrik 512345678901", from: Self.customer)
        #expect(bill.last?.text?.contains("512345678901") == true)
        _ = try await bot.waitForMessage("Detail tagihan", to: Self.customer)

        let deposit = try await bot.say("mau deposit 75 ribu kak", from: Self.customer)
        #expect(deposit.last?.text?.contains("Rp75.000") == true)
        #expect(BotHarness.button("QRIS", in: deposit.last!) != nil)

        let prices = try await bot.say("berapa harga ovo", from: Self.customer)
        #expect(prices.last?.text?.contains("OVO50") == true)

        let thanks = try await bot.say("makasih min", from: Self.customer)
        #expect(thanks.last?.text?.contains("Sama-sama") == true)
        await bot.stop()
    }
}
