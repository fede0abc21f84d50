import Foundation

/// A Flowix wall-clock time such as `2023-10-25 15:30:00`, which is Western Indonesian Time
/// (WIB, UTC+7). The text is kept as sent; ``date`` is `nil` when it is not in that shape.
public struct FlowixTimestamp: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The text exactly as Flowix sent it.
    public let text: String

    public init(_ text: String) { self.text = text }

    /// Formats an instant as Flowix does, in WIB. An instant outside the years 1–9999 (which
    /// Flowix cannot spell; in practice a corrupt stored time) is written as the nearest end of
    /// that range, and NaN as its start, so formatting never traps.
    public init(_ date: Date) {
        let interval = date.timeIntervalSince1970.rounded(.down)
        let bounded = interval.isNaN ? Double(Self.earliest) : min(max(interval, Double(Self.earliest)), Double(Self.latest))
        let seconds = Int64(bounded) + FlowixTimestamp.wibOffset
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = FlowixTimestamp.civil(fromDays: days)
        func pad(_ value: Int64, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        text = "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2)) "
            + "\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay % 3600 / 60, 2)):\(pad(secondOfDay % 60, 2))"
    }

    public init(from decoder: any Decoder) throws {
        text = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }

    public var description: String { text }

    /// The instant, read as WIB.
    public var date: Date? {
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "-" || $0 == ":" || $0 == "T" })
        guard parts.count == 6 else { return nil }
        let numbers = parts.compactMap { Int64($0) }
        guard numbers.count == 6 else { return nil }
        let (year, month, day, hour, minute, second) = (numbers[0], numbers[1], numbers[2], numbers[3], numbers[4], numbers[5])
        // Years beyond 1–9999 are not a Flowix time (and would overflow the day count).
        guard (1...9999).contains(year), (1...12).contains(month), (1...31).contains(day), (0...23).contains(hour),
              (0...59).contains(minute), (0...60).contains(second) else { return nil }
        let days = FlowixTimestamp.days(fromCivil: year, month, day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - FlowixTimestamp.wibOffset
        guard seconds <= Self.latest else { return nil }   // `9999-12-31 23:59:60`
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    static let wibOffset: Int64 = 7 * 3600

    /// The instants of `0001-01-01 00:00:00` and `9999-12-31 23:59:59` WIB, in Unix seconds.
    static let earliest: Int64 = -62_135_596_800 - wibOffset
    static let latest: Int64 = 253_402_300_799 - wibOffset

    // Howard Hinnant's days-from-civil algorithms (proleptic Gregorian calendar).
    static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
