import Foundation
import Ledger
import Money

/// Durable purchase holds per second through the ledger API against the same statements run
/// directly on SQLite with the same pragmas, alternating rounds in one process.
enum LedgerBenchmark {
    static func run(holdsPerRound: Int, rounds: Int) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("loket-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        let ledgerPath = folder.appendingPathComponent("ledger.sqlite").path
        let rawPath = folder.appendingPathComponent("raw.sqlite").path
        let ledger = try Ledger(path: ledgerPath)
        try await prepare(ledger)
        try await prepare(try Ledger(path: rawPath))
        let raw = try RawSQLite(path: rawPath, pragmas: Ledger.pragmas, busyTimeoutMilliseconds: Int32(Ledger.busyTimeout * 1000))

        var ledgerRates: [Double] = [], rawRates: [Double] = []
        for round in 0..<rounds {
            ledgerRates.append(try await measure(holdsPerRound) { index in
                _ = try await ledger.orders.place(order("L-\(round)-\(index)"))
            })
            rawRates.append(try await measure(holdsPerRound) { index in
                try rawHold(raw, refID: "R-\(round)-\(index)")
            })
            print(String(format: "round %d: ledger %.0f holds/s, raw SQLite %.0f holds/s", round + 1,
                         ledgerRates.last!, rawRates.last!))
        }
        let ledgerMedian = median(ledgerRates), rawMedian = median(rawRates)
        print(String(format: "ledger: median %.0f durable holds/s over %d rounds of %d", ledgerMedian, rounds, holdsPerRound))
        print(String(format: "raw SQLite (same statements and pragmas): median %.0f holds/s", rawMedian))
        print(String(format: "ratio ledger/raw: %.2f (goal >= 0.80)", ledgerMedian / rawMedian))
        let violations = try LedgerCheck.run(path: ledgerPath)
        print(violations.isEmpty ? "loket check: ok" : "loket check: \(violations.count) violations")
    }

    static let userID: Int64 = 1

    static func prepare(_ ledger: Ledger) async throws {
        try await ledger.users.register(id: userID, name: "Bench", username: nil)
        _ = try await ledger.wallets.adjust(userID: userID, .credit, amount: Rupiah(900_000_000_000)!, adminID: 0, note: "bench", key: "bench")
    }

    static func order(_ refID: String) -> NewOrder {
        NewOrder(refID: refID, userID: userID, kind: .prepaid, productCode: "TSEL10", productName: "Telkomsel 10.000",
                 category: "Pulsa", brand: "Telkomsel", target: "081234567890", sellPrice: Rupiah(11_000)!, quotedCost: Rupiah(10_500)!)
    }

    /// The statements `ledger.orders.place` runs, in one immediate transaction.
    static func rawHold(_ db: RawSQLite, refID: String) throws {
        let now = Int64(Date().timeIntervalSince1970)
        try db.execute("BEGIN IMMEDIATE")
        do {
            _ = try db.run("SELECT id FROM orders WHERE ref_id = ?", [refID])
            try db.run("""
                INSERT INTO orders (ref_id, user_id, kind, product_code, product_name, category, brand, target,
                                    sell_price, quoted_cost, inquiry_id, status, created_at, updated_at)
                VALUES (?, ?, 'prepaid', 'TSEL10', 'Telkomsel 10.000', 'Pulsa', 'Telkomsel', '081234567890', 11000, 10500, NULL, 'pending', ?, ?)
                """, [refID, userID, now, now])
            _ = try db.run("SELECT id FROM journal_transactions WHERE idempotency_key = ?", ["hold:" + refID])
            var ids: [Int64] = []
            var walletBalance: Int64 = 0
            for (code, amount) in [("wallet:\(userID)", Int64(-11_000)), ("system:purchase_holds", Int64(11_000))] {
                guard let id = try db.run("SELECT id FROM accounts WHERE code = ?", [code]) else { throw RawSQLite.Failure(message: "no \(code)") }
                try db.run("""
                    UPDATE accounts SET balance = balance + ?1 WHERE id = ?2 AND (kind = 'system' OR balance + ?1 >= 0)
                    """, [amount, id])
                guard db.changes == 1 else { throw RawSQLite.Failure(message: "insufficient funds") }
                let balance = try db.run("SELECT balance FROM accounts WHERE id = ?", [id]) ?? 0
                if code.hasPrefix("wallet") { walletBalance = balance }
                ids.append(id)
            }
            try db.run("""
                INSERT INTO journal_transactions (idempotency_key, kind, reference, user_id, actor_id, note, wallet_balance_after, created_at)
                VALUES (?, 'purchase_hold', ?, ?, NULL, NULL, ?, ?)
                """, ["hold:" + refID, refID, userID, walletBalance, now])
            let transactionID = db.lastInsertedRowID
            try db.run("INSERT INTO journal_entries (transaction_id, account_id, amount) VALUES (?, ?, ?)", [transactionID, ids[0], Int64(-11_000)])
            try db.run("INSERT INTO journal_entries (transaction_id, account_id, amount) VALUES (?, ?, ?)", [transactionID, ids[1], Int64(11_000)])
            try db.run("INSERT INTO holds (reference, purpose, user_id, amount, hold_transaction_id) VALUES (?, 'purchase', ?, 11000, ?)",
                       [refID, userID, transactionID])
            _ = try db.run("SELECT id FROM orders WHERE ref_id = ?", [refID])
            try db.execute("COMMIT")
        } catch {
            try? db.execute("ROLLBACK")
            throw error
        }
    }

    static func measure(_ count: Int, _ body: (Int) async throws -> Void) async throws -> Double {
        let clock = ContinuousClock()
        let started = clock.now
        for index in 0..<count { try await body(index) }
        let elapsed = clock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Double(count) / seconds
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}
