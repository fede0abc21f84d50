import FakeTelegram
import Foundation
import GRDB
import Ledger
import Logging
import LoketCore
import ServiceLifecycle
import Telegram

/// Telegram's side of a simulated shop: the real `OutboxSender` delivers the outbox to the fake
/// Bot API in memory, through 429s, 5xx, error pages, cut connections and customers who block
/// the bot, and sometimes dies mid-send.
extension SimulatedShop {
    /// The sender as `loket run` has it, without the real pauses of rate limits and backoff, and
    /// one chat at a time, so the faults meet messages in an order the outbox decides.
    static var senderConfiguration: OutboxSender.Configuration {
        var configuration = OutboxSender.Configuration()
        configuration.limits.overallPerSecond = 1_000_000
        configuration.limits.privateChatPerSecond = 1_000_000
        configuration.limits.privateChatBurst = 1_000
        configuration.concurrentChats = 1
        configuration.idlePoll = .milliseconds(5)
        configuration.retryPoll = .milliseconds(5)
        configuration.maximumBackoff = .milliseconds(2)
        return configuration
    }

    static let quiet = Logger(label: "loket-sim") { _ in SwiftLogNoOpLogHandler() }

    /// The Bot API the sender calls: the fake, behind the simulator's cuts.
    var telegramAPI: TelegramAPI {
        let inner = telegram.transport(token: telegram.token)
        let cuts = telegramCuts
        return TelegramAPI(transport: TelegramTransport { request throws(TelegramError) in
            if cuts.take() { throw .network("simulated cut") }
            return try await inner.exchange(request)
        }, requestTimeout: .seconds(5))
    }

    /// Telegram takes what the outbox holds: the real sender runs until nothing is due (until
    /// nothing waits at all, when it may not crash: at quiescence). Now and then the process
    /// dies while sending (a crash, with a message Telegram may have taken and
    /// the outbox not marked sent).
    func telegramSends(mayCrash: Bool = true) async throws {
        let sender = OutboxSender(api: telegramAPI, store: LedgerOutboxStore(ledger: services.ledger, logger: Self.quiet),
                                  configuration: Self.senderConfiguration, logger: Self.quiet)
        let group = ServiceGroup(services: [sender], logger: Self.quiet)
        let running = Task { try await group.run() }
        if mayCrash, random.chance(8) {
            try await Task.sleep(for: .microseconds(Int.random(in: 0...3_000, using: &random)))
            running.cancel()
            _ = try? await running.value
            crashesWhileSending += 1
            count("telegram: the process dies while sending")
            try await crash()
            return
        }
        let deadline = ContinuousClock.now + .seconds(5)
        while try await waiting(everything: !mayCrash), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(1))
        }
        await group.triggerGracefulShutdown()
        try await running.value
        note("telegram: sent what was due, \(try await services.ledger.outbox.counts()["pending", default: 0]) messages left")
    }

    /// Whether messages still wait: any at all, or only those due now (the outbox counts a
    /// retry's time in whole seconds, so one retried after a 5xx waits for a later step).
    private func waiting(everything: Bool) async throws -> Bool {
        everything ? try await services.ledger.outbox.counts()["pending", default: 0] > 0
            : try await !services.ledger.outbox.pending(limit: 1, now: Date()).rows.isEmpty
    }

    /// One fault on the way to Telegram, or a customer who blocks the bot (or unblocks it).
    func injectTelegramFault() async {
        switch Int.random(in: 0...9, using: &random) {
        case 0:
            // Telegram's least pause is a second, and the sender waits it out for real: once in
            // a seed at most, in about a quarter of the seeds.
            guard !rateLimitedOnce, seed % 4 == 0 else { return }
            rateLimitedOnce = true
            await telegram.inject(.tooManyRequests(retryAfter: 1), method: "*")
            count("telegram fault: 429 with retry_after")
        case 1, 2:
            await telegram.inject(.serverError, method: "*", times: Int.random(in: 1...6, using: &random))
            count("telegram fault: 5xx")
        case 3, 4:
            await telegram.inject(.badGatewayPage, method: "*", times: Int.random(in: 1...3, using: &random))
            count("telegram fault: an HTML error page")
        case 5, 6:
            telegramCuts.cut(next: Int.random(in: 1...10, using: &random))
            count("telegram fault: a long cut")
        case 7, 8:
            let chat = customer().id
            await telegram.block(chatID: chat)
            blockedChats.insert(chat)
            everBlocked.insert(chat)
            count("telegram: a customer blocks the bot")
        case 9:
            guard let chat = random.pick(blockedChats.sorted()) else { return }
            await telegram.unblock(chatID: chat)
            blockedChats.remove(chat)
            count("telegram: a customer unblocks the bot")
        default:
            preconditionFailure("a Telegram fault number outside 0...9")
        }
    }

    /// At quiescence: every customer unblocks the bot, the faults stop, and the sender delivers
    /// everything left.
    func telegramCatchesUp() async throws {
        for chat in blockedChats { await telegram.unblock(chatID: chat) }
        blockedChats.removeAll()
        telegramCuts.cut(next: 0)
        await telegram.clearFaults()
        try await telegramSends(mayCrash: false)
    }

    /// At quiescence: nothing waits in the outbox, and every final word on an order or payout
    /// reached Telegram exactly once (twice at most after a crash mid-send), or never, because
    /// its customer had blocked the bot.
    func telegramViolations() async throws -> [String] {
        try await Self.toldOnTelegram(databasePath: services.ledger.path, telegram: telegram, blocked: everBlocked,
                                      most: crashesWhileSending > 0 ? 2 : 1)
    }

    /// What ``telegramViolations()`` checks, for any database and fake Bot API: `most` is how
    /// often a message may have reached Telegram (2 once the sender was killed mid-send).
    static func toldOnTelegram(databasePath: String, telegram: FakeBotAPI, blocked: Set<Int64>, most: Int) async throws -> [String] {
        var configuration = Configuration()
        configuration.readonly = true
        let rows = try DatabaseQueue(path: databasePath, configuration: configuration).read { db in
            try Row.fetchAll(db, sql: """
                SELECT chat_id, status, payload, dedupe_key FROM outbox
                WHERE status = 'pending' OR dedupe_key LIKE 'order-final:%' OR dedupe_key LIKE 'payout-final:%'
                """)
        }
        var problems: [String] = []
        for row in rows {
            let chat: Int64 = row["chat_id"], status: String = row["status"], key: String? = row["dedupe_key"]
            let what = key ?? "a message to \(chat)"
            guard let message = try? JSONDecoder().decode(OutboundMessage.self, from: Data((row["payload"] as String).utf8)) else {
                problems.append("\(what): its payload does not decode")
                continue
            }
            let received = await telegram.delivered(to: chat).filter { $0.text == message.text }.count
            switch status {
            case "sent":
                if received < 1 || received > most { problems.append("\(what) reached Telegram \(received) times") }
            case "dropped":
                if !blocked.contains(chat) { problems.append("\(what) dropped although \(chat) never blocked the bot") }
                if received > most - 1 { problems.append("\(what) dropped, yet reached Telegram \(received) times") }
            default:
                problems.append("\(what) still \(status) at quiescence")
            }
        }
        return problems
    }
}

/// Calls to Telegram that fail as if the connection were cut, switched on by the simulator.
final class TelegramCuts: @unchecked Sendable {
    private let lock = NSLock()
    private var left = 0

    /// The next `count` calls fail (0: none).
    func cut(next count: Int) { lock.withLock { left = count } }

    /// Whether this call is cut.
    func take() -> Bool {
        lock.withLock {
            guard left > 0 else { return false }
            left -= 1
            return true
        }
    }
}
