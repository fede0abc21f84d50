import Conversation
import Foundation
import Ledger
import LoketCore
import Money

/// Ringkasan: today, the last 7 and the last 30 days from the journal (the same totals as
/// `/laporan`), what the shop owes its customers, and what still needs the owner's eye.
struct SummaryPage {
    let services: LoketServices
    let language: Language
    let now: Date
    /// The signed-in admin, whose alerts are shown.
    let adminID: Int64

    /// The page's values: `periods` (column titles), `rows` (a label and one value per period),
    /// `wallets`, `open`, `quarantined`, `generated`.
    func figures() async throws -> [String: Any] {
        let messages = services.messages, ledger = services.ledger
        let periods: [(key: String, from: Date)] = [
            ("dashboard.period.today", WIB.startOfDay(now)),
            ("dashboard.period.week", WIB.startOfDay(now).addingTimeInterval(-6 * 86_400)),
            ("dashboard.period.month", WIB.startOfDay(now).addingTimeInterval(-29 * 86_400)),
        ]
        var totals: [LedgerTotals] = []
        for period in periods { totals.append(try await ledger.reports.totals(from: period.from, to: now.addingTimeInterval(1))) }
        let money = { (amount: Rupiah) in messages.money(amount, language) }
        func row(_ key: String, _ value: (LedgerTotals) -> String) -> [String: Any] {
            ["label": TrustedHTML(messages.text(key, language)), "values": totals.map(value)]
        }
        let rows: [[String: Any]] = [
            row("dashboard.row.revenue") { money($0.revenue) },
            row("dashboard.row.cost") { money($0.cost) },
            row("dashboard.row.margin") { messages.money($0.margin, language) },
            row("dashboard.row.transactions") { String($0.purchases) },
            row("dashboard.row.successRate") { Self.rate(success: $0.purchases, failed: $0.refunds) },
            row("dashboard.row.deposits") { "\($0.deposits) · \(money($0.depositAmount))" },
            row("dashboard.row.payouts") { "\($0.payouts) · \(money($0.payoutAmount))" },
            row("dashboard.row.transfers") { "\($0.transfers) · \(money($0.transferAmount))" },
            row("dashboard.row.adjustments") { "\($0.adjustments) · +\(money($0.adjustmentCredits)) / −\(money($0.adjustmentDebits))" },
        ]
        let open = try await ledger.reports.openCount()
        let quarantined = try await ledger.updates.quarantineCount(since: now.addingTimeInterval(-86_400)).recent
        let month = totals[2]
        let chart = SalesChart(totals: try await ledger.reports.daily(from: periods[2].from, to: now.addingTimeInterval(1)), endingAt: now)
        var values: [String: Any] = [
            "periods": periods.map { TrustedHTML(messages.text($0.key, language)) }, "rows": rows,
            "wallets": money(try await ledger.wallets.total()), "open": String(open), "quarantined": String(quarantined),
            "generated": TrustedHTML(messages.text("dashboard.generated", language, ["time": WIB.dateTime(Int64(now.timeIntervalSince1970))])),
            "chart": TrustedHTML(chart.svg(title: messages.text("dashboard.chart.title", language),
                                           revenueLabel: messages.text("dashboard.row.revenue", language),
                                           marginLabel: messages.text("dashboard.row.margin", language))),
            "categories": month.categories.map { category -> [String: Any] in
                [
                    "name": category.category.isEmpty ? "-" : category.category, "purchases": String(category.purchases),
                    "revenue": money(category.revenue), "margin": messages.money(category.margin, language),
                    // The share of the month's omzet, drawn as a bar in the table.
                    "share": String(Self.share(category.revenue.value, of: month.revenue.value)),
                ]
            },
            "alerts": try await ledger.reports.alerts(adminID: adminID, limit: 5).map { alert -> [String: Any] in
                ["at": WIB.short(alert.at), "text": TrustedHTML(LedgerOutboxStore.text(ofPayload: alert.payload) ?? "")]
            },
            "actions": try await ledger.adminActions.recent(limit: 8).map { action -> [String: Any] in
                ["at": WIB.short(action.createdAt), "admin": String(action.adminID), "action": action.action,
                 "source": TrustedHTML(messages.text("dashboard.source.\(action.source.rawValue)", language))]
            },
        ]
        values["flowix"] = await flowix()
        return values
    }

    /// Flowix's balance beside what customers hold, as `/flowix` reports it; a line saying Flowix
    /// did not answer when it does not within ``flowixWait``, so the page never hangs on it.
    private func flowix() async -> [String: Any] {
        let messages = services.messages
        let standing = await withTaskGroup(of: FlowixStanding?.self) { group -> FlowixStanding? in
            group.addTask { try? await services.admin.flowixStanding() }
            group.addTask {
                try? await Task.sleep(for: Self.flowixWait)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        guard let standing else { return ["failed": TrustedHTML(messages.text("dashboard.flowix.failed", language))] }
        return [
            "balance": messages.money(standing.balance, language), "status": standing.status,
            "warning": standing.isShort ? TrustedHTML(messages.text("admin.flowix.lowBalance", language, [
                "balance": messages.money(standing.balance, language), "owed": messages.money(standing.owed, language),
            ])) as Any : false,
        ]
    }

    /// How long the page waits for Flowix's balance.
    static let flowixWait: Duration = .seconds(3)

    /// `part` as a whole percent of `whole` (0 to 100).
    static func share(_ part: Int64, of whole: Int64) -> Int64 {
        guard whole > 0, part > 0 else { return 0 }
        let (scaled, overflow) = part.multipliedReportingOverflow(by: 100)
        return overflow ? min(100, part / max(1, whole / 100)) : min(100, scaled / whole)
    }

    /// Successes out of settled purchases, as a whole percent; `-` before the first.
    static func rate(success: Int, failed: Int) -> String {
        let settled = success + failed
        guard settled > 0 else { return "-" }
        return "\(success * 100 / settled)%"
    }
}
