import FakeTelegram
import Flowix
import FlowixSandbox
import Foundation
import GRDB
import Ledger
import Loopback
import Money

/// One scenario's world: the Flowix sandbox and the fake Bot API in this process, the real
/// bot in a child process, and a fresh SQLite file. Used by one scenario at a time.
final class World: @unchecked Sendable {
    static let admin: Int64 = 9_001
    let folder: URL
    /// Where the bot's SQLite file lives: its own folder, so a scenario can put it on a small disk.
    let databaseFolder: URL
    let sandbox: SandboxServer
    private(set) var telegram: FakeTelegramServer
    let bot: BotProcess
    private var reader: Ledger?
    /// The small filesystem mounted over ``databaseFolder``, if any.
    private var smallDisk = false

    var api: FakeBotAPI { telegram.api }
    var flowix: FlowixSandbox { sandbox.sandbox }
    var databasePath: String { databaseFolder.appendingPathComponent("loket.sqlite").path }

    init(executable: URL, sandboxConfiguration: SandboxConfiguration) async throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("loket-faults-\(UUID().uuidString.prefix(8))")
        databaseFolder = folder.appendingPathComponent("db")
        try FileManager.default.createDirectory(at: databaseFolder, withIntermediateDirectories: true)
        sandbox = try await SandboxServer.start(sandbox: FlowixSandbox(configuration: sandboxConfiguration))
        telegram = try await FakeTelegramServer.start()
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in [
            "TELEGRAM_BOT_TOKEN": telegram.api.token, "TELEGRAM_API_URL": telegram.baseURL, "FLOWIX_BASE_URL": sandbox.baseURL,
            "FLOWIX_API_KEY": sandboxConfiguration.credentials.apiKey, "FLOWIX_MERCHANT_ID": sandboxConfiguration.credentials.merchantID,
            "FLOWIX_WEBHOOK_SECRET": sandboxConfiguration.webhookSecret, "LOKET_DATABASE": databaseFolder.appendingPathComponent("loket.sqlite").path,
            "LOKET_HTTP_PORT": "0", "LOKET_ADMIN_IDS": String(Self.admin), "LOKET_RECONCILE_SECONDS": "2", "LOKET_NOT_FOUND_GRACE_SECONDS": "6", "LOG_LEVEL": "info",
            "LOKET_CUTOFFS": "off",  // scenarios run at any hour
        ] { environment[key] = value }
        bot = BotProcess(executable: executable, environment: environment, logFile: folder.appendingPathComponent("bot.log"))
    }

    /// Starts (or restarts) the bot and points Flowix's webhooks at it.
    func startBot() async throws {
        try await bot.start()
        await flowix.setWebhookURL("http://127.0.0.1:\(bot.port)/webhook/flowix")
    }

    func ledger() throws -> Ledger {
        if let reader { return reader }
        let opened = try Ledger(path: databasePath)
        reader = opened
        return opened
    }

    func balance(_ user: Int64) async throws -> Int64 { try await ledger().wallets.balance(userID: user).value }

    /// Gives `user` money through the owner's `/tambahsaldo`.
    func fund(_ user: Int64, _ amount: Int64) async throws {
        try await api.say("/start", from: user)
        try await api.say("/tambahsaldo \(user) \(amount)", from: Self.admin)
        try await api.waitForMessage("ditambah", to: user)
    }

    /// `loket check` on the file; throws with the violations.
    func checkInvariants() throws {
        let violations = try LedgerCheck.run(path: databasePath)
        guard violations.isEmpty else { throw SuiteFailure("loket check: \(violations.map(\.description))") }
    }

    /// Every wallet against ``MoneyModel``; throws with what differs. Returns how many wallets it checked.
    func checkMoneyModel() async throws -> Int {
        let (violations, wallets) = try MoneyModel(outcomes: await flowix.outcomes()).check(databasePath: databasePath)
        guard violations.isEmpty else { throw SuiteFailure("money model: \(violations.joined(separator: "; "))") }
        return wallets
    }

    func expect(_ condition: Bool, _ what: @autoclosure () -> String) throws {
        guard condition else { throw SuiteFailure(what()) }
    }

    /// Polls until `condition` holds.
    func until(_ what: String, timeout: Duration = .seconds(20), _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw SuiteFailure("timed out waiting for \(what)")
    }

    /// Holds SQLite's write lock on the bot's file from another connection until the returned
    /// lock is released: the bot can still read, but every write waits (up to its busy timeout).
    func lockDatabase() throws -> DatabaseLock {
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true
        // Wait for a write of the bot in flight, as its own connections do, instead of failing
        // at once with "database is locked".
        configuration.busyMode = .timeout(10)
        let queue = try DatabaseQueue(path: databasePath, configuration: configuration)
        try queue.writeWithoutTransaction { try $0.execute(sql: "BEGIN IMMEDIATE") }
        return DatabaseLock(queue: queue)
    }

    /// Cuts the Bot API off for `duration`: the server goes away, then comes back on the same
    /// port with the same state (updates queued meanwhile included).
    func cutTelegram(for duration: Duration) async throws {
        let port = telegram.port
        await telegram.stop()
        try await Task.sleep(for: duration)
        telegram = try await FakeTelegramServer.start(api: telegram.api, port: port)
    }

    func tearDown() async {
        bot.kill9()
        await api.releasePolls()
        await telegram.stop()
        await sandbox.stop()
        reader = nil
        if smallDisk { _ = try? Self.command("/bin/umount", ["-l", databaseFolder.path]) }
        try? FileManager.default.removeItem(at: folder)
    }

    // MARK: A small disk

    /// Moves the bot's database onto a tmpfs of `megabytes` mounted over ``databaseFolder``
    /// (the bot is stopped gracefully and started again around the move). `false`, changing
    /// nothing, when this process may not mount one (it is not root).
    func moveDatabaseToSmallDisk(megabytes: Int) async throws -> Bool {
        guard getuid() == 0 else { return false }
        bot.stop()
        reader = nil
        let saved = folder.appendingPathComponent("db-saved")
        try FileManager.default.copyItem(at: databaseFolder, to: saved)
        guard try Self.command("/bin/mount", ["-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", databaseFolder.path]) == 0 else {
            try FileManager.default.removeItem(at: saved)
            try await startBot()
            return false
        }
        smallDisk = true
        for name in try FileManager.default.contentsOfDirectory(atPath: saved.path) {
            try FileManager.default.copyItem(at: saved.appendingPathComponent(name), to: databaseFolder.appendingPathComponent(name))
        }
        try FileManager.default.removeItem(at: saved)
        try await startBot()
        return true
    }

    /// Fills the small disk to the last byte with a file, and returns it (delete it to free the space).
    func fillSmallDisk() throws -> URL {
        let filler = databaseFolder.appendingPathComponent("filler")
        FileManager.default.createFile(atPath: filler.path, contents: nil)
        let handle = try FileHandle(forWritingTo: filler)
        defer { try? handle.close() }
        let chunk = Data(count: 64 * 1024)
        var size = chunk.count
        while size >= 512 {
            do { try handle.write(contentsOf: chunk.prefix(size)) } catch { size /= 2 }
        }
        return filler
    }

    /// Runs a program and returns its exit status.
    static func command(_ path: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}

/// SQLite's write lock held by the suite (see ``World/lockDatabase()``).
struct DatabaseLock {
    let queue: DatabaseQueue

    func release() throws {
        try queue.writeWithoutTransaction { try $0.execute(sql: "ROLLBACK") }
    }
}

/// A scenario's expectation that did not hold.
struct SuiteFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
