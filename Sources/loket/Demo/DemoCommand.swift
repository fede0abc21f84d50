import ArgumentParser
import Dashboard
import FakeTelegram
import Flowix
import FlowixSandbox
import Foundation
import Ledger
import Locales
import Logging
import LoketCore
import Money
import Telegram

/// `loket demo`: the whole bot on this machine with no accounts: the Flowix sandbox in-process,
/// a fresh SQLite file, and a terminal chat with the same bot core Telegram users talk to.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Try Loket in the terminal against a built-in Flowix sandbox (no accounts needed).",
        discussion: """
            Type messages as a customer would (Indonesian): /start, pulsa 10rb 081234567890, /deposit 50rb, …
            Buttons are numbered: type the number to press one. Demo controls start with '!':
            !bayar pays your latest QRIS deposit in the sandbox, !tunggu N waits N seconds, !keluar quits.
            Input may be piped from a script; the demo answers each line before reading the next.
            --dashboard turns on the owner's dashboard at http://127.0.0.1:8080/dashboard (another port with --http-port): type /dashboard for a one-time sign-in link and open it in a browser on this machine.
            """)

    @Flag(help: "Serve the sandbox behind a real Telegram bot (TELEGRAM_BOT_TOKEN) instead of the terminal.")
    var telegram = false

    @Option(help: "SQLite file to use (default: a fresh one in a temporary folder).")
    var database: String?

    @Option(help: "Seconds a sandbox transaction stays processing before it settles.")
    var settleAfter: Int = 2

    @Option(help: "Port of the bot's HTTP server on 127.0.0.1 (Flowix webhooks, dashboard); default: any free port, 8080 with --dashboard.")
    var httpPort: Int?

    @Flag(help: "Turn on the owner's dashboard at http://127.0.0.1:<port>/dashboard; /dashboard in the chat sends the sign-in link.")
    var dashboard = false

    static let demoUser: Int64 = 1_000_001
    /// Another member of the demo shop, `@siti_demo`, to send balance to.
    static let otherMember: Int64 = 1_000_002

    /// The HTTP port: a fixed one with the dashboard, whose links carry it.
    var port: Int { httpPort ?? (dashboard ? 8080 : 0) }

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--http-port must be between 0 and 65535") }
        if dashboard, port == 0 { throw ValidationError("--dashboard needs a fixed --http-port (its sign-in links carry the port)") }
    }

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0) } ?? .critical
            return handler
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("loket-demo-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let sandboxConfiguration = SandboxConfiguration(settlementDelay: .seconds(settleAfter), slowAnswerDelay: .seconds(5))
        let sandbox = try await SandboxServer.start(sandbox: FlowixSandbox(configuration: sandboxConfiguration))
        let fake = telegram ? nil : try await FakeTelegramServer.start()
        let environment = ProcessInfo.processInfo.environment
        var settings: [String: String] = [
            "FLOWIX_BASE_URL": sandbox.baseURL, "FLOWIX_API_KEY": sandboxConfiguration.credentials.apiKey,
            "FLOWIX_MERCHANT_ID": sandboxConfiguration.credentials.merchantID, "FLOWIX_WEBHOOK_SECRET": sandboxConfiguration.webhookSecret,
            "LOKET_DATABASE": database ?? folder.appendingPathComponent("demo.sqlite").path, "LOKET_HTTP_PORT": String(port),
            "LOKET_ADMIN_IDS": environment["LOKET_ADMIN_IDS"] ?? String(Self.demoUser), "LOKET_RECONCILE_SECONDS": "20",
        ]
        if dashboard { settings["LOKET_PUBLIC_URL"] = "http://127.0.0.1:\(port)" }
        if let fake {
            settings["TELEGRAM_BOT_TOKEN"] = fake.api.token
            settings["TELEGRAM_API_URL"] = fake.baseURL
        } else {
            guard let token = environment["TELEGRAM_BOT_TOKEN"] else {
                throw ValidationError("--telegram needs TELEGRAM_BOT_TOKEN (and LOKET_ADMIN_IDS with your Telegram user id)")
            }
            settings["TELEGRAM_BOT_TOKEN"] = token
            settings["TELEGRAM_API_URL"] = environment["TELEGRAM_API_URL"] ?? "https://api.telegram.org"
        }
        var tuning = LoketRuntime.Tuning()
        tuning.poller.pollTimeout = fake == nil ? 30 : 1
        tuning.sender.idlePoll = .milliseconds(200)
        tuning.sender.retryPoll = .milliseconds(200)
        let runtime = try LoketRuntime(configuration: LoketConfiguration.load(environment: settings, dotEnvPath: nil),
                                       strings: LocaleLoader.load(from: LocaleLoader.defaultDirectory()), tuning: tuning)
        try await prepareShop(runtime.ledger)
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let dashboard = try Dashboard(services: runtime.services, configuration: runtime.configuration)
        let bot = Task { try await runtime.run(gracefulShutdownSignals: fake == nil ? [.sigterm, .sigint] : [], routes: dashboard.mount,
                                               onHTTPServerRunning: { portContinuation.yield($0) }) }
        for await port in ports {
            await sandbox.sandbox.setWebhookURL("http://127.0.0.1:\(port)/webhook/flowix")
            break
        }
        if let fake {
            lineBufferedStandardOutput()
            try await TerminalChat(api: fake.api, sandbox: sandbox.sandbox, chat: Self.demoUser,
                                   renderer: TerminalRenderer(photoFolder: folder)).run()
            await runtime.shutdown()
            await fake.api.releasePolls()
        } else {
            print("Loket demo is running behind your Telegram bot with the Flowix sandbox. Ctrl-C stops.")
        }
        _ = await bot.result
        await sandbox.stop()
        await fake?.stop()
        // The demo's own folder (its database, unless --database named one, and the QR images).
        try? FileManager.default.removeItem(at: folder)
    }

    /// A small starting balance for the demo user, a second member to transfer to, and margins
    /// so prices look like a real shop's.
    func prepareShop(_ ledger: Ledger) async throws {
        try await ledger.users.register(id: Self.demoUser, name: "Pembeli Demo", username: "demo")
        try await ledger.users.register(id: Self.otherMember, name: "Siti Demo", username: "siti_demo")
        _ = try await ledger.wallets.adjust(userID: Self.demoUser, .credit, amount: Rupiah(150_000)!, adminID: Self.demoUser,
                                    note: "saldo awal demo", key: "demo-start")
        if try await ledger.catalogue.marginRules().isEmpty {
            try await ledger.catalogue.setMarginRule(scope: .all, scopeValue: "", level: "member", kind: .rupiah, value: 500, adminID: Self.demoUser)
            try await ledger.catalogue.setMarginRule(scope: .all, scopeValue: "", level: "reseller", kind: .rupiah, value: 200, adminID: Self.demoUser)
        }
    }
}
