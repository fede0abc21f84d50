import Flowix
import FlowixSandbox
import Foundation
import Ledger
import Locales
@testable import LoketCore
import Money
import Testing

/// The bot's services on a real SQLite file, Flowix answered in memory by the sandbox, and a
/// clock the test turns: no runtime, no loops, no sockets.
final class CoreWorld: Sendable {
    static let admin: Int64 = 9_001
    let folder: URL
    let sandbox: FlowixSandbox
    /// What every service reads as "now".
    let now: LockedDate
    let services: LoketServices

    var ledger: Ledger { services.ledger }

    /// `flowix` may replace endpoints of the sandbox's API, e.g. to lose an answer after the
    /// sandbox acted. Webhooks go straight to the bot's handler.
    init(sandbox configuration: SandboxConfiguration = SandboxConfiguration(settlementDelay: nil),
         environment extra: [String: String] = [:],
         flowix adjust: (FlowixSandbox, inout FlowixAPI) -> Void = { _, _ in }) async throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("loket-core-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        sandbox = FlowixSandbox(configuration: configuration)
        now = LockedDate(Date())
        var flowix = sandbox.api(timeout: .seconds(1))
        adjust(sandbox, &flowix)
        var environment = [
            "TELEGRAM_BOT_TOKEN": "1:in-memory", "TELEGRAM_API_URL": "http://127.0.0.1:9", "FLOWIX_BASE_URL": "http://127.0.0.1:9",
            "FLOWIX_API_KEY": configuration.credentials.apiKey, "FLOWIX_MERCHANT_ID": configuration.credentials.merchantID,
            "FLOWIX_WEBHOOK_SECRET": configuration.webhookSecret, "LOKET_ADMIN_IDS": String(Self.admin), "LOKET_CUTOFFS": "off",
            "LOKET_DATABASE": folder.appendingPathComponent("loket.sqlite").path,
        ]
        environment.merge(extra) { _, new in new }
        var tuning = LoketRuntime.Tuning()
        tuning.clock = { [now] in now.value }
        tuning.flowixTimeout = .seconds(1)
        var reconciling = Reconciler.Configuration()
        reconciling.unknownAfter = 0
        reconciling.unsentAfter = 0
        tuning.reconciler = reconciling
        services = try LoketServices(configuration: try LoketConfiguration.load(environment: environment, dotEnvPath: nil),
                                     strings: try LocaleLoader.load(from: LocaleLoader.defaultDirectory()), flowix: flowix, tuning: tuning)
        let webhooks = services.webhooks
        await sandbox.setWebhookSink { headers, body in
            await webhooks.receive(body: body, headers: WebhookHeaders { headers[$0] }).0
        }
        _ = await services.catalogue.sync()
    }

    /// Registers a customer at `level` with `balance` in the wallet, credited by the owner.
    func customer(_ id: Int64, balance: Rupiah, level: UserLevel = .member) async throws -> UserRecord {
        _ = try await ledger.users.register(id: id, name: "Pelanggan \(id)", username: nil)
        _ = try await ledger.users.register(id: Self.admin, name: "Pemilik", username: nil)
        if level != .member { try await ledger.users.setLevel(level, userID: id) }
        if balance > .zero { _ = try await ledger.wallets.adjust(userID: id, .credit, amount: balance, adminID: Self.admin, note: nil, key: "seed-\(id)") }
        return try #require(try await ledger.users.user(id: id))
    }

    /// Moves the clock on.
    func advance(_ seconds: TimeInterval) { now.set(now.value.addingTimeInterval(seconds)) }

    /// What is queued for `chat`, oldest first.
    func queued(to chat: Int64) async throws -> [String] {
        try await ledger.outbox.pending(limit: 1_000, now: .distantFuture).rows.filter { $0.chatID == chat }.map(\.payload)
    }

    /// Every ledger invariant that does not hold.
    func violations() throws -> [LedgerViolation] { try LedgerCheck.run(path: ledger.path) }

    /// Runs the work the core queued (a webhook's refresh, a chat's purchase), in order, as the
    /// runner's workers would.
    func runQueuedWork() async {
        for piece in await services.runner.takeQueued() { await services.runner.run(piece) }
    }

    func cleanUp() { try? FileManager.default.removeItem(at: folder) }
}
