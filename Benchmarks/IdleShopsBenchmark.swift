import FlowixSandbox
import Foundation

/// What an idle shop costs a shared server (issue #21): `shops` release `loket run` processes,
/// each with its own database file, long-polling one lean fake Bot API with nothing to do, against
/// one Flowix sandbox. Reports each shop's start-up time to its first Bot API request, then over
/// a quiet period their resident memory, CPU time, wake-ups (context switches of all threads)
/// and Bot API requests, and how many such shops a 2-core, 24 GB host holds.
enum IdleShopsBenchmark {
    static func run(shops: Int, seconds: Int, fakeScript: String) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("loket-idle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("loket").path
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw BenchmarkError("no loket binary at \(executable) (swift build -c release --static-swift-stdlib)")
        }
        let sandbox = try await SandboxServer.start(sandbox: FlowixSandbox(configuration: SandboxConfiguration(settlementDelay: nil)))
        let api = try LeanBotAPI.start(script: fakeScript, token: PipelineBenchmark.token, log: folder.appendingPathComponent("fake.log"))
        var bots: [BotProcess] = []
        defer {
            bots.forEach { $0.stop() }
            api.stop()
        }

        // One at a time, so each start-up is timed alone: from the spawn to the fake's next request.
        var startups: [Double] = []
        for shop in 1...shops {
            let before = try await api.result().calls ?? 0
            let started = ContinuousClock.now
            bots.append(try PipelineBenchmark.startShop("shop-\(shop)", executable: executable, database: folder.appendingPathComponent("shop-\(shop).sqlite").path,
                                                        folder: folder, api: api, sandbox: sandbox))
            while try await api.result().calls ?? 0 <= before {
                guard started.duration(to: .now) < .seconds(30), bots[shop - 1].isRunning else {
                    throw BenchmarkError("shop \(shop) made no Bot API request; see \(bots[shop - 1].log.path)")
                }
                try await Task.sleep(for: .milliseconds(2))
            }
            startups.append(started.duration(to: .now).milliseconds)
        }
        print(String(format: "%d shops started: first Bot API request after %.0f ms (median), %.0f ms (slowest)",
                     shops, PipelineBenchmark.median(startups), startups.max() ?? 0))

        // Settled, then a quiet period with nothing to do.
        try await Task.sleep(for: .seconds(5))
        let cpuBefore = bots.map { $0.cpuSeconds() }, switchesBefore = bots.map { $0.contextSwitches() }
        let callsBefore = try await api.result().calls ?? 0
        try await Task.sleep(for: .seconds(seconds))
        let cpu = zip(bots, cpuBefore).map { $0.cpuSeconds() - $1 }
        let switches = zip(bots, switchesBefore).map { Double($0.contextSwitches() - $1) }
        let calls = (try await api.result().calls ?? 0) - callsBefore
        let resident = bots.map { Double($0.residentMB()) }
        // Resident counts the pages of the binary and the libraries every shop shares once per
        // shop; proportional (Pss) splits them among the shops, unique (private) is a shop's own.
        let proportional = bots.map { Memory.rollupMB("Pss:", process: $0.pid) }
        let unique = bots.map { Memory.rollupMB("Private_Clean:", process: $0.pid) + Memory.rollupMB("Private_Dirty:", process: $0.pid) }
        guard bots.allSatisfy(\.isRunning) else { throw BenchmarkError("a shop stopped during the quiet period; see the logs in \(folder.path)") }

        let totalMB = resident.reduce(0, +), totalCPU = cpu.reduce(0, +)
        let cpuShare = totalCPU / Double(seconds)  // cores in use by all the shops together
        print(String(format: "over %d quiet seconds: %.0f MB resident in all (%.1f MB a shop, median), CPU %.3f s in all (%.2f%% of one core for %d shops)",
                     seconds, totalMB, PipelineBenchmark.median(resident), totalCPU, cpuShare * 100, shops))
        let sharedMB = max(0, proportional.reduce(0, +) - unique.reduce(0, +))
        print(String(format: "memory the shops really take together: %.0f MB proportional (Pss) in all; each shop's own %.1f MB (median, private pages), plus %.0f MB shared by all (the binary and libraries)",
                     proportional.reduce(0, +), PipelineBenchmark.median(unique), sharedMB))
        print(String(format: "wake-ups (context switches, every thread): %.2f a second per shop (median), %.1f a second in all; Bot API requests: %.2f a minute per shop",
                     PipelineBenchmark.median(switches) / Double(seconds), switches.reduce(0, +) / Double(seconds),
                     Double(calls) / Double(shops) / (Double(seconds) / 60)))
        // A 2-core, 24 GB host: leave a quarter of the memory to the system and the page cache,
        // and half of the two cores for the shops' actual work.
        let byMemory = Int((24 * 1024 * 0.75 - sharedMB) / max(PipelineBenchmark.median(unique), 1))
        let byCPU = cpuShare > 0 ? Int(1.0 / (cpuShare / Double(shops))) : Int.max
        print("a 2-core, 24 GB host holds about \(min(byMemory, byCPU)) idle shops (memory allows \(byMemory), idle CPU \(byCPU == Int.max ? "no limit" : String(byCPU)))")
        await sandbox.stop()
    }
}

extension BotProcess {
    /// Voluntary and involuntary context switches of every thread so far: how often it woke up.
    func contextSwitches() -> Int {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        return tasks.reduce(0) { total, task in
            guard let status = try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/status", encoding: .utf8) else { return total }
            return total + status.split(separator: "\n").filter { $0.contains("ctxt_switches:") }
                .compactMap { Int($0.split(separator: "\t").last?.trimmingCharacters(in: .whitespaces) ?? "") }.reduce(0, +)
        }
    }
}
