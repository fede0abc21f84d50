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
        var raw = String(kept).split(separator: " ").prefix(wordLimit).flatMap(splitAtComma)
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

    /// "10rb,0812…", "tsel,10rb": a comma between words, or before a whole number, separates
    /// them; inside an amount ("1,5jt", "50,000") it stays.
    static func splitAtComma(_ token: Substring) -> [String] {
        let pieces = token.split(separator: ",", omittingEmptySubsequences: true)
        guard pieces.count > 1, pieces.contains(where: { $0.allSatisfy(\.isLetter) }) || pieces.contains(where: { $0.filter(\.isNumber).count >= 6 })
        else { return [String(token)] }
        return pieces.map(String.init)
    }

    /// One word: slang first, then a typo of a known word, then the word itself.
    static func read(word: String, vocabulary: Vocabulary, brands: Set<String> = []) -> [String] {
        if let slang = vocabulary.slang[word] { return slang }
        // "tokennya", "saldoku", "pulsanya": the word with its suffix off, when that is a shop word.
        for suffix in ["nya", "ku"] where word.hasSuffix(suffix) && word.count > suffix.count + 2 {
            let stem = String(word.dropLast(suffix.count))
            if Lexicon.known.contains(stem) || brands.contains(stem) { return [stem] }
            if let slang = vocabulary.slang[stem], !slang.isEmpty { return slang }
        }
        guard word.count >= 4, word.allSatisfy(\.isLetter), !Lexicon.known.contains(word), !brands.contains(word),
              !vocabulary.common.contains(word) else {
            return [word]
        }
        // Typos are corrected only into the shop's own words, never into an amount, a number word
        // or slang ("cepet" is not "cepek" = 100rb), keep their first letter ("ditarik" is not
        // "tarik"), and are one letter off, two in a long word.
        let limit = word.count >= 8 ? 2 : 1
        var best: (word: String, distance: Int)?
        var tied = false
        // A four-letter word is never made a brand: "dina" and "dani" are names, "abis" is not Axis.
        let candidates = word.count >= 5 ? Lexicon.correctable + Lexicon.correctableBrands + brands.filter { $0.count >= 5 }.sorted() : Lexicon.correctable
        for candidate in candidates where candidate.first == word.first {
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

    /// Puts every word into its slot. A slot typed twice with different values ("10rb sama 20rb",
    /// "ovo … dana") is left empty and the utterance marked ``conflicting``: it is asked, never
    /// guessed.
    mutating func fill(bankCodes: Set<String>, brands: [String: (brand: String, category: Category)] = [:]) {
        var index = 0
        var afterConnector = false, afterPayment = false, afterWithdraw = false
        var amounts: Set<Int64> = [], sizes: Set<Int64> = [], brandsNamed: Set<String> = [], banksNamed: Set<String> = []
        var categories: [Category] = []
        func add(_ category: Category) { if !categories.contains(category) { categories.append(category) } }
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
                    sizes.insert(value.value)
                    index += 1
                } else if let following, let unit = Lexicon.units[following] {
                    let (scaled, overflow) = value.value.multipliedReportingOverflow(by: unit)
                    if !overflow, scaled <= AmountParser.absurd { amounts.insert(scaled) }
                    index += 1
                } else if value.scaled || value.value >= 1_000 {
                    amounts.insert(value.value)
                } else {
                    setBare(value.value)
                }
                afterConnector = false
                continue
            }
            if word.first?.isNumber == true || word.hasPrefix("+") || word.hasPrefix("rp") || word.hasPrefix("idr") {
                if let taken = readNumber(word, next: next, following: index + 2 < words.count ? words[index + 2] : nil) {
                    switch taken {
                    case .amount(let value, let words): amounts.insert(value); index += words - 1
                    case .size(let value, let words): sizes.insert(value); index += words - 1
                    case .other: break
                    }
                    afterConnector = false
                    continue
                }
            }
            if Lexicon.paymentWords.contains(word) {
                // "via dana": how the customer pays, or where a withdrawal goes.
                afterPayment = true
                afterConnector = afterConnector || Lexicon.connectors.contains(word) || word == "lewat"
                continue
            }
            if Lexicon.connectors.contains(word) {
                afterConnector = true
                continue
            }
            if Lexicon.negations.contains(word) {
                // "bukan xl", "bukan token": the next word is what the customer does not want.
                index += 1
                continue
            }
            // "tarik dana" is withdrawing funds, not the e-wallet.
            if word == "dana", afterWithdraw, !afterConnector, next.map({ !($0.first?.isNumber == true || $0.hasPrefix("+")) }) ?? true {
                afterWithdraw = false
                continue
            }
            afterWithdraw = Lexicon.cues[word] == .withdraw || (afterWithdraw && word == "saldo")
            defer { afterConnector = false; afterPayment = false }
            if bankCodes.contains(word), bank == nil || afterConnector {
                banksNamed.insert(word.uppercased())
                bank = (word.uppercased(), afterConnector)
            }
            if let category = Lexicon.categories[word] {
                add(category)
            } else if let known = Lexicon.brands[word] ?? brands[word] {
                // "… pakai dana": the e-wallet the customer pays with is not what they buy.
                guard !afterPayment else { continue }
                brandsNamed.insert(known.brand)
                if categories.isEmpty { add(known.category) } else if !categories.contains(known.category) { conflicting = true }
            } else if let op = Operator.aliases[word] {
                brandsNamed.insert(op.rawValue)
            } else if Lexicon.plnWords.contains(word) {
                mentionsPLN = true
            } else if Lexicon.billWords.contains(word) {
                mentionsBill = true
            } else if Lexicon.payWords.contains(word) {
                mentionsPay = true
            } else if let billBrand = Lexicon.billBrands[word] {
                self.billBrand = billBrand
            } else if Lexicon.sizeUnits.contains(word) {
                add(.data)
            } else if let cue = Lexicon.cues[word] {
                cues.insert(cue)
            } else if !bankCodes.contains(word) {
                unknown.append(word)
            }
        }
        if !sizes.isEmpty { add(.data) }
        // "pulsa 10gb": a size makes it data.
        if !sizes.isEmpty, categories.count == 2, categories.contains(.pulsa) { categories.removeAll { $0 == .pulsa } }
        category = categories.count == 1 ? categories.first : nil
        amount = amounts.count == 1 ? amounts.first : nil
        if amounts.count > 1 { amountsTyped = amounts.sorted() }
        sizeGB = sizes.count == 1 ? sizes.first : nil
        brand = brandsNamed.count == 1 ? brandsNamed.first : nil
        if banksNamed.count > 1 { bank = nil }
        if categories.count > 1 || amounts.count > 1 || sizes.count > 1 || brandsNamed.count > 1 || banksNamed.count > 1
            || (amount != nil && bareNumber != nil) {
            conflicting = true
        }
    }

    private mutating func setBare(_ value: Int64) {
        if let bareNumber, bareNumber != value { conflicting = true }
        bareNumber = value
    }

    /// What a number-like word turned out to be, when it was not part of a destination.
    private enum NumberReading {
        case amount(Int64, words: Int)
        case size(Int64, words: Int)
        case other
    }

    /// A word that starts with a digit, `+` or `Rp`: an amount, a size, a bare number or part of
    /// a destination; `nil` when it is none of them.
    private mutating func readNumber(_ word: String, next: String?, following: String?) -> NumberReading? {
        let isPlainDigits = word.allSatisfy { $0.isASCII && $0.isNumber }
        let nextIsDigits = next.map { !$0.isEmpty && $0.allSatisfy { $0.isASCII && ($0.isNumber || "-.()".contains($0)) } } ?? false
        let nextIsUnit = next.map { Lexicon.units[$0] != nil || Lexicon.sizeUnits.contains($0) } ?? false
        // "+62 812 3456 7890", "0812 3456 7890 1", "12345678 1234": digits straight after a
        // destination carry on with it while it is shorter than the longest mobile number, unless
        // they are a short number at the end ("… 86 dm" is a count of diamonds).
        if continuesDestination, !nextIsUnit, !hasUnitSuffix(word), !word.hasPrefix("rp") {
            let sofar = destinationParts.joined().filter(\.isNumber).count
            // Past ten digits only a last single digit of a number typed in groups carries on
            // ("0812 3456 7890 1"); "… 7890 2 kali" and "0812… 10000" are something else.
            let lastDigit = sofar >= 10 && destinationParts.count >= 2 && word.count == 1 && next == nil && sofar < 13
            let amountLike = isPlainDigits && word.count >= 4 && Int64(word).map { $0 % 1_000 == 0 } == true
            if lastDigit || (sofar < 10 && !amountLike && (word.filter(\.isNumber).count >= 4 || nextIsDigits || destinationParts.count >= 2)) {
                destinationParts.append(word)
                return .other
            }
        }
        if nextIsUnit, let next, Lexicon.sizeUnits.contains(next), isPlainDigits, word.count <= 4, !word.hasPrefix("0"), let size = Int64(word) {
            return .size(size, words: 2)
        }
        for unit in Lexicon.sizeUnits where word.hasSuffix(unit) {
            let digits = word.dropLast(unit.count)
            if (1...4).contains(digits.count), !digits.hasPrefix("0"), digits.allSatisfy({ $0.isASCII && $0.isNumber }), let size = Int64(digits) {
                return .size(size, words: 1)
            }
        }
        if let next, Lexicon.units[next] != nil, case .success(let value) = AmountParser.parse(word + next) {
            return .amount(value.value, words: 2)
        }
        let hasUnit = hasUnitSuffix(word)
        let hasCurrency = word.hasPrefix("rp") || word.hasPrefix("idr")
        let grouped = !word.hasPrefix("0") && (word.contains(".") || word.contains(","))
        if hasUnit || hasCurrency || grouped, case .success(let value) = AmountParser.parse(word) {
            return .amount(value.value, words: 1)
        }
        if isPlainDigits, !word.hasPrefix("0"), let value = Int64(word.prefix(9)) {
            // "123 456 7890": three digits then three more start a number typed in groups ("tsel 10
            // 0812 3456 7890" and "pln 100 5123 4567 8901" are an amount, then the number).
            let startsGroups = word.count == 3 && next?.count == 3 && next?.allSatisfy({ $0.isASCII && $0.isNumber }) == true
                && following.map { Lexicon.units[$0] == nil } ?? true
            if word.count <= 3, !startsGroups {
                setBare(value)
                return .other
            }
            if word.count <= 7, word.count >= 4, value % 1_000 == 0 {
                return .amount(value, words: 1)
            }
        }
        guard word.contains(where: \.isNumber) else { return nil }
        destinationParts.append(word)
        return .other
    }

    private func hasUnitSuffix(_ word: String) -> Bool { Lexicon.units.keys.contains { word.hasSuffix($0) } }
}
