@testable import Conversation
import Foundation
import Money
import Testing

/// The transaction PIN in the conversation: `/pin`, the keypad, typed PINs, wrong ones and the
/// lock, what needs it, and `KODE.TUJUAN.PIN`.
struct PINFlowTests {
    var flow = FlowHarness()

    /// The digits a keypad reply shows, as dots.
    static func dots(_ effects: [Effect]) -> Int? {
        guard let text = FlowHarness.texts(effects).last, let code = text.range(of: "<code>")?.upperBound else { return nil }
        return text[code...].prefix { $0 == "●" || $0 == "○" }.filter { $0 == "●" }.count
    }

    @Test mutating func aFirstPINIsAskedTwiceOnTheKeypadAndNeverShown() {
        flow.customer.pin = .none
        var effects = flow.send("/pin")
        #expect(FlowHarness.text(effects).contains("PIN baru"))
        #expect(FlowHarness.buttons(effects).map(\.title) == ["1", "2", "3", "4", "5", "6", "7", "8", "9", "⌫", "0", "✖️ Batal"])
        // Each key edits the keypad's own message (the one whose button was pressed).
        flow.messageID = 900
        for (index, digit) in "24681".enumerated() {
            effects = flow.press(String(digit), in: effects)
            guard case .send(let reply) = effects.first else { Issue.record("no reply"); return }
            #expect(reply.editing == 900)
            #expect(Self.dots(effects) == index + 1)
            #expect(!reply.text.contains("2468"), "digits never appear")
        }
        effects = flow.press("⌫", in: effects)
        #expect(Self.dots(effects) == 4)
        effects = flow.press("1", in: effects)
        effects = flow.press("0", in: effects)
        // The sixth digit: the keypad turns into six dots and the same PIN is asked again.
        #expect(Self.dots([effects[0]]) == 6 && FlowHarness.buttons([effects[0]]).isEmpty)
        #expect(FlowHarness.text(effects).contains("Ulangi"))
        flow.messageID = 901
        effects = flow.send("246810")
        #expect(effects == [.deleteMessage(901), .setPIN("246810")], "typed, the message holding it is deleted")
        #expect(flow.step == .idle)
        #expect(!String(describing: flow.conversation.state).contains("246810"), "no PIN stays in the session")
    }

    @Test mutating func aWeakOrMismatchedNewPINStartsOver() {
        flow.customer.pin = .none
        flow.send("/pin")
        #expect(FlowHarness.text(flow.send("123456")).contains("terlalu mudah"))
        #expect(FlowHarness.text(flow.send("111111")).contains("terlalu mudah"))
        #expect(FlowHarness.text(flow.send("975310")).contains("Ulangi"))
        #expect(FlowHarness.text(flow.send("975311")).contains("tidak sama"))
        #expect(flow.step == .enteringPIN(.new, entered: ""))
        #expect(FlowHarness.text(flow.send("12345")).contains("6 angka"))
        #expect(PINRules.isWeak("987654") && PINRules.isWeak("000000") && !PINRules.isWeak("246810") && !PINRules.isWeak("102938"))
    }

    @Test mutating func changingThePINNeedsTheOldOne() {
        var effects = flow.send("/pin")
        #expect(FlowHarness.text(effects).contains("PIN lama"))
        effects = flow.send("135790")
        #expect(effects.last == .verifyPIN("135790"))
        effects = flow.input(.pinChecked(.wrong(remaining: 2)))
        #expect(FlowHarness.text(effects).contains("PIN salah") && FlowHarness.text(effects).contains("2 kali"))
        flow.send("246810")
        #expect(FlowHarness.text(flow.input(.pinChecked(.accepted))).contains("PIN baru"))
        #expect(flow.step == .enteringPIN(.new, entered: ""))
    }

    @Test mutating func aLockedPINSaysUntilWhenAndStartsNothing() {
        let until = flow.now.addingTimeInterval(15 * 60)
        flow.customer.pin = .locked(until: until)
        flow.customer.canWithdraw = true
        let text = FlowHarness.text(flow.send("/tarik"))
        #expect(text.contains("terkunci") && text.contains(ShopHours.time(until)))
        #expect(flow.step == .idle)
        // A lock reported while the PIN is checked ends the attempt the same way.
        flow.customer.pin = .set
        let banks = flow.send("/tarik")
        #expect(FlowHarness.buttons(banks).contains { $0.title == "BCA" })
        flow.customer.pin = .none
        #expect(FlowHarness.text(flow.send("/tarik")).contains("/pin"), "without a PIN a withdrawal is guided to set one")
        #expect(FlowHarness.buttons(flow.send("/transfer")).contains { $0.data == CallbackData.menu(.pin) })
    }

    @Test mutating func purchasesAboveTheOwnersAmountNeedThePIN() {
        flow.pinAbove = Rupiah(20_000)
        // Below: Beli places it at once.
        var effects = flow.send("TSEL10.081234567890")
        #expect(flow.press("Beli", in: effects).contains { if case .purchase = $0 { true } else { false } })
        // Above: Beli asks for the PIN; a wrong one asks again, the right one buys.
        effects = flow.send("TSEL25.081234567890")
        effects = flow.press("Beli", in: effects)
        #expect(FlowHarness.text(effects).contains("PIN transaksi"))
        flow.send("999999")
        effects = flow.input(.pinChecked(.wrong(remaining: 1)))
        #expect(FlowHarness.text(effects).contains("Sisa 1 kali"))
        flow.send("246810")
        #expect(flow.input(.pinChecked(.accepted)) == [.purchase(PurchaseQuote(productCode: "TSEL25", productName: "Telkomsel 25.000",
                                                                              target: "081234567890", price: Rupiah(25_350)!))])
        // A late answer, with nothing waiting, does nothing.
        #expect(flow.input(.pinChecked(.accepted)).isEmpty)
    }

    @Test mutating func theResellerFormatWithAPINBuysAtOnce() {
        let order = Conversation.resellerOrder(in: "TSEL10.081234567890.246810", knows: { _ in true })
        #expect(order! == ("TSEL10", "081234567890", false, "246810"))
        #expect(Conversation.resellerOrder(in: "TSEL10.2.081234567890.246810", knows: { _ in true })! == ("TSEL10", "081234567890", true, "246810"))
        #expect(Conversation.resellerOrder(in: "TSEL10.081234567890.2.246810", knows: { _ in true })! == ("TSEL10", "081234567890", true, "246810"))
        // A meter number is never cut into a PIN.
        #expect(Conversation.resellerOrder(in: "PLN20.123456789012", knows: { _ in true })?.pin == nil)

        let effects = flow.send("TSEL10.081234567890.246810")
        #expect(effects == [.deleteMessage(500), .verifyPIN("246810")])
        let quote = PurchaseQuote(productCode: "TSEL10", productName: "Telkomsel 10.000", target: "081234567890", price: Rupiah(10_950)!)
        #expect(flow.input(.pinChecked(.accepted)) == [.purchase(quote)])
        // Within 24 hours the same again needs the counter: no confirmation can be asked.
        flow.recent = [RecentPurchase(productCode: "TSEL10", target: "081234567890", at: flow.now)]
        let again = flow.send("TSEL10.081234567890.246810")
        #expect(again.first == .deleteMessage(500))
        #expect(FlowHarness.text(again).contains("TSEL10.2.081234567890.PIN"))
        #expect(!again.contains(.verifyPIN("246810")))
        #expect(flow.send("TSEL10.2.081234567890.246810").last == .verifyPIN("246810"))
        // Without a PIN set, the message is still deleted and nothing is bought.
        flow.customer.pin = .none
        let unset = flow.send("TSEL10.2.081234567890.246810")
        #expect(unset.first == .deleteMessage(500) && FlowHarness.text(unset).contains("/pin"))
        // Without the balance, nothing is asked.
        flow.customer.pin = .set
        flow.customer.balance = Rupiah(5_000)!
        #expect(FlowHarness.text(flow.send("TSEL10.2.081234567890.246810")).contains("Saldo tidak cukup"))
    }

    @Test mutating func savedSessionsHoldPlaceholdersNeverDigits() throws {
        flow.customer.pin = .none
        var effects = flow.send("/pin")
        for digit in "975" { effects = flow.press(String(digit), in: effects) }
        let (stored, draft) = flow.conversation.state.sealed()
        let json = String(decoding: try JSONEncoder().encode(stored), as: UTF8.self)
        #expect(!json.contains("975") && draft?.entered == "975")
        // Put back from memory, the entry goes on; without it (a restart), it starts over
        // and nothing is checked or set.
        var restored = stored
        restored.unseal(draft)
        #expect(restored == flow.conversation.state)
        var lost = Conversation(state: stored)
        var keypad = effects
        for digit in "310" {
            keypad = lost.handle(.button(FlowHarness.buttons(keypad).first { $0.title == String(digit) }!.data), context: flow.context)
        }
        #expect(FlowHarness.text(keypad).contains("terputus"))
        #expect(!keypad.contains { if case .setPIN = $0 { true } else { false } })
        // The first new PIN waiting for its repeat is sealed too.
        flow.send("975310")
        let (repeatStored, repeatDraft) = flow.conversation.state.sealed()
        #expect(!String(describing: repeatStored).contains("975310") && repeatDraft?.first == "975310")
    }

    @Test mutating func aPINTypedAtAKeypadThatTimedOutIsDeletedNotRead() {
        var effects = flow.send("/tarik")
        flow.customer.canWithdraw = true
        effects = flow.send("/pin")
        #expect(FlowHarness.text(effects).contains("PIN lama"))
        flow.now += 16 * 60
        effects = flow.send("246810")
        #expect(effects.first == .deleteMessage(500))
        #expect(FlowHarness.text(effects).contains("Sesi sudah berakhir") && !FlowHarness.text(effects).contains("246"))
    }

    @Test mutating func aStaleKeypadIsExpired() {
        flow.customer.pin = .none
        let keypad = flow.send("/pin")
        flow.send("/saldo")
        #expect(FlowHarness.text(flow.press("5", in: keypad)).contains("Sesi sudah berakhir"))
    }
}

/// `/transfer`: recipient, amount within the limits and the balance, confirmation, PIN.
struct TransferFlowTests {
    var flow = FlowHarness()
    let siti = Recipient(id: 7, name: "Siti <Cell>", username: "siti_cell")

    @Test mutating func aTransferByMenuAsksWhoHowMuchThenThePIN() {
        var effects = flow.press("Transfer", in: flow.send("/start"))
        #expect(FlowHarness.text(effects).contains("ke siapa"))
        #expect(FlowHarness.text(flow.send("budi")).contains("ID angka"))
        effects = flow.send("@siti_cell")
        #expect(effects == [.findRecipient("@siti_cell")])
        effects = flow.input(.recipientFound(siti))
        #expect(FlowHarness.text(effects).contains("Siti &lt;Cell&gt;") && FlowHarness.text(effects).contains("@siti_cell · ID 7"))
        #expect(FlowHarness.text(flow.send("500")).contains("Minimal transfer Rp1.000"))
        #expect(FlowHarness.text(flow.send("6jt")).contains("Maksimal Rp5.000.000"))
        #expect(FlowHarness.text(flow.send("150rb")).contains("tidak cukup"))
        effects = flow.send("25rb")
        #expect(FlowHarness.text(effects).contains("Rp100.000 → Rp75.000"))
        effects = flow.press("Kirim", in: effects)
        #expect(FlowHarness.text(effects).contains("PIN transaksi"))
        flow.send("246810")
        #expect(flow.input(.pinChecked(.accepted)) == [.transfer(TransferQuote(recipient: siti, amount: Rupiah(25_000)!))])
    }

    @Test mutating func aTransferCommandWithEverythingGoesToTheConfirmation() {
        #expect(flow.send("/transfer 7 50rb") == [.findRecipient("7")])
        let effects = flow.input(.recipientFound(siti))
        #expect(flow.step == .confirmingTransfer(TransferQuote(recipient: siti, amount: Rupiah(50_000)!)))
        #expect(FlowHarness.text(effects).contains("Konfirmasi transfer"))
        // Nobody by that name, or oneself: asked again.
        flow.send("/transfer @nobody_here")
        #expect(FlowHarness.text(flow.input(.recipientFound(nil))).contains("tidak ditemukan"))
        #expect(flow.step == .enteringTransferRecipient)
        flow.send("42")
        #expect(FlowHarness.text(flow.input(.recipientFound(Recipient(id: 42, name: "Budi")))).contains("diri sendiri"))
        #expect(FlowHarness.text(flow.send("/transfer 7 lima")).contains("/transfer"))
        #expect(CommandParser.parse("/transfer @siti 50 rb", isAdmin: false) == .transfer(recipient: "@siti", amount: "50 rb"))
        #expect(CommandParser.parse("transfer saldo", isAdmin: false) == .transfer(recipient: nil, amount: nil))
    }
}
