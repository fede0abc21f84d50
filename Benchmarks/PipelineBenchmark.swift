import FakeTelegram
import Flowix
import FlowixSandbox
import Foundation
import Ledger
import Money
import Telegram

/// A burst of one `/saldo` from each of N chats through the fake Bot API on loopback, handled
/// by the real `loket run` binary in a child process (poller → conversation → SQLite commit →
/// outbox → sender), against the baseline the brief names run in the same script: an aiogram 3
/// bot (`Baselines/aiogram_saldo_bot.py`, one SQLite read and one reply, nothing durable), also
/// a child process with its own fake server and its own copy of the same SQLite file.
enum PipelineBenchmark {
    struct Round {
        var seconds: Double
        var latencies: [Double]
        var throughput: Double { Double(latencies.count) / seconds }
        func percentile(_ p: Double) -> Double {
            let sorted = latencies.sorted()
            return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
        }
    }

    /// What one bot did over every burst.
    struct Result {
        var name: String
        var rounds: [Round]
        var restMB: Int
        var peakMB: Int
        /// The highest private (anonymous) memory sampled during the bursts; the rest of the
        /// RSS is file-backed code and data of the binary and its libraries.
        var peakPrivateMB: Int
        var throughput: Double { median(rounds.map(\.throughput)) }
        var p50: Double { median(rounds.map { $0.percentile(0.5) * 1000 }) }
        var p99: Double { median(rounds.map { $0.percentile(0.99) * 1000 }) }

        func print() {
            Swift.print(String(format: "%@: median of %d bursts of %d: %.0f updates/s, p50 %.1f ms, p99 %.1f ms, %d MB RSS at rest, %d MB peak (%d MB of it private)",
                               name, rounds.count, rounds.first?.latencies.count ?? 0, throughput, p50, p99, restMB, peakMB, peakPrivateMB))
        }
    }

    /// Without `aiogramScript`, Loket runs alone.
    static func run(chats: Int, rounds: Int, aiogramScript: String?) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("loket-pipeline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var aiogram: Result?
        if let aiogramScript {
            aiogram = try await measureAiogram(script: aiogramScript, folder: folder, chats: chats, rounds: rounds)
        }
        let loket = try await measureLoket(folder: folder, chats: chats, rounds: rounds)

        aiogram?.print()
        loket.print()
        if let aiogram {
            print(String(format: "ratio loket/aiogram: throughput %.2f (goal >= 2), p99 %.2f (goal <= 0.5); loket peak RSS %d MB (goal <= 40)",
                         loket.throughput / aiogram.throughput, loket.p99 / aiogram.p99, loket.peakMB))
        } else {
            print("ratio loket/aiogram: not measured", aiogramScript == nil ? "(--loket-only)" : "(aiogram is missing: pip install aiogram aiosqlite)")
        }
    }

    /// The aiogram bot, or `nil` (said loudly) when Python has no aiogram.
    static func measureAiogram(script: String, folder: URL, chats: Int, rounds: Int) async throws -> Result? {
        guard FileManager.default.fileExists(atPath: script) else {
            print("SKIPPED the aiogram baseline: no bot script at \(script)")
            return nil
        }
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = ["python3", "-c", "import aiogram, aiosqlite"]
        check.standardError = FileHandle.nullDevice
        try? check.run()
        check.waitUntilExit()
        guard check.terminationStatus == 0 else {
            print("SKIPPED the aiogram baseline: python3 cannot import aiogram and aiosqlite (pip install aiogram aiosqlite)")
            return nil
        }
        let database = try await seededDatabase(folder.appendingPathComponent("aiogram.sqlite"), chats: chats * (rounds + 1))
        let server = try await FakeTelegramServer.start()
        let bot = try BotProcess.start(executable: "/usr/bin/env", arguments: ["python3", script], environment: [
            "LOKET_BENCH_API_URL": server.baseURL, "LOKET_BENCH_TOKEN": await server.api.token, "LOKET_BENCH_DATABASE": database,
        ], log: folder.appendingPathComponent("aiogram.log"))
        return try await withCleanup {
            try await measure("aiogram 3 (1 read + direct reply, nothing durable)", bot: bot, api: server.api, chats: chats, rounds: rounds)
        } cleanup: {
            bot.stop()
            await server.stop()
        }
    }

    /// The real `loket run` binary next to this one.
    static func measureLoket(folder: URL, chats: Int, rounds: Int) async throws -> Result {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("loket")
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw BenchmarkError("build loket next to loket-bench first (swift build -c release)")
        }
        let database = try await seededDatabase(folder.appendingPathComponent("loket.sqlite"), chats: chats * (rounds + 1))
        let sandbox = try await SandboxServer.start(sandbox: FlowixSandbox(configuration: SandboxConfiguration(settlementDelay: nil)))
        let server = try await FakeTelegramServer.start()
        let bot = try BotProcess.start(executable: executable.path, arguments: ["run"], environment: [
            "TELEGRAM_BOT_TOKEN": await server.api.token, "TELEGRAM_API_URL": server.baseURL, "FLOWIX_BASE_URL": sandbox.baseURL,
            "FLOWIX_API_KEY": sandbox.sandbox.configuration.credentials.apiKey, "FLOWIX_MERCHANT_ID": sandbox.sandbox.configuration.credentials.merchantID,
            "FLOWIX_WEBHOOK_SECRET": sandbox.sandbox.configuration.webhookSecret, "LOKET_DATABASE": database, "LOKET_HTTP_PORT": "0",
            "LOKET_RECONCILE_SECONDS": "3600", "LOG_LEVEL": "warning",
        ], log: folder.appendingPathComponent("loket.log"))
        return try await withCleanup {
            let result = try await measure("loket (durable: session, outbox and offset committed per update)", bot: bot, api: server.api,
                                           chats: chats, rounds: rounds)
            if Memory.mapsSharedSwiftRuntime(process: "\(bot.process.processIdentifier)") {
                print("note: this loket loads the Swift runtime as shared libraries, so its memory is higher than in BENCHMARKS.md (build with swift build -c release --static-swift-stdlib)")
            }
            return result
        } cleanup: {
            bot.stop()
            await server.stop()
            await sandbox.stop()
        }
    }

    /// Waits for the bot to answer one warm-up message, then runs the bursts.
    static func measure(_ name: String, bot: BotProcess, api: FakeBotAPI, chats: Int, rounds: Int) async throws -> Result {
        await api.pushMessage(chatID: 1, text: "/saldo", firstName: "User 1")
        let deadline = ContinuousClock.now + .seconds(30)
        while await api.deliveredMessages().isEmpty {
            guard ContinuousClock.now < deadline, bot.isRunning else { throw BenchmarkError("\(name) did not answer; see its log in \(bot.log.path)") }
            try await Task.sleep(for: .milliseconds(20))
        }
        try await Task.sleep(for: .seconds(1))
        let restMB = bot.residentMB()
        let pid = "\(bot.process.processIdentifier)"
        let sampler = Task {
            var peak = 0
            while !Task.isCancelled {
                peak = max(peak, Memory.field("RssAnon:", process: pid))
                try? await Task.sleep(for: .milliseconds(20))
            }
            return peak
        }
        var results: [Round] = []
        for round in 0..<rounds {
            let result = try await burst(api, chats: chats, round: round)
            print(String(format: "  %@ burst %d: %.0f updates/s, p99 %.1f ms", name.prefix { $0 != " " } as CVarArg, round + 1,
                         result.throughput, result.percentile(0.99) * 1000))
            results.append(result)
        }
        sampler.cancel()
        return Result(name: name, rounds: results, restMB: restMB, peakMB: bot.peakMB(), peakPrivateMB: await sampler.value)
    }

    /// Runs `body`, then `cleanup` whether or not it threw.
    static func withCleanup<T>(_ body: () async throws -> T, cleanup: () async -> Void) async throws -> T {
        do {
            let value = try await body()
            await cleanup()
            return value
        } catch {
            await cleanup()
            throw error
        }
    }

    /// A ledger with one user per chat and a balance each, as after a busy day.
    static func seededDatabase(_ file: URL, chats: Int) async throws -> String {
        let ledger = try Ledger(path: file.path)
        for chat in 1...chats {
            try await ledger.registerUser(id: Int64(chat), name: "User \(chat)", username: nil)
            _ = try await ledger.adjust(userID: Int64(chat), .credit, amount: Rupiah(Int64(10_000 + chat))!, adminID: 0, note: nil, key: "seed-\(chat)")
        }
        return file.path
    }

    /// Pushes one `/saldo` per chat at once and waits for every reply.
    static func burst(_ api: FakeBotAPI, chats: Int, round: Int) async throws -> Round {
        let before = await api.deliveredMessages().count
        let start = Date()
        // Each burst comes from chats that have not written yet, as in a real rush: a chat that
        // wrote half a second ago would meet Telegram's one-message-a-second limit per chat.
        for chat in (round + 1) * chats + 1...(round + 2) * chats {
            await api.pushMessage(chatID: Int64(chat), text: "/saldo", firstName: "User \(chat)")
        }
        let deadline = ContinuousClock.now + .seconds(60)
        while await api.deliveredMessages().count < before + chats {
            guard ContinuousClock.now < deadline else { throw BenchmarkError("round \(round): replies did not arrive") }
            try await Task.sleep(for: .milliseconds(2))
        }
        let replies = await api.deliveredMessages().dropFirst(before)
        let latencies = replies.map { $0.at.timeIntervalSince(start) }
        try await Task.sleep(for: .milliseconds(300))
        return Round(seconds: latencies.max() ?? 1, latencies: latencies)
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A bot under test, as a child process, so that its memory is its own.
final class BotProcess {
    let process: Process
    let log: URL

    private init(process: Process, log: URL) {
        self.process = process
        self.log = log
    }

    static func start(executable: String, arguments: [String], environment: [String: String], log: URL) throws -> BotProcess {
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardError = try FileHandle(forWritingTo: log)
        process.standardOutput = process.standardError
        try process.run()
        return BotProcess(process: process, log: log)
    }

    var isRunning: Bool { process.isRunning }
    func residentMB() -> Int { Memory.field("VmRSS:", process: "\(process.processIdentifier)") }
    func peakMB() -> Int { Memory.field("VmHWM:", process: "\(process.processIdentifier)") }

    /// SIGTERM, and SIGKILL if it has not exited after five seconds.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}

/// Memory figures from /proc/<pid>/status.
enum Memory {
    static func field(_ name: String, process: String) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(process)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name) }),
              let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "") else { return -1 }
        return kilobytes / 1024
    }

    /// Whether the process has `libswiftCore.so` mapped, that is, was not linked with
    /// `--static-swift-stdlib`.
    static func mapsSharedSwiftRuntime(process: String) -> Bool {
        (try? String(contentsOfFile: "/proc/\(process)/maps", encoding: .utf8))?.contains("/libswiftCore.so") ?? false
    }
}
