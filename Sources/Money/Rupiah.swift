/// A whole amount of Indonesian rupiah.
///
/// Money is never a floating-point number in Loket: a `Rupiah` is an `Int64` count of whole
/// rupiah. Decoding is tolerant of the shapes loose PHP APIs send (`10500`, `"10500"`,
/// `10500.0`) and strict about everything that would lose money: a negative, fractional,
/// non-numeric or absurdly large amount is a decoding error, never a zero.
public struct Rupiah: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The amount in whole rupiah.
    public let value: Int64

    /// The largest amount Loket accepts anywhere (one quadrillion rupiah). Keeping every amount
    /// below this bound means sums of thousands of amounts can never overflow `Int64`.
    public static let maximum = Rupiah(unchecked: 1_000_000_000_000_000)

    /// Zero rupiah.
    public static let zero = Rupiah(unchecked: 0)

    /// Creates an amount, or `nil` when `value` is negative or above ``maximum``.
    public init?(_ value: Int64) {
        guard value >= 0, value <= Rupiah.maximum.value else { return nil }
        self.value = value
    }

    private init(unchecked value: Int64) {
        self.value = value
    }

    /// Parses a plain decimal amount such as `"10500"` or `"10500.00"`.
    ///
    /// Only ASCII digits with an optional all-zero fraction are accepted; anything else
    /// (signs, grouping separators, exponents, a non-zero fraction) returns `nil`.
    public init?(plainText text: String) {
        let trimmed = text.trimmingWhitespace()
        var integerPart = Substring(trimmed)
        if let dot = trimmed.firstIndex(of: ".") {
            let fraction = trimmed[trimmed.index(after: dot)...]
            guard !fraction.isEmpty, fraction.allSatisfy({ $0 == "0" }) else { return nil }
            integerPart = trimmed[..<dot]
        }
        guard !integerPart.isEmpty, integerPart.count <= 19,
              integerPart.allSatisfy({ $0.isASCII && $0.isNumber }),
              let value = Int64(integerPart)
        else { return nil }
        self.init(value)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let integer = try? container.decode(Int64.self) {
            guard let amount = Rupiah(integer) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "amount \(integer) is negative or too large")
            }
            self = amount
            return
        }
        if let text = try? container.decode(String.self) {
            guard let amount = Rupiah(plainText: text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "amount \"\(text)\" is not a whole, non-negative number of rupiah")
            }
            self = amount
            return
        }
        if let decimal = try? container.decode(Decimal.self) {
            guard let amount = Rupiah(exactly: decimal) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "amount \(decimal) is not a whole, non-negative number of rupiah")
            }
            self = amount
            return
        }
        throw DecodingError.dataCorruptedError(in: container, debugDescription: "amount is not a number")
    }

    /// Converts a decimal that holds a whole, non-negative amount in range; `nil` otherwise.
    public init?(exactly decimal: Decimal) {
        guard !decimal.isNaN, decimal >= 0, decimal <= Decimal(Rupiah.maximum.value) else { return nil }
        var source = decimal
        var rounded = Decimal()
        NSDecimalRound(&rounded, &source, 0, .plain)
        guard rounded == decimal else { return nil }
        self.init(plainText: NSDecimalNumber(decimal: rounded).stringValue)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }

    public static func < (lhs: Rupiah, rhs: Rupiah) -> Bool { lhs.value < rhs.value }

    /// The sum, or `nil` if it would exceed ``maximum``.
    public func adding(_ other: Rupiah) -> Rupiah? { Rupiah(value + other.value) }

    /// The difference, or `nil` if it would be negative.
    public func subtracting(_ other: Rupiah) -> Rupiah? { Rupiah(value - other.value) }

    /// Digits only, for logs and wire formats (`10500`). People see ``RupiahFormat`` output.
    public var description: String { String(value) }
}

import Foundation

extension String {
    func trimmingWhitespace() -> String {
        trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
