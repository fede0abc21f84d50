import FakeTelegram
import Foundation
import GRDB
import Ledger

/// The transaction PIN and balance transfers under attack and crashes: a PIN brute force
/// across a kill, a transfer re-delivered by Telegram, and a kill -9 in the middle of one.
enum PINAndTransferScenarios {
    static let pin = "246810"
    static let sender = Scenarios.customer
    static let recipient: Int64 = 5_002

    static var all: [Scenario] { [bruteForce, transferReplayed, killDuringTransfer] }

    /// Sets `pin` through `/pin`, typed twice.
    static func setPIN(_ world: World, _ user: Int64) async throws {
        try await world.api.say("/pin", from: user)
        try await world.api.say(pin, from: user)
        try await world.api.say(pin, from: user)
        try await world.api.waitForMessage("PIN transaksi tersimpan", to: user)
    }

    /// The sender (Rp100.000, a PIN) at the keypad of a Rp25.000 transfer to the recipient.
    static func upToThePIN(_ world: World) async throws {
        try await world.api.say("/start", from: recipient)
        try await world.fund(sender, 100_000)
        try await setPIN(world, sender)
        try await world.api.say("/transfer \(recipient) 25rb", from: sender)
        try await world.api.press("Kirim", in: sender)
    }

    /// A count read from the bot's file.
    static func read(_ world: World, _ sql: String) throws -> Int {
        let queue = try DatabaseQueue(path: world.databasePath, configuration: { var c = Configuration(); c.readonly = true; return c }())
        return try queue.read { db in try Int.fetchOne(db, sql: sql) ?? 0 }
    }

    /// How many transfers the file holds.
    static func transfers(_ world: World) throws -> Int {
        try read(world, "SELECT COUNT(*) FROM journal_transactions WHERE kind = 'transfer'")
    }

    /// One transfer of Rp25.000, each side told (at most `told` times), the books whole.
    static func expectTransferredOnce(_ world: World, told: ClosedRange<Int> = 1...1) async throws {
        try await world.api.waitForMessage("berhasil", to: sender, timeout: .seconds(30))
        try await world.api.waitForMessage("menerima", to: recipient, timeout: .seconds(30))
        let count = try transfers(world), sent = try await world.balance(sender), got = try await world.balance(recipient)
        try world.expect(count == 1, "\(count) transfers in the journal")
        try world.expect(sent == 75_000, "sender has \(sent), not 75.000")
        try world.expect(got == 25_000, "recipient has \(got), not 25.000")
        let toldSender = await world.api.delivered(to: sender).filter { $0.text?.contains("Transfer <b>Rp25.000</b>") == true }.count
        let toldRecipient = await world.api.delivered(to: recipient).filter { $0.text?.contains("menerima") == true }.count
        try world.expect(told.contains(toldSender) && told.contains(toldRecipient), "told \(toldSender)× and \(toldRecipient)×")
        try world.checkInvariants()
        _ = try await world.checkMoneyModel()
    }

    static let bruteForce = Scenario(
        name: "a PIN brute force, across a kill -9",
        injected: "20 wrong PINs typed at once at a transfer's keypad, SIGKILL mid-way, restart; then the right PIN; then KODE.TUJUAN.PIN"
    ) { world in
        try await upToThePIN(world)
        let first = await world.api.lastUpdateID + 1
        for guess in 0..<20 { await world.api.pushMessage(chatID: sender, text: String(format: "%06d", 900_000 + guess * 7)) }
        try await Task.sleep(for: .milliseconds(100))
        world.bot.kill9()
        try await world.startBot()
        try await world.until("the PIN is locked") {
            try await world.ledger().pins.pin(userID: sender)?.lockedUntil.map { $0 > Int64(Date().timeIntervalSince1970) } == true
        }
        try await world.until("every guess handled and answered", timeout: .seconds(40)) {
            try read(world, "SELECT COUNT(*) FROM telegram_updates WHERE update_id BETWEEN \(first) AND \(first + 19)") == 20
                && read(world, "SELECT COUNT(*) FROM outbox WHERE chat_id = \(sender) AND status = 'pending'") == 0
        }
        let wrong = await world.api.delivered(to: sender).filter { $0.text?.contains("PIN salah") == true }.count
        try world.expect(wrong <= 2, "\(wrong) 'wrong PIN' answers: more than 3 tries were checked before the lock")
        // Locked: the right PIN, by the keypad's flow or in the reseller format, moves nothing.
        let again = try await world.api.say("/transfer \(recipient) 25rb", from: sender)
        try world.expect(again.last?.text?.contains("terkunci") == true, "a new transfer was not refused: \(again.last?.text ?? "-")")
        let direct = try await world.api.say("TSEL10.081234567890.\(pin)", from: sender)
        try world.expect(direct.last?.text?.contains("terkunci") == true, "KODE.TUJUAN.PIN went past the lock")
        try world.expect(try transfers(world) == 0, "a transfer went through")
        try world.expect(try await world.balance(sender) == 100_000, "the wallet moved")
        try world.expect(await !world.flowix.requests.contains { $0.path == "/transaction/create" }, "a purchase reached Flowix")
        let log = world.bot.log
        try world.expect(!log.contains(pin) && !log.contains("900007"), "a PIN reached the log")
        try world.checkInvariants()
        return "locked after 3 wrong tries (\(wrong) 'wrong' answers before it) across a kill; the right PIN then refused; nothing moved; no PIN in the log"
    }

    static let transferReplayed = Scenario(
        name: "a transfer re-delivered by Telegram",
        injected: "after a transfer succeeds, Telegram delivers its Kirim press and its PIN message again, byte for byte; Kirim pressed again; the PIN typed again"
    ) { world in
        try await upToThePIN(world)
        let kirim = await world.api.lastUpdateID
        await world.api.pushMessage(chatID: sender, text: pin)
        let pinMessage = await world.api.lastUpdateID
        try await world.api.waitForMessage("berhasil", to: sender)
        await world.api.redeliver(kirim)
        await world.api.redeliver(pinMessage)
        try await world.api.press("Kirim", in: sender)
        try await world.api.say(pin, from: sender)
        try await Task.sleep(for: .seconds(1))
        try await expectTransferredOnce(world)
        return "one transfer, each side told once; the re-delivered updates and the stale button moved nothing; loket check and the money model ok"
    }

    static let killDuringTransfer = Scenario(
        name: "kill -9 during a transfer",
        injected: "SIGKILL as soon as the transfer's journal row commits, before the update is marked handled; restart (Telegram re-delivers the PIN message)"
    ) { world in
        try await upToThePIN(world)
        await world.api.pushMessage(chatID: sender, text: pin)
        try await world.until("the transfer committed", timeout: .seconds(20)) { try transfers(world) == 1 }
        world.bot.kill9()
        try await world.startBot()
        try await expectTransferredOnce(world, told: 1...2)
        return "the re-delivered PIN message found the transfer written: one transfer, each side told, loket check and the money model ok"
    }
}
