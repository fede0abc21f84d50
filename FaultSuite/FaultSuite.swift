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
        var passed = 0, failed = 0
        for scenario in Scenarios.all + Scenarios.quarantine + Scenarios.settlement + Scenarios.hardening + Scenarios.diskFull where only == nil || scenario.name.contains(only!) {
            let started = ContinuousClock.now
            var world: World?
            do {
                world = try await World(executable: executable, sandboxConfiguration: scenario.sandbox)
                try await world!.startBot()
                let held = try await scenario.run(world!)
                let wallets = try await world!.checkMoneyModel()
                passed += 1
                print("PASS \(scenario.name) (\(started.duration(to: .now).formatted(.units(allowed: [.seconds], width: .narrow))))")
                print("     injected: \(scenario.injected)")
                print("     held:     \(held)")
                print("     model:    \(wallets) wallet(s) equal adjustments + deposits Flowix received − orders and payouts Flowix charged or the bot holds")
            } catch {
                failed += 1
                print("FAIL \(scenario.name)")
                print("     injected: \(scenario.injected)")
                print("     broken:   \(error)")
                if let world {
                    let recent = await world.api.delivered(to: Scenarios.customer).suffix(4).map { "       → " + ($0.text ?? "").replacingOccurrences(of: "\n", with: " ").prefix(120) }
                    if !recent.isEmpty { print("     last messages to the customer:\n" + recent.joined(separator: "\n")) }
                }
                if let log = world?.bot.log { print("     bot log (tail):\n" + log.split(separator: "\n").suffix(15).map { "       " + $0 }.joined(separator: "\n")) }
            }
            await world?.tearDown()
        }
        print("\(passed) passed, \(failed) failed")
        exit(failed == 0 ? 0 : 1)
    }
}
