import Foundation

extension Utterance {
    /// Messages longer than this many words are read only this far: no request is longer, and the
    /// typo corrector's work stays bounded.
    static let wordLimit = 48

    /// Reads `text`: lowercase, punctuation off, letters typed three times once, slang read as the
    /// shop's words, typos corrected against them, number words turned into numbers, then every
    /// word put into its slot. `banks` are the bank and e-wallet codes payouts can go to;
    /// `catalogue` adds the brands the shop sells beyond the ones every shop has (`Genshin Impact`,
    /// `Google Play`), each as one word.
    public static func read(_ text: String, vocabulary: Vocabulary, banks: [String] = [], catalogue: [ProductOffer] = []) -> Utterance {
        var utterance = Utterance()
        let brands = catalogueBrands(catalogue)
        utterance.words = normalise(text, vocabulary: vocabulary, brands: Set(brands.keys))
        utterance.fill(bankCodes: Set(banks.map { $0.lowercased() }), brands: brands)
        return utterance
    }

    /// The catalogue's brands that the lexicon does not know, by their name in one lowercase word.
    static func catalogueBrands(_ catalogue: [ProductOffer]) -> [String: (brand: String, category: Category)] {
        var brands: [String: (brand: String, category: Category)] = [:]
        for product in catalogue where product.category != .bill {
            let key = product.brand.lowercased().filter { $0.isLetter || $0.isNumber }
            guard key.count >= 2, brands[key] == nil, !Lexicon.known.contains(key) else { continue }
            brands[key] = (product.brand, product.category)
        }
        return brands
    }

    /// The words of `text` as Loket reads them; `brands` are the catalogue's, as one word each.
    static func normalise(_ text: String, vocabulary: Vocabulary, brands: Set<String> = []) -> [String] {
        let kept = text.lowercased().map { character -> Character in
            character.isLetter || character.isNumber || "+.,-()/:".contains(character) ? character : " "
        }
        var raw = String(kept).split(separator: " ").prefix(wordLimit).map(String.init)
        raw = raw.map { token in
            var token = Substring(token)
            let edge: Set<Character> = [".", ",", "-", "/", ":", "("]
            while let first = token.first, edge.contains(first) || (first == "(" && !token.contains(where: \.isNumber)) { token.removeFirst() }
            while let last = token.last, edge.contains(last) || last == ")" && !token.contains("(") { token.removeLast() }
            return collapseRepeats(String(token))
        }.filter { !$0.isEmpty }
        var words: [String] = []
        var index = 0
        while index < raw.count {
            if index + 1 < raw.count, let pair = Lexicon.pairs["\(raw[index]) \(raw[index + 1])"] {
                words += pair.split(separator: " ").map(String.init)
                index += 2
                continue
            }
            // "google play", "genshin impact": a catalogue brand of two or three words, or a typo of one.
            if let (brand, length) = catalogueBrand(at: index, in: raw, brands: brands) {
                words.append(brand)
                index += length
                continue
            }
            words += read(word: raw[index], vocabulary: vocabulary, brands: brands)
            index += 1
        }
        return words
    }

    /// The catalogue brand that two or three words starting at `index` spell together, exactly or
    /// with a typo (at most two letters off a long name), and how many words it took.
    static func catalogueBrand(at index: Int, in raw: [String], brands: Set<String>) -> (String, Int)? {
        for length in [3, 2] where index + length <= raw.count {
            let joined = raw[index..<index + length].joined()
            guard joined.allSatisfy(\.isLetter) || brands.contains(joined) else { continue }
            if brands.contains(joined) { return (joined, length) }
            guard joined.count >= 8 else { continue }
            let close = brands.filter { $0.count >= 8 && EditDistance.between(joined, $0, limit: 2) != nil }
            if close.count == 1, let brand = close.first { return (brand, length) }
        }
        return nil
    }

    /// One word: slang first, then a typo of a known word, then the word itself.
    static func read(word: String, vocabulary: Vocabulary, brands: Set<String> = []) -> [String] {
        if let slang = vocabulary.slang[word] { return slang }
        guard word.count >= 4, word.allSatisfy(\.isLetter), !Lexicon.known.contains(word), !brands.contains(word),
              !vocabulary.common.contains(word) else {
            return [word]
        }
        let limit = word.count >= 7 ? 2 : 1
        var best: (word: String, distance: Int)?
        var tied = false
        for candidate in vocabulary.correctable + brands.filter({ $0.count >= 4 }).sorted() {
            guard let distance = EditDistance.between(word, candidate, limit: limit) else { continue }
            // Two spellings of one word (`tagihan`, and `tagian` read as it) are no tie.
            let reading = vocabulary.slang[candidate]?.joined(separator: " ") ?? candidate
            if best == nil || distance < best!.distance {
                best = (reading, distance)
                tied = false
            } else if distance == best!.distance, reading != best!.word {
                tied = true
            }
        }
        guard let best, !tied else { return [word] }
        return best.word.split(separator: " ").map(String.init)
    }

    /// `pulsaaa` → `pulsa`, `makasihhh` → `makasih`: a letter typed three times or more counts once.
    static func collapseRepeats(_ word: String) -> String {
        var result = "", run: Character?, count = 0
        for character in word {
            if character == run { count += 1 } else { run = character; count = 1 }
            if count < 3 || !character.isLetter { result.append(character) } else if count == 3 { result.removeLast() }
        }
        return result
    }

    /// Puts every word into its slot.
    mutating func fill(bankCodes: Set<String>, brands: [String: (brand: String, category: Category)] = [:]) {
        var index = 0
        var afterConnector = false
        while index < words.count {
            let before = destinationParts.count
            defer { continuesDestination = destinationParts.count > before }
            let word = words[index]
            let next = index + 1 < words.count ? words[index + 1] : nil
            defer { index += 1 }
            if let value = NumberWords.read(words, from: index) {
                index += value.count - 1
                let following = index + 1 < words.count ? words[index + 1] : nil
                if let following, Lexicon.sizeUnits.contains(following) {
                    sizeGB = value.value
                    category = category ?? .data
                    index += 1
                } else if let following, let unit = Lexicon.units[following] {
                    let (scaled, overflow) = value.value.multipliedReportingOverflow(by: unit)
                    if !overflow, scaled <= AmountParser.absurd { amount = scaled }
                    index += 1
                } else if value.scaled || value.value >= 1_000 {
                    amount = value.value
                } else {
                    bareNumber = value.value
                }
                afterConnector = false
                continue
            }
            if word.first?.isNumber == true || word.hasPrefix("+") || word.hasPrefix("rp") || word.hasPrefix("idr") {
                if readNumber(word, next: next, skip: &index) { afterConnector = false; continue }
            }
            if Lexicon.connectors.contains(word) {
                afterConnector = true
                continue
            }
            if bankCodes.contains(word), bank == nil || afterConnector { bank = (word.uppercased(), afterConnector) }
            if let category = Lexicon.categories[word] {
                if self.category == nil || self.category == .pln { self.category = category }
            } else if let known = Lexicon.brands[word] ?? brands[word] {
                brand = known.brand
                if category == nil || category == .pln { category = known.category }
            } else if let op = Operator.aliases[word] {
                brand = op.rawValue
            } else if Lexicon.plnWords.contains(word) {
                mentionsPLN = true
            } else if Lexicon.billWords.contains(word) {
                mentionsBill = true
            } else if let billBrand = Lexicon.billBrands[word] {
                self.billBrand = billBrand
            } else if Lexicon.sizeUnits.contains(word) {
                if category == nil { category = .data }
            } else if let cue = Lexicon.cues[word] {
                cues.insert(cue)
            } else if !bankCodes.contains(word) {
                unknown.append(word)
            }
            afterConnector = false
        }
    }

    /// A word that starts with a digit, `+` or `Rp`: an amount, a size, a bare number or part of
    /// a destination. `true` when it was taken (with `next` when that was its unit).
    private mutating func readNumber(_ word: String, next: String?, skip index: inout Int) -> Bool {
        let isPlainDigits = word.allSatisfy { $0.isASCII && $0.isNumber }
        // "+62 812 3456 7890", "12345678 1234": digits straight after a destination too short to be
        // a whole mobile number carry on with it.
        if continuesDestination, next.map({ Lexicon.units[$0] == nil && !Lexicon.sizeUnits.contains($0) }) ?? true,
           !hasUnitSuffix(word), destinationParts.joined().filter(\.isNumber).count < 10 {
            destinationParts.append(word)
            return true
        }
        if let next, Lexicon.sizeUnits.contains(next), isPlainDigits, let size = Int64(word.prefix(6)) {
            sizeGB = size
            category = category ?? .data
            index += 1
            return true
        }
        for unit in Lexicon.sizeUnits where word.hasSuffix(unit) {
            let digits = word.dropLast(unit.count)
            if !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let size = Int64(digits.prefix(6)) {
                sizeGB = size
                category = category ?? .data
                return true
            }
        }
        if let next, Lexicon.units[next] != nil, case .success(let value) = AmountParser.parse(word + next) {
            amount = value.value
            index += 1
            return true
        }
        let hasUnit = hasUnitSuffix(word)
        let hasCurrency = word.hasPrefix("rp") || word.hasPrefix("idr")
        let grouped = !word.hasPrefix("0") && (word.contains(".") || word.contains(","))
        if hasUnit || hasCurrency || grouped, case .success(let value) = AmountParser.parse(word) {
            amount = value.value
            return true
        }
        if isPlainDigits, !word.hasPrefix("0"), let value = Int64(word.prefix(9)) {
            if word.count <= 3 {
                bareNumber = value
                return true
            }
            if word.count <= 7, value % 1_000 == 0 {
                amount = value
                return true
            }
        }
        guard word.contains(where: \.isNumber) else { return false }
        destinationParts.append(word)
        return true
    }

    private func hasUnitSuffix(_ word: String) -> Bool { Lexicon.units.keys.contains { word.hasSuffix($0) } }
}
