import Foundation

/// `loket-faults`: runs the real `loket run` binary against the Flowix sandbox and the fake
/// Telegram server, breaks things on purpose, and checks the money afterwards. Prints what
/// each scenario injected and which invariant held, then `N passed, N failed`.
@main
struct FaultSuite {
    static func main() async {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("loket")
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            print("loket-faults: the loket executable is not next to this one (\(executable.path)); run swift build first")
            print("0 passed, 1 failed")
            exit(1)
        }
        let only = CommandLine.arguments.dropFirst().first
        let selected = (Scenarios.all + Scenarios.quarantine + Scenarios.settlement + Scenarios.hardening + Scenarios.diskFull + PINAndTransferScenarios.all)
            .filter { only == nil || $0.name.contains(only!) }
        // Most scenarios wait on the bot, on timers or on restarts, so a few run side by side
        // (each with its own bot process, sandbox, fake Telegram server and folder); the ones that
        // measure time or memory run alone afterwards. LOKET_FAULT_JOBS=1 runs them one by one.
        let jobs = max(1, Int(ProcessInfo.processInfo.environment["LOKET_FAULT_JOBS"] ?? "") ?? 2)
        var passed = 0, failed = 0
        func record(_ result: (report: String, passed: Bool)) {
            print(result.report)
            if result.passed { passed += 1 } else { failed += 1 }
        }
        await withTaskGroup(of: (report: String, passed: Bool).self) { group in
            var waiting = selected.filter { !$0.exclusive }.makeIterator()
            for _ in 0..<jobs {
                guard let scenario = waiting.next() else { break }
                group.addTask { await run(scenario, executable: executable) }
            }
            for await result in group {
                record(result)
                if let scenario = waiting.next() { group.addTask { await run(scenario, executable: executable) } }
            }
        }
        for scenario in selected where scenario.exclusive { record(await run(scenario, executable: executable)) }
        print("\(passed) passed, \(failed) failed")
        exit(failed == 0 ? 0 : 1)
    }

    /// One scenario in a world of its own; its report is printed whole when it ends, so scenarios
    /// that run side by side do not interleave their lines.
    static func run(_ scenario: Scenario, executable: URL) async -> (report: String, passed: Bool) {
        let started = ContinuousClock.now
        var lines: [String] = []
        var world: World?
        var passed = false
        do {
            world = try await World(executable: executable, sandboxConfiguration: scenario.sandbox)
            try await world!.startBot()
            let held = try await scenario.run(world!)
            let wallets = try await world!.checkMoneyModel()
            passed = true
            lines.append("PASS \(scenario.name) (\(started.duration(to: .now).formatted(.units(allowed: [.seconds], width: .narrow))))")
            lines.append("     injected: \(scenario.injected)")
            lines.append("     held:     \(held)")
            lines.append("     model:    \(wallets) wallet(s) equal adjustments + deposits Flowix received − orders and payouts Flowix charged or the bot holds")
        } catch {
            lines.append("FAIL \(scenario.name)")
            lines.append("     injected: \(scenario.injected)")
            lines.append("     broken:   \(error)")
            if let world {
                let recent = await world.api.delivered(to: Scenarios.customer).suffix(4).map { "       → " + ($0.text ?? "").replacingOccurrences(of: "\n", with: " ").prefix(120) }
                if !recent.isEmpty { lines.append("     last messages to the customer:\n" + recent.joined(separator: "\n")) }
            }
            if let log = world?.bot.log { lines.append("     bot log (tail):\n" + log.split(separator: "\n").suffix(15).map { "       " + $0 }.joined(separator: "\n")) }
        }
        await world?.tearDown()
        return (lines.joined(separator: "\n"), passed)
    }
}
