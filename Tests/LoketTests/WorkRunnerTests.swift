import Flowix
import Foundation
import Ledger
@testable import LoketCore
import Logging
import ServiceLifecycle
import Testing

/// The work runner as the service group runs it: bounded, and a graceful shutdown that lets
/// the queue run down but not forever.
@Suite("The work runner")
struct WorkRunnerTests {
    static let customer: Int64 = 6_001

    /// A world whose bill checks take `pause` each, counted by `trace`.
    static func world(trace: ConcurrencyPartsTests.Trace, pause: Duration) async throws -> CoreWorld {
        try await CoreWorld { _, api in
            let inner = api.checkBill
            api.checkBill = { code, number throws(FlowixError) in
                trace.enter(0)
                defer { trace.leave() }
                try? await Task.sleep(for: pause)
                return try await inner(code, number)
            }
        }
    }

    static func runner(_ world: CoreWorld, workers: Int, grace: Duration? = nil) -> WorkRunner {
        var configuration = WorkRunner.Configuration()
        configuration.workers = workers
        configuration.shutdownGrace = grace
        let services = world.services
        return WorkRunner(purchases: services.purchases, deposits: services.deposits, payouts: services.payouts, admin: services.admin,
                          chats: services.chats, configuration: configuration, flowixTimeout: .seconds(1))
    }

    static func checks(_ count: Int, for user: UserRecord) -> [Work] {
        (0..<count).map { .checkBill(productCode: "PLNPOST", customerNumber: "5300000\($0)", user: user, chat: user.id) }
    }

    @Test("no more pieces run at once than there are workers, and every queued piece runs before a graceful shutdown ends")
    func boundedAndDrained() async throws {
        let trace = ConcurrencyPartsTests.Trace()
        let world = try await Self.world(trace: trace, pause: .milliseconds(30))
        defer { world.cleanUp() }
        let user = try await world.customer(Self.customer, balance: .zero)
        let runner = Self.runner(world, workers: 3)
        let group = ServiceGroup(services: [runner], logger: Logger(label: "test"))
        let running = Task { try await group.run() }
        await runner.submit(Self.checks(12, for: user))
        await group.triggerGracefulShutdown()
        try await running.value
        #expect(trace.order.count == 12)
        #expect(trace.most == 3)
        #expect(await runner.queued == 0)
    }

    @Test("the shutdown grace bounds a shutdown: queued work is left (to the reconciler), running work is cancelled, new work is refused")
    func graceRunsOut() async throws {
        let trace = ConcurrencyPartsTests.Trace()
        // Each lookup would hang for a minute.
        let world = try await Self.world(trace: trace, pause: .seconds(60))
        defer { world.cleanUp() }
        let user = try await world.customer(Self.customer, balance: .zero)
        let runner = Self.runner(world, workers: 2, grace: .milliseconds(200))
        let group = ServiceGroup(services: [runner], logger: Logger(label: "test"))
        let running = Task { try await group.run() }
        await runner.submit(Self.checks(5, for: user))
        try await Task.sleep(for: .milliseconds(50))
        let clock = ContinuousClock()
        let took = try await clock.measure {
            await group.triggerGracefulShutdown()
            try await running.value
        }
        #expect(took < .seconds(10))
        #expect(trace.order.count == 2)
        #expect(trace.most == 2)
        await runner.submit(Self.checks(1, for: user))
        #expect(await runner.queued == 0)
    }
}
