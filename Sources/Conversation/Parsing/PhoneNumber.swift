/// An Indonesian mobile operator, detected from the number's prefix.
public enum Operator: String, Sendable, Codable, CaseIterable {
    case telkomsel = "Telkomsel"
    case indosat = "Indosat"
    case xl = "XL"
    case axis = "Axis"
    case tri = "Tri"
    case smartfren = "Smartfren"

    /// Prefixes from libphonenumber's carrier data for +62 (national format).
    static let prefixes: [String: Operator] = {
        var table: [String: Operator] = [:]
        for prefix in ["0811", "0812", "0813", "0821", "0822", "0823", "0851", "0852", "0853"] { table[prefix] = .telkomsel }
        for prefix in ["0814", "0815", "0816", "0855", "0856", "0857", "0858"] { table[prefix] = .indosat }
        for prefix in ["0817", "0818", "0819", "0859", "0877", "0878", "0879"] { table[prefix] = .xl }
        for prefix in ["0831", "0832", "0833", "0838"] { table[prefix] = .axis }
        for prefix in ["0895", "0896", "0897", "0898", "0899"] { table[prefix] = .tri }
        for prefix in ["0881", "0882", "0883", "0884", "0885", "0886", "0887", "0888", "0889"] { table[prefix] = .smartfren }
        return table
    }()

    /// Words customers use for the operator (`tsel`, `simpati`, `im3`, `three`, …).
    static let aliases: [String: Operator] = [
        "telkomsel": .telkomsel, "tsel": .telkomsel, "simpati": .telkomsel, "as": .telkomsel, "loop": .telkomsel, "byu": .telkomsel,
        "indosat": .indosat, "isat": .indosat, "im3": .indosat, "mentari": .indosat, "ooredoo": .indosat,
        "xl": .xl, "axis": .axis, "tri": .tri, "three": .tri, "smartfren": .smartfren, "smart": .smartfren,
    ]
}

/// Why a phone number was not accepted.
public enum PhoneNumberError: Error, Sendable, Equatable {
    case notANumber
    case wrongLength
    case notMobile
}

/// An Indonesian mobile number in national format (`0812…`).
public struct PhoneNumber: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The normalised number, e.g. `081234567890`.
    public let digits: String

    /// Normalises `081234567890`, `0812-3456-7890`, `+62 812 3456 7890`, `62812…` and `(0812) 345…`.
    public static func parse(_ raw: String) -> Result<PhoneNumber, PhoneNumberError> {
        var text = raw.filter { !($0.isWhitespace || $0 == "-" || $0 == "." || $0 == "(" || $0 == ")") }
        if text.hasPrefix("+") { text.removeFirst() }
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return .failure(.notANumber) }
        if text.hasPrefix("62") { text = "0" + text.dropFirst(2) } else if text.hasPrefix("8") { text = "0" + text }
        guard text.hasPrefix("08") else { return .failure(.notMobile) }
        guard (10...13).contains(text.count) else { return .failure(.wrongLength) }
        return .success(PhoneNumber(digits: text))
    }

    /// The operator the prefix belongs to; a hint only, because numbers can be ported.
    public var `operator`: Operator? { Operator.prefixes[String(digits.prefix(4))] }

    public var description: String { digits }
}
