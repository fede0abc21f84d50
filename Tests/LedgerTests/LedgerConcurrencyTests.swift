import Foundation
import Money
import Testing
@testable import Ledger

@Suite("Ledger under concurrency")
struct LedgerConcurrencyTests {
    enum Outcome: Sendable { case held, refused }

    /// 50 purchases at once against a wallet that covers exactly 10, from two connection pools
    /// on the same file so SQLite's own locking is exercised, not only GRDB's writer queue.
    @Test func fiftyHoldsAgainstAWalletForTen() async throws {
        let database = try TemporaryDatabase()
        let first = try database.open()
        let second = try database.open()
        try await first.users.register(id: 1, name: "Rina", username: nil)
        _ = try await first.wallets.adjust(userID: 1, .credit, amount: Rupiah(110_000)!, adminID: 9, note: "modal", key: "seed")

        let outcomes = try await withThrowingTaskGroup(of: Outcome.self) { group in
            for index in 0..<50 {
                let ledger = index % 2 == 0 ? first : second
                group.addTask {
                    do {
                        _ = try await ledger.orders.place(NewOrder(
                            refID: "C-\(index)", userID: 1, kind: .prepaid, productCode: "TSEL10", productName: "Telkomsel 10.000",
                            target: "0812000\(index)", sellPrice: Rupiah(11_000)!, quotedCost: Rupiah(10_500)!))
                        return .held
                    } catch LedgerError.insufficientFunds {
                        return .refused
                    }
                }
            }
            return try await group.reduce(into: [Outcome]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 == .held }.count == 10)
        #expect(outcomes.filter { $0 == .refused }.count == 40)
        #expect(try await first.wallets.balance(userID: 1) == .zero)
        #expect(try await second.wallets.balance(userID: 1) == .zero)
        let violations = try LedgerCheck.run(path: database.path)
        #expect(violations.isEmpty, "\(violations)")
    }
}
