import FlowixSandbox
import GRDB

/// The balances a scenario should end with, worked out from what Flowix did (the sandbox's
/// records) and what the owner credited, then compared with the bot's SQLite file.
///
/// For every customer: owner adjustments and transfers between members (which the scenarios
/// that make them check on their own), plus each deposit Flowix received (the amount it
/// received), minus each order or payout Flowix charged or still holds, and minus each one the
/// bot holds that never reached Flowix. Also: every rupiah Flowix moved belongs to a reference
/// the bot's books know, and no order, payout or deposit is final one way at Flowix and the
/// other way in the books.
struct MoneyModel {
    let outcomes: [String: SandboxOutcome]

    /// What broke the model, one line each (empty when the books match it), and how many
    /// wallets were compared.
    func check(databasePath: String) throws -> (violations: [String], wallets: Int) {
        let queue = try DatabaseQueue(path: databasePath, configuration: {
            var configuration = Configuration()
            configuration.readonly = true
            return configuration
        }())
        return try queue.read { db in
            var expected: [Int64: Int64] = [:]
            var problems: [String] = []
            var booked: Set<String> = []
            for row in try Row.fetchAll(db, sql: """
                SELECT a.user_id, SUM(e.amount) FROM journal_transactions t
                JOIN journal_entries e ON e.transaction_id = t.id JOIN accounts a ON a.id = e.account_id
                WHERE t.kind IN ('adjustment', 'transfer') AND a.kind = 'wallet' GROUP BY a.user_id
                """) {
                expected[row[0], default: 0] += row[1] as Int64
            }
            for row in try Row.fetchAll(db, sql: "SELECT ref_id, user_id, amount_credited, status FROM deposits") {
                let ref: String = row[0], user: Int64 = row[1], credited: Int64? = row[2], status: String = row[3]
                booked.insert(ref)
                let flowix = outcomes[ref]
                if flowix?.status == "success" {
                    expected[user, default: 0] += flowix!.amount.value
                    if credited != flowix!.amount.value { problems.append("deposit \(ref): credited \(credited.map(String.init) ?? "nothing"), Flowix received \(flowix!.amount.value)") }
                } else if status == "success" {
                    problems.append("deposit \(ref): credited, but Flowix says \(flowix?.status ?? "it does not exist")")
                }
            }
            for table in ["orders", "payouts"] {
                let charge = table == "orders" ? "sell_price" : "amount + fee"
                // Flowix keys a bill payment by the inquiry it pays (`/bill/pay` takes no ref_id).
                let inquiry = table == "orders" ? "inquiry_id" : "NULL"
                for row in try Row.fetchAll(db, sql: "SELECT ref_id, user_id, \(charge), status, \(inquiry) FROM \(table)") {
                    let booking: String = row[0], user: Int64 = row[1], price: Int64 = row[2], status: String = row[3]
                    let inquiryID: String? = row[4]
                    let ref = inquiryID.flatMap { outcomes[$0] == nil ? nil : $0 } ?? booking
                    booked.insert(booking)
                    booked.insert(ref)
                    let charged: Bool
                    switch outcomes[ref]?.status {
                    case "success", "processing", "pending": charged = true
                    case "failed": charged = false
                    default: charged = status != "failed"  // never reached Flowix: held unless refused
                    }
                    if charged { expected[user, default: 0] -= price }
                    if let flowix = outcomes[ref]?.status, ["success", "failed"].contains(flowix), ["success", "failed"].contains(status), flowix != status {
                        problems.append("\(table) \(ref): \(status) in the books, \(flowix) at Flowix")
                    }
                }
            }
            for (ref, outcome) in outcomes where outcome.kind != .deposit && !booked.contains(ref) && outcome.status != "failed" {
                problems.append("Flowix moved \(outcome.amount.value) under \(ref), which the books do not know")
            }
            let wallets = try Row.fetchAll(db, sql: "SELECT user_id, balance FROM accounts WHERE kind = 'wallet'")
            for row in wallets {
                let user: Int64 = row[0], balance: Int64 = row[1]
                let model = expected[user] ?? 0
                if balance != model { problems.append("wallet of \(user): \(balance) in the books, \(model) by the model") }
            }
            return (problems, wallets.count)
        }
    }
}
