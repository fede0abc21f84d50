import ArgumentParser
import Foundation

/// `loket-bench`: performance figures as ratios against a baseline measured in the same run.
@main
struct LoketBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loket-bench",
        abstract: "Loket benchmarks; each reports a ratio against a baseline run in the same process.",
        subcommands: [LedgerCommand.self, PipelineCommand.self, DashboardCommand.self, IdleCommand.self])

    struct DashboardCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "dashboard", abstract: "Dashboard pages over HTTP on a shop with many orders, against /healthz on the same server.")

        @Option(help: "Orders in the shop.") var orders = 100_000
        @Option(help: "Requests per page.") var requests = 50

        func run() async throws {
            try await DashboardBenchmark.run(orders: orders, requests: requests)
        }
    }

    struct IdleCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "idle", abstract: "Many idle shops (loket run) on one fake Bot API: start-up, memory, CPU and wake-ups while nothing happens.")

        @Option(help: "Shops, each a loket run process with its own database file.") var shops = 50
        @Option(help: "Seconds of quiet to measure.") var seconds = 60
        @Option(help: "The lean fake Bot API (Node) every shop polls.")
        var fake = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../shared/bench/lean-bot-api.js").standardized.path

        func run() async throws {
            try await IdleShopsBenchmark.run(shops: shops, seconds: seconds, fakeScript: fake)
        }
    }

    struct LedgerCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ledger", abstract: "Durable holds/s through the ledger API vs raw SQLite with the same pragmas.")

        @Option(help: "Holds per round.") var holds = 500
        @Option(help: "Rounds (ledger and raw alternate).") var rounds = 5

        func run() async throws {
            try await LedgerBenchmark.run(holdsPerRound: holds, rounds: rounds)
        }
    }

    struct PipelineCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pipeline", abstract: "A burst of /saldo from many chats through the lean fake Bot API, Loket vs an aiogram 3 bot.")

        @Option(help: "Chats in each burst.") var chats = 400
        @Option(help: "Bursts.") var rounds = 5
        @Option(help: "The aiogram bot to compare with.")
        var aiogram = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Baselines/aiogram_saldo_bot.py").path
        @Option(help: "The lean fake Bot API (Node) each bot talks to.")
        var fake = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../shared/bench/lean-bot-api.js").standardized.path
        @Option(help: "An earlier loket binary measured in the same rounds (before and after a change).") var baseline: String?
        @Flag(help: "Run Loket alone, without the aiogram baseline (Linking/order-symbols.sh).") var loketOnly = false
        @Option(help: "After the bursts, feed each bot for this many seconds at half and at four fifths of a maximum (aiogram's own; the slower Loket's for every Loket).")
        var steady: Int?

        func run() async throws {
            let feeder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fakes/steady-bot-api.js").path
            try await PipelineBenchmark.run(.init(chats: chats, rounds: rounds, aiogramScript: loketOnly ? nil : aiogram,
                                                  fakeScript: fake, baseline: baseline, steadySeconds: steady, steadyFeeder: feeder))
        }
    }
}
