/// What the catalogue has for a product request. A purchase is only ever confirmed from
/// ``one(_:)``: a product that matches everything the customer typed.
public enum ProductMatch: Sendable, Equatable {
    /// Exactly one product matches every slot, and its brand is known (named, from the number's
    /// prefix, or the only brand of its category).
    case one(ProductOffer)
    /// Several products fit, or no amount was typed: the customer chooses.
    case choose([ProductOffer])
    /// The category is known, the brand is not: choose the brand.
    case brands(Category)
    /// Nothing sold matches what was typed; the nearest real choices (possibly none).
    case unavailable(nearest: [ProductOffer])

    /// The products a request names, by ``Utterance``'s slots. `nil` when no product was named
    /// and no amount was typed with a number.
    public static func of(_ utterance: Utterance, in products: [ProductOffer]) -> ProductMatch? {
        var category = utterance.category
        if category == nil, utterance.mentionsPLN { category = .pln }
        var brand = utterance.brand
        let phone = utterance.phone
        if brand == nil, let op = phone?.operator, category == nil || category == .pulsa || category == .data {
            brand = op.rawValue
        }
        if category == nil, let brand, Operator(rawValue: brand) != nil {
            category = utterance.sizeGB != nil ? .data : .pulsa
        }
        let sellable = products.filter { $0.isAvailable && $0.sellPrice != nil && $0.category != .bill }
        func named(_ product: ProductOffer) -> Bool { product.brand.caseInsensitiveCompare(brand ?? "") == .orderedSame }

        // An amount and a number, nothing else: pulsa for the number's operator or any e-wallet.
        if !utterance.namesProduct {
            guard phone != nil, let asked = utterance.amount ?? utterance.bareNumber.map({ $0 * 1_000 }) else { return nil }
            let pulsa = sellable.filter { $0.category == .pulsa && (brand == nil || named($0)) }
            let fitting = sellable.filter { ($0.category == .emoney || pulsa.contains($0)) && $0.nominal == asked }
            return fitting.isEmpty ? .unavailable(nearest: nearest(to: asked, in: pulsa, by: \.nominal)) : .choose(fitting)
        }
        let pool = sellable.filter { (category == nil || $0.category == category) && (brand == nil || named($0)) }
        guard !pool.isEmpty else { return .unavailable(nearest: []) }
        // "pulsa xl 10rb 0812…" (a Telkomsel number): the named operator and the number disagree,
        // so the customer chooses between both; "tsel 10rb sama 20rb": between both amounts.
        if let typed = utterance.brand, let op = phone?.operator, Operator(rawValue: typed) != nil, op.rawValue != typed {
            let both = sellable.filter {
                (category == nil || $0.category == category) && [typed.lowercased(), op.rawValue.lowercased()].contains($0.brand.lowercased())
                    && (utterance.amount == nil || $0.nominal == utterance.amount)
            }
            return both.isEmpty ? .unavailable(nearest: []) : .choose(both)
        }
        if !utterance.amountsTyped.isEmpty {
            let either = pool.filter { product in utterance.amountsTyped.contains { product.nominal == $0 } }
            return .choose(either.isEmpty ? pool : either)
        }
        let brandKnown = brand != nil || Set(pool.map(\.brand)).count == 1
        let matches: [ProductOffer]
        if let size = utterance.sizeGB {
            matches = pool.filter { $0.sizeGB == size }
            if matches.isEmpty { return .unavailable(nearest: nearest(to: size, in: pool, by: \.sizeGB)) }
            // "data tsel 5gb 48 ribu", "… 5gb 48", "… 5gb 7 hari": a package is not sold by face
            // value, so a number beside its size (a price, days, a count) matches nothing we can
            // check; the customer chooses, seeing the real packages.
            if utterance.amount != nil || utterance.bareNumber != nil { return .choose(matches) }
        } else if let asked = utterance.amount ?? utterance.bareNumber {
            var value = asked
            // Resellers write "tsel 20" for twenty thousand: a bare number below a thousand is
            // thousands unless the catalogue sells that very number (diamonds, for a game).
            if utterance.amount == nil, category != .game, asked < 1_000, !pool.contains(where: { $0.nominal == asked }) {
                value = asked * 1_000
            }
            matches = pool.filter { $0.nominal == value }
            if matches.isEmpty { return .unavailable(nearest: nearest(to: value, in: pool, by: \.nominal)) }
        } else {
            if !brandKnown, let category { return .brands(category) }
            return .choose(pool)
        }
        // "pulsa pln 20rb": PLN named beside another category is never confirmed as that category.
        let plnElsewhere = utterance.mentionsPLN && category != .pln
        return matches.count == 1 && brandKnown && !utterance.conflicting && !plnElsewhere ? .one(matches[0]) : .choose(matches)
    }

    /// Up to three products closest to `value` by `measure`, the cheaper first on a tie.
    static func nearest(to value: Int64, in pool: [ProductOffer], by measure: (ProductOffer) -> Int64?) -> [ProductOffer] {
        let measured = pool.compactMap { product in measure(product).map { (product, $0.distance(to: value).magnitude) } }
        return measured.sorted { ($0.1, $0.0.sellPrice?.value ?? 0) < ($1.1, $1.0.sellPrice?.value ?? 0) }.prefix(3).map(\.0)
    }
}

extension ProductOffer {
    /// The data size in the product's name (`XL Xtra Combo 10GB` → 10), for matching by size.
    public var sizeGB: Int64? {
        let words = name.uppercased().split(separator: " ")
        for (index, word) in words.enumerated() {
            if word.hasSuffix("GB"), let value = Int64(word.dropLast(2)) { return value }
            if word == "GB", index > 0, let value = Int64(words[index - 1]) { return value }
        }
        return nil
    }
}
