import FakeTelegram
import Foundation
import GRDB
import Ledger

/// Issue #14: one update that fails or kills the bot is set aside; the shop keeps serving.
extension Scenarios {
    static let bystander: Int64 = 5_002

    static var quarantine: [Scenario] { [
        Scenario(name: "an update that keeps failing is quarantined",
                 injected: "every write of one customer's conversation fails in SQLite (a trigger), so handling their /saldo throws") { world in
            try await world.api.say("/start", from: customer)
            try await world.api.say("/start", from: bystander)
            try world.poisonSessions(of: customer)
            let apology = try await world.api.say("/saldo", from: customer)
            try world.expect(apology.first?.text?.contains("tidak bisa kami proses") == true, "no apology: \(apology.map { $0.text ?? "" })")
            try await world.api.waitForMessage("karantina", to: World.admin)
            let served = try await world.api.say("/saldo", from: bystander)
            try world.expect(served.first?.text?.contains("Saldo kamu") == true, "the bystander was not served")
            let listed = try world.run(["quarantine"])
            try world.expect(listed.contains("1 quarantined update") && listed.contains("failed") && listed.contains("command /saldo"),
                             "loket quarantine: \(listed)")
            try world.curePoison()
            let cured = try await world.api.say("/saldo", from: customer)
            try world.expect(cured.first?.text?.contains("Saldo kamu") == true, "the customer was not served once the fault was gone")
            try world.expect(await world.bot.waitForExit(timeout: .milliseconds(10)) == nil, "the bot stopped")
            try world.checkInvariants()
            return "retried 3 times, quarantined with a durable record, the customer told, one admin alert, `loket quarantine` lists it; everyone else served"
        },
        Scenario(name: "kill -9 twice on the same update: quarantined on the third start",
                 injected: "SIGKILL while one customer's /saldo is being handled (writes held), twice; a bystander's /saldo in the same batch") { world in
            try await world.api.say("/start", from: customer)
            try await world.api.say("/start", from: bystander)
            try world.poisonSessions(of: customer)
            world.bot.kill9()
            let poison = await world.api.pushMessage(chatID: customer, text: "/saldo")
            await world.api.pushMessage(chatID: bystander, text: "/saldo")
            try await world.startBot()

            // First death: in the middle of the batch.
            try await killWhileHandling(world, poison, after: "update handling failed")
            let marks = try world.inFlight()
            try world.expect(marks[poison] == 0, "the update was not marked in flight before the kill: \(marks)")
            try world.expect(try world.quarantined().isEmpty, "quarantined before it was retried")

            // Second death: retried on its own, it kills the bot again.
            try await world.startBot()
            try await world.until("a log line names the interrupted update") {
                world.bot.log.contains("the previous run stopped while handling this update") && world.bot.log.contains("update_id=\(poison)")
                    && world.bot.log.contains("input=command /saldo")
            }
            try await killWhileHandling(world, poison, after: "retrying an interrupted update on its own")
            try world.expect(try world.inFlight()[poison] == 1, "the retry on its own was not counted")

            // Third start: set aside without being handled again.
            try await world.startBot()
            try await world.api.waitForMessage("tidak bisa kami proses", to: customer)
            let records = try world.quarantined()
            try world.expect(records == [poison: "crashed"], "quarantine records: \(records)")
            try world.expect(!world.bot.log.contains("update handling failed"), "the update was handled a third time")
            try await world.api.waitForMessage("karantina", to: World.admin)
            // Applied once: one reply queued. (Delivered at least once: a kill between Telegram taking a
            // message and the bot marking it sent may deliver it twice, which is tolerated.)
            let queued = try world.queuedReplies(to: bystander, containing: "Saldo kamu")
            let delivered = await world.api.delivered(to: bystander).filter { $0.text?.hasPrefix("💰 Saldo kamu") == true }.count
            try world.expect(queued == 1 && delivered >= 1, "the bystander's /saldo was queued \(queued) times, delivered \(delivered) times")
            try world.curePoison()
            let served = try await world.api.say("/saldo", from: customer)
            try world.expect(served.first?.text?.contains("Saldo kamu") == true, "the customer was not served afterwards")
            try world.checkInvariants()
            return "marked in flight before handling, retried once on its own after the first death, quarantined (crashed) after the second; the bystander answered exactly once"
        },
    ] }

    /// Once the bot logs `line` for `update`, holds SQLite's write lock so its next attempt waits,
    /// kills it, and lets go.
    static func killWhileHandling(_ world: World, _ update: Int64, after line: String) async throws {
        try await world.until("the bot logs \"\(line)\" for update \(update)") {
            world.bot.log.split(separator: "\n").contains { $0.contains(line) && $0.contains("update_id=\(update)") }
        }
        let lock = try world.lockDatabase()
        world.bot.kill9()
        try lock.release()
    }
}

extension World {
    /// Makes every write of `chat`'s conversation session fail, as a fault in the database would.
    func poisonSessions(of chat: Int64) throws {
        try DatabaseQueue(path: databasePath).write { db in
            for event in ["INSERT", "UPDATE"] {
                try db.execute(sql: """
                    CREATE TRIGGER poison_\(event.lowercased()) BEFORE \(event) ON sessions WHEN NEW.chat_id = \(chat)
                    BEGIN SELECT RAISE(ABORT, 'poisoned by the fault suite'); END
                    """)
            }
        }
    }

    func curePoison() throws {
        try DatabaseQueue(path: databasePath).write { db in try db.execute(sql: "DROP TRIGGER poison_insert; DROP TRIGGER poison_update") }
    }

    /// Update id → how many times it was retried alone, for updates marked in flight and not handled.
    func inFlight() throws -> [Int64: Int] {
        try DatabaseQueue(path: databasePath).read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT update_id, alone_attempts FROM telegram_inflight WHERE update_id NOT IN (SELECT update_id FROM telegram_updates)
                """)
            return Dictionary(uniqueKeysWithValues: rows.map { ($0[0], $0[1]) })
        }
    }

    /// How many outbox rows for `chat` contain `text` (each applied update queues its replies once).
    func queuedReplies(to chat: Int64, containing text: String) throws -> Int {
        try DatabaseQueue(path: databasePath).read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE chat_id = ? AND payload LIKE '%' || ? || '%' AND payload NOT LIKE '%Halo%'",
                             arguments: [chat, text]) ?? 0
        }
    }

    /// Update id → reason, for quarantined updates.
    func quarantined() throws -> [Int64: String] {
        try DatabaseQueue(path: databasePath).read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT update_id, reason FROM quarantined_updates").map { ($0[0], $0[1]) })
        }
    }

    /// Runs another `loket` command on the bot's database and returns what it printed.
    func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = bot.executable
        process.arguments = arguments + ["--database", databasePath]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw SuiteFailure("loket \(arguments.joined(separator: " ")) exited \(process.terminationStatus): \(output)") }
        return output
    }
}
