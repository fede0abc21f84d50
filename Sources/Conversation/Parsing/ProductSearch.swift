/// What a free-text request such as `pulsa 10rb 081234567890` or
/// `beli pulsa telkomsel 25 ribu ke 0812-3456-7890` asks for.
public struct ProductRequest: Sendable, Equatable {
    public var category: Category?
    public var brand: String?
    public var nominal: Int64?
    /// The destination as typed (digits and separators), not yet validated.
    public var target: String?
}

/// Reads free text into a ``ProductRequest`` and finds the matching products.
public enum ProductSearch {
    static let filler: Set<String> = ["beli", "isi", "ke", "untuk", "buat", "no", "nomor", "nomer", "tolong", "mau", "dong",
                                      "ya", "kak", "min", "gan", "bang", "sebesar", "senilai", "yg", "yang", "aja", "saja"]
    static let categoryWords: [String: Category] = [
        "pulsa": .pulsa, "data": .data, "paket": .data, "kuota": .data, "internet": .data,
        "token": .pln, "pln": .pln, "listrik": .pln, "emoney": .emoney, "e-money": .emoney, "ewallet": .emoney,
        "game": .game, "diamond": .game, "dm": .game, "voucher": .game,
    ]
    static let brandWords: [String: (brand: String, category: Category)] = [
        "dana": ("DANA", .emoney), "ovo": ("OVO", .emoney), "gopay": ("GoPay", .emoney), "shopeepay": ("ShopeePay", .emoney),
        "linkaja": ("LinkAja", .emoney), "ml": ("Mobile Legends", .game), "mlbb": ("Mobile Legends", .game),
        "ff": ("Free Fire", .game), "freefire": ("Free Fire", .game), "pubg": ("PUBG", .game),
    ]
    static let multipliers: [String: Int64] = ["rb": 1_000, "ribu": 1_000, "k": 1_000, "jt": 1_000_000, "juta": 1_000_000]

    /// The request in `text`, or `nil` when it names no category, brand or amount.
    public static func request(in text: String) -> ProductRequest? {
        var words = text.lowercased().split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\n" }).map(String.init)
        words.removeAll { filler.contains($0) }
        var request = ProductRequest()
        var targetParts: [String] = []
        var index = 0
        while index < words.count {
            let word = words[index]
            let next = index + 1 < words.count ? words[index + 1] : nil
            if word == "mobile", next == "legends" || next == "legend" {
                request.brand = "Mobile Legends"
                request.category = request.category ?? .game
                index += 2
                continue
            }
            if word == "free", next == "fire" {
                request.brand = "Free Fire"
                request.category = request.category ?? .game
                index += 2
                continue
            }
            if let next, let factor = multipliers[next], Int64(word) != nil || word.contains(",") || word.contains(".") {
                if case .success(let amount) = AmountParser.parse(word + next), factor > 0 {
                    request.nominal = amount.value
                    index += 2
                    continue
                }
            }
            if multipliers.keys.contains(where: { word.hasSuffix($0) }), word.first?.isNumber == true,
               case .success(let amount) = AmountParser.parse(word) {
                request.nominal = amount.value
            } else if let category = categoryWords[word] {
                if request.category == nil || category != .pln { request.category = request.category ?? category }
            } else if let brand = brandWords[word] {
                request.brand = brand.brand
                request.category = request.category ?? brand.category
            } else if let op = Operator.aliases[word] {
                request.brand = op.rawValue
            } else if word.allSatisfy({ $0.isNumber || $0 == "+" || $0 == "-" || $0 == "(" || $0 == ")" || $0 == "." }),
                      word.contains(where: \.isNumber) {
                targetParts.append(word)
            }
            index += 1
        }
        assignNumbers(targetParts, to: &request)
        guard request.category != nil || request.brand != nil || request.nominal != nil else { return nil }
        if request.category == nil, request.brand == nil, request.target == nil { return nil }
        return request
    }

    /// Numbers that are neither an amount with a unit nor a word: together a phone number, or one
    /// by one a destination (long enough for the category) or a face value (`pulsa xl 10000`,
    /// `diamond ml 86 12345678`).
    static func assignNumbers(_ numbers: [String], to request: inout ProductRequest) {
        let joined = numbers.joined()
        let phoneCategory = request.category == nil || request.category?.targetKind == .phone
        if phoneCategory, numbers.count > 1 || joined.count >= 10, case .success = PhoneNumber.parse(joined) {
            request.target = joined
            return
        }
        let shortest = request.category == .game ? 5 : 10
        for number in numbers {
            if request.target == nil, number.filter(\.isNumber).count >= shortest {
                request.target = number
            } else if request.nominal == nil, case .success(let amount) = AmountParser.parse(number) {
                request.nominal = amount.value
            }
        }
    }

    /// The available, priced products matching `request`, cheapest first. A phone target narrows
    /// pulsa and data to the operator of its prefix when no brand was named.
    public static func matches(_ request: ProductRequest, in products: [ProductOffer]) -> [ProductOffer] {
        var brand = request.brand
        if brand == nil, let target = request.target, case .success(let phone) = PhoneNumber.parse(target),
           request.category == nil || request.category == .pulsa || request.category == .data {
            brand = phone.operator?.rawValue
        }
        var category = request.category
        if category == nil, let brand, Operator(rawValue: brand) != nil { category = .pulsa }
        return products.filter { product in
            product.isAvailable && product.category != .bill && product.sellPrice != nil
                && (category == nil || product.category == category)
                && (brand == nil || product.brand.caseInsensitiveCompare(brand!) == .orderedSame)
                && (request.nominal == nil || product.nominal == request.nominal)
        }.sorted { ($0.sellPrice?.value ?? 0, $0.code) < ($1.sellPrice?.value ?? 0, $1.code) }
    }
}

import Foundation
