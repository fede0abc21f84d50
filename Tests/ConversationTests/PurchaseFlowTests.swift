import Foundation
import Money
import Testing
@testable import Conversation

@Suite("Purchase flows")
struct PurchaseFlowTests {
    var flow = FlowHarness()

    func quote(_ code: String, _ name: String, _ target: String, _ price: Int64) -> Effect {
        .purchase(PurchaseQuote(productCode: code, productName: name, target: target, price: Rupiah(price)!))
    }

    @Test mutating func menuShowsEveryEntryAndTheBalance() {
        let effects = flow.send("/start")
        #expect(FlowHarness.text(effects).contains("Rp100.000"))
        #expect(FlowHarness.text(effects).contains("Budi"))
        let titles = FlowHarness.buttons(effects).map(\.title)
        #expect(titles.count == 12)
        for entry in ["Pulsa", "Paket Data", "E-Money", "Game", "Token PLN", "Tagihan", "Deposit", "Tarik Saldo", "Transfer", "Riwayat", "Saldo",
                      "Bantuan"] {
            #expect(titles.contains { $0.contains(entry) }, "\(entry)")
        }
    }

    @Test mutating func categoryBrandProductTargetConfirmBuy() {
        var effects = flow.press("Pulsa", in: flow.send("/menu"))
        #expect(FlowHarness.buttons(effects).map(\.title).contains("Telkomsel"))
        effects = flow.press("Telkomsel", in: effects)
        let titles = FlowHarness.buttons(effects).map(\.title)
        #expect(titles.prefix(3) == ["Telkomsel 5.000 · Rp5.900", "Telkomsel 10.000 · Rp10.950", "Telkomsel 25.000 · Rp25.350"])
        effects = flow.press("Telkomsel 10.000", in: effects)
        #expect(FlowHarness.text(effects).contains("nomor HP tujuan"))
        effects = flow.send("0812-3456-7890")
        let confirmation = FlowHarness.text(effects)
        #expect(confirmation.contains("Telkomsel 10.000") && confirmation.contains("081234567890"))
        #expect(confirmation.contains("Rp10.950") && confirmation.contains("Rp89.050"))
        effects = flow.press("Beli", in: effects)
        #expect(effects == [quote("TSEL10", "Telkomsel 10.000", "081234567890", 10_950)])
        #expect(flow.step == .idle)
    }

    @Test mutating func numberFirstOffersOnlyItsOperator() {
        var effects = flow.send("0812 3456 7890")
        #expect(FlowHarness.text(effects).contains("Telkomsel"))
        effects = flow.press("Pulsa", in: effects)
        #expect(FlowHarness.buttons(effects).allSatisfy { $0.title.hasPrefix("Telkomsel") || $0.title.contains("Batal") })
        effects = flow.press("Telkomsel 5.000", in: effects)
        #expect(FlowHarness.text(effects).contains("Konfirmasi pembelian"))
        #expect(flow.press("Beli", in: effects) == [quote("TSEL5", "Telkomsel 5.000", "081234567890", 5_900)])
    }

    @Test("quick formats jump to the confirmation", arguments: ["/beli TSEL10 081234567890", "TSEL10.081234567890", "tsel10 081234567890"])
    func quickFormats(text: String) {
        var flow = FlowHarness()
        let effects = flow.send(text)
        #expect(FlowHarness.text(effects).contains("Konfirmasi pembelian"))
        #expect(flow.press("Beli", in: effects) == [quote("TSEL10", "Telkomsel 10.000", "081234567890", 10_950)])
    }

    @Test mutating func quickBuyWithABadCodeOrTarget() {
        #expect(FlowHarness.text(flow.send("/beli NOPE 081234567890")).contains("tidak ditemukan"))
        let effects = flow.send("/beli PLN20 123")
        #expect(FlowHarness.text(effects).contains("11 digit"))
        #expect(flow.step == .enteringTarget(productCode: "PLN20"))
        #expect(FlowHarness.text(flow.send("/beli")).contains("/beli KODE TUJUAN"))
    }

    @Test("free text finds the product", arguments: [
        ("pulsa 10rb 081234567890", "TSEL10", "081234567890"),
        ("beli pulsa telkomsel 25 ribu ke 0812-3456-7890", "TSEL25", "081234567890"),
        ("token pln 50k 12345678901", "PLN50", "12345678901"),
        ("dana 50rb 081234567890", "DANA50", "081234567890"),
        ("diamond ml 86 12345678(1234)", "ML86", "12345678(1234)"),
    ])
    func freeText(text: String, code: String, target: String) {
        var flow = FlowHarness()
        let effects = flow.send(text)
        guard case .confirmingPurchase(let quote, _) = flow.step else {
            Issue.record("\(text): \(FlowHarness.text(effects))")
            return
        }
        #expect(quote.productCode == code)
        #expect(quote.target == target)
    }

    @Test mutating func freeTextAsksOnlyForWhatIsMissing() {
        var effects = flow.send("pulsa 10rb")
        #expect(FlowHarness.buttons(effects).map(\.title).filter { $0.contains("10.000") }.count == 3)
        effects = flow.press("XL 10.000", in: effects)
        #expect(flow.step == .enteringTarget(productCode: "XL10"))
        effects = flow.send("081712345678")
        #expect(FlowHarness.text(effects).contains("Rp11.150"))
    }

    @Test mutating func priceRiseAsksAgain() {
        var effects = flow.send("TSEL10.081234567890")
        flow.products[1].sellPrice = Rupiah(11_500)
        effects = flow.press("Beli", in: effects)
        #expect(FlowHarness.text(effects).contains("Harga berubah"))
        #expect(FlowHarness.text(effects).contains("Rp11.500"))
        #expect(!effects.contains { if case .purchase = $0 { return true } else { return false } })
        #expect(flow.press("Beli", in: effects) == [quote("TSEL10", "Telkomsel 10.000", "081234567890", 11_500)])
    }

    @Test mutating func priceDropChargesTheLowerPrice() {
        let effects = flow.send("TSEL10.081234567890")
        flow.products[1].sellPrice = Rupiah(10_500)
        #expect(flow.press("Beli", in: effects) == [quote("TSEL10", "Telkomsel 10.000", "081234567890", 10_500)])
    }

    @Test mutating func repeatWithin24HoursNeedsASecondYes() {
        flow.recent = [RecentPurchase(productCode: "TSEL10", target: "081234567890", at: flow.now.addingTimeInterval(-3600))]
        var effects = flow.send("TSEL10.081234567890")
        #expect(FlowHarness.text(effects).contains("24 jam"))
        effects = flow.press("Beli", in: effects)
        #expect(FlowHarness.text(effects).contains("Transaksi ganda?"))
        #expect(flow.press("Ya, beli lagi", in: effects) == [quote("TSEL10", "Telkomsel 10.000", "081234567890", 10_950)])

        flow.recent = [RecentPurchase(productCode: "TSEL10", target: "081234567890", at: flow.now.addingTimeInterval(-25 * 3600))]
        effects = flow.send("TSEL10.081234567890")
        #expect(!FlowHarness.text(effects).contains("24 jam"))
    }

    /// `KODE.2.TUJUAN` (and `KODE.TUJUAN.2`), as OtomaX resellers type a repeat, and the "Beli
    /// lagi" button: the customer already said it is a repeat, so no "transaksi ganda?".
    @Test mutating func aRepeatTheCustomerAskedForIsNotAskedAgain() throws {
        flow.recent = [RecentPurchase(productCode: "TSEL10", target: "081234567890", at: flow.now.addingTimeInterval(-3600))]
        let expected = [quote("TSEL10", "Telkomsel 10.000", "081234567890", 10_950)]
        for typed in ["TSEL10.2.081234567890", "tsel10.12.0812-3456-7890", "TSEL10.081234567890.2"] {
            let effects = flow.send(typed)
            #expect(!FlowHarness.text(effects).contains("24 jam"), "\(typed)")
            #expect(flow.press("Beli", in: effects) == expected, "\(typed)")
        }
        let again = try #require(CallbackData.buyAgain(code: "TSEL10", target: "081234567890"))
        let effects = flow.input(.button(again))
        #expect(FlowHarness.text(effects).contains("Telkomsel 10.000"))
        #expect(!FlowHarness.text(effects).contains("24 jam"))
        #expect(flow.press("Beli", in: effects) == expected)
        // Only a counter before a whole number is one; a plain order is no repeat.
        #expect(Conversation.resellerOrder(in: "TSEL10.2.081234567890", knows: { _ in true })! == ("TSEL10", "081234567890", true, nil))
        #expect(Conversation.resellerOrder(in: "TSEL10.081234567890", knows: { _ in true })! == ("TSEL10", "081234567890", false, nil))
        #expect(Conversation.resellerOrder(in: "TSEL10.2.0812", knows: { _ in true })?.repeating != true)
        // Before a number that is no phone number, the digits are the number's own.
        #expect(Conversation.resellerOrder(in: "PLN20.1.23456789012", knows: { _ in true })! == ("PLN20", "1.23456789012", false, nil))
        #expect(Conversation.resellerOrder(in: "TSEL10.62.812.3456.7890", knows: { _ in true })?.repeating == false)
        #expect(CallbackData.buyAgain(code: "TSEL10", target: String(repeating: "1", count: 70)) == nil)
    }

    @Test mutating func notEnoughBalanceOffersDepositInsteadOfBuy() {
        flow.customer.balance = Rupiah(5_000)!
        let effects = flow.send("TSEL10.081234567890")
        #expect(FlowHarness.text(effects).contains("Saldo tidak cukup"))
        let titles = FlowHarness.buttons(effects).map(\.title)
        #expect(titles.contains { $0.contains("Deposit") })
        #expect(!titles.contains { $0.contains("Beli") })
    }

    /// A product Flowix has in disruption is shown as such (never silently hidden), choosing it
    /// says so before any confirmation, and once it is back it sells again.
    @Test mutating func disruptedProductsAreShownAndRefusedUntilTheyComeBack() throws {
        var effects = flow.press("Paket Data", in: flow.send("/menu"))
        #expect(FlowHarness.buttons(effects).map(\.title).contains("XL"))
        effects = flow.press("XL", in: effects)
        let disrupted = try #require(FlowHarness.buttons(effects).first { $0.title.contains("gangguan") })
        #expect(disrupted.title == "⛔ XL Xtra Combo 6GB · gangguan")
        effects = flow.press("gangguan", in: effects)
        #expect(FlowHarness.text(effects).contains("sedang gangguan"))
        #expect(flow.step == .idle)
        // A confirmation shown while it sold, pressed after it went into disruption: refused.
        let index0 = try #require(flow.products.firstIndex { $0.code == "XLD6GB" })
        flow.products[index0].isAvailable = true
        let confirmation = flow.send("XLD6GB.081712345678")
        flow.products[index0].isAvailable = false
        let pressed = flow.press("Beli", in: confirmation)
        #expect(FlowHarness.text(pressed).contains("sedang gangguan"))
        #expect(!pressed.contains { if case .purchase = $0 { true } else { false } })
        #expect(FlowHarness.text(flow.send("XLD6GB.081712345678")).contains("sedang gangguan"))
        #expect(FlowHarness.text(flow.send("/harga xtra combo")).contains("XL Xtra Combo 6GB · <i>gangguan</i>"))
        // Asked for in everyday words: said to be in disruption, not "not found".
        #expect(FlowHarness.text(flow.send("paket data xl 6gb 081712345678")).contains("sedang gangguan"))

        let index = try #require(flow.products.firstIndex { $0.code == "XLD6GB" })
        flow.products[index].isAvailable = true
        effects = flow.send("XLD6GB.081712345678")
        #expect(FlowHarness.text(effects).contains("XL Xtra Combo 6GB"))
        #expect(flow.press("Beli", in: effects).contains { if case .purchase = $0 { true } else { false } })
    }

    @Test mutating func productListsArePaged() {
        var effects = flow.press("Axis", in: flow.press("Pulsa", in: flow.send("/menu")))
        #expect(FlowHarness.text(effects).contains("1/2"))
        #expect(FlowHarness.buttons(effects).filter { $0.title.hasPrefix("Extra") }.count == 8)
        effects = flow.press("Berikutnya", in: effects)
        #expect(FlowHarness.text(effects).contains("2/2"))
        #expect(FlowHarness.buttons(effects).filter { $0.title.hasPrefix("Extra") }.count == 4)
        effects = flow.press("Sebelumnya", in: effects)
        #expect(FlowHarness.text(effects).contains("1/2"))
    }

    @Test mutating func cancelFromAnyStep() {
        flow.send("TSEL10.081234567890")
        var effects = flow.send("/batal")
        #expect(FlowHarness.texts(effects).first?.contains("dibatalkan") == true)
        #expect(flow.step == .idle)
        effects = flow.press("Telkomsel", in: flow.press("Pulsa", in: flow.send("/menu")))
        effects = flow.press("Batal", in: effects)
        #expect(FlowHarness.text(effects).contains("dibatalkan"))
        #expect(flow.step == .idle)
    }

    @Test mutating func idleSessionExpiresAfterFifteenMinutes() {
        let effects = flow.press("Pulsa", in: flow.send("/menu"))
        flow.now = flow.now.addingTimeInterval(16 * 60)
        let late = flow.press("Telkomsel", in: effects)
        #expect(FlowHarness.text(late).contains("Sesi sudah berakhir"))
        #expect(flow.step == .idle)
        // Typed text after the timeout starts afresh instead of feeding the old step.
        flow.send("/beli TSEL10")
        flow.now = flow.now.addingTimeInterval(20 * 60)
        #expect(FlowHarness.text(flow.send("081234567890")).contains("terdeteksi"))
    }

    @Test mutating func staleButtonsFromAnEarlierStepAreRefused() {
        let brands = flow.press("Pulsa", in: flow.send("/menu"))
        flow.press("Telkomsel", in: brands)
        let stale = flow.press("XL", in: brands)
        #expect(FlowHarness.text(stale).contains("Sesi sudah berakhir"))
        #expect(FlowHarness.text(flow.input(.button("999:o:0"))).contains("Sesi sudah berakhir"))
        #expect(FlowHarness.text(flow.input(.button("garbage::data"))).contains("Sesi sudah berakhir"))
    }

    @Test mutating func namesAndTargetsAreEscaped() {
        flow.products.append(ProductOffer(code: "EVIL", name: "Promo <b>&</b>", category: .pulsa, brand: "Telkomsel", sellPrice: Rupiah(1_000)))
        let text = FlowHarness.text(flow.send("EVIL.081234567890"))
        #expect(text.contains("Promo &lt;b&gt;&amp;&lt;/b&gt;"))
        #expect(!text.contains("<b>&</b>"))
    }
}

@Suite("Ambiguous requests")
struct AmbiguousRequestTests {
    var flow = FlowHarness()

    @Test mutating func aPLNNumberAsksTokenOrBillAndEachButtonLeadsOn() {
        let question = flow.send("pln 512345678901")
        #expect(FlowHarness.buttons(question).map(\.title).prefix(2) == ["⚡ Token PLN", "🧾 Tagihan PLN (pascabayar)"])
        var other = flow
        let tokens = flow.press("Token PLN", in: question)
        #expect(flow.step == .choosingProduct(codes: ["PLN20", "PLN50"], page: 0, target: "512345678901"))
        #expect(FlowHarness.text(tokens).contains("512345678901"))
        let bill = other.press("Tagihan PLN", in: question)
        #expect(bill.contains(.checkBill(productCode: "PLNPOST", customerNumber: "512345678901")))
    }

    @Test mutating func anAmountAloneAsksDepositOrProducts() {
        let question = flow.send("50rb")
        #expect(FlowHarness.buttons(question).map(\.title).prefix(2) == ["➕ Deposit Rp50.000", "📱 Pulsa / e-money Rp50.000"])
        var other = flow
        flow.press("Deposit", in: question)
        #expect(flow.step == .choosingDepositMethod(amount: Rupiah(50_000)!, codes: ["QRIS", "QRISFAST"]))
        other.press("Pulsa", in: question)
        #expect(other.step == .choosingProduct(codes: ["DANA50"], page: 0, target: nil))
        // A button from the question is stale once something else was asked.
        var stale = FlowHarness()
        let old = stale.send("50rb")
        stale.send("pln 512345678901")
        #expect(FlowHarness.text(stale.press("Deposit", in: old)).contains("Sesi sudah berakhir"))
    }
}

@Suite("A new request in the middle of a step")
struct ChangedTopicTests {
    var flow = FlowHarness()

    @Test mutating func aNumberWithWordsAroundItIsTheDestination() {
        flow.send("/beli TSEL10")
        flow.send("ke 0812 3456 7890 ya kak")
        #expect(flow.step == .confirmingPurchase(quote: PurchaseQuote(productCode: "TSEL10", productName: "Telkomsel 10.000",
                                                                     target: "081234567890", price: Rupiah(10_950)!), duplicate: false))
    }

    @Test mutating func aWholeRequestLeavesTheStep() {
        flow.send("/beli TSEL10")
        flow.send("dana 50rb 081234567890")
        #expect(flow.step == .confirmingPurchase(quote: PurchaseQuote(productCode: "DANA50", productName: "Saldo DANA 50.000",
                                                                     target: "081234567890", price: Rupiah(51_400)!), duplicate: false))
        flow.send("/deposit")
        #expect(FlowHarness.text(flow.send("cek saldo dong")).contains("Rp100.000"))
        #expect(flow.step == .idle)
        // Words that are no request still get the step's own question again.
        flow.send("/beli TSEL10")
        #expect(FlowHarness.text(flow.send("nomornya lupa")).contains("Coba lagi"))
        #expect(flow.step == .enteringTarget(productCode: "TSEL10"))
    }
}

@Suite("Typing inside the steps of a deposit or a withdrawal")
struct MoneyStepTypingTests {
    var flow = FlowHarness()

    init() {
        flow.customer.canWithdraw = true
    }

    @Test mutating func anEWalletNamedBesideTheNumberIsTheAccountNotAPurchase() {
        flow.press("DANA", in: flow.send("/tarik"))
        #expect(flow.step == .enteringAccountNumber(bankCode: "DANA"))
        let effects = flow.send("dana 081234567890 50rb")
        #expect(effects.contains(.inquireAccount(bankCode: "DANA", accountNumber: "081234567890")))
    }

    @Test mutating func anAmountBesideAnEWalletIsTheDepositAmount() {
        flow.send("/deposit")
        flow.send("100rb dana")
        #expect(flow.step == .choosingDepositMethod(amount: Rupiah(100_000)!, codes: ["QRIS", "QRISFAST"]))
    }

    @Test mutating func aSecondNumberIsNoDestination() {
        flow.send("/beli TSEL10")
        flow.send("081234567890 20")
        #expect(flow.step == .enteringTarget(productCode: "TSEL10"))
    }
}
