import Flowix
import FlowixSandbox
import Foundation
import Ledger
import Money
import Testing

/// The built bot through whole conversations, against the Flowix sandbox and the fake Bot API
/// on loopback, with a real SQLite file.
@Suite("The bot end to end", .serialized)
struct PurchaseIntegrationTests {
    static let customer: Int64 = 5_001

    /// An admin credits the customer so purchases can be paid.
    func fund(_ bot: BotHarness, _ chat: Int64 = customer, amount: String = "100000") async throws {
        try await bot.say("/start", from: chat)
        try await bot.say("/tambahsaldo \(chat) \(amount) modal awal", from: BotHarness.admin)
        _ = try await bot.waitForMessage("ditambah", to: chat)
    }

    /// Over real HTTP on loopback: the live clients, the bot's server and Flowix's webhooks.
    @Test func buyPulsaThroughTheMenuAndTheQuickFormat() async throws {
        let bot = try await BotHarness(wire: .loopback)
        try await bot.start()
        try await fund(bot)
        #expect(try await bot.ledger.wallets.balance(userID: Self.customer) == Rupiah(100_000))

        // Through the menu.
        try await bot.say("/menu", from: Self.customer)
        try await bot.press("Pulsa", in: Self.customer)
        try await bot.press("Telkomsel", in: Self.customer)
        try await bot.press("Telkomsel 10.000", in: Self.customer)
        try await bot.say("0812-3456-7890", from: Self.customer)
        let processing = try await bot.press("Beli", in: Self.customer)
        #expect(processing.last?.text?.contains("sedang diproses") == true)
        try await bot.settle()
        let success = try await bot.waitForMessage("Berhasil", to: Self.customer)
        #expect(success.text?.contains("SN:") == true)
        #expect(try await bot.ledger.wallets.balance(userID: Self.customer) == Rupiah(100_000 - 10_500))

        // The reseller shortcut.
        try await bot.say("TSEL25.081234567891", from: Self.customer)
        try await bot.press("Beli", in: Self.customer)
        try await bot.settle()
        try await waitUntil("two successes") { await bot.api.delivered(to: Self.customer).filter { $0.text?.contains("Berhasil") == true }.count == 2 }
        #expect(try await bot.ledger.wallets.balance(userID: Self.customer) == Rupiah(100_000 - 10_500 - 24_900))
        #expect(await bot.flowix.balance == Rupiah(5_000_000 - 10_500 - 24_900))
        #expect(try bot.checkLedger().isEmpty)

        let (healthStatus, _) = try await bot.get("/healthz")
        #expect(healthStatus == 200)
        let (metricsStatus, metrics) = try await bot.get("/metrics")
        #expect(metricsStatus == 200)
        #expect(metrics.contains(#"loket_purchases_total{status="success"} 2"#))
        #expect(metrics.contains(#"loket_purchases_total{status="held"} 2"#))
        #expect(metrics.contains("loket_updates_handled_total"))
        #expect(metrics.contains("loket_messages_sent_total"))
        #expect(metrics.contains("loket_webhooks_accepted_total 2"))
        await bot.stop()
        bot.cleanUp()
    }

    /// A success message offers "Beli lagi"; it and `KODE.2.TUJUAN` buy the same again within
    /// 24 hours without "transaksi ganda?", each through a fresh confirmation.
    @Test func buyingAgainFromTheSuccessMessageAndWithARepeatCounter() async throws {
        let bot = try await BotHarness()
        try await bot.start()
        try await fund(bot)
        try await bot.say("TSEL10.081234567890", from: Self.customer)
        try await bot.press("Beli", in: Self.customer)
        try await bot.settle()
        _ = try await bot.waitForMessage("Berhasil", to: Self.customer)
        let confirmation = try #require(try await bot.press("Beli lagi", in: Self.customer).first?.text)
        #expect(confirmation.contains("Telkomsel 10.000") && confirmation.contains("081234567890"))
        #expect(!confirmation.contains("24 jam"))
        try await bot.press("Beli", in: Self.customer)
        try await bot.settle()
        try await waitUntil("two successes") { await bot.api.delivered(to: Self.customer).filter { $0.text?.contains("Berhasil") == true }.count == 2 }
        let counted = try #require(try await bot.say("TSEL10.3.081234567890", from: Self.customer).first?.text)
        #expect(!counted.contains("24 jam"))
        try await bot.press("Beli", in: Self.customer)
        try await bot.settle()
        try await waitUntil("three successes") { await bot.api.delivered(to: Self.customer).filter { $0.text?.contains("Berhasil") == true }.count == 3 }
        #expect(try await bot.ledger.wallets.balance(userID: Self.customer) == Rupiah(100_000 - 3 * 10_500))
        // Without the counter, the same again is asked about.
        #expect(try await bot.say("TSEL10.081234567890", from: Self.customer).first?.text?.contains("24 jam") == true)
        #expect(try bot.checkLedger().isEmpty)
        await bot.stop()
        bot.cleanUp()
    }

    @Test func aFailingTargetRefundsExactlyOnceAndWebhooksCannotBeReplayedOrForged() async throws {
        let bot = try await BotHarness()
        try await bot.start()
        try await fund(bot)
        try await bot.say("TSEL10.081200000000", from: Self.customer)
        try await bot.press("Beli", in: Self.customer)
        #expect(try await bot.ledger.wallets.balance(userID: Self.customer) == Rupiah(89_500))
        try await bot.settle()
        _ = try await bot.waitForMessage("dikembalikan", to: Self.customer)
        #expect(try await bot.ledger.wallets.balance(userID: Self.customer) == Rupiah(100_000))

        // The same webhook three more times changes nothing.
        let failed = try await bot.ledger.orders.all(in: [.failed], updatedBefore: Date().addingTimeInterval(60))
        let order = try #require(failed.first)
        let delivery = try #require(await bot.flowix.webhookDeliveries().last { $0.refID == order.refId })
        let secret = WebhookSecret(bot.flowix.configuration.webhookSecret)
        let headers = [("X-Flowix-Signature", secret.signature(of: delivery.body)), ("X-Flowix-Key", bot.flowix.configuration.credentials.apiKey),
                       ("X-Flowix-Merchant", bot.flowix.configuration.credentials.merchantID)]
        for _ in 0..<3 { #expect(try await bot.postWebhook(delivery.body, headers: headers) == 200) }

        // A forged success for the same order: wrong signature, then wrong key.
        let forged = Array(String(decoding: delivery.body, as: UTF8.self).replacingOccurrences(of: "failed", with: "success")
            .replacingOccurrences(of: "evt_", with: "evt_x").utf8)
        #expect(try await bot.postWebhook(forged, headers: [headers[0], headers[1], headers[2]]) == 403)
        #expect(try await bot.postWebhook(forged, headers: [("X-Flowix-Signature", secret.signature(of: forged)), ("X-Flowix-Key", "sk-other"),
                                                             headers[2]]) == 403)
        #expect(try await bot.postWebhook(forged, headers: [headers[1], headers[2]]) == 401)
        #expect(try await bot.ledger.wallets.balance(userID: Self.customer) == Rupiah(100_000))
        let refunds = await bot.api.delivered(to: Self.customer).filter { $0.text?.contains("dikembalikan") == true }
        #expect(refunds.count == 1)
        #expect(try bot.checkLedger().isEmpty)
        await bot.stop()
        bot.cleanUp()
    }

    @Test func anUnknownOutcomeStaysHeldUntilTheReconcilerResolvesIt() async throws {
        let bot = try await BotHarness()
        try await bot.start()
        try await fund(bot)
        try await bot.say("TSEL10.081234565000", from: Self.customer)
        try await bot.press("Beli", in: Self.customer)
        try await waitUntil("the order is unknown") {
            try await bot.ledger.orders.all(in: [.unknown], updatedBefore: Date().addingTimeInterval(60)).count == 1
        }
        #expect(try await bot.ledger.wallets.balance(userID: Self.customer) == Rupiah(89_500))
        await bot.runtime.reconciler.reconcile()
        #expect(try await bot.ledger.orders.all(in: [.processing], updatedBefore: Date().addingTimeInterval(60)).count == 1)
        // Flowix settles but its webhook is lost: only the reconciler can tell.
        await bot.flowix.setWebhookURL(nil)
        try await bot.settle()
        try await Task.sleep(for: .milliseconds(1_100))
        var tuningReconcile = 0
        while try await bot.ledger.orders.all(in: [.success], updatedBefore: Date().addingTimeInterval(60)).isEmpty, tuningReconcile < 5 {
            await bot.runtime.reconciler.reconcileProcessing(olderThan: 0)
            tuningReconcile += 1
        }
        _ = try await bot.waitForMessage("Berhasil", to: Self.customer)
        #expect(try await bot.ledger.wallets.balance(userID: Self.customer) == Rupiah(89_500))
        #expect(try bot.checkLedger().isEmpty)
        await bot.stop()
        bot.cleanUp()
    }

    @Test func anOrderHeldBeforeACrashIsSentOnceAfterTheRestart() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("loket-restart-\(UUID().uuidString)")
        let first = try await BotHarness(databaseFolder: folder)
        try await first.start()
        try await fund(first)
        await first.stop()
        // The crash: the hold committed, the call to Flowix never happened.
        _ = try await first.ledger.orders.place(NewOrder(refID: "LKT-CRASH-1", userID: Self.customer, kind: .prepaid, productCode: "TSEL10",
                                                       productName: "Telkomsel 10.000", category: "Pulsa", brand: "Telkomsel",
                                                       target: "081234567890", sellPrice: Rupiah(10_500)!, quotedCost: Rupiah(10_500)!))
        let second = try await BotHarness(databaseFolder: folder)
        try await second.start()
        // Not before the Flowix timeout has passed (1 s here; a create may still be in flight
        // elsewhere): then a reconciler pass sends it; a second pass may send it again, which the
        // same ref_id makes harmless.
        try await Task.sleep(for: .seconds(3.1))
        #expect(await !second.flowix.requests.contains { $0.path == "/transaction/create" }, "resent within the Flowix timeout")
        await second.runtime.reconciler.reconcile()
        try await waitUntil("the order was sent") { await second.flowix.requests.contains { $0.path == "/transaction/create" } }
        await second.runtime.reconciler.reconcile()
        try await second.settle()
        try await waitUntil("the order succeeded") { try await second.ledger.orders.order(refID: "LKT-CRASH-1")?.status == .success }
        let creates = await second.flowix.requests.filter { $0.path == "/transaction/create" }
        #expect(Set(creates.map { $0.bodyFields["ref_id"] }) == ["LKT-CRASH-1"])
        #expect(await second.flowix.balance == Rupiah(5_000_000 - 10_500), "Flowix charged once")
        #expect(try await second.ledger.wallets.balance(userID: Self.customer) == Rupiah(89_500))
        #expect(try second.checkLedger().isEmpty)
        await second.stop()
        second.cleanUp()
    }

    @Test func marginsAreForAdminsAndPricesFollowThem() async throws {
        let bot = try await BotHarness()
        try await bot.start()
        try await fund(bot)
        let refused = try await bot.say("/margin set semua 500", from: Self.customer)
        #expect(refused.first?.text?.contains("khusus admin") == true)
        try await bot.say("/margin set semua 500", from: BotHarness.admin)
        try await bot.say("/margin set produk:TSEL10 2% member", from: BotHarness.admin)
        let list = try await bot.say("/margin", from: BotHarness.admin)
        #expect(list.first?.text?.contains("#") == true)
        let confirmation = try await bot.say("TSEL10.081234567890", from: Self.customer)
        // 10.500 + 2 % = 10.710, rounded up to Rp50: 10.750.
        #expect(confirmation.first?.text?.contains("Rp10.750") == true)
        let other = try await bot.say("TSEL25.081234567890", from: Self.customer)
        // 24.900 + 500 = 25.400.
        #expect(other.first?.text?.contains("Rp25.400") == true)
        await bot.stop()
        bot.cleanUp()
    }
}
