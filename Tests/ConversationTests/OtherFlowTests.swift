import Foundation
import Money
import Testing
@testable import Conversation

@Suite("Bill, deposit, withdrawal and command flows")
struct OtherFlowTests {
    var flow = FlowHarness()

    static let bill = BillQuote(productCode: "PLNPOST", productName: "PLN Pascabayar", customerNumber: "512345678901",
                                customerName: "BUDI <SANTOSO> & CO", period: "2026-11", billAmount: Rupiah(54_500)!,
                                adminFee: Rupiah(2_500)!, total: Rupiah(57_500)!, inquiryID: "INQ-1")

    @Test mutating func billCheckThenPay() {
        var effects = flow.press("PLN Pascabayar", in: flow.send("/tagihan"))
        #expect(flow.step == .enteringBillNumber(productCode: "PLNPOST"))
        effects = flow.send("123")
        #expect(FlowHarness.text(effects).contains("11 digit"))
        effects = flow.send("5123 4567 8901")
        #expect(effects.contains(.checkBill(productCode: "PLNPOST", customerNumber: "512345678901")))
        #expect(FlowHarness.text(flow.send("512345678901")).contains("Sebentar"))
        effects = flow.input(.billChecked(Self.bill))
        let details = FlowHarness.text(effects)
        #expect(details.contains("BUDI &lt;SANTOSO&gt; &amp; CO"))
        #expect(details.contains("Rp54.500") && details.contains("Rp2.500") && details.contains("Rp57.500") && details.contains("Rp42.500"))
        #expect(flow.press("Bayar", in: effects) == [.payBill(Self.bill)])
        #expect(flow.step == .idle)
    }

    @Test mutating func billShortcutAndRefusal() {
        let effects = flow.send("/tagihan plnpost 512345678901")
        #expect(effects.contains(.checkBill(productCode: "PLNPOST", customerNumber: "512345678901")))
        let refused = flow.input(.lookupFailed(reason: "Tagihan <sudah> lunas"))
        #expect(FlowHarness.text(refused).contains("Tagihan &lt;sudah&gt; lunas"))
        #expect(flow.step == .enteringBillNumber(productCode: "PLNPOST"))
        #expect(FlowHarness.text(flow.send("/tagihan NOPE 1")).contains("tidak dikenal"))
        // A late answer for a flow that was left is ignored.
        flow.send("/batal")
        #expect(flow.input(.billChecked(Self.bill)).isEmpty)
    }

    /// A bill in disruption is listed, marked, and refused when chosen or named.
    @Test mutating func aDisruptedBillIsShownAndRefused() throws {
        let index = try #require(flow.products.firstIndex { $0.code == "BPJSKES" })
        flow.products[index].isAvailable = false
        let list = flow.send("/tagihan")
        #expect(FlowHarness.buttons(list).map(\.title).contains("⛔ BPJS Kesehatan · gangguan"))
        #expect(FlowHarness.text(flow.press("BPJS Kesehatan", in: list)).contains("sedang gangguan"))
        #expect(flow.step == .idle)
        #expect(FlowHarness.text(flow.send("/tagihan bpjskes 0001234567890")).contains("sedang gangguan"))
        #expect(FlowHarness.text(flow.press("PLN Pascabayar", in: flow.send("/tagihan"))).contains("PLN Pascabayar"))
    }

    /// A lookup whose answer never comes (lost in a restart) does not hold the chat forever:
    /// asking while it runs changes nothing, asking after the patience runs out gives it up.
    @Test mutating func aLookupWithoutAnAnswerIsGivenUp() {
        flow.send("/tagihan plnpost 512345678901")
        #expect(flow.step == .awaitingBill(productCode: "PLNPOST"))
        for _ in 0..<4 {
            flow.now += 20
            #expect(FlowHarness.text(flow.send("gimana kak")).contains("Sebentar"))
        }
        // Each question came 20 s after the last, but the lookup started 100 s ago.
        flow.now += 20
        let given = FlowHarness.text(flow.send("gimana kak"))
        #expect(given.contains("tidak mendapat jawaban"))
        #expect(flow.step == .enteringBillNumber(productCode: "PLNPOST"))
        #expect(flow.send("512345678901").contains(.checkBill(productCode: "PLNPOST", customerNumber: "512345678901")))
    }

    @Test mutating func depositAmountThenMethod() {
        var effects = flow.send("/deposit")
        #expect(FlowHarness.text(effects).contains("Rp1.000") && FlowHarness.text(effects).contains("Rp5.000.000"))
        #expect(FlowHarness.text(flow.send("lima puluh")).contains("tidak dikenali"))
        #expect(FlowHarness.text(flow.send("10jt")).contains("antara"))
        #expect(FlowHarness.text(flow.send("0")).contains("nol"))
        effects = flow.send("Rp 50.000,-")
        let titles = FlowHarness.buttons(effects).map(\.title)
        #expect(titles.first?.hasPrefix("QRIS (All Payment)") == true)
        #expect(titles.contains { $0.contains("QRIS Fast") })
        #expect(flow.press("QRIS (All", in: effects) == [.createDeposit(amount: Rupiah(50_000)!, methodCode: "QRIS")])
    }

    @Test mutating func depositSlangAndRange() {
        let effects = flow.send("isi 3jt")
        #expect(FlowHarness.buttons(effects).map(\.title).filter { $0.contains("QRIS") }.count == 1)
        #expect(flow.press("QRIS", in: effects) == [.createDeposit(amount: Rupiah(3_000_000)!, methodCode: "QRIS")])
        #expect(flow.input(.button(CallbackData.depositCancel(reference: "DEP-9")!)) == [.cancelDeposit(reference: "DEP-9")])
        #expect(flow.input(.button(CallbackData.depositStatus(reference: "DEP-9")!)) == [.checkDeposit(reference: "DEP-9")])
    }

    @Test mutating func withdrawalIsForResellers() {
        #expect(FlowHarness.text(flow.send("/tarik")).contains("hanya untuk reseller"))
        #expect(FlowHarness.text(flow.send("wd")).contains("hanya untuk reseller"))
    }

    @Test mutating func withdrawalToABank() {
        flow.customer.level = "reseller"
        flow.customer.canWithdraw = true
        var effects = flow.send("tf")
        // Banks are shown by the names people use (locales/vocabulary.yaml).
        #expect(FlowHarness.buttons(effects).map(\.title).prefix(2) == ["BCA", "DANA"])
        effects = flow.press("BCA", in: effects)
        #expect(FlowHarness.text(flow.send("12ab")).contains("5–20 digit"))
        effects = flow.send("1234-567-890")
        #expect(effects.contains(.inquireAccount(bankCode: "BCA", accountNumber: "1234567890")))
        let account = PayoutAccount(bankCode: "BCA", bankName: "BANK CENTRAL ASIA", accountNumber: "1234567890", accountName: "DANI <JOEST>")
        effects = flow.input(.accountInquired(account))
        #expect(FlowHarness.text(effects).contains("DANI &lt;JOEST&gt;"))
        #expect(FlowHarness.text(flow.send("5000")).contains("Minimal penarikan Rp10.000"))
        #expect(FlowHarness.text(flow.send("99rb")).contains("Saldo tidak cukup"))
        effects = flow.send("50rb")
        let confirmation = FlowHarness.text(effects)
        #expect(confirmation.contains("Rp50.000") && confirmation.contains("Rp2.500") && confirmation.contains("Rp52.500") && confirmation.contains("Rp47.500"))
        // The PIN unlocks it: nothing is asked of the shop before the sixth digit.
        effects = flow.press("Tarik", in: effects)
        #expect(FlowHarness.text(effects).contains("PIN transaksi"))
        #expect(!effects.contains { if case .createPayout = $0 { true } else { false } })
        effects = flow.send("246810")
        #expect(effects == [.deleteMessage(500), .verifyPIN("246810")])
        #expect(flow.input(.pinChecked(.accepted)) == [.createPayout(PayoutQuote(account: account, amount: Rupiah(50_000)!, fee: Rupiah(2_500)!))])
    }

    @Test mutating func withdrawalToAnEWalletTakesAPhoneNumber() {
        flow.customer.canWithdraw = true
        var effects = flow.press("DANA", in: flow.send("/tarik"))
        #expect(FlowHarness.text(effects).contains("nomor HP"))
        effects = flow.send("+62 812 3456 7890")
        #expect(effects.contains(.inquireAccount(bankCode: "DANA", accountNumber: "081234567890")))
        let refused = flow.input(.lookupFailed(reason: "Rekening tidak ditemukan"))
        #expect(FlowHarness.text(refused).contains("Rekening tidak ditemukan"))
        #expect(flow.step == .enteringAccountNumber(bankCode: "DANA"))
    }

    @Test mutating func simpleCommands() throws {
        #expect(FlowHarness.text(flow.send("/saldo")).contains("Rp100.000"))
        #expect(flow.send("/riwayat") == [.showHistory])
        #expect(flow.send("/cek LKT-7") == [.lookupOrder(reference: "LKT-7")])
        #expect(flow.send("/struk LKT-7") == [.showReceipt(reference: "LKT-7")])
        #expect(flow.input(.button(try #require(CallbackData.receipt(reference: "LKT-7")))) == [.showReceipt(reference: "LKT-7")])
        #expect(FlowHarness.text(flow.send("/struk")).contains("/struk REF"))
        #expect(CallbackData.receipt(reference: String(repeating: "X", count: 70)) == nil)
        #expect(FlowHarness.text(flow.send("/cek")).contains("/cek REF"))
        let prices = FlowHarness.text(flow.send("/harga telkomsel"))
        #expect(prices.contains("TSEL10") && !prices.contains("ISAT10"))
        #expect(FlowHarness.text(flow.send("/harga zzz")).contains("zzz"))
        #expect(FlowHarness.text(flow.send("/bantuan")).contains("Cara pakai"))
        let english = flow.send("/bahasa en")
        #expect(english.first == .setLanguage(.en))
        #expect(FlowHarness.text(english).contains("English"))
        #expect(FlowHarness.text(flow.send("/bahasa jawa")).contains("/bahasa id"))
        flow.language = .en
        #expect(FlowHarness.text(flow.send("/saldo")).contains("Rp100,000"))
    }

    @Test mutating func ownerCommandsAreForAdminsOnly() {
        #expect(FlowHarness.text(flow.send("/margin")).contains("khusus admin"))
        #expect(FlowHarness.text(flow.send("/tambahsaldo 5 50rb")).contains("khusus admin"))
        flow.customer.isAdmin = true
        #expect(flow.send("/margin set semua 500") == [.admin(.setMargin(scope: .all, value: .rupiah(Rupiah(500)!), level: nil))])
        #expect(FlowHarness.text(flow.send("/margin set")).contains("/margin set"))
    }

    @Test("anything not understood gets a hint and the menu", arguments: [
        "asdf qwerty", "🙏🙏🙏", String(repeating: "x", count: 4096), "\u{202E}ﺎﺒﺣﺮﻣ", "'; DROP TABLE users; --",
        "<script>alert(1)</script>", "\u{0}\u{7}", "/start@", "?",
    ])
    func notUnderstood(text: String) {
        var flow = FlowHarness()
        let effects = flow.send(text)
        #expect(!effects.isEmpty)
        #expect(FlowHarness.buttons(effects).count >= 11)
        #expect(!FlowHarness.text(effects).contains("<script>"))
    }

    @Test mutating func callbackDataFitsTelegramsLimit() throws {
        var all: [Button] = []
        for input in ["/menu", "pulsa 10rb", "/tagihan", "/deposit 50rb", "TSEL10.081234567890"] {
            all += FlowHarness.buttons(flow.send(input))
        }
        all.append(Button("x", try #require(CallbackData.depositCancel(reference: String(repeating: "D", count: 40)))))
        #expect(all.allSatisfy { $0.data.utf8.count <= CallbackData.limit })
        // A Flowix reference too long for a button gets none, rather than a button Telegram refuses.
        #expect(CallbackData.depositStatus(reference: String(repeating: "D", count: 60)) == String("d:s:" + String(repeating: "D", count: 60)))
        #expect(CallbackData.depositStatus(reference: String(repeating: "D", count: 61)) == nil)
        #expect(CallbackData.depositCancel(reference: String(repeating: "é", count: 31)) == nil, "bytes, not characters")
    }

    @Test func stateSurvivesARoundTripThroughJSON() throws {
        var flow = FlowHarness()
        flow.send("TSEL10.081234567890")
        let data = try JSONEncoder().encode(flow.conversation.state)
        let restored = try JSONDecoder().decode(ConversationState.self, from: data)
        #expect(restored == flow.conversation.state)
    }
}
