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

    /// What a customer of `level` pays for something that costs us `cost`; `nil` when the
    /// price cannot be computed (an amount out of range), so the product is shown as
    /// unavailable rather than mispriced.
    public func sellPrice(cost: Rupiah, code: String, category: String, brand: String, level: String) -> Rupiah? {
        let margin: Int64
        switch rule(code: code, category: category, brand: brand, level: level).map({ ($0.kind, $0.value) }) {
        case nil: margin = 0
        case (.rupiah, let value)?: margin = max(0, value)
        case (.percent, let basisPoints)?:
            let (scaled, overflow) = cost.value.multipliedReportingOverflow(by: max(0, basisPoints))
            guard !overflow, scaled <= Int64.max - 9_999 else { return nil }
            margin = (scaled + 9_999) / 10_000
        }
        let (raw, overflow) = cost.value.addingReportingOverflow(margin)
        guard !overflow, raw <= Int64.max - roundingUnit else { return nil }
        let rounded = (raw + roundingUnit - 1) / roundingUnit * roundingUnit
        return Rupiah(max(rounded, cost.value))
    }

    /// The rule that applies, most specific first.
    public func rule(code: String, category: String, brand: String, level: String) -> MarginRuleRecord? {
        let candidates = rules.filter { $0.level == level }
        func first(_ scope: MarginRuleScope, _ value: String) -> MarginRuleRecord? {
            candidates.first { $0.scope == scope && $0.scopeValue.caseInsensitiveCompare(value) == .orderedSame }
        }
        let appCategory = Category(flowixCategory: category, type: "")?.rawValue ?? category
        return first(.product, code) ?? first(.brand, brand) ?? first(.category, category) ?? first(.category, appCategory)
            ?? candidates.first { $0.scope == .all }
    }
}

import Foundation
