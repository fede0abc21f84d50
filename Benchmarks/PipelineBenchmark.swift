import FakeTelegram
import Flowix
import FlowixSandbox
import Foundation
import Ledger
import Money
import Telegram

/// A burst of one `/saldo` from each of N chats through the fake Bot API on loopback, handled
/// by the real `loket run` binary in a child process (poller → conversation → SQLite commit →
/// outbox → sender), against a baseline run in this process: a minimal bot that does one
/// SQLite read and sends the reply directly, keeping nothing durable (no offset, no outbox,
/// no session).
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

    static func run(chats: Int, rounds: Int) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("loket-pipeline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        print("rss at start: \(Memory.residentMB()) MB")

        // Baseline first, in its own fake server.
        let baselineServer = try await FakeTelegramServer.start()
        let baselineLedger = try Ledger(path: folder.appendingPathComponent("baseline.sqlite").path)
        try await seed(baselineLedger, chats: chats)
        let baseline = MinimalBot(client: TelegramClient(token: await baselineServer.api.token, baseURL: baselineServer.baseURL,
                                                         httpClient: TelegramClient.makeHTTPClient()), ledger: baselineLedger)
        let baselineTask = Task { await baseline.run() }
        var baselineRounds: [Round] = []
        for round in 0..<rounds { baselineRounds.append(try await burst(baselineServer.api, chats: chats, round: round)) }
        baselineTask.cancel()
        await baselineServer.stop()

        // Loket: the real `loket run` binary in its own process, so its memory is its own.
        let sandbox = try await SandboxServer.start(sandbox: FlowixSandbox(configuration: SandboxConfiguration(settlementDelay: nil)))
        let server = try await FakeTelegramServer.start()
        let database = folder.appendingPathComponent("loket.sqlite").path
        try await seed(try Ledger(path: database), chats: chats)
        let bot = try await LoketProcess.start(environment: [
            "TELEGRAM_BOT_TOKEN": await server.api.token, "TELEGRAM_API_URL": server.baseURL, "FLOWIX_BASE_URL": sandbox.baseURL,
            "FLOWIX_API_KEY": sandbox.sandbox.configuration.credentials.apiKey, "FLOWIX_MERCHANT_ID": sandbox.sandbox.configuration.credentials.merchantID,
            "FLOWIX_WEBHOOK_SECRET": sandbox.sandbox.configuration.webhookSecret, "LOKET_DATABASE": database, "LOKET_HTTP_PORT": "0",
            "LOKET_RECONCILE_SECONDS": "3600", "LOG_LEVEL": "warning",
        ], log: folder.appendingPathComponent("loket.log"))
        try await Task.sleep(for: .seconds(2))
        let restMB = bot.residentMB()
        var loketRounds: [Round] = []
        for round in 0..<rounds { loketRounds.append(try await burst(server.api, chats: chats, round: round)) }
        let peakMB = bot.peakMB()
        bot.stop()
        await server.api.releasePolls()
        await server.stop()
        await sandbox.stop()

        func report(_ name: String, _ rounds: [Round]) -> (Double, Double, Double) {
            let throughput = median(rounds.map(\.throughput)), p50 = median(rounds.map { $0.percentile(0.5) * 1000 }),
                p99 = median(rounds.map { $0.percentile(0.99) * 1000 })
            print(String(format: "%@: median of %d bursts of %d: %.0f updates/s, p50 %.1f ms, p99 %.1f ms", name, rounds.count, chats, throughput, p50, p99))
            return (throughput, p50, p99)
        }
        let base = report("baseline (1 read + direct reply, nothing durable)", baselineRounds)
        let loket = report("loket (durable: session, outbox and offset committed per update)", loketRounds)
        print(String(format: "ratio loket/baseline: throughput %.2f, p99 %.2f", loket.0 / base.0, loket.2 / base.2))
        print("loket run (its own process): \(restMB) MB RSS at rest, \(peakMB) MB peak RSS")
        print(String(format: "against the aiogram 3 figures in the brief (about 2000 updates/s, p99 190 ms, 185 MB): throughput %.2fx, p99 %.2fx, peak RSS %.2fx",
                     loket.0 / 2_000, loket.2 / 190, Double(peakMB) / 185))
    }

    /// Registers one user per chat with a balance, as after a busy day.
    static func seed(_ ledger: Ledger, chats: Int) async throws {
        for chat in 1...chats {
            try await ledger.registerUser(id: Int64(chat), name: "User \(chat)", username: nil)
            _ = try await ledger.adjust(userID: Int64(chat), .credit, amount: Rupiah(Int64(10_000 + chat))!, adminID: 0, note: nil, key: "seed-\(chat)")
        }
    }

    /// Pushes one `/saldo` per chat at once and waits for every reply.
    static func burst(_ api: FakeBotAPI, chats: Int, round: Int) async throws -> Round {
        let before = await api.deliveredMessages().count
        let start = Date()
        for chat in 1...chats { await api.pushMessage(chatID: Int64(chat), text: "/saldo", firstName: "User \(chat)") }
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

/// The baseline: long polls, reads the balance, replies directly, one task per update.
struct MinimalBot: Sendable {
    let client: TelegramClient
    let ledger: Ledger

    func run() async {
        var offset: Int64?
        while !Task.isCancelled {
            guard let batch = try? await client.send(GetUpdates(offset: offset, timeout: 1, allowedUpdates: ["message"]), timeout: .seconds(5)) else { continue }
            await withTaskGroup(of: Void.self) { group in
                for update in batch.updates {
                    guard case .message(let message) = update.kind else { continue }
                    group.addTask {
                        let balance = (try? await ledger.balance(userID: message.chat.id)) ?? .zero
                        _ = try? await client.send(SendMessage(chatID: message.chat.id, text: "💰 Saldo kamu: <b>\(RupiahFormat.indonesian(balance))</b>"))
                    }
                }
            }
            if let last = batch.updates.map(\.updateID).max() { offset = last + 1 }
        }
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The `loket run` binary next to this one, as a child process.
final class LoketProcess {
    let process: Process

    private init(process: Process) { self.process = process }

    static func start(environment: [String: String], log: URL) async throws -> LoketProcess {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("loket")
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw BenchmarkError("build loket next to loket-bench first (swift build -c release)")
        }
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        process.executableURL = executable
        process.arguments = ["run"]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardError = try FileHandle(forWritingTo: log)
        process.standardOutput = process.standardError
        try process.run()
        return LoketProcess(process: process)
    }

    func residentMB() -> Int { Memory.field("VmRSS:", process: "\(process.processIdentifier)") }
    func peakMB() -> Int { Memory.field("VmHWM:", process: "\(process.processIdentifier)") }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}

/// Resident memory from /proc/<pid>/status.
enum Memory {
    static func residentMB() -> Int { field("VmRSS:", process: "self") }

    static func field(_ name: String, process: String) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(process)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name) }),
              let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "") else { return -1 }
        return kilobytes / 1024
    }
}
