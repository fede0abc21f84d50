import FakeTelegram
import Foundation
import Ledger
import ServiceLifecycle
import LoketCore
import Telegram

/// A fake Bot API, a client for it and a real SQLite ledger in a temporary folder. The client
/// reaches the fake in memory, or over HTTP on loopback for the tests of the wire itself.
final class TelegramHarness: Sendable {
    let api: FakeBotAPI
    /// The fake's HTTP server, when the harness goes over HTTP.
    let server: FakeTelegramServer?
    let client: TelegramAPI
    let folder: URL
    let ledger: Ledger

    init(overHTTP: Bool = false) async throws {
        api = FakeBotAPI()
        if overHTTP {
            let server = try await FakeTelegramServer.start(api: api)
            self.server = server
            client = .live(token: api.token, baseURL: server.baseURL, requestTimeout: .seconds(10))
        } else {
            server = nil
            client = api.api(requestTimeout: .seconds(10))
        }
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("loket-telegram-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        ledger = try Ledger(path: folder.appendingPathComponent("loket.sqlite").path)
    }

    func reopenLedger() throws -> Ledger { try Ledger(path: ledger.path) }

    func shutdown() async {
        await api.releasePolls()
        await server?.stop()
        try? FileManager.default.removeItem(at: folder)
    }

    /// Queues a text message for `chatID` in the outbox.
    func enqueue(_ text: String, to chatID: Int64, priority: RateLimiter.Priority = .reply) async throws {
        try await ledger.outbox.enqueue([LedgerOutboxStore.row(OutboundMessage(text: text), chatID: chatID, priority: priority)])
    }
}

/// Runs `service` in a service group until `condition` holds (at most 30 s), then shuts it down gracefully.
func run(_ service: some Service, until condition: @escaping @Sendable () async -> Bool) async throws {
    let group = ServiceGroup(configuration: .init(services: [service], logger: .init(label: "test")))
    try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        let deadline = ContinuousClock.now + .seconds(30)
        while !(await condition()), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
    }
}

/// Runs `service` in a service group while `body` runs, then shuts it down gracefully.
func withRunning(_ service: some Service, _ body: () async throws -> Void) async throws {
    let group = ServiceGroup(configuration: .init(services: [service], logger: .init(label: "test")))
    let running = Task { try await group.run() }
    do {
        try await body()
    } catch {
        await group.triggerGracefulShutdown()
        _ = await running.result
        throw error
    }
    await group.triggerGracefulShutdown()
    try await running.value
}
