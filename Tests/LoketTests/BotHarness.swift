import AsyncHTTPClient
import Dashboard
import FakeTelegram
import Flowix
import FlowixSandbox
import Foundation
import Ledger
import Locales
import NIOCore
import LoketCore
import Telegram

/// The whole bot: the real runtime against the Flowix sandbox and the fake Bot API, with a
/// real SQLite file. By default both answer in memory; `.loopback` puts them behind real HTTP
/// servers, for the tests of the wiring itself.
final class BotHarness: @unchecked Sendable {
    /// How the bot reaches Flowix and Telegram, and how Flowix's webhooks reach the bot.
    enum Wire { case inMemory, loopback }

    static let admin: Int64 = 9_001
    /// The PIN the tests set.
    static let pin = "246810"
    let folder: URL
    let flowix: FlowixSandbox
    let api: FakeBotAPI
    /// The Flowix API the bot uses, for a test that calls Flowix itself.
    let flowixAPI: FlowixAPI
    let runtime: LoketRuntime
    private let sandboxServer: SandboxServer?
    private let telegramServer: FakeTelegramServer?
    private var task: Task<Void, any Error>?
    private(set) var httpPort = 0

    var ledger: Ledger { runtime.ledger }

    init(sandboxConfiguration: SandboxConfiguration = SandboxConfiguration(settlementDelay: nil, slowAnswerDelay: .seconds(3)),
         databaseFolder: URL? = nil, environment extra: [String: String] = [:], wire: Wire = .inMemory,
         adjust: (inout LoketRuntime.Tuning) -> Void = { _ in }) async throws {
        folder = databaseFolder ?? FileManager.default.temporaryDirectory.appendingPathComponent("loket-bot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        flowix = FlowixSandbox(configuration: sandboxConfiguration)
        api = FakeBotAPI()
        var tuning = LoketRuntime.Tuning()
        tuning.poller.pollTimeout = 1
        tuning.sender.idlePoll = .milliseconds(100)
        tuning.sender.retryPoll = .milliseconds(100)
        tuning.sender.limits.privateChatBurst = 50
        var reconciling = Reconciler.Configuration()
        reconciling.interval = .seconds(3600)
        reconciling.unknownAfter = 0
        reconciling.unsentAfter = 0
        tuning.reconciler = reconciling
        tuning.flowixTimeout = .seconds(1)
        adjust(&tuning)
        // Nothing in memory may leak out: the addresses configured lead nowhere.
        var telegramURL = "http://127.0.0.1:9", flowixURL = "http://127.0.0.1:9"
        let clients: LoketClients?
        switch wire {
        case .inMemory:
            sandboxServer = nil
            telegramServer = nil
            flowixAPI = flowix.api(timeout: tuning.flowixTimeout)
            clients = LoketClients(flowix: flowixAPI, telegram: api.api())
        case .loopback:
            let sandboxServer = try await SandboxServer.start(sandbox: flowix)
            let telegramServer = try await FakeTelegramServer.start(api: api)
            self.sandboxServer = sandboxServer
            self.telegramServer = telegramServer
            telegramURL = telegramServer.baseURL
            flowixURL = sandboxServer.baseURL
            flowixAPI = .live(configuration: FlowixConfiguration(baseURL: flowixURL, credentials: sandboxConfiguration.credentials,
                                                                 timeout: tuning.flowixTimeout))
            clients = nil
        }
        var environment: [String: String] = [
            "TELEGRAM_BOT_TOKEN": api.token, "TELEGRAM_API_URL": telegramURL,
            "FLOWIX_BASE_URL": flowixURL, "FLOWIX_API_KEY": sandboxConfiguration.credentials.apiKey,
            "FLOWIX_MERCHANT_ID": sandboxConfiguration.credentials.merchantID, "FLOWIX_WEBHOOK_SECRET": sandboxConfiguration.webhookSecret,
            "LOKET_DATABASE": folder.appendingPathComponent("loket.sqlite").path, "LOKET_HTTP_PORT": "0",
            "LOKET_ADMIN_IDS": String(Self.admin),
            // Tests run at any hour: the default bill cut-off around midnight WIB is off here.
            "LOKET_CUTOFFS": "off",
        ]
        environment.merge(extra) { _, new in new }
        let configuration = try LoketConfiguration.load(environment: environment, dotEnvPath: nil)
        runtime = try LoketRuntime(configuration: configuration, strings: LocaleLoader.load(from: LocaleLoader.defaultDirectory()),
                                   tuning: tuning, clients: clients)
    }

    /// Starts the bot and waits until its webhook server listens and the catalogue is synced.
    func start() async throws {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let runtime = self.runtime
        // As `loket run` does: the owner's dashboard on the same server (when LOKET_PUBLIC_URL is set).
        let dashboard = try Dashboard(services: runtime.services, configuration: runtime.configuration)
        task = Task {
            try await runtime.run(gracefulShutdownSignals: [], routes: dashboard.mount, onHTTPServerRunning: { port in continuation.yield(port) })
        }
        for await port in ports {
            httpPort = port
            break
        }
        if sandboxServer != nil {
            await flowix.setWebhookURL("http://127.0.0.1:\(httpPort)/webhook/flowix")
        } else {
            let webhooks = runtime.webhooks
            await flowix.setWebhookSink { headers, body in
                await webhooks.receive(body: body, headers: WebhookHeaders { headers[$0] }).0
            }
        }
        try await waitUntil("the catalogue is synced") { await !runtime.catalogue.offers(level: "member").isEmpty }
    }

    func stop() async {
        await runtime.shutdown()
        await api.releasePolls()
        _ = await task?.result
        await flowix.setWebhookSink(nil)
        await sandboxServer?.stop()
        await telegramServer?.stop()
    }

    func cleanUp() { try? FileManager.default.removeItem(at: folder) }

    // MARK: Talking to the bot

    /// Sends a message from `chat` and waits for the bot to answer with `count` new messages.
    @discardableResult
    func say(_ text: String, from chat: Int64, expecting count: Int = 1) async throws -> [FakeBotAPI.Call] {
        try await api.say(text, from: chat, expecting: count)
    }

    /// Sets `pin` through `/pin`, typed twice (as a customer may; each message is deleted).
    func setPIN(_ pin: String = BotHarness.pin, for chat: Int64) async throws {
        try await say("/pin", from: chat)
        try await say(pin, from: chat)
        _ = try await say(pin, from: chat)
        _ = try await waitForMessage("PIN transaksi tersimpan", to: chat)
    }

    /// Presses `pin` digit by digit on the keypad of the latest message to `chat`; returns what
    /// came after the last press.
    @discardableResult
    func pressPIN(_ pin: String = BotHarness.pin, in chat: Int64, expecting count: Int = 1) async throws -> [FakeBotAPI.Call] {
        for digit in pin.dropLast() { try await press(String(digit), in: chat) }
        return try await press(String(pin.last!), in: chat, expecting: count)
    }

    /// The messages of `chat` the bot deleted.
    func deletions(in chat: Int64) async -> [FakeBotAPI.Call] {
        await api.calls.filter { $0.succeeded && $0.method == "deleteMessage" && $0.chatID == chat }
    }

    /// Presses the button titled `title` on the last message to `chat` that has it.
    @discardableResult
    func press(_ title: String, in chat: Int64, expecting count: Int = 1) async throws -> [FakeBotAPI.Call] {
        try await api.press(title, in: chat, expecting: count)
    }

    /// Waits until a message to `chat` contains `text`.
    func waitForMessage(_ text: String, to chat: Int64) async throws -> FakeBotAPI.Call {
        try await api.waitForMessage(text, to: chat)
    }

    static func button(_ title: String, in call: FakeBotAPI.Call) -> String? { FakeBotAPI.button(title, in: call) }

    /// Posts a raw webhook to the bot's server; returns the HTTP status.
    func postWebhook(_ body: [UInt8], headers: [(String, String)]) async throws -> Int {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(httpPort)/webhook/flowix")
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        _ = try await response.body.collect(upTo: 1 << 16)
        return Int(response.status.code)
    }

    /// Settles at the sandbox what Flowix holds as processing, once every order and payout the
    /// bot saved has been sent (the send runs in the background after the reply is committed).
    func settle() async throws {
        try await waitUntil("every order and payout was sent to Flowix") {
            let later = Date().addingTimeInterval(3_600)
            let orders = try await ledger.orders.all(in: [.pending], updatedBefore: later)
            let payouts = try await ledger.payouts.all(in: [.pending], updatedBefore: later)
            return orders.isEmpty && payouts.isEmpty
        }
        await flowix.settleDue()
    }

    /// GETs a path of the bot's HTTP server.
    func get(_ path: String) async throws -> (Int, String) {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(httpPort)\(path)"), timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), String(buffer: body))
    }

    func checkLedger() throws -> [LedgerViolation] { try LedgerCheck.run(path: ledger.path) }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Polls `condition` until it holds, failing after `timeout`.
func waitUntil(_ what: String, timeout: Duration = .seconds(15), _ condition: @Sendable () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    throw HarnessError("timed out waiting for \(what)")
}
