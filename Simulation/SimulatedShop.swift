import Conversation
import Flowix
import FlowixSandbox
import FakeTelegram
import Foundation
import Ledger
import Locales
import LoketCore
import Money
import Telegram

/// One seeded run of the real core: `LoketServices` on a real SQLite file, Flowix answered in
/// memory by the sandbox (with its faults and the simulator's), a virtual clock, and customers
/// and Flowix acting in an order the seed alone decides. The core never runs on its own: every
/// piece of work, webhook, settlement and reconciler pass is a step the simulator takes, so one
/// seed replays a run step for step.
final class SimulatedShop {
    static let admin: Int64 = 9_001
    /// Target suffixes that pick the sandbox's behaviour (see `SandboxScenario`).
    static let scenarios = ["0000", "9999", "5000", "7777", "8888", "6666", "1234", "2345", "3456", "4567"]

    let seed: UInt64
    var random: SeededRandom
    let folder: URL
    let clock: SimulatedClock
    let sandbox: FlowixSandbox
    let faults: FlowixFaults
    let configuration: LoketConfiguration
    let strings: LocaleStrings
    let tuning: LoketRuntime.Tuning
    private(set) var services: LoketServices
    /// Telegram, answered in memory by the fake Bot API, with the simulator's cuts on the way.
    let telegram = FakeBotAPI(token: "1:simulated")
    let telegramCuts = TelegramCuts()
    /// Customers who block the bot now, and every one who ever did.
    var blockedChats: Set<Int64> = []
    var everBlocked: Set<Int64> = []
    /// Sends cut off by a crash: Telegram may hold a message the outbox never marked sent.
    var crashesWhileSending = 0
    /// Whether Telegram already answered 429 in this seed.
    var rateLimitedOnce = false
    var model = MoneyModel()
    /// What a real bot would be doing in the background (the runner's queue, taken after each
    /// step so the seed decides when each piece runs); a crash loses it.
    private var pendingWork: [Work] = []
    /// Webhooks Flowix sent that have not arrived yet.
    private var inFlightWebhooks: [WebhookDelivery] = []
    private var webhooksSeen = 0
    var customers: [UserRecord] = []
    /// Updates the processor handled, for Telegram to deliver again.
    var delivered: [Update] = []
    /// The customers' ids, for the money model.
    var customerIDs: [Int64] { customers.map(\.id) }
    private var nextUpdate: Int64 = 1
    private var handled: [(user: UserRecord, effects: [Effect], update: Int64)] = []
    private var chargedCodes: Set<String> = []
    /// The last events, for a failure's report.
    private(set) var events: [String] = []
    /// Operations and faults by kind.
    private(set) var counts: [String: Int] = [:]
    private(set) var step = 0
    /// Print every event as it happens.
    var trace = false

    init(seed: UInt64, customers count: Int) async throws {
        self.seed = seed
        random = SeededRandom(seed: seed)
        // On a memory file system where there is one: the simulation checks decisions, not the
        // disk, and a crash here drops the process's memory, never the file's pages.
        let scratch = FileManager.default.fileExists(atPath: "/dev/shm") ? URL(fileURLWithPath: "/dev/shm")
            : FileManager.default.temporaryDirectory
        folder = scratch.appendingPathComponent("loket-sim-\(seed)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        clock = SimulatedClock(Date(timeIntervalSince1970: 1_800_000_000))
        faults = FlowixFaults(clock: clock)
        let sandboxConfiguration = SandboxConfiguration(initialBalance: Rupiah(1_000_000_000)!, settlementDelay: nil,
                                                         slowAnswerDelay: .milliseconds(2), webhookRetryDelays: [])
        sandbox = FlowixSandbox(configuration: sandboxConfiguration)
        configuration = try LoketConfiguration.load(environment: [
            "TELEGRAM_BOT_TOKEN": "1:simulated", "TELEGRAM_API_URL": "http://127.0.0.1:9", "FLOWIX_BASE_URL": "http://127.0.0.1:9",
            "FLOWIX_API_KEY": sandboxConfiguration.credentials.apiKey, "FLOWIX_MERCHANT_ID": sandboxConfiguration.credentials.merchantID,
            "FLOWIX_WEBHOOK_SECRET": sandboxConfiguration.webhookSecret, "LOKET_ADMIN_IDS": String(Self.admin),
            "LOKET_DATABASE": folder.appendingPathComponent("loket.sqlite").path, "LOKET_PAYOUT_LEVELS": "member,reseller",
            "LOKET_MAX_OPEN_DEPOSITS": "50",
        ], dotEnvPath: nil)
        strings = try LocaleLoader.load(from: LocaleLoader.defaultDirectory())
        var tuning = LoketRuntime.Tuning()
        tuning.clock = { [clock] in clock.now }
        tuning.flowixTimeout = .milliseconds(1)
        var reconciling = Reconciler.Configuration()
        reconciling.unknownAfter = 0
        reconciling.unsentAfter = 0
        reconciling.processingAfter = 0
        reconciling.depositAfter = 0
        tuning.reconciler = reconciling
        self.tuning = tuning
        services = try Self.core(configuration, strings, sandbox, faults, tuning)
        _ = await services.catalogue.sync()
        _ = try await services.ledger.users.register(id: Self.admin, name: "Pemilik", username: nil)
        for index in 0..<count {
            let id = Int64(10_000 + index)
            _ = try await services.ledger.users.register(id: id, name: "Pelanggan \(index)", username: nil)
            if index % 2 == 1 { try await services.ledger.users.setLevel(.reseller, userID: id) }
            let user = try await services.ledger.users.user(id: id)!
            customers.append(user)
            try await adjust(user, .credit, Rupiah(Int64.random(in: 1...40, using: &random) * 5_000)!)
        }
    }

    /// The services as `loket run` builds them at start-up, from the database file alone.
    private static func core(_ configuration: LoketConfiguration, _ strings: LocaleStrings, _ sandbox: FlowixSandbox,
                             _ faults: FlowixFaults, _ tuning: LoketRuntime.Tuning) throws -> LoketServices {
        try LoketServices(configuration: configuration, strings: strings,
                          flowix: faults.wrap(sandbox.api(timeout: .milliseconds(1))), tuning: tuning)
    }

    func cleanUp() { try? FileManager.default.removeItem(at: folder) }

    // MARK: Steps

    /// What one step can be, with its weight.
    enum Operation: String, CaseIterable {
        case purchase, bill, payout, deposit, cancelDeposit, redeliver, adjust
        case chatMessage, chatPress, chatRedeliver, ownerCommand
        case runWork, deliverWebhook, duplicateWebhook, forgeWebhook, flowixSettles, depositPaid, depositExpires
        case telegramSends, reconcile, crash

        var weight: Int {
            switch self {
            case .purchase: 14
            case .bill: 4
            case .payout: 6
            case .deposit: 6
            case .cancelDeposit: 2
            case .redeliver: 5
            case .adjust: 3
            case .chatMessage: 12
            case .chatPress: 12
            case .chatRedeliver: 3
            case .ownerCommand: 2
            case .runWork: 18
            case .deliverWebhook: 10
            case .duplicateWebhook: 3
            case .forgeWebhook: 2
            case .flowixSettles: 10
            case .depositPaid: 5
            case .depositExpires: 2
            case .telegramSends: 8
            case .reconcile: 9
            case .crash: 2
            }
        }
    }

    /// Takes one step chosen by the seed.
    func takeStep() async throws {
        step += 1
        let total = Operation.allCases.map(\.weight).reduce(0, +)
        var roll = Int.random(in: 0..<total, using: &random)
        var operation = Operation.purchase
        for candidate in Operation.allCases {
            if roll < candidate.weight { operation = candidate; break }
            roll -= candidate.weight
        }
        count(operation.rawValue)
        if random.chance(30) { await injectFault() }
        if random.chance(10) { await injectTelegramFault() }
        try await perform(operation)
        try await settle()
    }

    private func perform(_ operation: Operation) async throws {
        switch operation {
        case .purchase: try await purchase()
        case .bill: try await payBill()
        case .payout: try await payout()
        case .deposit: try await deposit()
        case .cancelDeposit: try await cancelDeposit()
        case .redeliver: try await redeliver()
        case .adjust: try await adjustSomeone()
        case .chatMessage: await chatMessage()
        case .chatPress: await chatPress()
        case .chatRedeliver: await chatRedeliver()
        case .ownerCommand: await ownerCommand()
        case .runWork: await runWork()
        case .deliverWebhook: await deliverWebhook(keep: false)
        case .duplicateWebhook: await deliverWebhook(keep: true)
        case .forgeWebhook: await forgeWebhook()
        case .flowixSettles: await flowixSettles()
        case .depositPaid: await depositPaid()
        case .depositExpires: await depositExpires()
        case .telegramSends: try await telegramSends()
        case .reconcile: await reconcile(advancing: TimeInterval(Int.random(in: 30...900, using: &random)))
        case .crash: try await crash()
        }
    }

    func customer() -> UserRecord { random.pick(customers)! }

    /// A fresh update id, shared by every kind of step, so references never collide.
    func takeUpdateID() -> Int64 {
        defer { nextUpdate += 1 }
        return nextUpdate
    }

    /// Runs the effects of one update from `user`, as the processor would, keeping its work.
    private func update(_ user: UserRecord, _ effects: [Effect], id: Int64? = nil) async throws {
        let updateID = id ?? takeUpdateID()
        if id == nil { handled.append((user, effects, updateID)) }
        let outcome = try await services.performer.perform(effects, user: user, chat: user.id, updateID: updateID, now: clock.now)
        for work in outcome.work {
            switch work {
            case .sendOrder(let order, _): model.placed(order)
            case .sendPayout(let payout, _): model.placed(payout)
            case .createDeposit, .refreshDeposit, .cancelDeposit, .checkBill, .inquireAccount, .refuseLookup, .admin: break
            }
        }
        pendingWork += outcome.work
        note("update \(updateID) from \(user.id): \(effects.map(Self.describe)) → \(outcome.work.count) work")
    }

    private func purchase() async throws {
        let offers = await services.catalogue.offers(level: "member").filter { $0.isAvailable && $0.sellPrice != nil && $0.category != .bill }
            .sorted { $0.code < $1.code }
        guard let offer = random.pick(offers), let price = offer.sellPrice else { return }
        let user = customer()
        let level = user.level == .reseller ? "reseller" : "member"
        let quoted = await services.catalogue.offers(level: level).first { $0.code == offer.code }?.sellPrice ?? price
        let target = "0812" + String(format: "%04d", Int.random(in: 0...9_999, using: &random)) + random.pick(Self.scenarios)!
        try await update(user, [.purchase(PurchaseQuote(productCode: offer.code, productName: offer.name, target: target, price: quoted))])
    }

    private func payBill() async throws {
        let user = customer()
        let number = "5123" + String(format: "%04d", Int.random(in: 0...9_999, using: &random)) + random.pick(Self.scenarios)!
        let answer = await services.purchases.checkBill(productCode: "PLNPOST", customerNumber: number, user: user)
        guard case .billChecked(let quote) = answer else { return note("bill check for \(number): \(answer)") }
        try await update(user, [.payBill(quote)])
    }

    private func payout() async throws {
        let user = customer()
        let amount = Rupiah(Int64.random(in: 2...20, using: &random) * 5_000)!
        let number = "12345" + random.pick(Self.scenarios)!
        let quote = PayoutQuote(account: PayoutAccount(bankCode: "BCA", bankName: "BCA", accountNumber: number, accountName: "PELANGGAN"),
                                amount: amount, fee: configuration.payoutFee)
        try await update(user, [.createPayout(quote)])
    }

    private func deposit() async throws {
        try await update(customer(), [.createDeposit(amount: Rupiah(Int64.random(in: 2...40, using: &random) * 5_000)!, methodCode: "QRIS")])
    }

    private func cancelDeposit() async throws {
        guard let reference = random.pick(model.depositReferences) else { return }
        let owner = customers.first { $0.id == model.depositOwner[reference] }!
        try await update(owner, [.cancelDeposit(reference: reference)])
    }

    /// Telegram delivers an update again (after a crash, or a double tap of the same button).
    private func redeliver() async throws {
        guard let earlier = random.pick(handled) else { return }
        try await update(earlier.user, earlier.effects, id: earlier.update)
    }

    private func adjustSomeone() async throws {
        let user = customer()
        let amount = Rupiah(Int64.random(in: 1...10, using: &random) * 1_000)!
        try await adjust(user, random.chance(70) ? .credit : .debit, amount)
    }

    private func adjust(_ user: UserRecord, _ direction: AdjustmentDirection, _ amount: Rupiah) async throws {
        do {
            _ = try await services.ledger.wallets.adjust(userID: user.id, direction, amount: amount, adminID: Self.admin, note: "simulation",
                                                 key: "sim-adjust-\(step)-\(user.id)")
            model.adjusted(user.id, direction == .credit ? amount.value : -amount.value)
            note("adjust \(user.id) \(direction.rawValue) \(amount)")
        } catch LedgerError.insufficientFunds {
            note("adjust \(user.id) debit \(amount) refused: not enough")
        }
    }

    private func runWork() async {
        guard !pendingWork.isEmpty else { return }
        let work = pendingWork.remove(at: Int.random(in: 0..<pendingWork.count, using: &random))
        note("run \(work)")
        await services.runner.run(work)
        if case .createDeposit(let request) = work {
            for deposit in (try? await services.ledger.deposits.open(userID: request.user.id)) ?? [] {
                model.opened(deposit)
            }
        }
    }

    private func deliverWebhook(keep: Bool) async {
        guard !inFlightWebhooks.isEmpty else { return }
        let index = Int.random(in: 0..<inFlightWebhooks.count, using: &random)
        let delivery = keep ? inFlightWebhooks[index] : inFlightWebhooks.remove(at: index)
        let (status, _) = await services.webhooks.receive(body: delivery.body, headers: signedHeaders(delivery.body))
        note("webhook \(delivery.eventType) \(delivery.refID) → \(status)\(keep ? " (will come again)" : "")")
        if status != 200, !keep { inFlightWebhooks.append(delivery) }  // Flowix retries
    }

    /// Someone posts a webhook with a wrong signature: it must move nothing.
    private func forgeWebhook() async {
        guard let reference = random.pick(model.orderReferences + model.depositReferences) else { return }
        let body = Array(#"{"id":"evt_forged_\#(step)","event":"transaction.status","timestamp":1,"data":{"ref_id":"\#(reference)","status":"failed","price":1}}"#.utf8)
        var headers = signedHeaders(body)
        headers.signature = String(repeating: "0", count: 64)
        let (status, _) = await services.webhooks.receive(body: body, headers: headers)
        note("forged webhook for \(reference) → \(status)")
        if status == 200 { model.violation("a forged webhook for \(reference) was accepted") }
    }

    private func signedHeaders(_ body: [UInt8]) -> WebhookHeaders {
        WebhookHeaders(signature: WebhookSecret(sandbox.configuration.webhookSecret).signature(of: body),
                       key: sandbox.configuration.credentials.apiKey, merchant: sandbox.configuration.credentials.merchantID)
    }

    /// Flowix finishes one transaction or payout, the way its scenario says, or at random.
    private func flowixSettles() async {
        let processing = await sandbox.outcomes().filter { $0.value.status == "processing" }.keys.sorted()
        guard let reference = random.pick(processing) else { return }
        let status: FlowixStatus = reference.hasSuffix("0000") || random.chance(15) ? .failed : .success
        _ = await sandbox.settle(refID: reference, as: status)
        note("Flowix settles \(reference) as \(status)")
    }

    private func depositPaid() async {
        guard let reference = random.pick(model.depositReferences) else { return }
        let paid = await sandbox.payDeposit(refID: reference)
        note("customer pays deposit \(reference) → \(paid)")
    }

    private func depositExpires() async {
        guard let reference = random.pick(model.depositReferences) else { return }
        let expired = await sandbox.expireDeposit(refID: reference)
        note("deposit \(reference) expires at Flowix → \(expired)")
    }

    private func reconcile(advancing seconds: TimeInterval) async {
        clock.advance(seconds)
        let looked = await services.reconciler.reconcile()
        note("clock +\(Int(seconds)) s, reconciler looked at \(looked)")
    }

    /// Everything in memory is gone; the core starts again from the database file.
    func crash() async throws {
        pendingWork += await services.runner.takeQueued()
        note("crash: \(pendingWork.count) pieces of work lost")
        pendingWork.removeAll()
        services = try Self.core(configuration, strings, sandbox, faults, tuning)
        try await services.catalogue.loadStored()
    }

    /// One fault for the next calls, at Flowix or on the way to it.
    private func injectFault() async {
        switch Int.random(in: 0...9, using: &random) {
        case 0:
            faults.failNextCreate(.lostBeforeActing)
            count("fault: create lost before Flowix")
        case 1:
            faults.failNextCreate(.lostAfterActing)
            count("fault: answer lost after Flowix acted")
        case 2:
            faults.cutNextStatus()
            count("fault: status call cut")
        case 3:
            await sandbox.dropCreates(next: 1, answer: random.chance(50) ? .serverError : .htmlPage)
            count("fault: create dropped with a 5xx or HTML")
        case 4:
            await sandbox.rateLimit(next: 1)
            count("fault: rate limited")
        case 5:
            // A repeated reference refused as a duplicate, or with words that read like a plain
            // refusal although the first create is there.
            let misleading = ["Saldo tidak mencukupi.", "Produk sedang gangguan.", "Nomor tujuan tidak valid."]
            let refusals: [DuplicateRefusal] = [.http409, .bodyCode409, .bodyInHTTP200, .bodyInHTTP400]
                + misleading.map { .custom(httpStatus: 400, code: 400, message: $0) }
            await sandbox.setDuplicateRefusal(random.pick(refusals)!, times: 1)
            count("fault: a repeated create refused")
        case 6:
            faults.lagStatus(by: random.chance(70) ? TimeInterval(Int.random(in: 30...400, using: &random)) : 0)
            count("fault: status lags behind creates")
        case 7:
            let code = random.pick(["TSEL10", "TSEL25", "ISAT10", "XL10"])!
            await sandbox.setChargedPrice(Rupiah(Int64.random(in: 9_000...13_000, using: &random)), for: code)
            chargedCodes.insert(code)
            count("fault: Flowix charges another price")
        case 8:
            await sandbox.setBalance(random.chance(50) ? Rupiah(5_000)! : Rupiah(50_000_000)!)
            count("fault: merchant balance changed")
        case 9:
            await sandbox.setPayoutFee(Rupiah(Int64.random(in: 1_500...4_000, using: &random))!)
            count("fault: Flowix's payout fee changed")
        default:
            preconditionFailure("a fault number outside 0...9")
        }
    }

    /// After a step: the work it queued kept for later, and webhooks Flowix sent in order, too.
    private func settle() async throws {
        pendingWork += await services.runner.takeQueued()
        let deliveries = await sandbox.webhookDeliveries()
        inFlightWebhooks += deliveries[webhooksSeen...]
        webhooksSeen = deliveries.count
    }

    // MARK: Quiescence

    /// Faults off, every piece of work done, Flowix finishes everything, every webhook arrives,
    /// and the clock runs past every grace period with the reconciler passing.
    func quiesce() async throws {
        faults.clear()
        await sandbox.stopDroppingCreates()
        await sandbox.clearRateLimits()
        await sandbox.setDuplicateRefusal(nil)
        await sandbox.setBalance(Rupiah(1_000_000_000)!)
        for code in chargedCodes { await sandbox.setChargedPrice(nil, for: code) }
        for _ in 0..<15 {
            while !pendingWork.isEmpty { await services.runner.run(pendingWork.removeFirst()) }
            try await settle()
            for reference in await sandbox.outcomes().filter({ $0.value.status == "processing" }).keys.sorted() {
                _ = await sandbox.settle(refID: reference, as: reference.hasSuffix("0000") ? .failed : .success)
            }
            model.learn(from: try Books(path: services.ledger.path))
            for reference in model.depositReferences { _ = await sandbox.expireDeposit(refID: reference) }
            try await settle()
            while !inFlightWebhooks.isEmpty { await deliverWebhook(keep: false) }
            await reconcile(advancing: 900)
            try await settle()
        }
        try await telegramCatchesUp()
    }

    // MARK: Reporting

    func note(_ event: String) {
        if trace { print("step \(step): \(event)") }
        events.append("step \(step): \(event)")
        if events.count > 40 { events.removeFirst(events.count - 40) }
    }

    func count(_ kind: String) { counts[kind, default: 0] += 1 }

    static func describe(_ effect: Effect) -> String {
        switch effect {
        case .purchase(let quote): "purchase \(quote.productCode) → \(quote.target) at \(quote.price)"
        case .payBill(let quote): "bill \(quote.productCode) \(quote.customerNumber) \(quote.total)"
        case .createPayout(let quote): "payout \(quote.amount) + \(quote.fee) to \(quote.account.accountNumber)"
        case .createDeposit(let amount, _): "deposit \(amount)"
        case .cancelDeposit(let reference): "cancel \(reference)"
        case .transfer(let quote): "transfer \(quote.amount) to \(quote.recipient.id)"
        // A PIN is never written out, not even in a simulation's trace.
        case .verifyPIN: "verify a PIN"
        case .setPIN: "set a PIN"
        case .deleteMessage, .findRecipient, .send, .checkBill, .inquireAccount, .showHistory, .lookupOrder, .showReceipt, .checkDeposit,
             .setLanguage, .admin: "\(effect)"
        }
    }
}

/// The time every service of a simulated shop reads, moved only by the simulator.
final class SimulatedClock: @unchecked Sendable {
    private let lock = NSLock()
    private var date: Date

    init(_ start: Date) { date = start }

    var now: Date { lock.withLock { date } }
    func advance(_ seconds: TimeInterval) { lock.withLock { date += seconds } }
}
