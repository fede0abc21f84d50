import Foundation
import GRDB
import Ledger
import NIOCore
import Testing
@testable import LoketCore

/// Issue #22: the HTTP surface does the least it can for requests it refuses or that only ask after health.
@Suite("HTTP surface")
struct HTTPSurfaceTests {
    @Test func healthChecksReadEveryTimeAndWriteAtMostEveryFewSeconds() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("loket-health-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let ledger = try Ledger(path: folder.appendingPathComponent("loket.sqlite").path)
        let health = HealthCheck(ledger: ledger, writeInterval: .seconds(60))
        #expect(await health.check())
        // Another connection holds the write lock: health checks still answer at once.
        let queue = try DatabaseQueue(path: ledger.path, configuration: { var c = Configuration(); c.allowsUnsafeTransactions = true; return c }())
        try await queue.writeWithoutTransaction { try $0.execute(sql: "BEGIN IMMEDIATE") }
        // (A check that tried to write would wait out the busy timeout and answer false.)
        for _ in 0..<200 { #expect(await health.check()) }
        #expect(await health.writeProbes == 1, "one write probe for 201 checks within the interval")
        try await queue.writeWithoutTransaction { try $0.execute(sql: "ROLLBACK") }
    }

    @Test func refusedWebhooksAreCountedInAWindowAndAlertedOnce() async {
        let window = RefusalWindow(window: .seconds(600), threshold: 5)
        let start = ContinuousClock.now
        var alerts = 0
        for second in 0..<10_000 where await window.record(at: start + .milliseconds(second)) { alerts += 1 }
        #expect(alerts == 1, "one alert for 10.000 refusals in one window")
        #expect(await !window.record(at: start + .seconds(599)))
        for index in 0..<5 where await window.record(at: start + .seconds(601) + .milliseconds(index)) { alerts += 1 }
        #expect(alerts == 2, "a new window may alert again")
    }

    @Test func metricsAnswerLoopbackOrTheBearerOfTheToken() throws {
        #expect(LoketRequestContext.isLoopback(try SocketAddress(ipAddress: "127.0.0.1", port: 5)))
        #expect(LoketRequestContext.isLoopback(try SocketAddress(ipAddress: "::1", port: 5)))
        #expect(!LoketRequestContext.isLoopback(try SocketAddress(ipAddress: "203.0.113.7", port: 5)))
        #expect(!LoketRequestContext.isLoopback(try SocketAddress(ipAddress: "2001:db8::1", port: 5)))
        #expect(!LoketRequestContext.isLoopback(nil))
        #expect(HTTPRoutes.bearerMatches("Bearer s3cret-token", "s3cret-token"))
        #expect(!HTTPRoutes.bearerMatches("Bearer s3cret-tokeN", "s3cret-token"))
        #expect(!HTTPRoutes.bearerMatches("Bearer s3cret", "s3cret-token"))
        #expect(!HTTPRoutes.bearerMatches("s3cret-token", "s3cret-token"))
        #expect(!HTTPRoutes.bearerMatches("Bearer ", nil), "no token configured: nobody from outside")
        #expect(!HTTPRoutes.bearerMatches("Bearer ", ""))
        #expect(!HTTPRoutes.bearerMatches(nil, "s3cret-token"))
    }
}
