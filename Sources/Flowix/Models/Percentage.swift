import Foundation

/// A percentage such as a deposit method's `fee_percent` (`0.7` means 0.7 %), kept exactly as
/// hundredths of a percent (basis points) so that no binary floating point touches money.
public struct Percentage: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Hundredths of a percent: `70` is 0.7 %.
    public let basisPoints: Int64

    public init(basisPoints: Int64) { self.basisPoints = basisPoints }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let decimal: Decimal
        if let text = try? container.decode(String.self), let parsed = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) {
            decimal = parsed
        } else if let parsed = try? container.decode(Decimal.self) {
            decimal = parsed
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected a percentage")
        }
        var scaled = decimal * 100
        var rounded = Decimal()
        NSDecimalRound(&rounded, &scaled, 0, .plain)
        guard rounded >= 0, rounded <= 10_000, rounded == scaled else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "percentage \(decimal) is out of range or finer than 0.01")
        }
        basisPoints = NSDecimalNumber(decimal: rounded).int64Value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Decimal(basisPoints) / 100)
    }

    public var description: String {
        let whole = basisPoints / 100, fraction = basisPoints % 100
        if fraction == 0 { return "\(whole)%" }
        return fraction % 10 == 0 ? "\(whole).\(fraction / 10)%" : "\(whole).\(fraction < 10 ? "0" : "")\(fraction)%"
    }
}
