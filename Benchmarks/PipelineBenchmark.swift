import FlowixSandbox
import Foundation
import Ledger
import Money

/// A burst of one `/saldo` from each of N chats through the lean fake Bot API
/// (`../shared/bench/lean-bot-api.js`, one Node process per bot), handled by the real
/// `loket run` binary in a child process (poller → conversation → SQLite commit → outbox →
/// sender), side by side with the baseline the brief names: an aiogram 3 bot
/// (`Baselines/aiogram_saldo_bot.py`, one SQLite read and one reply, nothing durable). An
/// earlier `loket` can run in the same rounds (`--baseline`), to measure a change before and
/// after. Every bot runs at once, idle but for its own bursts, and the bursts take turns.
enum PipelineBenchmark {
    /// What one burst cost one bot.
    struct Round {
        var throughput: Double
        var p50: Double
        var p99: Double
        /// The bot's user + system CPU time over the burst, per update, in microseconds.
        var cpuPerUpdate: Double
    }

    /// One bot under test: its process, its own fake, and what it did.
    final class Contender {
        let name: String
        let bot: BotProcess
        let api: LeanBotAPI
        var rounds: [Round] = []
        var steady: [Steady] = []
        var restMB = 0
        var peakMB = 0
        var peakPrivateMB = 0

        init(name: String, bot: BotProcess, api: LeanBotAPI) {
            self.name = name
            self.bot = bot
            self.api = api
        }

        var throughput: Double { median(rounds.map(\.throughput)) }
        var p50: Double { median(rounds.map(\.p50)) }
        var p99: Double { median(rounds.map(\.p99)) }
        var cpuPerUpdate: Double { median(rounds.map(\.cpuPerUpdate)) }

        func summary(chats: Int) -> String {
            String(format: "%@: median of %d bursts of %d: %.0f updates/s, p50 %.1f ms, p99 %.1f ms, %.0f µs CPU per update, %d MB RSS at rest, %d MB peak (%d MB of it private)",
                   name, rounds.count, chats, throughput, p50, p99, cpuPerUpdate, restMB, peakMB, peakPrivateMB)
        }

        func stop() {
            bot.stop()
            api.stop()
        }
    }

    struct Options {
        var chats: Int
        var rounds: Int
        /// The aiogram bot; `nil` runs Loket alone.
        var aiogramScript: String?
        var fakeScript: String
        /// An earlier `loket` binary to measure in the same rounds.
        var baseline: String?
        /// Seconds of each steady run (at half and at four fifths of each bot's measured
        /// maximum); `nil`: bursts only.
        var steadySeconds: Int?
        /// The steady feeder that wraps the lean fake (`Fakes/steady-bot-api.js`).
        var steadyFeeder: String
    }

    /// The fractions of a bot's burst throughput its steady runs are fed at.
    static let steadyLoads = [0.5, 0.8]
    /// A chat in a steady run writes again no sooner than this: Telegram lets a bot send about
    /// one message a second to a chat, and a sooner message would measure that wait.
    static let steadyChatPeriod = 2.0
    /// Chats seeded at least for a steady run: enough for 4,000 updates/s.
    static let steadyChats = 8_000

    static let token = "123456:LEAN-bench-token"

    static func run(_ options: Options) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("loket-pipeline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // A steady run at a few thousand updates a second needs as many chats again.
        let seededChats = max(options.chats * (options.rounds + 1), options.steadySeconds == nil ? 0 : steadyChats)
        let seed = try await seededDatabase(folder.appendingPathComponent("seed.sqlite"), chats: seededChats)
        let feeder = options.steadySeconds == nil ? nil : options.steadyFeeder

        let sandbox = try await SandboxServer.start(sandbox: FlowixSandbox(configuration: SandboxConfiguration(settlementDelay: nil)))
        var contenders: [Contender] = []
        defer { contenders.forEach { $0.stop() } }
        if let script = options.aiogramScript, let aiogram = try startAiogram(script: script, seed: seed, folder: folder, fake: options.fakeScript, feeder: feeder) {
            contenders.append(aiogram)
        }
        if let baseline = options.baseline {
            contenders.append(try startLoket("loket-baseline", executable: baseline, seed: seed, folder: folder, fake: options.fakeScript, feeder: feeder, sandbox: sandbox))
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("loket").path
        let loket = try startLoket("loket", executable: executable, seed: seed, folder: folder, fake: options.fakeScript, feeder: feeder,
                                   sandbox: sandbox)
        contenders.append(loket)

        for contender in contenders { try await warmUp(contender) }
        try await Task.sleep(for: .seconds(1))
        let samplers = contenders.map { contender in
            contender.restMB = contender.bot.residentMB()
            let pid = contender.bot.pid
            return Task {
                var peak = 0
                while !Task.isCancelled {
                    peak = max(peak, Memory.field("RssAnon:", process: pid))
                    try? await Task.sleep(for: .milliseconds(20))
                }
                return peak
            }
        }
        for round in 0..<options.rounds {
            for contender in contenders {
                let result = try await burst(contender, chats: options.chats, base: (round + 1) * options.chats + 1)
                print(String(format: "  %@ burst %d: %.0f updates/s, p99 %.0f ms, %.0f µs CPU per update",
                             contender.name, round + 1, result.throughput, result.p99, result.cpuPerUpdate))
                contender.rounds.append(result)
                try await Task.sleep(for: .milliseconds(300))
            }
        }
        if let seconds = options.steadySeconds {
            // The Loket builds get the same rate (from the slower of them), so a before and after
            // compare latencies at one load; aiogram gets its own.
            let loketMaximum = contenders.filter { !$0.name.hasPrefix("aiogram") }.map(\.throughput).min() ?? 0
            for load in steadyLoads {
                for contender in contenders {
                    let maximum = contender.name.hasPrefix("aiogram") ? contender.throughput : loketMaximum
                    let result = try await steady(contender, load: load, maximum: maximum, seconds: seconds, chats: seededChats)
                    print(result.line)
                    contender.steady.append(result)
                    try await Task.sleep(for: .milliseconds(300))
                }
            }
        }
        for (contender, sampler) in zip(contenders, samplers) {
            sampler.cancel()
            contender.peakPrivateMB = await sampler.value
            contender.peakMB = contender.bot.peakMB()
            print(contender.summary(chats: options.chats))
        }
        contenders.forEach { $0.stop() }
        await sandbox.stop()
        if Memory.mapsSharedSwiftRuntime(process: loket.bot.pid) {
            print("note: this loket loads the Swift runtime as shared libraries, so its memory is higher than in BENCHMARKS.md (build with swift build -c release --static-swift-stdlib)")
        }
        for contender in contenders where contender !== loket {
            let goal = contender.name.hasPrefix("aiogram") ? " (goal: throughput >= 2.5, p99 <= 0.4)" : ""
            print(String(format: "ratio loket/%@: throughput %.2f, p99 %.2f, CPU per update %.2f%@",
                         contender.name, loket.throughput / contender.throughput, loket.p99 / contender.p99,
                         loket.cpuPerUpdate / contender.cpuPerUpdate, goal))
        }
        if !contenders.contains(where: { $0.name.hasPrefix("aiogram") }) {
            print("ratio loket/aiogram: not measured", options.aiogramScript == nil ? "(--loket-only)" : "(aiogram is missing: pip install aiogram aiosqlite)")
        }
        print(String(format: "loket peak RSS %d MB (goal <= 40)", loket.peakMB))
        for (index, load) in steadyLoads.enumerated() where options.steadySeconds != nil {
            for contender in contenders where contender !== loket && contender.steady.count > index {
                let ours = loket.steady[index], theirs = contender.steady[index]
                print(String(format: "steady at %.0f%% of the maximum (aiogram's own; the slower Loket's for both Lokets), loket/%@: rate %.2f, p50 %.2f, p99 %.2f, CPU per update %.2f",
                             load * 100, contender.name, ours.rate / theirs.rate, ours.p50 / theirs.p50, ours.p99 / theirs.p99,
                             ours.cpuPerUpdate / theirs.cpuPerUpdate))
            }
        }
    }

    /// What a steady run cost one bot.
    struct Steady {
        var name: String
        var load: Double
        var rate: Double
        var p50: Double
        var p90: Double
        var p99: Double
        var max: Double
        var cpuPerUpdate: Double

        var line: String {
            String(format: "  %@ steady at %.0f%% of the maximum, %.0f updates/s: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.0f ms, %.0f µs CPU per update",
                   name, load * 100, rate, p50, p90, p99, max, cpuPerUpdate)
        }
    }

    /// Feeds the bot `load` of `maximum` (a median burst throughput) for `seconds`, from the
    /// seeded chats in turn, and waits for every reply. The rate is capped so that no chat writes
    /// twice within ``steadyChatPeriod``.
    static func steady(_ contender: Contender, load: Double, maximum: Double, seconds: Int, chats: Int) async throws -> Steady {
        let rate = min(maximum * load, Double(chats) / steadyChatPeriod)
        if rate < maximum * load {
            print(String(format: "  note: %@'s steady rate capped at %.0f/s: %d seeded chats, each writing at most every %.0f s (more --rounds seeds more)",
                         contender.name, rate, chats, steadyChatPeriod))
        }
        let cpuBefore = contender.bot.cpuSeconds()
        try await contender.api.steady(rate: rate, seconds: seconds, base: 1, chats: chats)
        let deadline = ContinuousClock.now + .seconds(seconds + 60)
        var result = try await contender.api.steadyResult()
        while result.feeding || result.done < result.sent {
            guard ContinuousClock.now < deadline, contender.bot.isRunning else {
                throw BenchmarkError("\(contender.name): \(result.done) of \(result.sent) steady replies arrived; see \(contender.bot.log.path)")
            }
            try await Task.sleep(for: .milliseconds(100))
            result = try await contender.api.steadyResult()
        }
        let cpu = contender.bot.cpuSeconds() - cpuBefore
        return Steady(name: contender.name, load: load, rate: result.rate, p50: result.p50 ?? 0, p90: result.p90 ?? 0, p99: result.p99 ?? 0,
                      max: result.max ?? 0, cpuPerUpdate: cpu / Double(max(1, result.sent)) * 1_000_000)
    }

    /// The aiogram bot, or `nil` (said loudly) when Python has no aiogram.
    static func startAiogram(script: String, seed: URL, folder: URL, fake: String, feeder: String?) throws -> Contender? {
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
        let database = try copy(seed, to: folder.appendingPathComponent("aiogram.sqlite"))
        let api = try LeanBotAPI.start(script: fake, token: token, log: folder.appendingPathComponent("aiogram-fake.log"), steadyFeeder: feeder)
        let bot = try BotProcess.start(executable: "/usr/bin/env", arguments: ["python3", script], environment: [
            "LOKET_BENCH_API_URL": api.baseURL, "LOKET_BENCH_TOKEN": token, "LOKET_BENCH_DATABASE": database,
        ], log: folder.appendingPathComponent("aiogram.log"))
        return Contender(name: "aiogram", bot: bot, api: api)
    }

    /// A `loket run` binary with its own fake Bot API and its own copy of the seeded ledger,
    /// against the Flowix sandbox on loopback (a `/saldo` never reaches it).
    static func startLoket(_ name: String, executable: String, seed: URL, folder: URL, fake: String, feeder: String?,
                           sandbox: SandboxServer) throws -> Contender {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw BenchmarkError("no loket binary at \(executable) (swift build -c release --static-swift-stdlib)")
        }
        let database = try copy(seed, to: folder.appendingPathComponent("\(name).sqlite"))
        let api = try LeanBotAPI.start(script: fake, token: token, log: folder.appendingPathComponent("\(name)-fake.log"), steadyFeeder: feeder)
        // The reconciler never runs during a burst: a `/saldo` leaves it nothing to do.
        let bot = try startShop(name, executable: executable, database: database, folder: folder, api: api, sandbox: sandbox,
                                settings: ["LOKET_RECONCILE_SECONDS": "3600"])
        return Contender(name: name, bot: bot, api: api)
    }

    /// `loket run` with its own database file, against `api` and the sandbox, with the shop's
    /// default settings but for `settings`.
    static func startShop(_ name: String, executable: String, database: String, folder: URL, api: LeanBotAPI, sandbox: SandboxServer,
                          settings: [String: String] = [:]) throws -> BotProcess {
        let credentials = sandbox.sandbox.configuration.credentials
        return try BotProcess.start(executable: executable, arguments: ["run"], environment: [
            "TELEGRAM_BOT_TOKEN": token, "TELEGRAM_API_URL": api.baseURL, "FLOWIX_BASE_URL": sandbox.baseURL,
            "FLOWIX_API_KEY": credentials.apiKey, "FLOWIX_MERCHANT_ID": credentials.merchantID,
            "FLOWIX_WEBHOOK_SECRET": sandbox.sandbox.configuration.webhookSecret,
            "LOKET_DATABASE": database, "LOKET_HTTP_PORT": "0", "LOG_LEVEL": "warning",
        ].merging(settings) { _, new in new }, log: folder.appendingPathComponent("\(name).log"))
    }

    /// Waits for the bot to answer one message from the first seeded chat.
    static func warmUp(_ contender: Contender) async throws {
        try await contender.api.burst(chats: 1, base: 1)
        let deadline = ContinuousClock.now + .seconds(30)
        while try await contender.api.result().done < 1 {
            guard ContinuousClock.now < deadline, contender.bot.isRunning else {
                throw BenchmarkError("\(contender.name) did not answer; see its log in \(contender.bot.log.path)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// One `/saldo` from each of `chats` chats that have not written before (a chat that wrote
    /// half a second ago would meet Telegram's one-message-a-second limit per chat), and every
    /// reply awaited.
    static func burst(_ contender: Contender, chats: Int, base: Int) async throws -> Round {
        let cpuBefore = contender.bot.cpuSeconds()
        try await contender.api.burst(chats: chats, base: base)
        let deadline = ContinuousClock.now + .seconds(60)
        var result = try await contender.api.result()
        while result.done < chats {
            guard ContinuousClock.now < deadline, contender.bot.isRunning else {
                throw BenchmarkError("\(contender.name): \(result.done) of \(chats) replies arrived; see \(contender.bot.log.path)")
            }
            // The fake times every reply itself; polling only finds out when the burst is over.
            try await Task.sleep(for: .milliseconds(20))
            result = try await contender.api.result()
        }
        let cpu = contender.bot.cpuSeconds() - cpuBefore
        return Round(throughput: result.ups, p50: result.p50 ?? 0, p99: result.p99 ?? 0, cpuPerUpdate: cpu / Double(chats) * 1_000_000)
    }

    /// A ledger with one user per chat and a balance each, as after a busy day: each known by
    /// the name the fake sends (`U<id>`), as a returning customer is.
    static func seededDatabase(_ file: URL, chats: Int) async throws -> URL {
        let ledger = try Ledger(path: file.path)
        for chat in 1...chats {
            try await ledger.users.register(id: Int64(chat), name: "U\(chat)", username: nil)
            _ = try await ledger.wallets.adjust(userID: Int64(chat), .credit, amount: Rupiah(Int64(10_000 + chat))!, adminID: 0, note: nil, key: "seed-\(chat)")
        }
        try await ledger.checkpoint()
        return file
    }

    static func copy(_ seed: URL, to file: URL) throws -> String {
        try FileManager.default.copyItem(at: seed, to: file)
        return file.path
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A bot under test, as a child process, so that its memory and CPU time are its own.
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

    var pid: String { "\(process.processIdentifier)" }
    var isRunning: Bool { process.isRunning }
    func residentMB() -> Int { Memory.field("VmRSS:", process: pid) }
    func peakMB() -> Int { Memory.field("VmHWM:", process: pid) }

    /// User + system CPU time so far, from `/proc/<pid>/stat` (fields 14 and 15, in clock ticks).
    func cpuSeconds() -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return .nan }
        // After the command name: field 3 (state) is the first; utime and stime are 14 and 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return .nan }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

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

    /// A field of `/proc/<pid>/smaps_rollup` (the sums over every mapping), in MB.
    static func rollupMB(_ name: String, process: String) -> Double {
        guard let rollup = try? String(contentsOfFile: "/proc/\(process)/smaps_rollup", encoding: .utf8),
              let line = rollup.split(separator: "\n").first(where: { $0.hasPrefix(name) }),
              let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "") else { return .nan }
        return kilobytes / 1024
    }

    /// Whether the process has `libswiftCore.so` mapped, that is, was not linked with
    /// `--static-swift-stdlib`.
    static func mapsSharedSwiftRuntime(process: String) -> Bool {
        (try? String(contentsOfFile: "/proc/\(process)/maps", encoding: .utf8))?.contains("/libswiftCore.so") ?? false
    }
}
