import FakeTelegram
import FlowixSandbox
import Foundation
import GRDB
import Ledger
import Loopback
import Money

/// `loket-sim --kill`: the real `loket run` binary as a child process, against the Flowix
/// sandbox and the fake Bot API on loopback, with customers chatting, Flowix failing and
/// settling, and `kill -9` at moments the seed picks, then a start from the file alone.
///
/// The seed decides what happens and when the bot dies, in steps; how far the bot got when it
/// died is up to the machine, so a replay repeats the schedule, not every interleaving. The
/// money is checked on the file the killed process left (nothing writes it then), and once more
/// at the end, after everything settled.
final class KilledBinary {
    static let admin: Int64 = 9_001
    let seed: UInt64
    var random: SeededRandom
    let folder: URL
    let sandbox: SandboxServer
    let telegram: FakeTelegramServer
    let bot: BotProcess
    let customers: [Int64]
    var model = MoneyModel()
    var databasePath: String { folder.appendingPathComponent("loket.sqlite").path }
    /// The last events, for a failure's report.
    private(set) var events: [String] = []
    /// Operations and faults by kind.
    private(set) var counts: [String: Int] = [:]
    private(set) var step = 0
    var trace = false
    /// A customer just confirmed a purchase: the next step kills the bot while it may be
    /// talking to Flowix about it.
    private var killNext = false

    var api: FakeBotAPI { telegram.api }
    var flowix: FlowixSandbox { sandbox.sandbox }

    init(seed: UInt64, executable: URL, customers count: Int) async throws {
        self.seed = seed
        random = SeededRandom(seed: seed)
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("loket-sim-kill-\(seed)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var configuration = SandboxConfiguration(initialBalance: Rupiah(1_000_000_000)!, settlementDelay: .milliseconds(300),
                                                 slowAnswerDelay: .seconds(2), webhookRetryDelays: [.milliseconds(200), .seconds(1), .seconds(2)])
        configuration.depositLifetime = .seconds(3_600)
        // How this Flowix answers a reference it already has: the record made the first time,
        // or a refusal, in any of the ways suppliers word one (some read like a plain refusal).
        configuration.duplicateRefusal = random.pick([nil, .http409, .bodyCode409, .bodyInHTTP200, .bodyInHTTP400,
                                                      .custom(httpStatus: 400, code: 400, message: "Saldo tidak mencukupi.")])!
        sandbox = try await SandboxServer.start(sandbox: FlowixSandbox(configuration: configuration))
        telegram = try await FakeTelegramServer.start(api: FakeBotAPI(token: "1:killed"))
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in [
            "TELEGRAM_BOT_TOKEN": "1:killed", "TELEGRAM_API_URL": telegram.baseURL, "FLOWIX_BASE_URL": sandbox.baseURL,
            "FLOWIX_API_KEY": configuration.credentials.apiKey, "FLOWIX_MERCHANT_ID": configuration.credentials.merchantID,
            "FLOWIX_WEBHOOK_SECRET": configuration.webhookSecret, "LOKET_DATABASE": folder.appendingPathComponent("loket.sqlite").path,
            "LOKET_HTTP_PORT": "0", "LOKET_ADMIN_IDS": String(Self.admin), "LOKET_RECONCILE_SECONDS": "2",
            "LOKET_NOT_FOUND_GRACE_SECONDS": "6", "LOKET_MAX_OPEN_DEPOSITS": "50", "LOG_LEVEL": "info",
        ] { environment[key] = value }
        bot = BotProcess(executable: executable, environment: environment, logFile: folder.appendingPathComponent("bot.log"))
        customers = (0..<count).map { Int64(20_000 + $0) }
        // The customers and their money, written before the bot's first start.
        let ledger = try Ledger(path: databasePath)
        _ = try await ledger.users.register(id: Self.admin, name: "Pemilik", username: nil)
        for (index, customer) in customers.enumerated() {
            _ = try await ledger.users.register(id: customer, name: "Pelanggan \(index)", username: nil)
            let amount = Rupiah(Int64.random(in: 4...40, using: &random) * 5_000)!
            _ = try await ledger.wallets.adjust(userID: customer, .credit, amount: amount, adminID: Self.admin, note: "simulation",
                                                key: "sim-kill-\(customer)")
            model.adjusted(customer, amount.value)
        }
        try await start()
    }

    /// Starts the bot (again) and points Flowix's webhooks at its new port.
    private func start() async throws {
        try await bot.start()
        await flowix.setWebhookURL("http://127.0.0.1:\(bot.port)/webhook/flowix")
    }

    func tearDown() async {
        bot.kill9()
        await api.releasePolls()
        await telegram.stop()
        await sandbox.stop()
        try? FileManager.default.removeItem(at: folder)
    }

    // MARK: Steps

    /// One step chosen by the seed; a kill returns what the file it left breaks, if anything.
    func takeStep() async throws -> [String] {
        step += 1
        if killNext {
            killNext = false
            return try await kill()
        }
        switch Int.random(in: 0..<100, using: &random) {
        case 0..<28: await say()
        case 28..<52: await press(nil)
        case 52..<58: await say("/deposit \(random.pick(["50rb", "100 ribu", "25000"])!)")
        case 58..<64: await payDeposit()
        case 64..<72: await injectFault()
        case 72..<80: await settleAtFlowix()
        case 80..<92: await pause(milliseconds: Int.random(in: 50...400, using: &random))
        case 92..<100: return try await kill()
        default: preconditionFailure("a step number outside 0..<100")
        }
        return []
    }

    /// Purchases as customers type them, every format.
    static let purchases = ["TSEL10.{phone}", "XL10.{phone}", "ISAT10.{phone}", "pulsa tsel 10rb {phone}",
                            "beli pulsa telkomsel 25 ribu {phone}", "token pln 20rb {meter}"]

    /// A customer types: half the time a purchase, which they usually go ahead with once the
    /// bot asks, otherwise a command or nonsense.
    private func say(_ fixed: String? = nil) async {
        let customer = random.pick(customers)!
        let phone = "0812" + String(format: "%04d", Int.random(in: 0...9_999, using: &random)) + random.pick(SimulatedShop.scenarios + ["1111"])!
        let buying = fixed == nil && random.chance(50)
        let text = (fixed ?? random.pick(buying ? Self.purchases : SimulatedShop.phrasings)!)
            .replacingOccurrences(of: "{phone}", with: phone).replacingOccurrences(of: "{meter}", with: "5123" + phone.suffix(8))
        let before = await api.delivered(to: customer).count
        _ = await api.pushMessage(chatID: customer, text: text, firstName: "Pelanggan")
        note("\(customer) says \"\(text)\"")
        count("say")
        guard buying || fixed != nil, random.chance(70) else { return }
        // Goes ahead once the bot answers (if it answers within a second: it may be dead).
        let deadline = ContinuousClock.now + .seconds(1)
        while await api.delivered(to: customer).count == before, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        if await press(customer), random.chance(25) { killNext = true }
    }

    /// A customer presses a button of the newest message with buttons, usually the one that
    /// goes ahead ("Beli", "Bayar", "QRIS", "Ya"); sometimes twice. Whether it went ahead.
    @discardableResult
    private func press(_ chosen: Int64? = nil) async -> Bool {
        let customer = chosen ?? random.pick(customers)!
        guard let buttons = await api.delivered(to: customer).reversed().lazy.compactMap(Self.buttons).first else { return false }
        let confirming = buttons.filter { button in ["Beli", "Bayar", "QRIS", "Ya"].contains { button.title.contains($0) } }
        guard let button = random.chance(75) ? random.pick(confirming) ?? random.pick(buttons) : random.pick(buttons) else { return false }
        for _ in 0..<(random.chance(15) ? 2 : 1) { _ = await api.pushCallback(chatID: customer, data: button.data) }
        note("\(customer) presses \"\(button.title)\"")
        count("press")
        return confirming.contains { $0.data == button.data }
    }

    /// The inline buttons a sent message carried.
    private static func buttons(_ call: FakeBotAPI.Call) -> [(title: String, data: String)]? {
        guard let markup = call.parameters["reply_markup"],
              let object = try? JSONSerialization.jsonObject(with: Data(markup.utf8)) as? [String: Any],
              let rows = object["inline_keyboard"] as? [[[String: Any]]] else { return nil }
        let buttons = rows.joined().compactMap { button -> (title: String, data: String)? in
            guard let title = button["text"] as? String, let data = button["callback_data"] as? String else { return nil }
            return (title, data)
        }
        return buttons.isEmpty ? nil : buttons
    }

    /// A customer pays one of the deposits still open at Flowix.
    private func payDeposit() async {
        let open = await flowix.outcomes().filter { $0.key.hasPrefix("DEP") && $0.value.status == "pending" }.keys.sorted()
        guard let reference = random.pick(open) else { return }
        _ = await flowix.payDeposit(refID: reference)
        note("deposit \(reference) paid")
        count("deposit paid")
    }

    /// Flowix finishes one transaction it was still working on.
    private func settleAtFlowix() async {
        let processing = await flowix.outcomes().filter { $0.value.status == "processing" }.keys.sorted()
        guard let reference = random.pick(processing) else { return }
        _ = await flowix.settle(refID: reference, as: random.chance(70) ? .success : .failed)
        note("Flowix settles \(reference)")
        count("Flowix settles")
    }

    private func injectFault() async {
        switch Int.random(in: 0...2, using: &random) {
        case 0:
            await flowix.dropCreates(next: 1, answer: random.chance(50) ? .serverError : .htmlPage)
            count("fault: create dropped with a 5xx or HTML")
        case 1:
            await flowix.rateLimit(next: Int.random(in: 1...3, using: &random))
            count("fault: rate limited")
        case 2:
            await flowix.setDuplicateRefusal(random.pick([.http409, .bodyCode409, .bodyInHTTP200, .bodyInHTTP400])!, times: 1)
            count("fault: a repeated create refused")
        default:
            preconditionFailure("a fault number outside 0...2")
        }
    }

    private func pause(milliseconds: Int) async {
        try? await Task.sleep(for: .milliseconds(milliseconds))
        note("\(milliseconds) ms pass")
    }

    /// `kill -9` a moment from now; the file it leaves is checked, then the bot starts again.
    private func kill() async throws -> [String] {
        let after = Int.random(in: 0...150, using: &random)
        try await Task.sleep(for: .milliseconds(after))
        bot.kill9()
        count("kill -9")
        note("kill -9 after \(after) ms")
        let problems = try await violations(final: false)
        try await start()
        return problems
    }

    /// The money on the file as it is now (the bot must not be writing it).
    private func violations(final: Bool) async throws -> [String] {
        let ledger = try Ledger(path: databasePath, readOnly: true)
        return try await model.violations(ledger: ledger, sandbox: flowix, users: customers, final: final)
    }

    // MARK: Quiescence

    /// Faults off; Flowix finishes everything and every open deposit expires; the bot runs until
    /// every order and deposit is final and the outbox is empty, then stops, and the file and
    /// Telegram are checked.
    func quiesce() async throws -> [String] {
        await flowix.stopDroppingCreates()
        await flowix.clearRateLimits()
        await flowix.setDuplicateRefusal(nil)
        let deadline = ContinuousClock.now + .seconds(120)
        var settled = false
        while !settled, ContinuousClock.now < deadline {
            for (reference, outcome) in await flowix.outcomes().sorted(by: { $0.key < $1.key }) {
                if outcome.status == "processing" {
                    _ = await flowix.settle(refID: reference, as: reference.hasSuffix("0000") ? .failed : .success)
                } else if reference.hasPrefix("DEP"), outcome.status == "pending" {
                    _ = await flowix.expireDeposit(refID: reference)
                }
            }
            try await Task.sleep(for: .milliseconds(500))
            settled = try Self.allFinal(databasePath)
        }
        bot.kill9()
        guard settled else { return ["not everything was final after two minutes of quiescence"] }
        let books = try Books(path: databasePath)
        counts["orders captured", default: 0] += books.orders.values.filter { $0.status == .success }.count
        counts["orders refunded", default: 0] += books.orders.values.filter { $0.status == .failed }.count
        counts["deposits credited", default: 0] += books.deposits.values.filter { $0.status == .success }.count
        counts["orders sent again after a kill", default: 0] += books.orders.values.filter { $0.resends > 0 }.count
        return try await violations(final: true)
            + SimulatedShop.toldOnTelegram(databasePath: databasePath, telegram: api, blocked: [], most: 2)
    }

    /// Every order, payout and deposit final, and nothing waiting in the outbox.
    private static func allFinal(_ path: String) throws -> Bool {
        var configuration = Configuration()
        configuration.readonly = true
        return try DatabaseQueue(path: path, configuration: configuration).read { db in
            try Int.fetchOne(db, sql: """
                SELECT (SELECT COUNT(*) FROM orders WHERE status NOT IN ('success', 'failed'))
                     + (SELECT COUNT(*) FROM payouts WHERE status NOT IN ('success', 'failed'))
                     + (SELECT COUNT(*) FROM deposits WHERE status = 'pending')
                     + (SELECT COUNT(*) FROM outbox WHERE status = 'pending')
                """) == 0
        }
    }

    // MARK: Reporting

    private func note(_ event: String) {
        if trace { print("step \(step): \(event)") }
        events.append("step \(step): \(event)")
        if events.count > 40 { events.removeFirst(events.count - 40) }
    }

    private func count(_ kind: String) { counts[kind, default: 0] += 1 }
}
