import Conversation
import Foundation
import Ledger
import LoketCore

/// The Ringkasan chart: daily omzet (bars) and margin (a line) over the last 30 WIB days, as
/// SVG drawn on the server, so the page needs no script. Only numbers and escaped labels go in;
/// coordinates are pixels (`Double`), never money.
struct SalesChart {
    /// Days, oldest first, each with its start (Unix seconds) and totals; a day without sales is zero.
    let days: [DailyTotals]

    static let width = 600, height = 220, left = 8, bottom = 24, top = 10

    /// `count` days ending with the day of `now`, filled from `totals` (which leaves out days
    /// without sales).
    init(totals: [DailyTotals], endingAt now: Date, count: Int = 30) {
        let today = Int64(WIB.startOfDay(now).timeIntervalSince1970)
        let byDay = Dictionary(totals.map { ($0.day, $0) }, uniquingKeysWith: { first, _ in first })
        days = (0..<count).reversed().map { back in
            let day = today - Int64(back) * 86_400
            return byDay[day] ?? DailyTotals(day: day, revenue: 0, margin: 0)
        }
    }

    /// The chart as an `<svg>` element; `title` and `legend` are plain text, escaped here.
    func svg(title: String, revenueLabel: String, marginLabel: String) -> String {
        let plotHeight = Double(Self.height - Self.bottom - Self.top)
        let peak = max(1, days.map { max($0.revenue, $0.margin) }.max() ?? 1)
        let slot = Double(Self.width - Self.left * 2) / Double(max(days.count, 1))
        func y(_ value: Int64) -> Double { Double(Self.top) + plotHeight - plotHeight * Double(max(0, value)) / Double(peak) }
        func number(_ value: Double) -> String { String(format: "%.1f", value) }
        var bars = "", points: [String] = [], labels = ""
        for (index, day) in days.enumerated() {
            let x = Double(Self.left) + slot * Double(index)
            let top = y(day.revenue)
            bars += "<rect class=\"revenue\" x=\"\(number(x + 1))\" y=\"\(number(top))\" width=\"\(number(max(1, slot - 2)))\" "
                + "height=\"\(number(Double(Self.height - Self.bottom) - top))\"><title>\(WIB.short(day.day).prefix(5)) \(day.revenue)</title></rect>"
            points.append("\(number(x + slot / 2)),\(number(y(day.margin)))")
            if index % 5 == 4 || index == days.count - 1 {
                labels += "<text x=\"\(number(x + slot / 2))\" y=\"\(Self.height - 6)\" text-anchor=\"middle\">\(WIB.short(day.day).prefix(5))</text>"
            }
        }
        let line = "<polyline class=\"margin\" fill=\"none\" points=\"\(points.joined(separator: " "))\"/>"
        return "<svg id=\"chart\" viewBox=\"0 0 \(Self.width) \(Self.height)\" role=\"img\" aria-label=\"\(HTML.escape(title, quotes: true))\">"
            + bars + line + labels
            + "<text class=\"legend revenue\" x=\"\(Self.left)\" y=\"\(Self.top + 2)\">■ \(HTML.escape(revenueLabel, quotes: true))</text>"
            + "<text class=\"legend margin\" x=\"\(Self.left + 120)\" y=\"\(Self.top + 2)\">— \(HTML.escape(marginLabel, quotes: true))</text></svg>"
    }
}
