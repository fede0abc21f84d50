import Flowix
import FlowixSandbox
import Foundation
import Money
import Testing

/// Every endpoint of the client against the sandbox over real HTTP on loopback.
@Suite("Client against the sandbox")
struct SandboxRoundTripTests {
    @Test func accountAndCatalogue() async throws {
        try await withSandbox { server, client in
            let account = try await client.account()
            #expect(account.balance == Rupiah(5_000_000))
            #expect(account.isActive)
            let prepaid = try await client.services(.prabayar)
            #expect(prepaid.invalidEntries.isEmpty)
            #expect(prepaid.products.contains { $0.code == "TSEL10" && $0.price == Rupiah(10_500) })
            #expect(prepaid.products.contains { !$0.isAvailable })
            let postpaid = try await client.services(.pascabayar)
            #expect(Set(postpaid.products.map(\.code)) == ["PLNPOST", "BPJSKES", "PDAMSBY"])

            let requests = await server.sandbox.requests
            #expect(requests.count == 3)
            #expect(requests.allSatisfy { $0.headers["api_key"] == "sk-sandbox-key" && $0.headers["merchant_id"] == "MID-SANDBOX" })
            #expect(requests.last?.query["type"] == "pascabayar")
            #expect(requests.first?.method == "GET")
        }
    }

    @Test func purchaseChargesOnceAndSettlesWithSerialNumber() async throws {
        try await withSandbox { server, client in
            let receipt = try await client.createTransaction("TSEL10", "081234567890", "LKT-1")
            #expect(receipt.status == .processing)
            #expect(receipt.price == Rupiah(10_500))
            let again = try await client.createTransaction("TSEL10", "081234567890", "LKT-1")
            #expect(again.trxID == receipt.trxID)
            #expect(await server.sandbox.balance == Rupiah(5_000_000 - 10_500))

            let body = await server.sandbox.requests.last?.bodyFields
            #expect(body == ["service_code": "TSEL10", "target": "081234567890", "ref_id": "LKT-1"])

            await server.sandbox.settleDue()
            let status = try await client.transactionStatus("LKT-1")
            #expect(status.status == .success)
            #expect(status.sn?.count == 16)
            #expect(await server.sandbox.balance == Rupiah(5_000_000 - 10_500))
        }
    }

    @Test func failingTargetRefundsTheMerchant() async throws {
        try await withSandbox { server, client in
            _ = try await client.createTransaction("TSEL10", "081200000000", "LKT-F")
            await server.sandbox.settleDue()
            let status = try await client.transactionStatus("LKT-F")
            #expect(status.status == .failed)
            #expect(await server.sandbox.balance == Rupiah(5_000_000))
        }
    }

    @Test func definitiveRefusalsAreRejections() async throws {
        try await withSandbox { server, client in
            await server.sandbox.setBalance(Rupiah(1_000)!)
            await #expect(throws: FlowixError.self) {
                try await client.createTransaction("TSEL10", "081234567890", "LKT-2")
            }
            do {
                _ = try await client.createTransaction("TSEL10", "081234567890", "LKT-2")
            } catch let error as FlowixError {
                guard case .rejected(let rejection) = error else { throw error }
                #expect(rejection.message == "Saldo tidak mencukupi.")
                #expect(rejection.httpStatus == 400)
            }
            await #expect(throws: FlowixError.self) {
                try await client.createTransaction("XLD6GB", "081734567890", "LKT-3")
            }
            let unknownRef = await #expect(throws: FlowixError.self) { try await client.transactionStatus("nope") }
            #expect(unknownRef?.isRejection == true)
        }
    }

    @Test func serverErrorAfterCreateIsUnknownButTheTransactionExists() async throws {
        try await withSandbox { _, client in
            let error = await #expect(throws: FlowixError.self) {
                try await client.createTransaction("TSEL10", "081234565000", "LKT-500")
            }
            #expect(error == .outcomeUnknown(.serverError(status: 500)))
            let status = try await client.transactionStatus("LKT-500")
            #expect(status.status == .processing)
        }
    }

    @Test func htmlAfterCreateIsUnknown() async throws {
        try await withSandbox { _, client in
            let error = await #expect(throws: FlowixError.self) {
                try await client.createTransaction("TSEL10", "081234568888", "LKT-HTML")
            }
            #expect(error == .outcomeUnknown(.serverError(status: 502)))
            let checked1 = try await client.transactionStatus("LKT-HTML")
            #expect(checked1.status == .processing)
        }
    }

    @Test func slowAnswerTimesOutAsUnknown() async throws {
        let configuration = SandboxConfiguration(settlementDelay: nil, slowAnswerDelay: .seconds(3))
        try await withSandbox(configuration, clientTimeout: .milliseconds(300)) { _, client in
            let error = await #expect(throws: FlowixError.self) {
                try await client.createTransaction("TSEL10", "081234567777", "LKT-SLOW")
            }
            #expect(error == .outcomeUnknown(.timeout))
        }
    }

    @Test func staysProcessingUntilSettled() async throws {
        try await withSandbox { server, client in
            _ = try await client.createTransaction("PLN20", "12345679999", "LKT-HOLD")
            await server.sandbox.settleDue()
            let checked2 = try await client.transactionStatus("LKT-HOLD")
            #expect(checked2.status == .processing)
            #expect(await server.sandbox.settle(refID: "LKT-HOLD", as: .success))
            let status = try await client.transactionStatus("LKT-HOLD")
            #expect(status.status == .success)
            #expect(status.sn?.split(separator: "-").count == 5)
        }
    }

    @Test func billCheckAndPay() async throws {
        try await withSandbox { server, client in
            let bill = try await client.checkBill("PLNPOST", "512345678901")
            #expect(!bill.customerName.isEmpty)
            #expect(bill.adminFee == Rupiah(2_500))
            let payment = try await client.payBill("PLNPOST", "512345678901", bill.inquiryID)
            #expect(payment.refID == bill.inquiryID)
            #expect(payment.status == .processing)
            #expect(await server.sandbox.balance == Rupiah(5_000_000 - bill.total!.value))
            await server.sandbox.settleDue()
            let checked3 = try await client.transactionStatus(bill.inquiryID)
            #expect(checked3.status == .success)

            let missing = await #expect(throws: FlowixError.self) {
                try await client.checkBill("BPJSKES", "8888801111")
            }
            #expect(missing?.isRejection == true)
        }
    }

    @Test func depositLifecycle() async throws {
        try await withSandbox { server, client in
            let methods = try await client.depositMethods()
            #expect(methods.first?.code == "QRIS")
            let ticket = try await client.createDeposit(Rupiah(50_000)!, "QRIS", true)
            #expect(ticket.amountTotal == Rupiah(50_700))
            #expect(ticket.amountReceived == Rupiah(50_000))
            let qr = try #require(ticket.paymentData.qr?.string)
            #expect(qr.hasPrefix("000201"))
            #expect(qr.contains("540550700"))
            let checked4 = try await client.depositStatus(ticket.refID)
            #expect(checked4.status == .pending)

            try await client.cancelDeposit(ticket.refID)
            let checked5 = try await client.depositStatus(ticket.refID)
            #expect(checked5.status == .cancelled)
            let twice = await #expect(throws: FlowixError.self) { try await client.cancelDeposit(ticket.refID) }
            #expect(twice?.isRejection == true)

            // Money that arrives after a cancel is still reported as paid.
            #expect(await server.sandbox.payDeposit(refID: ticket.refID))
            #expect(!(await server.sandbox.payDeposit(refID: ticket.refID)))
            let paid = try await client.depositStatus(ticket.refID)
            #expect(paid.status == .success)
            #expect(paid.amountReceived == Rupiah(50_000))
            #expect(await server.sandbox.balance == Rupiah(5_050_000))

            let outOfRange = await #expect(throws: FlowixError.self) {
                try await client.createDeposit(Rupiah(10_000_000)!, "QRIS", true)
            }
            #expect(outOfRange?.isRejection == true)
        }
    }

    @Test func payoutLifecycle() async throws {
        try await withSandbox { server, client in
            let banks = try await client.payoutBanks()
            #expect(banks.contains { $0.code == "DANA" && $0.isEWallet })
            let account = try await client.inquirePayoutAccount("BCA", "1234567890")
            #expect(!account.accountName.isEmpty)
            let receipt = try await client.createPayout(PayoutOrder(bankCode: "BCA", accountNumber: "1234567890",
                                                        accountName: account.accountName, amount: Rupiah(100_000)!, refID: "WD-1"))
            #expect(receipt.refID == "WD-1")
            #expect(receipt.status == .processing)
            _ = try await client.createPayout(PayoutOrder(bankCode: "BCA", accountNumber: "1234567890",
                                              accountName: account.accountName, amount: Rupiah(100_000)!, refID: "WD-1"))
            #expect(await server.sandbox.balance == Rupiah(5_000_000 - 102_500))
            await server.sandbox.settleDue()
            let status = try await client.payoutStatus("WD-1")
            #expect(status.status == .success)
            #expect(status.fee == Rupiah(2_500))
            #expect(status.totalDeduction == Rupiah(102_500))

            let small = await #expect(throws: FlowixError.self) {
                try await client.createPayout(PayoutOrder(bankCode: "BCA", accountNumber: "1234567890", accountName: nil,
                                              amount: Rupiah(9_999)!, refID: "WD-2"))
            }
            #expect(small?.isRejection == true)
            let notFound = await #expect(throws: FlowixError.self) {
                try await client.inquirePayoutAccount("BCA", "1234561111")
            }
            #expect(notFound?.isRejection == true)

            _ = try await client.createPayout(PayoutOrder(bankCode: "DANA", accountNumber: "081200000000", accountName: nil,
                                              amount: Rupiah(20_000)!, refID: "WD-3"))
            await server.sandbox.settleDue()
            let checked6 = try await client.payoutStatus("WD-3")
            #expect(checked6.status == .failed)
            #expect(await server.sandbox.balance == Rupiah(5_000_000 - 102_500))
        }
    }

    @Test func credentialsAreRequiredAndAcceptedInHeaderBodyOrQuery() async throws {
        try await withSandbox { server, client in
            let wrong = FlowixAPI.live(configuration: FlowixConfiguration(
                baseURL: server.baseURL, credentials: FlowixCredentials(apiKey: "sk-wrong-key", merchantID: "MID-SANDBOX")))
            let error = await #expect(throws: FlowixError.self) { try await wrong.account() }
            #expect(error?.isRejection == true)
            #expect(error.map { "\($0)" }?.contains("sk-wrong-key") == false)

            let (missingStatus, _) = try await rawRequest(server.baseURL + "/account", get: true)
            #expect(missingStatus == 401)
            let (bodyStatus, bodyText) = try await rawRequest(
                server.baseURL + "/transaction/status", headers: [("Content-Type", "application/json")],
                body: #"{"api_key":"sk-sandbox-key","merchant_id":"MID-SANDBOX","ref_id":"none"}"#)
            #expect(bodyStatus == 404)
            #expect(bodyText.contains("Transaksi tidak ditemukan"))
            let (queryStatus, queryText) = try await rawRequest(
                server.baseURL + "/account?api_key=sk-sandbox-key&merchant_id=MID-SANDBOX", get: true)
            #expect(queryStatus == 200)
            #expect(queryText.contains("\"balance\":5000000"))
            _ = client
        }
    }

    @Test func unreachableServerIsUnknownAndBadBaseURLIsNotSent() async throws {
        let closed = FlowixAPI.live(configuration: FlowixConfiguration(
            baseURL: "http://127.0.0.1:9/api/v1", credentials: FlowixCredentials(apiKey: "sk-test-key", merchantID: "M"),
            timeout: .seconds(2)))
        let error = await #expect(throws: FlowixError.self) { try await closed.account() }
        #expect(error?.isRejection == false)
        if case .notSent = error { Issue.record("a connection failure must be an unknown outcome") }

        let broken = FlowixAPI.live(configuration: FlowixConfiguration(
            baseURL: "not a url", credentials: FlowixCredentials(apiKey: "sk-test-key", merchantID: "M")))
        let notSent = await #expect(throws: FlowixError.self) { try await broken.account() }
        if case .notSent = notSent {} else { Issue.record("expected notSent, got \(String(describing: notSent))") }
    }

    @Test func signedWebhooksAreRetriedAndResent() async throws {
        let receiver = WebhookReceiver(answering: [500, 503])
        try await receiver.start()
        let configuration = SandboxConfiguration(
            settlementDelay: nil, webhookRetryDelays: [.milliseconds(20), .milliseconds(20), .milliseconds(20)])
        try await withSandbox(configuration) { server, client in
            await server.sandbox.setWebhookURL(await receiver.url)
            _ = try await client.createTransaction("TSEL10", "081234567890", "LKT-W")
            await server.sandbox.settleDue()
            await server.sandbox.waitForWebhooks()

            let deliveries = await receiver.deliveries
            #expect(deliveries.count == 3)
            let verifier = WebhookVerifier(credentials: configuration.credentials, secret: WebhookSecret(configuration.webhookSecret))
            let event = try verifier.verify(body: deliveries[2].body, headers: deliveries[2].headers)
            #expect(deliveries[2].eventHeader == "transaction.status")
            guard case .transaction(let update) = event.payload else {
                Issue.record("expected a transaction update")
                return
            }
            #expect(update.refID == "LKT-W")
            #expect(update.status == .success)
            #expect(await server.sandbox.webhookDeliveries().first?.delivered == true)

            try await client.resendWebhook("LKT-W")
            await server.sandbox.waitForWebhooks()
            let replay = await receiver.deliveries.last
            #expect(replay?.body == deliveries[2].body)
            let resendMissing = await #expect(throws: FlowixError.self) { try await client.resendWebhook("NOPE") }
            #expect(resendMissing?.isRejection == true)
        }
        await receiver.stop()
    }
}
