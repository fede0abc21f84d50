import Conversation

/// `understanding`: ``Utterance/read(_:vocabulary:banks:catalogue:)`` on free text and ``ProductMatch/of(_:in:)``
/// in the fixture shop. Amounts are positive and sane; a single match is available, not a bill,
/// and has the amount or size that was typed (no other number beside a size, PLN only for PLN);
/// a choice is never empty.
public enum UnderstandingTarget: FuzzTarget {
    public static let name = "understanding"
    public static let summary = "Utterance.read and ProductMatch.of on free text"

    public static func run(_ bytes: [UInt8]) {
        let text = bytes.text
        let vocabulary = ShopFixture.strings.vocabulary
        for typed in [text, "pulsa " + text, "beli " + text + " ke 081234567890", "token pln " + text] {
            let utterance = Utterance.read(typed, vocabulary: vocabulary, banks: ["BCA", "DANA"], catalogue: ShopFixture.products)
            if let amount = utterance.amount {
                Fuzz.check(amount > 0 && amount <= AmountParser.absurd, "amount \(amount) from \(typed.debugDescription)")
            }
            if let bare = utterance.bareNumber { Fuzz.check(bare > 0 && bare < 1_000, "bare number \(bare) from \(typed.debugDescription)") }
            switch ProductMatch.of(utterance, in: ShopFixture.products) {
            case .one(let product):
                Fuzz.check(product.isAvailable && product.sellPrice != nil && product.category != .bill, "\(product.code) for \(typed.debugDescription)")
                if let amount = utterance.amount {
                    Fuzz.check(product.nominal == amount, "\(product.code) is not \(amount) for \(typed.debugDescription)")
                }
                if let size = utterance.sizeGB {
                    Fuzz.check(product.sizeGB == size, "\(product.code) is not \(size)GB")
                    Fuzz.check(utterance.amount == nil && utterance.bareNumber == nil,
                               "\(product.code) confirmed with a number beside its size in \(typed.debugDescription)")
                }
                if utterance.mentionsPLN { Fuzz.check(product.category == .pln, "\(product.code) confirmed though PLN was named") }
                if let category = utterance.category, category != .pln {
                    Fuzz.check(product.category == category, "\(product.code) is not \(category) for \(typed.debugDescription)")
                }
            case .choose(let products):
                Fuzz.check(!products.isEmpty, "an empty choice for \(typed.debugDescription)")
                Fuzz.check(products.allSatisfy { $0.isAvailable && $0.category != .bill }, "a bill or unavailable product offered")
            case .brands, .unavailable, nil: break
            }
        }
    }
}
