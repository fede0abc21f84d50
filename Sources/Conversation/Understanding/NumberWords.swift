/// Indonesian number words: `sepuluh`, `dua puluh lima`, `seratus`, `seribu`, `lima puluh ribu`,
/// `satu setengah juta`, `setengah juta`.
enum NumberWords {
    static let digits: [String: Int64] = [
        "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7, "delapan": 8, "sembilan": 9,
    ]
    /// Words that start with `se-` ("one ...").
    static let single: [String: Int64] = ["sepuluh": 10, "sebelas": 11, "seratus": 100]
    static let scales: [String: Int64] = ["ribu": 1_000, "juta": 1_000_000]
    static let singleScales: [String: Int64] = ["seribu": 1_000, "sejuta": 1_000_000]

    /// Every word this reader knows, for the typo corrector.
    static var words: Set<String> {
        Set(digits.keys).union(single.keys).union(scales.keys).union(singleScales.keys).union(["belas", "puluh", "ratus", "setengah"])
    }

    /// The number spelt by the words from `start`: its value, how many words it took, and whether
    /// it named a scale (`ribu`, `juta`). `nil` when the first word is not a number word.
    static func read(_ words: [String], from start: Int) -> (value: Int64, count: Int, scaled: Bool)? {
        var total: Int64 = 0, group: Int64 = 0, unit: Int64 = 0
        var index = start, scaled = false
        loop: while index < words.count {
            var word = words[index]
            // "5 puluh ribu", "2 juta setengah", "1 juta 500 ribu": digits inside number words.
            if let value = Int64(word), word.count <= 3, word.allSatisfy(\.isASCII), index + 1 < words.count,
               ["puluh", "belas", "ratus", "ribu", "juta", "setengah"].contains(words[index + 1]) {
                if value <= 9 {
                    word = digits.first { $0.value == value }?.key ?? word
                } else {
                    guard unit == 0 else { break }
                    group += value
                    index += 1
                    continue
                }
            }
            if let digit = digits[word] {
                // "dua lima ribu": two digits in a row are tens and units, as people say 25.
                if unit != 0, group == 0 {
                    group = unit * 10 + digit
                    unit = 0
                    index += 1
                    continue
                }
                guard unit == 0 else { break }
                unit = digit
            } else if let value = single[word] {
                guard unit == 0 else { break }
                group += value
            } else if word == "belas" || word == "puluh" || word == "ratus" {
                guard unit != 0 else { break }
                switch word {
                case "belas": group += unit + 10
                case "puluh": group += unit * 10
                default: group += unit * 100
                }
                unit = 0
            } else if let scale = scales[word] ?? singleScales[word] {
                let isSingle = singleScales[word] != nil
                let count = isSingle ? 1 : group + unit
                guard isSingle ? (group + unit == 0) : count > 0 else { break }
                var value = count * scale
                if index + 1 < words.count, words[index + 1] == "setengah" {
                    // "satu juta setengah": half the scale more.
                    value += scale / 2
                    index += 1
                }
                total += value
                group = 0; unit = 0; scaled = true
            } else if word == "setengah" {
                guard index + 1 < words.count, let scale = scales[words[index + 1]] else { break }
                // "setengah juta" is half a million; "satu setengah juta" one and a half.
                total += (group + unit) * scale + scale / 2
                group = 0; unit = 0; scaled = true
                index += 1
            } else {
                break loop
            }
            index += 1
            // Each word adds at most a billion, so this stops long before Int64 could overflow.
            guard total <= AmountParser.absurd else { return nil }
        }
        guard index > start else { return nil }
        let value = total + group + unit
        guard value > 0, value <= AmountParser.absurd else { return nil }
        return (value, index - start, scaled)
    }
}
