import FakeTelegram
import FlowixSandbox
import Foundation
import GRDB
import Money

/// Issue #14 item 5: thousands of hostile inputs from ~30 customers and the admin, through
/// the real binary. Seeded (`LOKET_HOSTILE_SEED`), sized by `LOKET_HOSTILE_MESSAGES`.
///
/// Each chat sends its next input only once the previous one was handled (its update id is
/// in `telegram_updates`) and the chat's queued replies went out, as a fast human would; the
/// bot's replies to an input are the outbox rows it queued for that chat in between (less
/// notifications that follow events on their own), and each must reach the fake Bot API.
enum HostileChat {
    static let defaultSeed: UInt64 = 0x10C3_7F00_D5EE_D014
    static let defaultMessages = 2_000
    /// Telegram's pace of about one message a second per private chat bounds a chat to roughly
    /// one input every two seconds (most inputs get two messages back), so 2,000 inputs are
    /// spread over 50 customers (about 39 each) to finish in well under three minutes.
    static let customers: [Int64] = (1...50).map { 70_000 + Int64($0) }
    /// Share of the inputs the admin sends (its chat is paced like any other).
    static let adminShare = 0.025

    static var scenario: Scenario {
        var sandbox = SandboxConfiguration(initialBalance: Rupiah(1_000_000_000)!, settlementDelay: .milliseconds(400),
                                           slowAnswerDelay: .seconds(3), webhookRetryDelays: [.milliseconds(200), .seconds(1), .seconds(2)])
        sandbox.depositLifetime = .seconds(30 * 60)
        return Scenario(name: "hostile chat",
                        injected: "seeded random texts (Unicode, emoji, RTL, zero-width, control characters, 4,096-character lines), huge and negative numbers, every customer and owner command with random arguments (owner commands from customers too), purchase phrasings, CODE.TARGET, and button presses: fresh, stale, random bytes, variations of real ones",
                        sandbox: sandbox) { try await run($0) }
    }

    struct Settings {
        var seed = defaultSeed
        var messages = defaultMessages

        init() {
            let environment = ProcessInfo.processInfo.environment
            if let text = environment["LOKET_HOSTILE_SEED"], !text.isEmpty {
                let hex = text.lowercased().hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) : nil
                seed = hex ?? UInt64(text) ?? UInt64(truncatingIfNeeded: text.hashValue)
            }
            if let text = environment["LOKET_HOSTILE_MESSAGES"], let count = Int(text), count > 0 { messages = count }
        }
    }

    /// How often a dead bot may be restarted before the scenario gives up (a crashing update
    /// comes back once after a restart before the bot quarantines it).
    static let maximumRestarts = 6

    static func run(_ world: World) async throws -> String {
        let settings = Settings()
        let started = ContinuousClock.now
        print("     hostile chat: seed 0x\(String(settings.seed, radix: 16, uppercase: true)) (LOKET_HOSTILE_SEED), \(settings.messages) inputs (LOKET_HOSTILE_MESSAGES)")
        let observer = try HostileObserver(databasePath: world.databasePath, api: world.api)
        let crashes = CrashLog()
        let admin = World.admin

        // The watch: refreshes what the observer sees, restarts a bot that died and stops the
        // run if the bot, alive, stops handling updates.
        let watch = Task {
            var progressAt = ContinuousClock.now, handled = 0
            while !Task.isCancelled {
                do { try await observer.poll() } catch { await observer.fail("reading the bot's database failed: \(error)") }
                let count = await observer.handledCount, idle = await observer.allHandled
                if count != handled || idle {
                    handled = count
                    progressAt = .now
                } else if progressAt.duration(to: .now) > .seconds(45) {
                    let waiting = await observer.inFlight.prefix(5).map { "#\($0.updateID) chat \($0.input.chat): \($0.input.shown)" }
                    await observer.fail("the bot is running but handled no update for 45 s; waiting: " + waiting.joined(separator: "; "))
                    await observer.stop()
                    return
                }
                if let ended = world.bot.ended {
                    await crashes.record(ended, log: world.bot.log, observer: observer)
                    if await crashes.count > maximumRestarts {
                        await observer.fail("the bot died \(await crashes.count) times; stopped sending")
                        await observer.stop()
                        return
                    }
                    do { try await world.startBot() } catch {
                        await crashes.record("did not restart: \(error)", log: world.bot.log, observer: observer)
                        await observer.stop()
                        return
                    }
                }
                try? await Task.sleep(for: .milliseconds(40))
            }
        }
        defer { watch.cancel() }

        // Setup: everyone says hello; the admin funds a dozen customers and makes some resellers,
        // so purchases and withdrawals actually move money.
        for chat in [admin] + customers {
            let input = HostileInput(chat: chat, kind: .command, text: "/start", data: nil, firstName: "Setup", expectation: nil)
            await observer.record(input, updateID: await world.api.pushMessage(chatID: chat, text: "/start", firstName: "Setup"), watermark: 0, counted: false, admin: admin)
        }
        try await waitUntil("every /start is handled", observer, timeout: .seconds(60)) { await observer.allHandled }
        var setupInputs = customers.count + 1
        let resellers = Set(customers.prefix(12).enumerated().filter { $0.offset % 3 == 0 }.map(\.element))
        for (index, customer) in customers.prefix(12).enumerated() {
            let amount = ["300rb", "500rb", "1jt", "250.000"][index % 4]
            var commands = ["/tambahsaldo \(customer) \(amount) modal awal"]
            if resellers.contains(customer) { commands.append("/level \(customer) reseller") }
            for text in commands {
                let input = HostileInput(chat: admin, kind: .owner, text: text, data: nil, firstName: "Setup", expectation: nil)
                await observer.record(input, updateID: await world.api.pushMessage(chatID: admin, text: text, firstName: "Setup"), watermark: 0, counted: false, admin: admin)
                setupInputs += 1
            }
        }
        // Another dozen top up their wallets by QRIS, as customers do.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, customer) in customers.dropFirst(12).prefix(13).enumerated() {
                group.addTask { try await topUp(world, observer, customer, ["200rb", "500rb", "1jt"][index % 3]) }
            }
            try await group.waitForAll()
        }
        setupInputs += 13 * 2
        try await waitUntil("the funding is handled", observer, timeout: .seconds(60)) { await observer.allHandled }

        // The hostile part: every chat at once, each at a human's pace.
        let adminCount = max(1, Int((Double(settings.messages) * adminShare).rounded()))
        let perCustomer = (settings.messages - adminCount) / customers.count
        let extra = (settings.messages - adminCount) % customers.count
        let chats: [(Int64, Int)] = [(admin, adminCount)] + customers.enumerated().map { ($1, perCustomer + ($0 < extra ? 1 : 0)) }
        let progress = Progress(total: settings.messages, started: started)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (chat, count) in chats {
                group.addTask {
                    var generator = HostileGenerator(seed: settings.seed, chat: chat, isAdmin: chat == admin, customers: customers, admin: admin)
                    generator.withdraws = resellers.contains(chat)
                    try await drive(&generator, count: count, world: world, observer: observer, progress: progress)
                }
            }
            // Now and then a customer pays a deposit they opened (sometimes one already cancelled or expired).
            group.addTask {
                var random = SplitMix64(seed: settings.seed ^ 0xA5A5_5A5A_F00D_BEEF)
                while !(await progress.finished), !(await observer.stopped) {
                    try await Task.sleep(for: .seconds(3))
                    try await payADeposit(world, &random)
                }
            }
            try await group.waitForAll()
        }
        let sending = started.duration(to: .now)

        // Let everything settle: the orders left processing (…9999) get an outcome, unknown ones
        // are reconciled, and every queued message goes out.
        var random = SplitMix64(seed: settings.seed ^ 0x5E77_1E00)
        for (ref, outcome) in await world.flowix.outcomes().sorted(by: { $0.key < $1.key }) where outcome.status == "processing" {
            await world.flowix.settle(refID: ref, as: Bool.random(using: &random) ? .success : .failed)
        }
        try? await waitUntil("every order and payout is final", observer, timeout: .seconds(40)) {
            (try? openOrders(world)) == 0
        }
        try? await waitUntil("every queued message is sent", observer, timeout: .seconds(90)) {
            await observer.totalPending == 0
        }
        try? await waitUntil("every button press is answered", observer, timeout: .seconds(20)) {
            await observer.answeredAllButtons
        }
        try await observer.poll()

        // The verdict.
        if let ended = world.bot.ended { await crashes.record(ended, log: world.bot.log, observer: observer) }
        var problems = await crashes.summaries
        if await observer.stopped {
            // What follows from the bot being down (inputs never handled, messages never sent) is noise now.
            problems += await observer.failures.filter { !$0.contains("was not handled within") && !$0.contains("still queued after") }
            problems.append("the run stopped after \(await observer.inputsSent) of \(settings.messages) inputs; delivery checks skipped")
        } else {
            problems += await observer.failures
            problems += try await deliveryProblems(world, observer)
        }
        problems += try await authorityProblems(world, observer)
        problems += await privacyProblems(world, observer)
        do { try world.checkInvariants() } catch { problems.append("\(error)") }
        do { _ = try await world.checkMoneyModel() } catch { problems.append("\(error)") }
        problems += try await quarantined(world, observer: observer)

        let counts = await observer.counts
        let kinds = HostileKind.allCases.map { "\($0.rawValue) \(counts[$0] ?? 0)" }.joined(separator: ", ")
        let statuses = try orderStatuses(world)
        let seconds = started.duration(to: .now).components.seconds
        let summary = "hostile chat: seed 0x\(String(settings.seed, radix: 16, uppercase: true)), \(await observer.inputsSent) inputs from \(chats.count) chats"
            + " (\(kinds); owner commands from customers \(await observer.ownerFromCustomers); setup \(setupInputs)),"
            + " \(await observer.delivered) messages delivered, \(await observer.answered.count) button presses answered,"
            + " \(await crashes.count) crash(es), orders \(statuses), sending \(sending.components.seconds) s, total \(seconds) s"
        print("     " + summary)
        if let path = ProcessInfo.processInfo.environment["LOKET_HOSTILE_LOG"], !path.isEmpty {
            try? (await crashes.previousLogs + world.bot.log).write(toFile: path, atomically: true, encoding: .utf8)
            print("     bot log written to \(path)")
        }
        let warnings = await crashes.errorLines(world.bot.log)
        if !warnings.isEmpty { print("     bot errors logged (distinct):\n" + warnings.prefix(12).map { "       " + $0 }.joined(separator: "\n")) }
        guard problems.isEmpty else {
            throw SuiteFailure("\(problems.count) problem(s):\n" + problems.prefix(40).map { "       - " + $0 }.joined(separator: "\n")
                + (problems.count > 40 ? "\n       … and \(problems.count - 40) more" : "") + "\n     " + summary)
        }
        return "the bot never died; every message answered (\(await observer.replies.count) inputs' replies delivered), every button press answered, customers' owner commands refused and inert, loket check ok — \(summary)"
    }

    // MARK: One chat

    static func drive(_ generator: inout HostileGenerator, count: Int, world: World, observer: HostileObserver, progress: Progress) async throws {
        let chat = generator.chat
        for _ in 0..<count {
            guard !(await observer.stopped) else { return }
            // The chat's replies so far went out (so the buttons on screen are the bot's latest).
            let drained = await waitQuietly(timeout: .seconds(45), observer) { await observer.pending(in: chat) == 0 }
            if !drained { await observer.fail("chat \(chat): \(await observer.pending(in: chat)) message(s) still queued after 45 s") }
            let input = generator.next(await observer.view(of: chat))
            let watermark = await observer.lastOutboxID
            let updateID: Int64
            if let data = input.data {
                updateID = await world.api.pushCallback(chatID: chat, data: data)
            } else {
                updateID = await world.api.pushMessage(chatID: chat, text: input.text!, firstName: input.firstName)
            }
            await observer.record(input, updateID: updateID, watermark: watermark, counted: true, admin: World.admin)
            await progress.advance()
            guard await waitQuietly(timeout: .seconds(60), observer, { await observer.isHandled(updateID) }) else {
                if await observer.stopped { return }
                await observer.fail("update \(updateID) from chat \(chat) was not handled within 60 s: \(input.shown)")
                continue
            }
            guard !input.isButton else { continue }
            // A message: at least one reply (some come from background work, e.g. a bill check).
            // With an expectation, wait for the reply that meets it: a late background reply to
            // the previous input (a deposit's status, a bill check) may come first.
            var replies: [HostileObserver.OutboxRow] = []
            func met(_ replies: [HostileObserver.OutboxRow]) -> Bool {
                guard let expectation = input.expectation, !expectation.accepted.isEmpty else { return true }
                return replies.contains { reply in expectation.accepted.contains { reply.text.contains($0) } }
            }
            _ = await waitQuietly(timeout: .seconds(10), observer) {
                replies = await observer.replies(in: chat, after: watermark)
                return !replies.isEmpty && met(replies)
            }
            await observer.attribute(replies, to: updateID)
            if replies.isEmpty {
                await observer.fail("no reply within 10 s to update \(updateID) from chat \(chat) (\(input.kind.rawValue)): \(input.shown)")
            } else if let expectation = input.expectation, !met(replies) {
                let said = replies.map { $0.text.replacingOccurrences(of: "\n", with: " ").prefix(100) }.joined(separator: " | ")
                await observer.fail("chat \(chat) sent \(input.shown) and expected \(expectation) but the bot said: \(said)")
            }
        }
    }

    // MARK: Checks

    /// Every reply attributed to an input reached the fake Bot API; nothing the bot queued was
    /// refused by Telegram or dropped; every button press was answered.
    static func deliveryProblems(_ world: World, _ observer: HostileObserver) async throws -> [String] {
        var problems: [String] = []
        var needed: [Int64: [String: Set<Int64>]] = [:]
        for rows in await observer.replies.values {
            for row in rows { needed[row.chat, default: [:]][row.text, default: []].insert(row.id) }
        }
        let queue = try DatabaseQueue(path: world.databasePath, configuration: { var c = Configuration(); c.readonly = true; return c }())
        var missing = 0
        for (chat, texts) in needed.sorted(by: { $0.key < $1.key }) {
            for (text, ids) in texts {
                // Whole, or (too long for one message) split into parts by the sender.
                let delivered = await observer.deliveredCount(of: text, to: chat)
                    + (TelegramHTML.plain(text).count > 4_096 ? await observer.deliveredFirstParts(of: text, to: chat) : 0)
                guard delivered < ids.count else { continue }
                missing += 1
                guard missing <= 10 else { continue }
                let statuses = try await queue.read { db in
                    try String.fetchAll(db, sql: "SELECT status FROM outbox WHERE id IN (\(ids.map(String.init).joined(separator: ",")))")
                }
                let shown = HostileInput(chat: chat, kind: .text, text: text, data: nil, firstName: "", expectation: nil).shown
                problems.append("a reply to chat \(chat) was queued (outbox \(ids.sorted()), now \(statuses.joined(separator: "/"))) but \(delivered == 0 ? "never delivered" : "delivered only \(delivered) time(s)"): \(shown) (\(TelegramHTML.plain(text).count) characters as Telegram counts them)")
            }
        }
        if missing > 10 { problems.append("… \(missing - 10) more replies never delivered") }
        for refusal in await observer.refused.prefix(10) {
            let plain = TelegramHTML.plain(refusal.text)
            let reason = TelegramHTML.problem(in: refusal.text).map { "bad HTML: \($0)" } ?? (plain.count > 4_096 ? "\(plain.count) characters > 4096" : "refused")
            problems.append("Telegram refused a \(refusal.method) to chat \(refusal.chat) (\(reason)): \(refusal.text.replacingOccurrences(of: "\n", with: " ").prefix(120))")
        }
        let unanswered = await observer.unansweredButtons
        for press in unanswered.prefix(10) {
            problems.append("button press \(press.updateID) in chat \(press.input.chat) was never answered: \(press.input.shown)")
        }
        if unanswered.count > 10 { problems.append("… \(unanswered.count - 10) more button presses never answered") }
        return problems
    }

    /// Owner commands acted only when the admin sent them: every adjustment is the admin's own
    /// `/tambahsaldo` or `/kurangisaldo` for that user; customers' wallets rose only by those,
    /// deposits and refunds; every reseller, block, margin rule and broadcast traces back to
    /// an admin command.
    static func authorityProblems(_ world: World, _ observer: HostileObserver) async throws -> [String] {
        let adminTexts = await observer.adminTexts
        @Sendable func words(_ updateID: Int64) -> [String] {
            (adminTexts[updateID] ?? "").split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).map(String.init)
        }
        @Sendable func command(_ words: [String]) -> String {
            var name = words.first?.lowercased() ?? ""
            if let at = name.firstIndex(of: "@") { name = String(name[..<at]) }
            return name
        }
        let queue = try DatabaseQueue(path: world.databasePath, configuration: { var c = Configuration(); c.readonly = true; return c }())
        return try await queue.read { db in
            var problems: [String] = []
            for row in try Row.fetchAll(db, sql: """
                SELECT t.idempotency_key, t.actor_id, t.user_id, e.amount FROM journal_transactions t
                JOIN journal_entries e ON e.transaction_id = t.id JOIN accounts a ON a.id = e.account_id
                WHERE t.kind = 'adjustment' AND a.kind = 'wallet'
                """) {
                let key: String = row[0], actor: Int64? = row[1], user: Int64 = row[2], amount: Int64 = row[3]
                let updateID = key.hasPrefix("adjustment:update-") ? Int64(key.dropFirst("adjustment:update-".count)) : nil
                let said = updateID.map(words) ?? []
                let expected = amount > 0 ? "/tambahsaldo" : "/kurangisaldo"
                if actor != World.admin || command(said) != expected || said.count < 2 || Int64(said[1]) != user {
                    problems.append("adjustment \(key) of \(amount) to \(user) by \(actor.map(String.init) ?? "nobody") does not match an admin's \(expected): \(said.joined(separator: " ").prefix(80))")
                }
            }
            for row in try Row.fetchAll(db, sql: """
                SELECT t.kind, t.user_id, e.amount, t.idempotency_key FROM journal_transactions t
                JOIN journal_entries e ON e.transaction_id = t.id JOIN accounts a ON a.id = e.account_id
                WHERE a.kind = 'wallet' AND e.amount > 0 AND t.kind NOT IN ('adjustment', 'deposit', 'purchase_release', 'payout_release')
                """) {
                problems.append("wallet of \(row[1] as Int64) rose by \(row[2] as Int64) through \(row[0] as String) (\(row[3] as String))")
            }
            let granted = Set(adminTexts.keys.compactMap { id -> Int64? in
                let said = words(id)
                return command(said) == "/level" && said.count == 3 && ["reseller", "agen"].contains(said[2].lowercased()) ? Int64(said[1]) : nil
            })
            for user in try Int64.fetchAll(db, sql: "SELECT id FROM users WHERE level = 'reseller'") where !granted.contains(user) {
                problems.append("user \(user) is a reseller without an admin's /level")
            }
            let blocked = Set(adminTexts.keys.compactMap { id -> Int64? in
                let said = words(id)
                return command(said) == "/blokir" && said.count == 2 ? Int64(said[1]) : nil
            })
            for user in try Int64.fetchAll(db, sql: "SELECT id FROM users WHERE is_blocked = 1") where !blocked.contains(user) {
                problems.append("user \(user) is blocked without an admin's /blokir")
            }
            for row in try Row.fetchAll(db, sql: "SELECT id, scope, scope_value, created_by FROM margin_rules WHERE created_by <> ?", arguments: [World.admin]) {
                problems.append("margin rule #\(row[0] as Int64) (\(row[1] as String):\(row[2] as String)) was set by \(row[3] as Int64)")
            }
            for key in try String.fetchAll(db, sql: "SELECT DISTINCT dedupe_key FROM outbox WHERE dedupe_key LIKE 'broadcast-%' AND dedupe_key NOT LIKE 'broadcast-progress-%'") {
                let id = key.split(separator: "-").dropFirst().first.flatMap { Int64($0) }
                if id.map({ command(words($0)) }) != "/broadcast" { problems.append("a broadcast (\(key)) that no admin's /broadcast asked for") }
            }
            return problems
        }
    }

    /// A customer's press of another customer's deposit button revealed nothing about it, and no
    /// admin was alerted about "a deposit Flowix reported" that Flowix never issued (the
    /// reference came from a customer's button).
    static func privacyProblems(_ world: World, _ observer: HostileObserver) async -> [String] {
        var problems: [String] = []
        let sent = await observer.hostile
        let byChat = Dictionary(grouping: sent, by: \.input.chat)
        for (chat, inputs) in byChat {
            let rows = await observer.allRows(in: chat)
            for (index, sent) in inputs.enumerated() {
                guard case .hidesDeposit(let ref) = sent.input.expectation else { continue }
                let end = index + 1 < inputs.count ? inputs[index + 1].watermark : Int64.max
                // Saying it is not found (which echoes only what was pressed) is the right answer.
                let refusals = ["tidak ditemukan", "not found", "was not found"]
                if let leak = rows.first(where: { row in
                    row.id > sent.watermark && row.id <= end && row.text.contains(ref) && !refusals.contains { row.text.contains($0) }
                }) {
                    problems.append("chat \(chat) pressed \(sent.input.shown), another customer's deposit, and was told about it: \(leak.text.replacingOccurrences(of: "\n", with: " ").prefix(140))")
                }
            }
        }
        let issued = Set(await world.flowix.outcomes().keys)
        var spoofed: [String] = []
        for row in await observer.allRows(in: World.admin) where row.text.contains("tidak dikenal bot") || row.text.contains("which the bot does not know") {
            let ref = row.text.firstMatch(of: #/<code>([^<]*)</code>/#).map { String($0.output.1) } ?? "?"
            if !issued.contains(ref) { spoofed.append(ref.isEmpty ? "\"\"" : ref) }
        }
        if !spoofed.isEmpty {
            problems.append("\(spoofed.count) admin alert(s) that Flowix reported an unknown deposit, for references Flowix never issued (from customers' forged Cek status buttons): \(spoofed.prefix(5).joined(separator: ", "))")
        }
        return problems
    }

    /// Updates the bot set aside: each one is an input it could not serve.
    static func quarantined(_ world: World, observer: HostileObserver) async throws -> [String] {
        let queue = try DatabaseQueue(path: world.databasePath, configuration: { var c = Configuration(); c.readonly = true; return c }())
        let rows = try await queue.read { db -> [(Int64, String, String)] in
            guard try db.tableExists("quarantined_updates") else { return [] }
            return try Row.fetchAll(db, sql: "SELECT update_id, reason, detail FROM quarantined_updates ORDER BY update_id").map { ($0[0], $0[1], $0[2]) }
        }
        let sent = await observer.sent
        return rows.map { id, reason, detail in
            let input = sent[id].map { "chat \($0.input.chat) \($0.input.kind.rawValue): \($0.input.shown)" } ?? "an update the scenario did not send"
            return "the bot quarantined update \(id) (\(reason): \(detail.prefix(120))) — \(input)"
        }
    }

    static func openOrders(_ world: World) throws -> Int {
        let queue = try DatabaseQueue(path: world.databasePath, configuration: { var c = Configuration(); c.readonly = true; return c }())
        return try queue.read { db in
            try Int.fetchOne(db, sql: """
                SELECT (SELECT COUNT(*) FROM orders WHERE status IN ('pending', 'processing', 'unknown'))
                     + (SELECT COUNT(*) FROM payouts WHERE status IN ('pending', 'processing', 'unknown'))
                """) ?? 0
        }
    }

    static func orderStatuses(_ world: World) throws -> String {
        let queue = try DatabaseQueue(path: world.databasePath, configuration: { var c = Configuration(); c.readonly = true; return c }())
        return try queue.read { db in
            let orders = try Row.fetchAll(db, sql: "SELECT status, COUNT(*) FROM orders GROUP BY status ORDER BY status").map { "\($0[1] as Int) \($0[0] as String)" }
            let payouts = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM payouts") ?? 0
            let deposits = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM deposits WHERE status = 'success'") ?? 0
            return (orders.isEmpty ? "none" : orders.joined(separator: "/")) + ", \(payouts) payout(s), \(deposits) deposit(s) credited"
        }
    }

    /// `/deposit <amount>`, QRIS, and the payment at the sandbox; waits for the credit.
    static func topUp(_ world: World, _ observer: HostileObserver, _ customer: Int64, _ amount: String) async throws {
        try await waitUntil("the replies to \(customer)'s /start are sent", observer, timeout: .seconds(30)) { await observer.pending(in: customer) == 0 }
        try await world.api.say("/deposit \(amount)", from: customer)
        let photo = try await world.api.press("QRIS (All", in: customer, expecting: 2).last { $0.method == "sendPhoto" }?.text ?? ""
        guard let ref = photo.firstMatch(of: #/DEP-[A-Za-z0-9_]+/#).map({ String($0.output) }) else {
            throw SuiteFailure("no deposit reference in the QR caption for \(customer): \(photo.prefix(100))")
        }
        _ = await world.flowix.payDeposit(refID: ref)
        try await world.api.waitForMessage("masuk", to: customer, timeout: .seconds(30))
    }

    /// Pays one open (or cancelled/expired) deposit ticket at the sandbox, as its customer would.
    static func payADeposit(_ world: World, _ random: inout SplitMix64) async throws {
        let queue = try DatabaseQueue(path: world.databasePath, configuration: { var c = Configuration(); c.readonly = true; return c }())
        let refs = try await queue.read { db in try String.fetchAll(db, sql: "SELECT ref_id FROM deposits WHERE status <> 'success' ORDER BY id") }
        guard let ref = refs.randomElement(using: &random) else { return }
        _ = await world.flowix.payDeposit(refID: ref)
    }

    // MARK: Waiting

    static func waitUntil(_ what: String, _ observer: HostileObserver, timeout: Duration, _ condition: () async throws -> Bool) async throws {
        guard try await waitQuietly(timeout: timeout, observer, condition) else { throw SuiteFailure("timed out waiting until \(what)") }
    }

    /// Polls `condition`; `false` on timeout or when the scenario stopped.
    static func waitQuietly(timeout: Duration, _ observer: HostileObserver, _ condition: () async throws -> Bool) async rethrows -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            if await observer.stopped { return false }
            try? await Task.sleep(for: .milliseconds(25))
        }
        return try await condition()
    }
}

/// Counts inputs across chats and prints a line every 500.
actor Progress {
    let total: Int
    let started: ContinuousClock.Instant
    private var done = 0

    init(total: Int, started: ContinuousClock.Instant) {
        self.total = total
        self.started = started
    }

    func advance() {
        done += 1
        if done % 500 == 0 || done == total {
            print("     … \(done)/\(total) inputs sent (\(started.duration(to: .now).components.seconds) s)")
        }
    }

    var finished: Bool { done >= total }
}

/// Every death of the bot: how it ended, the inputs in flight, the fatal lines of its log.
actor CrashLog {
    struct Crash {
        let ended: String
        /// Where it died: the first frame in Loket's code, or the fatal line.
        let signature: String
        /// Inputs in flight at this crash and at the one before (a crashing update comes back after the restart).
        let suspects: [HostileObserver.Sent]
        let inFlight: [HostileObserver.Sent]
        let inputs: Int
    }

    private(set) var crashes: [Crash] = []
    /// The logs of the runs that died (each restart starts a new log file).
    private(set) var previousLogs = ""
    private var lastInFlight: Set<Int64> = []
    private var errors: [String] = []
    private var errorSet: Set<String> = []

    var count: Int { crashes.count }

    /// One line per distinct crash: where, how often, and the input that keeps bringing it back.
    var summaries: [String] {
        var order: [String] = []
        var grouped: [String: [Crash]] = [:]
        for crash in crashes {
            if grouped[crash.signature] == nil { order.append(crash.signature) }
            grouped[crash.signature, default: []].append(crash)
        }
        return order.map { signature in
            let all = grouped[signature]!
            // The input that brings this crash back is in flight every time it happens.
            var common = Set(all[0].inFlight.map(\.updateID))
            for crash in all.dropFirst() { common.formIntersection(crash.inFlight.map(\.updateID)) }
            let suspects = all[0].inFlight.filter { common.contains($0.updateID) }
            let culprit = suspects.isEmpty || suspects.count > 3
                ? "one of the \(all[0].inFlight.count) inputs in flight printed with CRASH above"
                : suspects.map { "#\($0.updateID) chat \($0.input.chat) \($0.input.kind.rawValue): \($0.input.shown)" }.joined(separator: " or ")
            return "the bot died \(all.count) time(s) (\(all[0].ended), first after \(all[0].inputs) inputs) at \(signature); input: \(culprit)"
        }
    }

    func record(_ ended: String, log: String, observer: HostileObserver) async {
        previousLogs += log + "\n----- the bot died (\(ended)) and was restarted -----\n"
        let lines = log.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let banner = lines.firstIndex { line in ["*** ", "Fatal error", "Program crashed", "Illegal instruction", "Segmentation fault"].contains { line.contains($0) } }
        let fatal = lines.filter { line in ["*** ", "Fatal error", "Program crashed", "runtime failure", "crashed:"].contains { line.contains($0) } }
        let crashedAt = lines.firstIndex { $0.contains("crashed:") }
        let frames = crashedAt.map { Array(lines[($0 + 1)...].filter { $0.contains(" in ") }.prefix(6)) } ?? []
        let ownFrame = frames.first { $0.contains(" in loket at ") && !$0.contains("[system]") }
        let signature = ownFrame.map { frame -> String in
            var text = frame.components(separatedBy: "0x").last.map { String($0.drop { $0 != " " }) } ?? frame
            text = text.replacingOccurrences(of: #"\+ \d+ in loket at \S*/"#, with: "at ", options: .regularExpression)
            return text.trimmingCharacters(in: .whitespaces)
        } ?? fatal.first ?? ended
        let inFlight = await observer.inFlight
        let suspects = inFlight.filter { lastInFlight.contains($0.updateID) }
        lastInFlight = Set(inFlight.map(\.updateID))
        let recent = await observer.recent(6)
        let inputs = await observer.inputsSent
        var report = "the bot died (\(ended)) after \(inputs) inputs"
        if !fatal.isEmpty { report += "\n         fatal: " + fatal.prefix(3).joined(separator: "\n                ") }
        if !frames.isEmpty { report += "\n         frames: " + frames.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "\n                 ") }
        if !suspects.isEmpty {
            report += "\n         in flight at this crash and the one before (the likely culprit):"
            for sent in suspects { report += "\n           #\(sent.updateID) chat \(sent.input.chat) \(sent.input.kind.rawValue): \(sent.input.shown)" }
        }
        report += "\n         in flight (sent, not handled — one of these killed it):"
        for sent in inFlight.prefix(25) {
            report += "\n           #\(sent.updateID) chat \(sent.input.chat) \(sent.input.kind.rawValue): \(sent.input.shown)"
        }
        if inFlight.count > 25 { report += "\n           … \(inFlight.count - 25) more" }
        report += "\n         last inputs sent:"
        for sent in recent { report += "\n           #\(sent.updateID) chat \(sent.input.chat) \(sent.input.kind.rawValue): \(sent.input.shown)" }
        let before = lines[..<(banner ?? lines.count)].filter { !$0.isEmpty }.suffix(10)
        report += "\n         bot log before it died:\n" + before.map { "           " + $0.prefix(220) }.joined(separator: "\n")
        print("     CRASH: " + report)
        crashes.append(Crash(ended: ended, signature: signature, suspects: suspects, inFlight: inFlight, inputs: inputs))
        collectErrors(lines)
    }

    /// Distinct `error` lines of the bot's logs (the current one and every one before a restart).
    func errorLines(_ currentLog: String) -> [String] {
        collectErrors(currentLog.split(separator: "\n").map(String.init))
        return errors
    }

    private func collectErrors(_ lines: [String]) {
        // swift-log's lines: `<timestamp> <level> <label>: …`.
        for line in lines where ["error", "critical"].contains(line.split(separator: " ").dropFirst().first ?? "") {
            // Strip the timestamp and the ids so repeats of one error count once.
            let message = line.split(separator: " ", maxSplits: 1).last.map(String.init) ?? line
            let shape = message.replacingOccurrences(of: #"\d+"#, with: "#", options: .regularExpression)
            if errorSet.insert(shape).inserted { errors.append(String(message.prefix(240))) }
        }
    }
}
