import Foundation
import GRDB
import Ledger
import Money
import Testing

/// Issue #14: one update that cannot be handled is set aside, and the shop keeps serving.
@Suite("Quarantine end to end", .serialized)
struct QuarantineIntegrationTests {
    static let admin = BotHarness.admin

    /// Makes every write of a conversation session for `chat` fail: the bot's handling of that
    /// chat's messages throws from the database, as a real fault would.
    static func poisonSessions(of chat: Int64, in path: String) throws {
        let queue = try writer(path)
        try queue.write { db in
            for event in ["INSERT", "UPDATE"] {
                try db.execute(sql: """
                    CREATE TRIGGER poison_\(event.lowercased()) BEFORE \(event) ON sessions WHEN NEW.chat_id = \(chat)
                    BEGIN SELECT RAISE(ABORT, 'poisoned by the test'); END
                    """)
            }
        }
    }

    /// A second connection to the running bot's file, which waits for the bot's writes to end
    /// (as the bot's own connections do) instead of failing at once with "database is locked".
    static func writer(_ path: String) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        return try DatabaseQueue(path: path, configuration: configuration)
    }

    static func curePoison(in path: String) throws {
        try writer(path).write { db in
            try db.execute(sql: "DROP TRIGGER poison_insert; DROP TRIGGER poison_update")
        }
    }

    @Test func anUpdateThatKeepsFailingIsQuarantinedTheCustomerToldAndTheAdminsAlertedOnce() async throws {
        let bot = try await BotHarness()
        try await bot.start()
        try await bot.say("/start", from: 7_101)
        try await bot.say("/start", from: 7_102)
        try Self.poisonSessions(of: 7_101, in: bot.ledger.path)

        let apology = try await bot.say("/saldo", from: 7_101)
        #expect(apology.first?.text?.contains("tidak bisa kami proses") == true)
        let alert = try await bot.waitForMessage("disisihkan (karantina)", to: Self.admin)
        #expect(alert.text?.contains("user 7101") == true && alert.text?.contains("command /saldo") == true)
        let served = try await bot.say("/saldo", from: 7_102)
        #expect(served.first?.text?.contains("Saldo kamu") == true, "everyone else is served")

        // A second poison update from the same customer within the hour: quarantined, told, no second alert.
        let again = try await bot.say("pulsa 10rb 081234567890", from: 7_101)
        #expect(again.first?.text?.contains("tidak bisa kami proses") == true)
        let records = try await bot.ledger.updates.quarantined()
        #expect(records.count == 2)
        #expect(records.allSatisfy { $0.reason == "failed" && $0.userID == 7_101 && $0.detail.contains("threw 3 times") })
        #expect(records.map(\.kind).sorted() == ["command /saldo", "text"])
        #expect(!records.contains { $0.detail.contains("081234567890") }, "the record never keeps what the customer wrote")
        try await Task.sleep(for: .milliseconds(500))
        #expect(await bot.api.delivered(to: Self.admin).filter { $0.text?.contains("karantina") == true }.count == 1)

        let summary = try await bot.say("/karantina", from: Self.admin)
        #expect(summary.first?.text?.contains("Total: 2") == true)
        let (_, metrics) = try await bot.get("/metrics")
        #expect(metrics.contains("loket_updates_quarantined_total 2"))

        // The fault gone, the same customer is served again; nothing about money changed.
        try Self.curePoison(in: bot.ledger.path)
        let cured = try await bot.say("/saldo", from: 7_101)
        #expect(cured.first?.text?.contains("Saldo kamu") == true)
        #expect(try bot.checkLedger().isEmpty)
        await bot.stop()
        bot.cleanUp()
    }
}
