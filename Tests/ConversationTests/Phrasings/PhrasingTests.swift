import Conversation
import Money
import Testing

/// Several hundred requests typed the way Indonesian customers and resellers write in chat,
/// each with what must follow (issue #20). A reseller who may withdraw, Rp500.000 in the
/// wallet, the catalogue of ``PhrasingCatalogue``, a fresh conversation for every row.
@Suite("How people really type")
struct PhrasingTests {
    static func outcome(of text: String) -> PhrasingOutcome {
        var flow = FlowHarness()
        flow.products = PhrasingCatalogue.products
        flow.banks = PhrasingCatalogue.banks
        flow.customer = Customer(id: 42, firstName: "Budi", level: "reseller", canWithdraw: true, balance: Rupiah(500_000)!, pin: .set)
        let effects = flow.send(text)
        return PhrasingOutcome.of(effects, step: flow.step, strings: FlowHarness.strings)
    }

    @Test("every phrasing in the table is understood as written")
    func table() {
        var understood = 0
        for row in Self.rows {
            let outcome = Self.outcome(of: row.text)
            if outcome == row.expected { understood += 1 }
            #expect(outcome == row.expected, "\(row.text)")
        }
        print("phrasings understood: \(understood) of \(Self.rows.count)")
        #expect(Self.rows.count >= 300)
    }

    @Test("a confirmation only ever shows a product the table expects")
    func noUnaskedConfirmation() {
        for row in Self.rows {
            guard case .confirm(let code, let target) = Self.outcome(of: row.text) else { continue }
            #expect(row.expected == .confirm(code, target), "\(row.text) confirmed \(code) to \(target)")
        }
    }
}

/// One phrasing and what must follow it.
struct Phrasing: Sendable {
    let text: String
    let expected: PhrasingOutcome

    init(_ text: String, _ expected: PhrasingOutcome) {
        self.text = text
        self.expected = expected
    }
}
