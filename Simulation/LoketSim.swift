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

    func run() async throws {
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
        return problems.isEmpty ? nil : report(shop, problems, phase: "at quiescence after \(shop.step) steps")
    }

    static func report(_ shop: SimulatedShop, _ problems: [String], phase: String) -> String {
        (["VIOLATION with seed \(shop.seed) \(phase) (replay: loket-sim --seed \(shop.seed) --steps \(shop.step))"]
            + problems.prefix(10).map { "  ✗ \($0)" } + ["  last events:"] + shop.events.map { "    \($0)" }).joined(separator: "\n")
    }
}
