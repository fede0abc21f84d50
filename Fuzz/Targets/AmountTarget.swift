import Conversation
import Money

/// `amount`: ``AmountParser/parse(_:)`` on the text and with the units and prefixes people add
/// (`rb`, `jt`, `Rp`, `,-`), and ``ProductOffer/nominal`` on it as a product name. A parsed
/// amount is between 1 rupiah and ``AmountParser/absurd``, and the way the bot prints an amount
/// reads back as the same amount.
public enum AmountTarget: FuzzTarget {
    public static let name = "amount"
    public static let summary = "AmountParser.parse with Indonesian units and prefixes; printed amounts read back"

    static let affixes: [(String, String)] = [
        ("", ""), ("", "rb"), ("", " ribu"), ("", "k"), ("", "jt"), ("", " juta"), ("Rp", ""), ("Rp ", ",-"), ("rp.", ""),
        ("IDR ", ""), ("-", ""), ("", ".000"), ("", ",00"),
    ]

    public static func run(_ bytes: [UInt8]) {
        let text = bytes.text
        for (prefix, suffix) in affixes {
            check(prefix + text + suffix)
        }
        _ = ProductOffer(code: "X", name: text, category: .pulsa, brand: "X", sellPrice: nil).nominal
        _ = ProductOffer(code: "X", name: "Telkomsel " + text, category: .pulsa, brand: "X", sellPrice: nil).nominal
    }

    static func check(_ typed: String) {
        guard case .success(let amount) = AmountParser.parse(typed) else { return }
        Fuzz.check(amount.value >= 1 && amount.value <= AmountParser.absurd, "\(typed.debugDescription) parsed as \(amount.value)")
        for printed in [String(amount.value), RupiahFormat.indonesian(amount), RupiahFormat.english(amount)] {
            let again = AmountParser.parse(printed)
            Fuzz.check(again == .success(amount), "\(typed.debugDescription) is \(amount.value), but \(printed) reads as \(again)")
        }
    }
}
