import Conversation
import Foundation
import Ledger
import LoketCore
import Money

/// Harga: every product with Flowix's cost, the margin rule that applies and the sell price per
/// level; the margin rules, added (after a preview of the prices they change) and removed with
/// the `/margin` command's own checks.
struct PricesPage {
    let services: LoketServices
    let language: Language

    /// Products shown at most; the filter narrows the rest.
    static let shownProducts = 300
    /// Changed prices a preview lists at most (it counts them all).
    static let previewRows = 100

    /// The page's values: `products` (filtered by `category` and `search`), `rules`, and the
    /// add form's choices.
    func values(category: String?, search: String?) async throws -> [String: Any] {
        let messages = services.messages
        let products = await services.catalogue.allProducts
        let book = await services.catalogue.priceBook
        let query = DashboardQuery.text(search)?.lowercased()
        let matching = products.filter { product in
            (category.map { product.category == $0 } ?? true)
                && (query.map { product.code.lowercased().contains($0) || product.name.lowercased().contains($0) || product.brand.lowercased().contains($0) } ?? true)
        }
        let rules = try await services.ledger.catalogue.marginRules()
        return [
            "q": DashboardQuery.text(search) ?? "",
            "shownNote": TrustedHTML(messages.text("dashboard.prices.shown", language, [
                "shown": String(min(matching.count, Self.shownProducts)), "total": String(matching.count),
            ])),
            "categories": Set(products.map(\.category)).sorted().map { ["value": $0, "selected": $0 == category] },
            "products": matching.prefix(Self.shownProducts).map { product -> [String: Any] in
                var row: [String: Any] = [
                    "code": product.code, "name": product.name, "category": product.category, "brand": product.brand,
                    "cost": product.price.flatMap(Rupiah.init).map { messages.money($0, language) } ?? "-", "available": product.isAvailable,
                ]
                for level in UserLevel.allCases {
                    row[level.rawValue] = price(product, level.rawValue, book)
                    row[level.rawValue + "Rule"] = book.rule(code: product.code, category: product.category, brand: product.brand, level: level.rawValue)
                        .map { ruleName($0) } ?? "-"
                }
                return row
            },
            "rules": rules.map { rule -> [String: Any] in
                ["id": String(rule.id), "scope": ruleScope(rule), "level": rule.level,
                 "value": AdminService.describe(kind: rule.kind, value: rule.value, messages, language),
                 "by": String(rule.createdBy), "at": WIB.short(rule.createdAt)]
            },
            "scopes": ["all", "kategori", "brand", "produk"].map { ["value": $0, "label": TrustedHTML(messages.text("dashboard.prices.scope.\($0)", language))] },
            "levels": UserLevel.allCases.map(\.rawValue),
            "appCategories": Category.allCases.map { ["value": $0.rawValue, "label": TrustedHTML(messages.text(Conversation.categoryKey($0), language))] },
            "formID": Secret.random(),
        ]
    }

    /// The words of `/margin set` a rule form posts: `set <scope> <margin> [level]`.
    static func words(_ fields: DashboardForm) -> [String] {
        let scope = fields["lingkup"] ?? ""
        let scopeValue = (fields["nilai_lingkup"] ?? "").trimmingCharacters(in: .whitespaces)
        var words = ["set", scope == "all" ? "all" : "\(scope):\(scopeValue)", (fields["margin"] ?? "").replacingOccurrences(of: " ", with: "")]
        if let level = fields["level"], !level.isEmpty { words.append(level) }
        return words
    }

    /// The Telegram command a shop-hours or catalogue form on this page is, and its words; `nil`
    /// for an action there is no such form for.
    static func command(_ action: String, _ fields: DashboardForm) -> (name: String, words: [String])? {
        let scope = (fields["lingkup"] ?? "").trimmingCharacters(in: .whitespaces)
        switch action {
        case "tutup":
            // `/tutup <scope> [sampai HH:MM] [alasan]`.
            var words = [scope]
            if let until = fields["sampai"], !until.isEmpty { words += ["sampai", until] }
            return ("tutup", words + (fields["alasan"] ?? "").split(whereSeparator: \.isWhitespace).map(String.init))
        case "buka": return ("buka", [scope])
        case "cutoff":
            let window = (fields["jam"] ?? "").replacingOccurrences(of: " ", with: "")
            return ("cutoff", ["kategori:" + (fields["kategori"] ?? ""), window.isEmpty ? "off" : window])
        case "sync": return ("sync", [])
        default: return nil
        }
    }

    /// The prices a new rule would change, before it is saved: each product and level whose sell
    /// price moves, with the price now and after. `nil` values with the usage text when the
    /// form's input is refused as `/margin set` would refuse it.
    func preview(_ fields: DashboardForm) async throws -> [String: Any] {
        let messages = services.messages
        guard case .success(.setMargin(let scope, let value, let level))? = CommandParser.ownerCommand("margin", Self.words(fields)) else {
            return ["error": TrustedHTML(messages.text("admin.usage.margin", language))]
        }
        let stored = AdminService.storedRule(scope, value)
        let book = await services.catalogue.priceBook
        let levels = AdminService.levels(level)
        // Setting a rule replaces the one with the same scope and level.
        var rules = book.rules.filter { rule in
            !(levels.contains(rule.level) && rule.scope == stored.scope && rule.scopeValue.caseInsensitiveCompare(stored.scopeValue) == .orderedSame)
        }
        for target in levels {
            rules.insert(MarginRuleRecord(id: 0, scope: stored.scope, scopeValue: stored.scopeValue, level: target, kind: stored.kind,
                                          value: stored.value, createdBy: 0, createdAt: 0), at: 0)
        }
        let after = PriceBook(rules: rules, roundingUnit: book.roundingUnit)
        var changes: [[String: Any]] = []
        var count = 0
        for product in await services.catalogue.allProducts {
            for target in levels {
                let before = price(product, target, book), now = price(product, target, after)
                guard before != now else { continue }
                count += 1
                if changes.count < Self.previewRows {
                    changes.append(["code": product.code, "name": product.name, "level": target, "before": before, "after": now])
                }
            }
        }
        return [
            "preview": [
                "changes": changes, "hasChanges": !changes.isEmpty, "more": count > changes.count,
                "title": TrustedHTML(messages.text("dashboard.prices.preview", language, ["count": String(count)])),
                "rule": "\(AdminService.scopeText(scope)) · \(AdminService.describe(kind: stored.kind, value: stored.value, messages, language)) · \(levels.joined(separator: "+"))",
                "lingkup": fields["lingkup"] ?? "", "nilaiLingkup": fields["nilai_lingkup"] ?? "", "margin": fields["margin"] ?? "",
                "level": fields["level"] ?? "",
            ] as [String: Any],
        ]
    }

    private func price(_ product: CatalogueProduct, _ level: String, _ book: PriceBook) -> String {
        guard let cost = product.price.flatMap(Rupiah.init),
              let price = book.sellPrice(cost: cost, code: product.code, category: product.category, brand: product.brand, level: level)
        else { return "-" }
        return services.messages.money(price, language)
    }

    private func ruleScope(_ rule: MarginRuleRecord) -> String {
        rule.scope == .all ? rule.scope.rawValue : "\(rule.scope.rawValue):\(rule.scopeValue)"
    }

    private func ruleName(_ rule: MarginRuleRecord) -> String {
        "#\(rule.id) \(ruleScope(rule)) \(AdminService.describe(kind: rule.kind, value: rule.value, services.messages, language))"
    }
}
