import ArgumentParser
import Foundation

/// `loket-sim`: the real core under seeded schedules of customers, Flowix faults, lost work,
/// webhooks late, twice or forged, and crashes, with the money checked after every step.
@main
struct LoketSim: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loket-sim",
        abstract: "Runs the bot's core against a simulated Flowix and simulated customers, one seed at a time.",
        discussion: "Every run prints its seed; --seed N --seeds 1 replays it step for step.")

    @Option(help: "The first seed (default: taken from the clock, and printed).")
    var seed: UInt64?

    @Option(help: "How many seeds to run, from the first.")
    var seeds: Int = 1

    @Option(help: "Steps per seed before quiescence.")
    var steps: Int = 300

    @Option(help: "Customers per seed.")
    var customers: Int = 12

    @Flag(help: "Run seed after seed until stopped, printing a running count.")
    var soak = false

    @Flag(help: "Print every event as it happens (to follow a replay).")
    var trace = false

    @Flag(help: "Run the real loket binary (next to this one) as a child process and kill -9 it at moments the seed picks.")
    var kill = false

    func run() async throws {
        if kill { return try await runKilled() }
        let first = seed ?? UInt64(Date().timeIntervalSince1970)
        print("loket-sim: seeds \(first)\(soak ? " onwards (soak)" : seeds > 1 ? "…\(first &+ UInt64(seeds - 1))" : ""), \(steps) steps, \(customers) customers each")
        let started = ContinuousClock.now
        var totals: [String: Int] = [:]
        var stepsRun = 0, index = 0
        while soak || index < seeds {
            let current = first &+ UInt64(index)
            let shop = try await SimulatedShop(seed: current, customers: customers)
            shop.trace = trace
            defer { shop.cleanUp() }
            if let failure = try await Self.simulate(shop, steps: steps) {
                print(failure)
                throw ExitCode(1)
            }
            stepsRun += shop.step
            for (kind, count) in shop.counts { totals[kind, default: 0] += count }
            index += 1
            if soak, index % 10 == 0 { print("  \(index) seeds, \(stepsRun) steps, no violation") }
        }
        let seconds = max(0.001, Double((ContinuousClock.now - started).components.attoseconds) / 1e18
            + Double((ContinuousClock.now - started).components.seconds))
        print("loket-sim: \(index) seeds, \(stepsRun) steps in \(String(format: "%.1f", seconds)) s (\(Int(Double(stepsRun) / seconds)) steps/s), no violation")
        for (kind, count) in totals.sorted(by: { $0.key < $1.key }) { print("  \(kind): \(count)") }
    }

    /// `--kill`: seed after seed, the real binary killed and started again.
    func runKilled() async throws {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("loket")
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            print("loket-sim --kill: the loket executable is not next to this one (\(executable.path)); build it first")
            throw ExitCode(1)
        }
        let first = seed ?? UInt64(Date().timeIntervalSince1970)
        print("loket-sim --kill: seeds \(first)\(seeds > 1 ? "…\(first &+ UInt64(seeds - 1))" : ""), \(steps) steps, \(customers) customers each, \(executable.path) killed with SIGKILL")
        let started = ContinuousClock.now
        var totals: [String: Int] = [:]
        var stepsRun = 0
        for index in 0..<seeds {
            let run = try await KilledBinary(seed: first &+ UInt64(index), executable: executable, customers: customers)
            run.trace = trace
            var problems: [String] = []
            var phase = ""
            do {
                for _ in 0..<steps where problems.isEmpty {
                    problems = try await run.takeStep()
                    phase = "after the kill at step \(run.step)"
                }
                if problems.isEmpty {
                    problems = try await run.quiesce()
                    phase = "at quiescence after \(run.step) steps"
                }
            } catch {
                problems = ["the run stopped: \(error)"]
                phase = "at step \(run.step)"
            }
            if !problems.isEmpty {
                print((["VIOLATION with seed \(run.seed) \(phase) (replay: loket-sim --kill --seed \(run.seed) --steps \(run.step))"]
                    + problems.prefix(10).map { "  ✗ \($0)" } + ["  last events:"] + run.events.map { "    \($0)" }
                    + ["  bot log (tail):"] + run.bot.log.split(separator: "\n").suffix(15).map { "    \($0)" }).joined(separator: "\n"))
                await run.tearDown()
                throw ExitCode(1)
            }
            stepsRun += run.step
            for (kind, count) in run.counts { totals[kind, default: 0] += count }
            await run.tearDown()
        }
        let elapsed = started.duration(to: .now)
        print("loket-sim --kill: \(seeds) seeds, \(stepsRun) steps in \(elapsed.formatted(.units(allowed: [.seconds], width: .narrow))), no violation")
        for (kind, count) in totals.sorted(by: { $0.key < $1.key }) { print("  \(kind): \(count)") }
    }

    /// Runs `steps` steps, checking after each, then quiesces and checks the end state; returns
    /// a report of the first violation, or `nil`.
    static func simulate(_ shop: SimulatedShop, steps: Int) async throws -> String? {
        let users = shop.customerIDs
        for _ in 0..<steps {
            try await shop.takeStep()
            let problems = try await shop.model.violations(ledger: shop.services.ledger, sandbox: shop.sandbox, users: users, final: false)
            if !problems.isEmpty { return report(shop, problems, phase: "after step \(shop.step)") }
        }
        try await shop.quiesce()
        let problems = try await shop.model.violations(ledger: shop.services.ledger, sandbox: shop.sandbox, users: users, final: true)
            + shop.telegramViolations()
        return problems.isEmpty ? nil : report(shop, problems, phase: "at quiescence after \(shop.step) steps")
    }

    static func report(_ shop: SimulatedShop, _ problems: [String], phase: String) -> String {
        (["VIOLATION with seed \(shop.seed) \(phase) (replay: loket-sim --seed \(shop.seed) --steps \(shop.step))"]
            + problems.prefix(10).map { "  ✗ \($0)" } + ["  last events:"] + shop.events.map { "    \($0)" }).joined(separator: "\n")
    }
}
