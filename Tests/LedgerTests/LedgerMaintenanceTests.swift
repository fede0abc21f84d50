import Foundation
import TestSupport
import Testing
@testable import Ledger
import Money

/// Issue #22: history is pruned, money never; the WAL is truncated.
struct LedgerMaintenanceTests {
    @Test func oldHistoryIsPrunedInBatchesAndTheWALTruncated() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("loket-maint-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("loket.sqlite").path
        let clock = TestClock(Date(timeIntervalSince1970: 1_800_000_000))
        let ledger = try Ledger(path: path, clock: { clock.now })
        try await ledger.users.register(id: 1, name: "A", username: nil)
        _ = try await ledger.wallets.adjust(userID: 1, .credit, amount: Rupiah(50_000)!, adminID: 9, note: nil, key: "fund")
        let old = (0..<2_500).map { NewOutboxMessage(chatID: 1, priority: .bulk, payload: #"{"text":"lama \#($0)"}"#) }
        try await ledger.outbox.enqueue(old)
        let pending = try await ledger.outbox.pending(limit: 10_000, now: clock.now).rows
        for row in pending { try await ledger.outbox.markSent(row.id, messageID: row.id) }
        _ = try await ledger.events.recordWebhook(id: "evt-old", type: "transaction.status", reference: "X")
        clock.advance(by: 40 * 86_400)
        try await ledger.outbox.enqueue([NewOutboxMessage(chatID: 1, priority: .reply, payload: #"{"text":"baru"}"#)])
        _ = try await ledger.events.recordWebhook(id: "evt-new", type: "transaction.status", reference: "Y")

        let report = try await ledger.prune(before: clock.now.addingTimeInterval(-30 * 86_400))
        #expect(report == PruneReport(outboxRows: 2_500, webhookEvents: 1))
        try await ledger.checkpoint()
        let storage = try Ledger.storage(path: path)
        #expect(storage.outboxRows == 1 && storage.outboxPending == 1, "the pending message stays")
        #expect(storage.webhookEvents == 1)
        #expect(storage.walBytes == 0, "the WAL is truncated")
        #expect(try await ledger.wallets.balance(userID: 1).value == 50_000, "money is never pruned")
        #expect(try LedgerCheck.run(path: path).isEmpty)
    }
}
