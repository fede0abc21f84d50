import FlowixSandbox
import Foundation
import GRDB
import Ledger
import Money

/// The money as the simulator itself saw it move: what the owner adjusted, what each customer
/// was quoted, which deposits were opened. Checked against the books and against Flowix.
struct MoneyModel {
    struct Placed {
        let user: Int64
        /// What the customer pays: the order's price, or a payout's amount plus fee.
        let total: Int64
        /// The reference Flowix keeps it under (a bill's inquiry id).
        let flowixReference: String
    }

    private(set) var adjustments: [Int64: Int64] = [:]
    private(set) var orders: [String: Placed] = [:]
    private(set) var payouts: [String: Placed] = [:]
    private(set) var depositReferences: [String] = []
    private(set) var depositOwner: [String: Int64] = [:]
    private var noticed: [String] = []

    var orderReferences: [String] { orders.keys.sorted() }

    mutating func adjusted(_ user: Int64, _ signed: Int64) { adjustments[user, default: 0] += signed }

    mutating func placed(_ order: Order) {
        orders[order.refId] = orders[order.refId]
            ?? Placed(user: order.userId, total: order.sellPrice.value,
                      flowixReference: order.kind == .bill ? (order.inquiryId ?? order.refId) : order.refId)
    }

    mutating func placed(_ payout: Payout) {
        payouts[payout.refId] = payouts[payout.refId]
            ?? Placed(user: payout.userId, total: payout.amount.value + payout.fee.value, flowixReference: payout.refId)
    }

    mutating func opened(_ deposit: Deposit) {
        guard depositOwner[deposit.refId] == nil else { return }
        depositOwner[deposit.refId] = deposit.userId
        depositReferences.append(deposit.refId)
    }

    /// Something the simulator saw happen that must never happen.
    mutating func violation(_ text: String) { noticed.append(text) }

    /// Takes in what customers placed by chatting, which the simulator saw only as messages:
    /// its price is the one the books hold (the conversation's own tests check the quote).
    mutating func learn(from books: Books) {
        for order in books.orders.values.sorted(by: { $0.refId < $1.refId }) { placed(order) }
        for payout in books.payouts.values.sorted(by: { $0.refId < $1.refId }) { placed(payout) }
        for deposit in books.deposits.values.sorted(by: { $0.id < $1.id }) { opened(deposit) }
    }

    /// Every invariant that does not hold now. `final`: at quiescence, where everything must
    /// also be settled, settled the same way at Flowix, and told to its customer exactly once.
    mutating func violations(ledger: Ledger, sandbox: FlowixSandbox, users: [Int64], final: Bool) async throws -> [String] {
        let books = try Books(path: ledger.path)
        learn(from: books)
        var problems = noticed
        problems += try LedgerCheck.run(path: ledger.path).map { "ledger check: \($0)" }
        let flowix = await sandbox.outcomes()
        var expected = adjustments
        for (reference, placed) in orders.sorted(by: { $0.key < $1.key }) {
            guard let order = books.orders[reference] else {
                problems.append("order \(reference) vanished from the books")
                continue
            }
            let there = flowix[placed.flowixReference]?.status
            switch order.status {
            case .failed:
                if there == "success" || there == "processing" {
                    problems.append("order \(reference) refunded while Flowix has it as \(there!)")
                }
            case .success:
                if there != "success" { problems.append("order \(reference) captured while Flowix has it as \(there ?? "nothing")") }
                expected[placed.user, default: 0] -= placed.total
            case .pending, .unknown, .processing:
                if final { problems.append("order \(reference) still \(order.status.rawValue) at quiescence (Flowix: \(there ?? "nothing"))") }
                expected[placed.user, default: 0] -= placed.total
            }
        }
        for (reference, placed) in payouts.sorted(by: { $0.key < $1.key }) {
            guard let payout = books.payouts[reference] else {
                problems.append("payout \(reference) vanished from the books")
                continue
            }
            let there = flowix[reference]?.status
            switch payout.status {
            case .failed:
                if there == "success" || there == "processing" {
                    problems.append("payout \(reference) refunded while Flowix has it as \(there!)")
                }
            case .success:
                if there != "success" { problems.append("payout \(reference) captured while Flowix has it as \(there ?? "nothing")") }
                expected[placed.user, default: 0] -= placed.total
            case .pending, .unknown, .processing:
                if final { problems.append("payout \(reference) still \(payout.status.rawValue) at quiescence (Flowix: \(there ?? "nothing"))") }
                expected[placed.user, default: 0] -= placed.total
            }
        }
        for reference in depositReferences {
            guard let deposit = books.deposits[reference], let user = depositOwner[reference] else {
                problems.append("deposit \(reference) vanished from the books")
                continue
            }
            let there = flowix[reference]
            if deposit.status == .success {
                guard there?.status == "success", let received = there?.amount, deposit.amountCredited == received else {
                    problems.append("deposit \(reference) credited \(deposit.amountCredited.map(\.description) ?? "nothing") while Flowix has it as \(there?.status ?? "nothing") with \(there?.amount.description ?? "nothing")")
                    continue
                }
                expected[user, default: 0] += received.value
            } else if final, there?.status == "success" {
                problems.append("deposit \(reference) paid at Flowix but \(deposit.status.rawValue) in the books")
            } else if final, deposit.status == .pending {
                problems.append("deposit \(reference) still pending at quiescence (Flowix: \(there?.status ?? "nothing"))")
            }
        }
        for user in users {
            let balance = try await ledger.wallets.balance(userID: user).value
            if balance != expected[user, default: 0] {
                problems.append("wallet \(user) holds \(balance), the model says \(expected[user, default: 0])")
            }
        }
        if final { problems += told(books.told) }
        return problems
    }

    /// Every order and payout settled in the books was told to its customer exactly once.
    private func told(_ keys: [String: Int]) -> [String] {
        var problems: [String] = []
        for reference in orders.keys.sorted() where keys["order-final:\(reference)"] != 1 {
            problems.append("order \(reference) was told \(keys["order-final:\(reference)"] ?? 0) times")
        }
        for reference in payouts.keys.sorted() where keys["payout-final:\(reference)"] != 1 {
            problems.append("payout \(reference) was told \(keys["payout-final:\(reference)"] ?? 0) times")
        }
        return problems
    }
}

/// Every order, payout and deposit in the database file, read in one go.
struct Books {
    let orders: [String: Order]
    let payouts: [String: Payout]
    let deposits: [String: Deposit]
    /// How many final messages each `order-final:` and `payout-final:` key queued.
    let told: [String: Int]

    init(path: String) throws {
        var configuration = Configuration()
        configuration.readonly = true
        let database = try DatabaseQueue(path: path, configuration: configuration)
        (orders, payouts, deposits, told) = try database.read { db in
            (Dictionary(uniqueKeysWithValues: try Order.fetchAll(db, sql: "SELECT * FROM orders").map { ($0.refId, $0) }),
             Dictionary(uniqueKeysWithValues: try Payout.fetchAll(db, sql: "SELECT * FROM payouts").map { ($0.refId, $0) }),
             Dictionary(uniqueKeysWithValues: try Deposit.fetchAll(db, sql: "SELECT * FROM deposits").map { ($0.refId, $0) }),
             try Row.fetchAll(db, sql: """
                SELECT dedupe_key, COUNT(*) AS told FROM outbox
                WHERE dedupe_key LIKE 'order-final:%' OR dedupe_key LIKE 'payout-final:%' GROUP BY dedupe_key
                """).reduce(into: [String: Int]()) { $0[$1["dedupe_key"]] = $1["told"] })
        }
    }
}
