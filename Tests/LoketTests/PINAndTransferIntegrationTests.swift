import FakeTelegram
import Foundation
import Ledger
import Money
import Testing

/// The transaction PIN and balance transfers through Telegram, end to end.
@Suite("PIN and transfers end to end")
struct PINAndTransferIntegrationTests {
    static let sender: Int64 = 8_101
    static let recipient: Int64 = 8_102

    /// `sender` with Rp100.000 and a PIN; `recipient` has written to the bot once.
    func shop(_ bot: BotHarness) async throws {
        try await bot.say("/start", from: Self.recipient)
        try await bot.say("/start", from: Self.sender)
        try await bot.say("/tambahsaldo \(Self.sender) 100rb", from: BotHarness.admin)
        _ = try await bot.waitForMessage("ditambah", to: Self.sender)
        try await bot.setPIN(for: Self.sender)
    }

    @Test func aTransferReachesBothSidesAndTheOwnersReports() async throws {
        let bot = try await BotHarness()
        try await bot.start()
        try await shop(bot)
        let confirmation = try await bot.say("/transfer \(Self.recipient) 25rb", from: Self.sender)
        #expect(confirmation.last?.text?.contains("Konfirmasi transfer") == true)
        try await bot.press("Kirim", in: Self.sender)
        #expect(try await bot.ledger.wallets.balance(userID: Self.sender) == Rupiah(100_000), "nothing moves before the PIN")
        // On the keypad: the message shows dots, never digits, and the saved session holds none.
        for digit in BotHarness.pin.dropLast() { try await bot.press(String(digit), in: Self.sender) }
        let session = try await bot.ledger.updates.customerSnapshot(userID: Self.sender, chatID: Self.sender, since: Date()).session ?? ""
        #expect(session.contains("enteringPIN") && !session.contains(String(BotHarness.pin.dropLast())), "\(session)")
        try await bot.press(String(BotHarness.pin.last!), in: Self.sender)
        let done = try await bot.waitForMessage("berhasil", to: Self.sender)
        #expect(done.text?.contains("Rp75.000") == true)
        let received = try await bot.waitForMessage("menerima", to: Self.recipient)
        #expect(received.text?.contains("Rp25.000") == true)
        let keypadTexts = await bot.api.delivered(to: Self.sender).compactMap(\.text)
        #expect(!keypadTexts.contains { $0.contains(BotHarness.pin) }, "the PIN never appears in the chat")
        #expect(try await bot.ledger.wallets.balance(userID: Self.recipient) == Rupiah(25_000))

        let report = try await bot.say("/laporan", from: BotHarness.admin)
        #expect(report.last?.text?.contains("Transfer antar member: 1 (Rp25.000)") == true)
        let profile = try await bot.say("/pengguna \(Self.sender)", from: BotHarness.admin)
        #expect(profile.last?.text?.contains("Transfer keluar: 1× Rp25.000") == true)
        #expect(profile.last?.text?.contains("PIN: sudah dibuat") == true)
        let history = try await bot.say("/riwayat", from: Self.recipient)
        #expect(history.last?.text?.contains("Transfer saldo") == true)
        #expect(try bot.checkLedger().isEmpty)
        await bot.stop()
        bot.cleanUp()
    }

    @Test func threeWrongPINsLockAcrossARestartUntilAnAdminResetsIt() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("loket-pin-\(UUID().uuidString)")
        var bot = try await BotHarness(databaseFolder: folder)
        try await bot.start()
        try await shop(bot)
        try await bot.say("/transfer \(Self.recipient) 10rb", from: Self.sender)
        try await bot.press("Kirim", in: Self.sender)
        try await bot.say("111111", from: Self.sender)
        _ = try await bot.waitForMessage("Sisa 2 kali", to: Self.sender)
        try await bot.say("222222", from: Self.sender)
        _ = try await bot.waitForMessage("Sisa 1 kali", to: Self.sender)
        try await bot.say("333333", from: Self.sender)
        _ = try await bot.waitForMessage("terkunci", to: Self.sender)
        await bot.stop()

        let lastUpdate = await bot.api.lastUpdateID
        bot = try await BotHarness(databaseFolder: folder)
        await bot.api.resumeUpdateIDs(after: lastUpdate)
        try await bot.start()
        // Locked after the restart, even with the right PIN, and nothing moved.
        let locked = try await bot.say("/transfer \(Self.recipient) 10rb", from: Self.sender)
        #expect(locked.last?.text?.contains("terkunci") == true)
        let direct = try await bot.say("TSEL10.081234567890.\(BotHarness.pin)", from: Self.sender)
        #expect(direct.last?.text?.contains("terkunci") == true)
        #expect(try await bot.ledger.wallets.balance(userID: Self.sender) == Rupiah(100_000))
        // The admin resets it; the customer is told and must set a new one.
        let reset = try await bot.say("/resetpin \(Self.sender)", from: BotHarness.admin)
        #expect(reset.last?.text?.contains("direset") == true)
        _ = try await bot.waitForMessage("direset oleh admin", to: Self.sender)
        let again = try await bot.say("/transfer \(Self.recipient) 10rb", from: Self.sender)
        #expect(again.last?.text?.contains("/pin") == true)
        #expect(try await bot.say("/resetpin 123", from: Self.sender).last?.text?.contains("khusus admin") == true)
        await bot.stop()
        bot.cleanUp()
    }

    @Test func theResellerFormatWithAPINBuysAtOnceAndDeletesTheMessage() async throws {
        let bot = try await BotHarness()
        try await bot.start()
        try await shop(bot)
        let deletedBefore = await bot.deletions(in: Self.sender).count
        try await bot.say("TSEL10.081234567890.\(BotHarness.pin)", from: Self.sender)
        _ = try await bot.waitForMessage("diproses", to: Self.sender)
        try await waitUntil("the message with the PIN is deleted") { await bot.deletions(in: Self.sender).count == deletedBefore + 1 }
        try await bot.settle()
        _ = try await bot.waitForMessage("Berhasil", to: Self.sender)
        #expect(try await bot.ledger.wallets.balance(userID: Self.sender) < Rupiah(100_000)!)
        // A wrong PIN in the format buys nothing.
        try await bot.say("TSEL10.2.081234567890.135790", from: Self.sender)
        _ = try await bot.waitForMessage("PIN salah", to: Self.sender)
        #expect(try await bot.ledger.orders.recent(userID: Self.sender, since: Date(timeIntervalSince1970: 0)).count == 1)
        #expect(try bot.checkLedger().isEmpty)
        await bot.stop()
        bot.cleanUp()
    }

    @Test func purchasesAboveTheOwnersAmountAskForThePIN() async throws {
        let bot = try await BotHarness(environment: ["LOKET_PIN_ABOVE": "20000"])
        try await bot.start()
        try await shop(bot)
        try await bot.say("TSEL25.081234567890", from: Self.sender)
        let asked = try await bot.press("Beli", in: Self.sender)
        #expect(asked.last?.text?.contains("PIN transaksi") == true)
        try await bot.say(BotHarness.pin, from: Self.sender)
        _ = try await bot.waitForMessage("diproses", to: Self.sender)
        // Below the amount, Beli buys at once.
        try await bot.say("TSEL10.081234567890", from: Self.sender)
        let bought = try await bot.press("Beli", in: Self.sender)
        #expect(bought.last?.text?.contains("diproses") == true)
        await bot.stop()
        bot.cleanUp()
    }
}
