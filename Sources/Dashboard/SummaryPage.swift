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
        ]
        let open = try await ledger.reports.openCount()
        let quarantined = try await ledger.updates.quarantineCount(since: now.addingTimeInterval(-86_400)).recent
        return [
            "periods": periods.map { TrustedHTML(messages.text($0.key, language)) }, "rows": rows,
            "wallets": money(try await ledger.wallets.total()), "open": String(open), "quarantined": String(quarantined),
            "generated": TrustedHTML(messages.text("dashboard.generated", language, ["time": WIB.dateTime(Int64(now.timeIntervalSince1970))])),
        ]
    }

    /// Successes out of settled purchases, as a whole percent; `-` before the first.
    static func rate(success: Int, failed: Int) -> String {
        let settled = success + failed
        guard settled > 0 else { return "-" }
        return "\(success * 100 / settled)%"
    }
}
