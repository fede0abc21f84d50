import Foundation
import Money
import TestSupport
import Testing
@testable import Ledger

/// What the settlement paths look up: one open payment per bill inquiry, and every open record
/// past the "unresolved" limit found, however many there are.
@Suite("Settlement lookups")
struct SettlementLookupTests {
    let database: TemporaryDatabase

    init() throws {
        database = try TemporaryDatabase()
    }

    func funded(_ ledger: Ledger, _ id: Int64, _ amount: Int64) async throws {
        try await ledger.users.register(id: id, name: "User \(id)", username: nil)
        _ = try await ledger.wallets.adjust(userID: id, .credit, amount: Rupiah(amount)!, adminID: 0, note: nil, key: "fund-\(id)")
    }

    func bill(_ ref: String, user: Int64, inquiry: String) -> NewOrder {
        NewOrder(refID: ref, userID: user, kind: .bill, productCode: "PLNPASCA", productName: "PLN Pascabayar", category: "Tagihan",
                 brand: "PLN", target: "512345678901", sellPrice: Rupiah(57_000)!, quotedCost: Rupiah(57_000)!, inquiryID: inquiry)
    }

    @Test func aBillInquiryBelongsToOneOrderOnly() async throws {
        let ledger = try database.open()
        try await funded(ledger, 1, 200_000)
        try await funded(ledger, 2, 200_000)
        _ = try await ledger.orders.place(bill("B-1", user: 1, inquiry: "INQ-7"))
        // Another order for the same inquiry (another customer, a stale button) is refused and
        // holds nothing: Flowix would take it as the same payment.
        await #expect(throws: LedgerError.inquiryInUse(refID: "B-1")) {
            _ = try await ledger.orders.place(bill("B-2", user: 2, inquiry: "INQ-7"))
        }
        #expect(try await ledger.wallets.balance(userID: 2) == Rupiah(200_000)!)
        #expect(try await ledger.orders.order(refID: "B-2") == nil)
        // Placing the same reference again is still the first placement, not a conflict.
        #expect(try await ledger.orders.place(bill("B-1", user: 1, inquiry: "INQ-7")).isNew == false)

        // Even once Flowix said it failed: a late or retried answer about INQ-7 must never be
        // applied to another order; paying again takes a new bill check (a new inquiry).
        _ = try await ledger.orders.fail("B-1", note: "gagal")
        await #expect(throws: LedgerError.inquiryInUse(refID: "B-1")) {
            _ = try await ledger.orders.place(bill("B-3", user: 2, inquiry: "INQ-7"))
        }
        #expect(try await ledger.orders.order(inquiryID: "INQ-7")?.refId == "B-1")
        _ = try await ledger.orders.place(bill("B-3", user: 2, inquiry: "INQ-8"))
        #expect(try LedgerCheck.run(path: database.path).isEmpty)
    }

    @Test func everyUnresolvedRecordIsFoundPastTheLimit() async throws {
        let clock = TestClock(Date(timeIntervalSince1970: 1_700_000_000))
        let ledger = try database.open(clock: { clock.now })
        try await funded(ledger, 1, 10_000_000)
        for index in 0..<120 {
            _ = try await ledger.orders.place(NewOrder(refID: "O-\(index)", userID: 1, kind: .prepaid, productCode: "TSEL10",
                                                     productName: "Telkomsel 10.000", category: "Pulsa", brand: "Telkomsel",
                                                     target: "081234567890", sellPrice: Rupiah(10_500)!, quotedCost: Rupiah(10_000)!))
        }
        _ = try await ledger.orders.fail("O-0", note: "gagal")
        clock.advance(by: 2 * 86_400)
        var alerted: [String] = []
        while true {
            let batch = try await ledger.orders.unresolved(createdBefore: clock.now.addingTimeInterval(-86_400), notRemembered: "alert:unresolved:",
                                                          limit: 50)
            guard !batch.isEmpty else { break }
            for order in batch { #expect(try await ledger.events.rememberOnce("alert:unresolved:\(order.refId)")) }
            alerted += batch.map(\.refId)
        }
        #expect(alerted.count == 119)
        #expect(Set(alerted).count == 119)
        #expect(!alerted.contains("O-0"))
        // Orders younger than the limit are not due.
        #expect(try await ledger.orders.unresolved(createdBefore: clock.now.addingTimeInterval(-3 * 86_400), notRemembered: "x:").isEmpty)
    }

    /// A resend may create the transaction: it is counted, and earlier "not found" answers are
    /// forgotten, before it leaves; a settled record is left alone.
    @Test func aResendIsCountedAndRestartsTheNotFoundClock() async throws {
        let ledger = try database.open()
        try await funded(ledger, 1, 100_000)
        let order = NewOrder(refID: "O-1", userID: 1, kind: .prepaid, productCode: "TSEL10", productName: "Telkomsel 10.000", category: "Pulsa",
                             brand: "Telkomsel", target: "081234567890", sellPrice: Rupiah(10_500)!, quotedCost: Rupiah(10_000)!)
        _ = try await ledger.orders.place(order)
        try await ledger.orders.trackNotFound("O-1", since: 1_700_000_000, checks: 2)
        #expect(try await ledger.orders.beginSend("O-1", resend: false), "the first send")
        let first = try #require(try await ledger.orders.order(refID: "O-1"))
        #expect(first.resends == 0 && first.notFoundSince == nil, "a first send restarts the clock and is no resend")
        try await ledger.orders.trackNotFound("O-1", since: 1_700_000_000, checks: 2)
        #expect(try await ledger.orders.beginSend("O-1", resend: true))
        var saved = try #require(try await ledger.orders.order(refID: "O-1"))
        #expect(saved.resends == 1 && saved.notFoundSince == nil && saved.notFoundChecks == 0)
        try await ledger.orders.beginSend("O-1", resend: true)
        #expect(try await ledger.orders.order(refID: "O-1")?.resends == 2)
        #expect(try await ledger.orders.beginSend("O-1", resend: false) == false, "a first send stays home once a resend went out")
        _ = try await ledger.orders.fail("O-1", note: "gagal")
        #expect(try await ledger.orders.beginSend("O-1", resend: true) == false, "a settled order must not be sent again")
        saved = try #require(try await ledger.orders.order(refID: "O-1"))
        #expect(saved.resends == 2, "a settled order is not touched")
    }
}
