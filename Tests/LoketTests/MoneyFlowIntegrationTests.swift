import Flowix
import FlowixSandbox
import Foundation
import Ledger
import Money
import Testing
import TestSupport

/// Deposits, withdrawals and bills through the running bot.
@Suite("Deposits, payouts and bills end to end", .serialized)
struct MoneyFlowIntegrationTests {
    static let customer: Int64 = 6_001

    func depositReference(_ caption: String?) throws -> String {
        let text = try #require(caption)
        let start = try #require(text.range(of: "DEP-"))
        return String(text[start.lowerBound...].prefix { $0 != "<" && !$0.isWhitespace })
    }

    /// Over real HTTP on loopback: the QR photo as a multipart upload, webhooks as Flowix posts them.
    @Test func aQRISDepositIsCreditedOnceWhateverArrivesTwice() async throws {
        let bot = try await BotHarness(wire: .loopback)
        try await bot.start()
        try await bot.say("/deposit 50rb", from: Self.customer)
        try await bot.press("QRIS (All", in: Self.customer, expecting: 2)
        let photo = try #require(await bot.api.delivered(to: Self.customer).last { $0.method == "sendPhoto" })
        let reference = try depositReference(photo.text)
        #expect(photo.text?.contains("Rp50.700") == true)
        #expect(photo.text?.contains("WIB") == true)
        let payload = try #require(await bot.flowix.depositQR(refID: reference))
        #expect(try ZBarDecoder.decode(try #require(photo.file)) == payload)
        #expect(BotHarness.button("Batalkan", in: photo) == "d:c:\(reference)")

        // A forged success before anyone paid: the signature is right, but Flowix says unpaid.
        let forged = Array(#"{"id":"evt_forged","event":"deposit.status","timestamp":1,"data":{"ref_id":"\#(reference)","status":"success","amount_received":5000000}}"#.utf8)
        let secret = WebhookSecret(bot.flowix.configuration.webhookSecret)
        let key = bot.flowix.configuration.credentials
        #expect(try await bot.postWebhook(forged, headers: [("X-Flowix-Signature", "00" + secret.signature(of: forged).dropFirst(2)),
                                                             ("X-Flowix-Key", key.apiKey), ("X-Flowix-Merchant", key.merchantID)]) == 403)
        #expect(try await bot.postWebhook(forged, headers: [("X-Flowix-Signature", secret.signature(of: forged)),
                                                             ("X-Flowix-Key", key.apiKey), ("X-Flowix-Merchant", key.merchantID)]) == 200)
        try await Task.sleep(for: .milliseconds(300))
        #expect(try await bot.ledger.wallets.balance(userID: Self.customer) == .zero)

        #expect(await bot.flowix.payDeposit(refID: reference))
        _ = try await bot.waitForMessage("masuk", to: Self.customer)
        #expect(try await bot.ledger.wallets.balance(userID: Self.customer) == Rupiah(50_000))
        // The webhook again, and the reconciler, change nothing.
        try await bot.flowixAPI.resendWebhook(reference)
        await bot.flowix.waitForWebhooks()
        await bot.runtime.reconciler.reconcile()
        try await bot.press("Cek status", in: Self.customer)
        #expect(try await bot.ledger.wallets.balance(userID: Self.customer) == Rupiah(50_000))
        #expect(await bot.api.delivered(to: Self.customer).filter { $0.text?.contains("masuk: ") == true }.count == 1)
        #expect(try bot.checkLedger().isEmpty)
        await bot.stop()
        bot.cleanUp()
    }

    @Test func aDepositPaidAfterItWasCancelledIsStillCredited() async throws {
        let bot = try await BotHarness()
        try await bot.start()
        try await bot.say("/deposit 20000", from: Self.customer)
        try await bot.press("QRIS (All", in: Self.customer, expecting: 2)
        let photo = try #require(await bot.api.delivered(to: Self.customer).last { $0.method == "sendPhoto" })
        let reference = try depositReference(photo.text)
        try await bot.press("Batalkan", in: Self.customer)
        _ = try await bot.waitForMessage("dibatalkan", to: Self.customer)
        #expect(try await bot.ledger.deposits.deposit(refID: reference)?.status == .cancelled)
        #expect(await bot.flowix.payDeposit(refID: reference))
        _ = try await bot.waitForMessage("masuk", to: Self.customer)
        #expect(try await bot.ledger.wallets.balance(userID: Self.customer) == Rupiah(20_000))
        #expect(try bot.checkLedger().isEmpty)
        await bot.stop()
        bot.cleanUp()
    }

    /// Makes the customer a reseller with Rp200.000 and walks the withdrawal up to the confirmation.
    func withdrawal(_ bot: BotHarness, account: String, amount: String) async throws {
        try await bot.say("/start", from: Self.customer)
        try await bot.say("/level \(Self.customer) reseller", from: BotHarness.admin)
        try await bot.say("/tambahsaldo \(Self.customer) 200rb", from: BotHarness.admin)
        _ = try await bot.waitForMessage("ditambah", to: Self.customer)
        try await bot.setPIN(for: Self.customer)
        try await bot.say("/tarik", from: Self.customer)
        try await bot.press("BCA", in: Self.customer)
        try await bot.say(account, from: Self.customer, expecting: 2)
        let confirmation = try await bot.say(amount, from: Self.customer)
        #expect(confirmation.first?.text?.contains("Rp2.500") == true)
    }

    @Test func aPayoutSucceedsAndAFailedOneIsRefundedOnce() async throws {
        let bot = try await BotHarness()
        try await bot.start()
        try await withdrawal(bot, account: "1234567890", amount: "100rb")
        try await bot.press("Tarik", in: Self.customer)
        #expect(try await bot.ledger.wallets.balance(userID: Self.customer) == Rupiah(200_000), "nothing moves before the PIN")
        try await bot.pressPIN(in: Self.customer)
        _ = try await bot.waitForMessage("diproses", to: Self.customer)
        #expect(try await bot.ledger.wallets.balance(userID: Self.customer) == Rupiah(97_500))
        try await bot.settle()
        _ = try await bot.waitForMessage("berhasil", to: Self.customer)

        try await bot.say("/tarik", from: Self.customer)
        try await bot.press("BCA", in: Self.customer)
        try await bot.say("9876540000", from: Self.customer, expecting: 2)
        try await bot.say("20000", from: Self.customer)
        try await bot.press("Tarik", in: Self.customer)
        try await bot.say(BotHarness.pin, from: Self.customer)
        // The two PINs typed at /pin and this one are deleted (each deletion is sent in its turn's order).
        try await waitUntil("the typed PINs are deleted") { await bot.deletions(in: Self.customer).count == 3 }
        #expect(try await bot.ledger.wallets.balance(userID: Self.customer) == Rupiah(75_000))
        try await bot.settle()
        _ = try await bot.waitForMessage("sudah dikembalikan", to: Self.customer)
        #expect(try await bot.ledger.wallets.balance(userID: Self.customer) == Rupiah(97_500))
        #expect(try bot.checkLedger().isEmpty)
        await bot.stop()
        bot.cleanUp()
    }

    @Test func anUnknownPayoutOutcomeIsResolvedByTheReconciler() async throws {
        let bot = try await BotHarness()
        try await bot.start()
        try await withdrawal(bot, account: "1234565000", amount: "50000")
        try await bot.press("Tarik", in: Self.customer)
        try await bot.say(BotHarness.pin, from: Self.customer)
        try await waitUntil("the payout is unknown") {
            try await bot.ledger.payouts.all(in: [.unknown], updatedBefore: Date().addingTimeInterval(60)).count == 1
        }
        await bot.flowix.setWebhookURL(nil)
        try await bot.settle()
        await bot.runtime.reconciler.reconcile()
        _ = try await bot.waitForMessage("berhasil", to: Self.customer)
        #expect(try await bot.ledger.wallets.balance(userID: Self.customer) == Rupiah(147_500))
        #expect(try bot.checkLedger().isEmpty)
        await bot.stop()
        bot.cleanUp()
    }

    @Test func membersCannotWithdraw() async throws {
        let bot = try await BotHarness()
        try await bot.start()
        let answer = try await bot.say("/tarik", from: Self.customer)
        #expect(answer.first?.text?.contains("hanya untuk reseller") == true)
        await bot.stop()
        bot.cleanUp()
    }

    @Test func aBillIsCheckedPricedAndPaid() async throws {
        let bot = try await BotHarness()
        try await bot.start()
        try await bot.say("/start", from: Self.customer)
        try await bot.say("/tambahsaldo \(Self.customer) 500rb", from: BotHarness.admin)
        _ = try await bot.waitForMessage("ditambah", to: Self.customer)
        try await bot.say("/margin set kategori:Tagihan 1000", from: BotHarness.admin)
        try await bot.say("/tagihan PLNPOST 512345678901", from: Self.customer, expecting: 2)
        let details = try #require(await bot.api.delivered(to: Self.customer).last)
        #expect(details.text?.contains("Biaya admin") == true)
        try await bot.press("Bayar", in: Self.customer)
        let order = try #require(try await bot.ledger.orders.all(in: [.processing, .pending], updatedBefore: Date().addingTimeInterval(60)).first)
        #expect(order.kind == .bill)
        #expect(order.sellPrice.value == order.quotedCost.value + 1_000)
        try await bot.settle()
        _ = try await bot.waitForMessage("Berhasil", to: Self.customer)
        #expect(try await bot.ledger.wallets.balance(userID: Self.customer).value == 500_000 - order.sellPrice.value)
        #expect(try bot.checkLedger().isEmpty)
        await bot.stop()
        bot.cleanUp()
    }
}
