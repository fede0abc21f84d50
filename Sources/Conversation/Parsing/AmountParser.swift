import Money

/// Why a typed amount was not accepted.
public enum AmountError: Error, Sendable, Equatable {
    case empty
    case notANumber
    case zero
    case negative
    case fractional
    case tooLarge
}

/// Reads rupiah amounts the way Indonesians type them: `50000`, `50.000`, `50,000`, `Rp50.000`,
/// `Rp 50.000,-`, `50rb`, `50 ribu`, `50k`, `1jt`, `1,5jt`, `1.5 juta`.
public enum AmountParser {
    /// The largest amount anyone types on purpose (Rp1 triliun); anything above is a typo.
    public static let absurd: Int64 = 1_000_000_000_000

    public static func parse(_ raw: String) -> Result<Rupiah, AmountError> {
        var text = raw.lowercased().filter { !$0.isWhitespace }
        guard !text.isEmpty else { return .failure(.empty) }
        if text.hasPrefix("-") { return .failure(.negative) }
        for prefix in ["rp.", "rp", "idr"] where text.hasPrefix(prefix) {
            text.removeFirst(prefix.count)
            break
        }
        if text.hasPrefix("-") { return .failure(.negative) }
        for suffix in [",-", ".-", "-"] where text.hasSuffix(suffix) {
            text.removeLast(suffix.count)
            break
        }
        var multiplier: Int64 = 1
        for (suffix, factor) in [("ribu", Int64(1_000)), ("rb", 1_000), ("k", 1_000), ("juta", 1_000_000), ("jt", 1_000_000)]
        where text.hasSuffix(suffix) {
            text.removeLast(suffix.count)
            multiplier = factor
            break
        }
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == ",") }),
              text.first?.isNumber == true else {
            return .failure(.notANumber)
        }
        let value = multiplier == 1 ? plainValue(text) : scaledValue(text, multiplier)
        switch value {
        case .failure(let error): return .failure(error)
        case .success(let amount):
            if amount == 0 { return .failure(.zero) }
            if amount > absurd { return .failure(.tooLarge) }
            return .success(Rupiah(amount)!)
        }
    }

    /// `50000`, `50.000`, `50,000`, `50.000,00`: separators group thousands; a decimal part must be zero.
    private static func plainValue(_ text: String) -> Result<Int64, AmountError> {
        var integer = text
        var fraction: Substring = ""
        // A trailing ",00" or ".00" after the integer part is a (zero) fraction.
        if let last = text.lastIndex(where: { $0 == "," || $0 == "." }), text[text.index(after: last)...].count != 3 {
            fraction = text[text.index(after: last)...]
            guard (1...2).contains(fraction.count) else { return .failure(.notANumber) }
            integer = String(text[..<last])
        }
        let groups = integer.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "." || $0 == "," })
        if groups.count > 1 {
            guard let first = groups.first, (1...3).contains(first.count), groups.dropFirst().allSatisfy({ $0.count == 3 }) else {
                return .failure(.notANumber)
            }
            guard Set(integer.filter { $0 == "." || $0 == "," }).count == 1 else { return .failure(.notANumber) }
        }
        if let separator = fraction.isEmpty ? nil : text[text.index(before: fraction.startIndex)],
           integer.contains(separator) {
            return .failure(.notANumber)
        }
        guard fraction.allSatisfy({ $0 == "0" }) else { return .failure(.fractional) }
        let digits = groups.joined()
        guard digits.count <= 15, let value = Int64(digits) else { return .failure(.tooLarge) }
        return .success(value)
    }

    /// `50`, `1,5`, `1.5` before a multiplier: one decimal separator allowed, the result whole.
    private static func scaledValue(_ text: String, _ multiplier: Int64) -> Result<Int64, AmountError> {
        let parts = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "." || $0 == "," })
        guard parts.count <= 2, let whole = parts.first, !whole.isEmpty, whole.count <= 9, let wholeValue = Int64(whole) else {
            return .failure(.notANumber)
        }
        var value = wholeValue * multiplier
        if parts.count == 2 {
            let fraction = parts[1]
            guard !fraction.isEmpty, fraction.count <= 6, let fractionValue = Int64(fraction) else { return .failure(.notANumber) }
            var scale: Int64 = 1
            for _ in 0..<fraction.count { scale *= 10 }
            guard (fractionValue * multiplier) % scale == 0 else { return .failure(.fractional) }
            value += fractionValue * multiplier / scale
        }
        return .success(value)
    }
}
