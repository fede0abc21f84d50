import Flowix
import FlowixSandbox
import Foundation
import Money
import Testing

/// The sandbox's faults on request (Sources/FlowixSandbox/README.md, "Faults on request"),
/// checked through the typed client over real HTTP: what the client is told, and that the
/// money at "Flowix" moves exactly as a real supplier's would.
@Suite("Sandbox faults on request")
struct SandboxFaultTests {
    static let start = Rupiah(5_000_000)!

    /// The rejection a call threw, or a failure.
    static func rejection(_ body: () async throws -> Void) async -> FlowixRejection? {
        do {
            try await body()
        } catch {
            if case .rejected(let rejection)? = error as? FlowixError { return rejection }
            Issue.record("expected a rejection, got \(error)")
            return nil
        }
        Issue.record("expected a rejection, the call succeeded")
        return nil
    }

    // MARK: Duplicate references

    @Test(arguments: [
        (DuplicateRefusal.http409, 409, 409 as Int?, "Permintaan ditolak."),
        (.bodyCode409, 200, 409, "Permintaan ditolak."),
        (.bodyInHTTP200, 200, 400, "Ref ID sudah digunakan"),
        (.bodyInHTTP400, 400, 400, "Ref ID sudah digunakan"),
        (.custom(httpStatus: 200, code: nil, message: "ref_id already used"), 200, nil, "ref_id already used"),
    ])
    func repeatedReferenceIsRefusedAsConfigured(refusal: DuplicateRefusal, http: Int, code: Int?, message: String) async throws {
        try await withSandbox(SandboxConfiguration(settlementDelay: nil, duplicateRefusal: refusal)) { server, client in
            let first = try await client.createTransaction("TSEL10", "081234567890", "DUP-1")
            #expect(first.status == .processing)
            let refused = await Self.rejection { _ = try await client.createTransaction("TSEL10", "081234567890", "DUP-1") }
            #expect(refused == FlowixRejection(httpStatus: http, code: code, message: message))
            #expect(await server.sandbox.exchanges.last?.fault == .duplicateRefusal)
            #expect(await server.sandbox.balance == Self.start.subtracting(Rupiah(10_500)!))
            // The transaction is untouched and settles once.
            #expect(try await client.transactionStatus("DUP-1").status == .processing)
            await server.sandbox.settleDue()
            #expect(try await client.transactionStatus("DUP-1").status == .success)
            #expect(await server.sandbox.balance == Self.start.subtracting(Rupiah(10_500)!))
        }
    }

    @Test func duplicateRefusalCanBeLimitedAndTurnedOff() async throws {
        try await withSandbox { server, client in
            _ = try await client.createTransaction("TSEL10", "081234567890", "DUP-2")
            // Default: the same record again.
            #expect(try await client.createTransaction("TSEL10", "081234567890", "DUP-2").refID == "DUP-2")
            await server.sandbox.setDuplicateRefusal(.http409, times: 1)
            #expect(await Self.rejection { _ = try await client.createTransaction("TSEL10", "081234567890", "DUP-2") }?.httpStatus == 409)
            #expect(try await client.createTransaction("TSEL10", "081234567890", "DUP-2").status == .processing)
            // Other details under the same reference: the usual 409, whatever the knob says.
            await server.sandbox.setDuplicateRefusal(.bodyInHTTP200)
            let conflict = await Self.rejection { _ = try await client.createTransaction("TSEL25", "081234567890", "DUP-2") }
            #expect(conflict?.httpStatus == 409)
            #expect(await server.sandbox.exchanges.last?.fault == nil)
            await server.sandbox.setDuplicateRefusal(nil)
            #expect(try await client.createTransaction("TSEL10", "081234567890", "DUP-2").refID == "DUP-2")
            #expect(await server.sandbox.balance == Self.start.subtracting(Rupiah(10_500)!))
        }
    }

    @Test func payoutsAndBillPaymentsRefuseRepeatsToo() async throws {
        try await withSandbox(SandboxConfiguration(settlementDelay: nil, duplicateRefusal: .bodyInHTTP400)) { server, client in
            _ = try await client.createPayout(PayoutOrder(bankCode: "BCA", accountNumber: "1234567890", accountName: nil, amount: Rupiah(100_000)!, refID: "WD-DUP"))
            let payout = await Self.rejection {
                _ = try await client.createPayout(PayoutOrder(bankCode: "BCA", accountNumber: "1234567890", accountName: nil, amount: Rupiah(100_000)!, refID: "WD-DUP"))
            }
            #expect(payout == FlowixRejection(httpStatus: 400, code: 400, message: "Ref ID sudah digunakan"))
            let bill = try await client.checkBill("PLNPOST", "512345678901")
            _ = try await client.payBill("PLNPOST", "512345678901", bill.inquiryID)
            let again = await Self.rejection { _ = try await client.payBill("PLNPOST", "512345678901", bill.inquiryID) }
            #expect(again?.message == "Ref ID sudah digunakan")
            #expect(await server.sandbox.exchanges(path: "/bill/pay", refID: bill.inquiryID).map(\.fault) == [nil, .duplicateRefusal])
            let billTotal = bill.billAmount.adding(bill.adminFee)!
            #expect(await server.sandbox.balance == Self.start.subtracting(Rupiah(102_500)!)!.subtracting(billTotal))
        }
    }

    // MARK: Status lag

    @Test func statusLagAnswersExactlyLikeAnUnknownReferenceUntilItEnds() async throws {
        // A lag long enough that a loaded machine still asks within it.
        try await withSandbox(SandboxConfiguration(settlementDelay: nil, statusLag: .after(.seconds(3)))) { server, client in
            _ = try await client.createTransaction("TSEL10", "081234567890", "LAG-1")
            let lagging = await Self.rejection { _ = try await client.transactionStatus("LAG-1") }
            let unknown = await Self.rejection { _ = try await client.transactionStatus("NEVER-MADE") }
            #expect(lagging == FlowixRejection(httpStatus: 404, code: 404, message: "Transaksi tidak ditemukan."))
            #expect(lagging == unknown)
            #expect(await server.sandbox.exchanges(path: "/transaction/status").map(\.fault) == [.statusLag, nil])
            // The record exists all along: it settles during the lag and is charged once.
            await server.sandbox.settleDue()
            #expect(await server.sandbox.outcomes()["LAG-1"]?.status == "success")
            try await Task.sleep(for: .milliseconds(3_100))
            #expect(try await client.transactionStatus("LAG-1").status == .success)
            #expect(await server.sandbox.balance == Self.start.subtracting(Rupiah(10_500)!))
        }
    }

    @Test func statusLagByChecksForPayoutsAndNotFoundInHTTP200() async throws {
        let configuration = SandboxConfiguration(settlementDelay: nil, statusLag: .checks(2), notFoundAnswer: .bodyInHTTP200)
        try await withSandbox(configuration) { server, client in
            _ = try await client.createPayout(PayoutOrder(bankCode: "BCA", accountNumber: "1234567890", accountName: nil, amount: Rupiah(50_000)!, refID: "WD-LAG"))
            for _ in 0..<2 {
                let hidden = await Self.rejection { _ = try await client.payoutStatus("WD-LAG") }
                #expect(hidden == FlowixRejection(httpStatus: 200, code: 404, message: "Payout tidak ditemukan."))
            }
            let status = try await client.payoutStatus("WD-LAG")
            #expect(status.status == .processing)
            // A lag set later counts afresh.
            await server.sandbox.setStatusLag(.checks(1))
            #expect(await Self.rejection { _ = try await client.payoutStatus("WD-LAG") }?.code == 404)
            #expect(try await client.payoutStatus("WD-LAG").status == .processing)
            await server.sandbox.setStatusLag(.none)
            await server.sandbox.setNotFoundAnswer(.http404)
            #expect(await Self.rejection { _ = try await client.payoutStatus("WD-NONE") }?.httpStatus == 404)
        }
    }

    /// Knob (e): the create reached Flowix, the client timed out, the status endpoint does not
    /// know it yet, the resend is refused as a duplicate — and the transaction completes once.
    @Test func timedOutCreateBehindALaggingStatusEndpoint() async throws {
        // Generous times, so a loaded CI machine still asks within the lag.
        var configuration = SandboxConfiguration(settlementDelay: nil, slowAnswerDelay: .seconds(6))
        configuration.statusLag = .after(.seconds(5))
        configuration.duplicateRefusal = .bodyInHTTP200
        try await withSandbox(configuration, clientTimeout: .seconds(1)) { server, client in
            let timedOut = await #expect(throws: FlowixError.self) {
                try await client.createTransaction("TSEL10", "081234567777", "SLOW-1")
            }
            #expect(timedOut == .outcomeUnknown(.timeout))
            #expect(await server.sandbox.outcomes()["SLOW-1"]?.status == "processing")
            #expect(await Self.rejection { _ = try await client.transactionStatus("SLOW-1") }?.httpStatus == 404)
            let resend = await Self.rejection { _ = try await client.createTransaction("TSEL10", "081234567777", "SLOW-1") }
            #expect(resend == FlowixRejection(httpStatus: 200, code: 400, message: "Ref ID sudah digunakan"))
            try await Task.sleep(for: .seconds(5))
            #expect(try await client.transactionStatus("SLOW-1").status == .processing)
            await server.sandbox.settleDue()
            #expect(try await client.transactionStatus("SLOW-1").status == .success)
            #expect(await server.sandbox.balance == Self.start.subtracting(Rupiah(10_500)!))
            #expect(await server.sandbox.requests.filter { $0.path == "/transaction/create" }.count == 2)
        }
    }

    // MARK: Rate limits

    @Test func rateLimitRefusesTheNextCallsToAPathWithoutEffect() async throws {
        try await withSandbox { server, client in
            await server.sandbox.rateLimit(next: 2, paths: ["/transaction/create"], answer: .http429)
            _ = try await client.account()  // another path: untouched
            for _ in 0..<2 {
                let limited = await Self.rejection { _ = try await client.createTransaction("TSEL10", "081234567890", "RL-1") }
                #expect(limited == FlowixRejection(httpStatus: 429, code: 429, message: "Permintaan ditolak."))
            }
            #expect(await server.sandbox.outcomes()["RL-1"] == nil)
            #expect(await server.sandbox.balance == Self.start)
            #expect(try await client.createTransaction("TSEL10", "081234567890", "RL-1").status == .processing)
            #expect(await server.sandbox.exchanges(path: "/transaction/create").map(\.fault) == [.rateLimited, .rateLimited, nil])
        }
    }

    @Test func rateLimitInABody200AndOnAnyPath() async throws {
        try await withSandbox { server, client in
            _ = try await client.createTransaction("TSEL10", "081234567890", "RL-2")
            await server.sandbox.rateLimit(next: 1, paths: ["/transaction/status"], answer: .bodyCode429)
            await server.sandbox.rateLimit(next: 1, answer: .custom(httpStatus: 429, code: nil, message: "Too Many Requests"))
            let body = await Self.rejection { _ = try await client.transactionStatus("RL-2") }
            #expect(body == FlowixRejection(httpStatus: 200, code: 429, message: "Permintaan ditolak."))
            let any = await Self.rejection { _ = try await client.account() }
            #expect(any == FlowixRejection(httpStatus: 429, code: nil, message: "Too Many Requests"))
            #expect(try await client.transactionStatus("RL-2").status == .processing)
            await server.sandbox.rateLimit(next: 5)
            await server.sandbox.clearRateLimits()
            _ = try await client.account()
        }
    }

    // MARK: What Flowix charges

    @Test func chargedPriceDiffersFromTheListedOne() async throws {
        try await withSandbox { server, client in
            await server.sandbox.setChargedPrice(Rupiah(11_200)!, for: "TSEL10")
            let receipt = try await client.createTransaction("TSEL10", "081234567890", "PRICE-1")
            #expect(receipt.price == Rupiah(11_200))
            #expect(try await client.transactionStatus("PRICE-1").price == Rupiah(11_200))
            #expect(try await client.services(.prabayar).products.first { $0.code == "TSEL10" }?.price == Rupiah(10_500))
            #expect(await server.sandbox.balance == Self.start.subtracting(Rupiah(11_200)!))
            #expect(await server.sandbox.outcomes()["PRICE-1"]?.amount == Rupiah(11_200))
            await server.sandbox.setChargedPrice(nil, for: "TSEL10")
            #expect(try await client.createTransaction("TSEL10", "081234567890", "PRICE-2").price == Rupiah(10_500))
        }
    }

    @Test func chargedPriceForABill() async throws {
        try await withSandbox(SandboxConfiguration(settlementDelay: nil, chargedPrices: ["BPJSKES": Rupiah(99_000)!])) { server, client in
            let bill = try await client.checkBill("BPJSKES", "0001234567890")
            _ = try await client.payBill("BPJSKES", "0001234567890", bill.inquiryID)
            #expect(try await client.transactionStatus(bill.inquiryID).price == Rupiah(99_000))
            #expect(await server.sandbox.balance == Self.start.subtracting(Rupiah(99_000)!))
        }
    }

    @Test func payoutFeeDiffersFromTheConfiguredOne() async throws {
        try await withSandbox { server, client in
            await server.sandbox.setPayoutFee(Rupiah(3_000)!)
            #expect(await server.sandbox.payoutFee == Rupiah(3_000))
            _ = try await client.createPayout(PayoutOrder(bankCode: "BCA", accountNumber: "1234567890", accountName: nil, amount: Rupiah(100_000)!, refID: "WD-FEE"))
            let status = try await client.payoutStatus("WD-FEE")
            #expect(status.amount == Rupiah(100_000))
            #expect(status.fee == Rupiah(3_000))
            #expect(status.totalDeduction == Rupiah(103_000))
            #expect(await server.sandbox.balance == Self.start.subtracting(Rupiah(103_000)!))
            #expect(await server.sandbox.outcomes()["WD-FEE"]?.amount == Rupiah(103_000))
            // A failure gives back what was taken, fee included.
            await server.sandbox.settle(refID: "WD-FEE", as: .failed)
            #expect(await server.sandbox.balance == Self.start)
        }
    }

    // MARK: Dropped creates

    @Test func droppedCreateLeavesNothingAndIsAnUnknownOutcome() async throws {
        try await withSandbox { server, client in
            await server.sandbox.dropCreates(next: 2)
            let dropped = await #expect(throws: FlowixError.self) {
                try await client.createTransaction("TSEL10", "081234567890", "DROP-1")
            }
            #expect(dropped == .outcomeUnknown(.serverError(status: 500)))
            let payout = await #expect(throws: FlowixError.self) {
                try await client.createPayout(PayoutOrder(bankCode: "BCA", accountNumber: "1234567890", accountName: nil, amount: Rupiah(50_000)!, refID: "WD-DROP"))
            }
            #expect(payout == .outcomeUnknown(.serverError(status: 500)))
            #expect(await server.sandbox.outcomes().isEmpty)
            #expect(await server.sandbox.balance == Self.start)
            let notFound = await Self.rejection { _ = try await client.transactionStatus("DROP-1") }
            #expect(notFound?.httpStatus == 404)
            #expect(await server.sandbox.exchanges(path: "/transaction/status").last?.fault == nil)
            #expect(await server.sandbox.requests.filter { Self.createPaths.contains($0.path) }.count == 2)
            // The rule is used up: the next create is applied.
            let applied = try await client.createTransaction("TSEL10", "081234567890", "DROP-1")
            #expect(applied.status == .processing)
        }
    }

    static let createPaths: Set<String> = ["/transaction/create", "/payout/create"]

    @Test func droppedCreatesUntilStoppedWithHTMLAndTimeout() async throws {
        // Generous times: a loaded CI machine must not turn a prompt 502 into a timeout.
        try await withSandbox(SandboxConfiguration(settlementDelay: nil, slowAnswerDelay: .seconds(6)), clientTimeout: .seconds(3)) { server, client in
            await server.sandbox.dropCreates(paths: ["/transaction/create"], answer: .htmlPage)
            for _ in 0..<3 {
                let error = await #expect(throws: FlowixError.self) {
                    try await client.createTransaction("TSEL10", "081234567890", "DROP-2")
                }
                #expect(error == .outcomeUnknown(.serverError(status: 502)))
            }
            await server.sandbox.stopDroppingCreates()
            await server.sandbox.dropCreates(next: 1, answer: .timeout)
            let timeout = await #expect(throws: FlowixError.self) {
                try await client.createTransaction("TSEL10", "081234567890", "DROP-2")
            }
            #expect(timeout == .outcomeUnknown(.timeout))
            #expect(await server.sandbox.outcomes().isEmpty)
            await server.sandbox.stopDroppingCreates()
            _ = try await client.createTransaction("TSEL10", "081234567890", "DROP-2")
            #expect(await server.sandbox.balance == Self.start.subtracting(Rupiah(10_500)!))
            #expect(await server.sandbox.exchanges(path: "/transaction/create").map(\.fault) == [.droppedCreate, .droppedCreate, .droppedCreate, .droppedCreate, nil])
        }
    }

    // MARK: Statuses the reference does not list

    @Test func reportedStatusAndStatusWebhookLeaveTheRecordAlone() async throws {
        let receiver = WebhookReceiver()
        try await receiver.start()
        let configuration = SandboxConfiguration(webhookURL: await receiver.url, settlementDelay: nil)
        try await withSandbox(configuration) { server, client in
            _ = try await client.createTransaction("TSEL10", "081234567890", "ERR-1")
            await server.sandbox.reportStatus("error", for: "ERR-1")
            _ = try? await client.transactionStatus("ERR-1")
            let exchange = await server.sandbox.exchanges(path: "/transaction/status", refID: "ERR-1").last
            #expect(exchange?.status == "error")
            #expect(exchange?.fault == .reportedStatus)
            #expect(exchange?.success == true)
            #expect(await server.sandbox.sendStatusWebhook(refID: "ERR-1", status: "error"))
            #expect(await server.sandbox.sendStatusWebhook(refID: "NOPE", status: "error") == false)
            await server.sandbox.waitForWebhooks()
            let delivery = try #require(await receiver.deliveries.last)
            let body = String(decoding: delivery.body, as: UTF8.self)
            #expect(body.contains(#""reff_id":"ERR-1""#) && body.contains(#""status":"error""#))
            #expect(delivery.headers.signature == WebhookSecret(configuration.webhookSecret).signature(of: delivery.body))
            #expect(await server.sandbox.outcomes()["ERR-1"]?.status == "processing")
            #expect(await server.sandbox.balance == Self.start.subtracting(Rupiah(10_500)!))
            // Settled for real, and the override lifted: the real status.
            await server.sandbox.settle(refID: "ERR-1", as: .success)
            await server.sandbox.reportStatus(nil, for: "ERR-1")
            #expect(try await client.transactionStatus("ERR-1").status == .success)
            _ = try await client.createPayout(PayoutOrder(bankCode: "BCA", accountNumber: "1234567890", accountName: nil, amount: Rupiah(50_000)!, refID: "WD-ERR"))
            await server.sandbox.reportStatus("error", for: "WD-ERR")
            _ = try? await client.payoutStatus("WD-ERR")
            #expect(await server.sandbox.exchanges(path: "/payout/status", refID: "WD-ERR").last?.status == "error")
            #expect(await server.sandbox.sendStatusWebhook(refID: "WD-ERR", status: "error"))
        }
        await receiver.stop()
    }

    @Test func exchangesRecordEveryAnswerAndWhenRequestsArrived() async throws {
        try await withSandbox { server, client in
            let before = Date()
            _ = try await client.account()
            _ = try? await client.transactionStatus("X")
            let exchanges = await server.sandbox.exchanges
            #expect(exchanges.map(\.httpStatus) == [200, 404])
            #expect(exchanges.map(\.success) == [true, false])
            #expect(exchanges.last?.refID == "X")
            #expect(exchanges.allSatisfy { $0.request.receivedAt >= before && $0.answeredAt >= $0.request.receivedAt })
        }
    }
}
