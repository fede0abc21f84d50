import Foundation

/// How the shop writes a time for people: Western Indonesian Time (UTC+7), whatever the
/// server's zone. Times are stored as seconds since 1970; one before 1970 or after the year
/// 9999 (a corrupt row) is written as the nearest end of that range rather than trapping.
public enum WIB {
    static let zone = TimeZone(secondsFromGMT: 7 * 3600)!
    /// Gregorian in WIB, weeks starting on Monday (reports' weeks).
    public static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        calendar.firstWeekday = 2
        return calendar
    }()
    /// 1970-01-01 07:00:00 and 9999-12-31 23:59:59 in WIB.
    static let earliest: Int64 = 0
    static let latest: Int64 = 253_402_300_799 - 7 * 3600

    /// `2026-11-25 19:05:00`: for exports and the owner's reports.
    public static func dateTime(_ seconds: Int64) -> String {
        let parts = components(seconds)
        return "\(pad(parts.year, 4))-\(pad(parts.month, 2))-\(pad(parts.day, 2)) "
            + "\(pad(parts.hour, 2)):\(pad(parts.minute, 2)):\(pad(parts.second, 2))"
    }

    /// `25/11/2026 19:05`: for a receipt.
    public static func receipt(_ seconds: Int64) -> String {
        let parts = components(seconds)
        return "\(pad(parts.day, 2))/\(pad(parts.month, 2))/\(pad(parts.year, 4)) \(pad(parts.hour, 2)):\(pad(parts.minute, 2))"
    }

    /// `25/11 19:05`: for a customer's history and a lookup.
    public static func short(_ seconds: Int64) -> String {
        let parts = components(seconds)
        return "\(pad(parts.day, 2))/\(pad(parts.month, 2)) \(pad(parts.hour, 2)):\(pad(parts.minute, 2))"
    }

    /// The midnight in WIB that starts `date`'s day: where a daily limit starts counting.
    public static func startOfDay(_ date: Date) -> Date { calendar.startOfDay(for: date) }

    static func components(_ seconds: Int64) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        let bounded = min(max(seconds, earliest), latest)
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second],
                                            from: Date(timeIntervalSince1970: TimeInterval(bounded)))
        return (parts.year ?? 1, parts.month ?? 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
