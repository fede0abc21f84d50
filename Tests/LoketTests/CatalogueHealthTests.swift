import Foundation
import Locales
import Ledger
import LoketCore
import Testing

/// Issue #15: when the catalogue sync keeps failing, the admins are told once per outage.
@Suite("Catalogue health", .serialized)
struct CatalogueHealthTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func aLongOutageIsAlertedOnceAndARecoveryStartsOver() {
        var health = CatalogueHealth(alertAfter: 3600)
        #expect(health.record(failed: false, at: start) == .none)
        #expect(health.record(failed: true, at: start) == .none)
        #expect(health.failingSince == start)
        #expect(health.record(failed: true, at: start + 3599) == .none)
        #expect(health.record(failed: true, at: start + 3600) == .alert(since: start))
        // Not queued (the database refused it): asked again after the next failed sync.
        #expect(health.record(failed: true, at: start + 4200) == .alert(since: start))
        health.alertSent()
        // Still failing: said once.
        #expect(health.record(failed: true, at: start + 7200) == .none)
        // A full success ends the outage; the next one is its own.
        #expect(health.record(failed: false, at: start + 7300) == .none)
        #expect(health.failingSince == nil)
        #expect(health.record(failed: true, at: start + 8000) == .none)
        #expect(health.record(failed: true, at: start + 11_600) == .alert(since: start + 8000))
        health.alertSent()
        #expect(health.record(failed: true, at: start + 20_000) == .none)
    }

    @Test func aShortOutageIsNotAlerted() {
        var health = CatalogueHealth(alertAfter: 600)
        #expect(health.record(failed: true, at: start) == .none)
        #expect(health.record(failed: false, at: start + 599) == .none)
        #expect(health.record(failed: true, at: start + 900) == .none)
        #expect(health.record(failed: true, at: start + 1400) == .none)
    }

    /// Against the sandbox, refusing the catalogue: the admins get one alert in the outbox.
    @Test func theSyncAlertsTheAdminsThroughTheOutbox() async throws {
        let bot = try await BotHarness()
        defer { bot.cleanUp() }
        let now = LockedDate(start)
        let messages = Messages(strings: try LocaleLoader.load(from: LocaleLoader.defaultDirectory()), defaultLanguage: .id)
        let alerts = AdminAlerts(ledger: bot.ledger, messages: messages, adminIDs: [BotHarness.admin])
        let sync = CatalogueSync(catalogue: bot.runtime.catalogue, alerts: alerts, alertAfter: 1800, clock: { now.value })
        var health = CatalogueHealth(alertAfter: 1800)

        await sync.syncOnce(&health)
        #expect(health.failingSince == nil)
        await bot.flowix.rateLimit(next: 1_000, paths: ["/services"])
        for minutes in [0, 10, 20, 30, 40, 50] {
            now.set(start + TimeInterval(minutes * 60))
            await sync.syncOnce(&health)
        }
        let alertsQueued = try await bot.ledger.outbox.pending(limit: 100, now: now.value).rows
            .filter { $0.chatID == BotHarness.admin && $0.payload.contains("Daftar produk gagal diperbarui") }
        #expect(alertsQueued.count == 1)
        #expect(alertsQueued.first?.payload.contains("30 menit") == true)
        #expect(alertsQueued.first?.payload.contains("services prabayar") == true)
        await bot.stop()
    }
}

/// A date a test sets by hand, readable from a `@Sendable` clock.
final class LockedDate: @unchecked Sendable {
    private let lock = NSLock()
    private var date: Date
    init(_ date: Date) { self.date = date }
    var value: Date { lock.withLock { date } }
    func set(_ new: Date) { lock.withLock { date = new } }
}
