import Foundation
import Testing
@testable import Ledger

/// Issue #14: the poller's in-flight marks, written for a whole batch in one statement, read back
/// exactly; the triage sees handled and interrupted updates of the batch only.
@Suite("Update log")
struct UpdateLogTests {
    @Test func aBatchOfMarksRoundTripsAndTheTriageSeesOnlyItsOwnIDs() async throws {
        let database = try TemporaryDatabase()
        let ledger = try database.open()
        let marks = [
            InFlightMark(updateID: 100, chatID: 1, userID: 1, kind: "command /margin"),
            InFlightMark(updateID: 101, chatID: -1_001_234_567_890, userID: nil, kind: "text"),
            InFlightMark(updateID: 102, chatID: nil, userID: nil, kind: #"odd "kind" \ with"# + "\n\u{1}\u{1F600}"),
            InFlightMark(updateID: Int64.max, chatID: Int64.min, userID: Int64.max, kind: "button"),
        ]
        try await ledger.updates.beginBatch(marks, storingOffset: 50)
        #expect(try await ledger.updates.interrupted() == marks)
        #expect(try await ledger.updates.offset() == 50)
        // Marking the same updates again (a batch fetched again) changes nothing.
        try await ledger.updates.beginBatch(marks, storingOffset: nil)
        #expect(try await ledger.updates.interrupted() == marks)

        // 100 was handled; 103 was never marked; 99 is outside the batch.
        _ = try await ledger.updates.commit(100, session: nil, outbox: [])
        try await ledger.updates.beginBatch([InFlightMark(updateID: 99, chatID: 5, userID: 5, kind: "text")], storingOffset: nil)
        let triage = try await ledger.updates.triage(among: [100, 101, 102, 103])
        #expect(triage.handled == [100])
        #expect(triage.interrupted.map(\.updateID) == [101, 102])
        #expect(try await ledger.updates.triage(among: []).handled.isEmpty)

        // Storing an offset past them forgets the marks below it.
        try await ledger.updates.beginBatch([], storingOffset: 102)
        #expect(try await ledger.updates.interrupted().map(\.updateID) == [102, Int64.max])
    }
}
