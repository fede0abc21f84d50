import Conversation

/// `product-search`: ``ProductSearch/request(in:)`` on free text and ``ProductSearch/matches(_:in:)``
/// in the fixture shop. A request names something; its amount is a parsed amount; the matches
/// are available, not bills, of the category and amount asked, cheapest first.
public enum ProductSearchTarget: FuzzTarget {
    public static let name = "product-search"
    public static let summary = "ProductSearch.request and matches on free text"

    public static func run(_ bytes: [UInt8]) {
        let text = bytes.text
        for typed in [text, "pulsa " + text, "beli " + text + " ke 081234567890", "token pln " + text] {
            guard let request = ProductSearch.request(in: typed) else { continue }
            Fuzz.check(request.category != nil || request.brand != nil || request.nominal != nil, "empty request from \(typed.debugDescription)")
            if let nominal = request.nominal {
                Fuzz.check(nominal > 0 && nominal <= AmountParser.absurd, "nominal \(nominal) from \(typed.debugDescription)")
            }
            let matches = ProductSearch.matches(request, in: ShopFixture.products)
            for product in matches {
                Fuzz.check(product.isAvailable && product.category != .bill, "\(product.code) matches \(typed.debugDescription)")
                Fuzz.check(request.category == nil || product.category == request.category || request.brand != nil,
                           "\(product.code) is not \(String(describing: request.category))")
                Fuzz.check(request.nominal == nil || product.nominal == request.nominal, "\(product.code) is not \(request.nominal ?? 0)")
            }
            let prices = matches.map { $0.sellPrice?.value ?? 0 }
            Fuzz.check(prices == prices.sorted(), "matches for \(typed.debugDescription) are not cheapest first")
        }
    }
}
