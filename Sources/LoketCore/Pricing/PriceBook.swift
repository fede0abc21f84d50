import Conversation
import Ledger
import Money

/// Sell prices: Flowix's price plus the most specific margin rule for the customer's level
/// (product, then brand, then category, then all), rounded up to a unit, never below cost.
public struct PriceBook: Sendable {
    public let rules: [MarginRuleRecord]
    /// Prices are rounded up to a multiple of this (default Rp50).
    public let roundingUnit: Int64

    public init(rules: [MarginRuleRecord], roundingUnit: Int64 = 50) {
        self.rules = rules
        self.roundingUnit = max(1, roundingUnit)
    }

    /// What a customer of `level` pays for something that costs us `cost`.
    public func sellPrice(cost: Rupiah, code: String, category: String, brand: String, level: String) -> Rupiah {
        let margin: Int64
        switch rule(code: code, category: category, brand: brand, level: level).map({ ($0.kind, $0.value) }) {
        case ("rupiah", let value)?: margin = value
        case ("percent", let basisPoints)?: margin = (cost.value * basisPoints + 9_999) / 10_000
        default: margin = 0
        }
        let raw = cost.value + max(0, margin)
        let rounded = (raw + roundingUnit - 1) / roundingUnit * roundingUnit
        return Rupiah(max(rounded, cost.value)) ?? cost
    }

    /// The rule that applies, most specific first.
    public func rule(code: String, category: String, brand: String, level: String) -> MarginRuleRecord? {
        let candidates = rules.filter { $0.level == level }
        func first(_ scope: String, _ value: String) -> MarginRuleRecord? {
            candidates.first { $0.scope == scope && $0.scopeValue.caseInsensitiveCompare(value) == .orderedSame }
        }
        let appCategory = Category(flowixCategory: category, type: "")?.rawValue ?? category
        return first("product", code) ?? first("brand", brand) ?? first("category", category) ?? first("category", appCategory)
            ?? candidates.first { $0.scope == "all" }
    }
}

import Foundation
