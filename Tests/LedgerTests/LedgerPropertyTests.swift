import Foundation
import Money
import Testing
@testable import Ledger

/// Random sequences of every ledger operation, and exact replays of earlier ones, checked after
/// each step against a plain in-memory model and every `loket check` invariant.
@Suite("Ledger properties")
struct LedgerPropertyTests {
    /// What the ledger should hold, kept the simplest possible way.
    struct Model {
        var balances: [Int64: Int64] = [:]
        /// Open holds by reference: user and amount.
        var openHolds: [String: (user: Int64, amount: Int64, isPayout: Bool)] = [:]
        var settled: Set<String> = []
        var credited: Set<String> = []
        var adjusted: Set<String> = []
    }

    /// An operation that was applied, kept so it can be replayed exactly.
    enum Operation {
        case deposit(ref: String, user: Int64, amount: Int64)
        case order(NewOrder)
        case payout(NewPayout)
        case complete(ref: String, cost: Int64)
        case fail(ref: String)
        case adjust(user: Int64, credit: Bool, amount: Int64, key: String)
        case mark(ref: String, status: ProgressStatus)
    }

    static let users: [Int64] = [101, 102, 103, 104]

    static var seeds: [UInt64] {
        let random = ProcessInfo.processInfo.environment["LOKET_PROPERTY_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 1...UInt64.max)
        return [1, 2, 3, 20_261_125, random]
    }

    @Test("random operations and replays keep the model and the invariants", arguments: seeds)
    func randomSequences(seed: UInt64) async throws {
        let database = try TemporaryDatabase()
        let ledger = try database.open()
        var random = SeededGenerator(seed: seed)
        var model = Model()
        var history: [Operation] = []
        for user in Self.users {
            try await ledger.users.register(id: user, name: "U\(user)", username: nil)
            model.balances[user] = 0
        }
        for step in 0..<250 {
            let context = "seed \(seed), step \(step)"
            let operation: Operation
            if !history.isEmpty, random.next() % 5 == 0 {
                operation = history[Int(random.next() % UInt64(history.count))]
            } else {
                operation = Self.makeOperation(step: step, model: model, random: &random)
            }
            try await apply(operation, to: ledger, model: &model, context: context)
            history.append(operation)

            for user in Self.users {
                let balance = try await ledger.wallets.balance(userID: user)
                #expect(balance.value == model.balances[user], "\(context): user \(user) after \(operation)")
                if balance.value != model.balances[user] { return }
            }
            let violations = try await ledger.read(LedgerCheck.run)
            #expect(violations.isEmpty, "\(context): \(violations)")
            if !violations.isEmpty { return }
        }
    }

    static func makeOperation(step: Int, model: Model, random: inout SeededGenerator) -> Operation {
        let user = users[Int(random.next() % UInt64(users.count))]
        let amount = Int64(random.next() % 60 + 1) * 1_000
        let open = model.openHolds.keys.sorted()
        let choice = random.next() % 10
        switch open.isEmpty && (5...8).contains(choice) ? 9 : choice {
        case 0, 1: return .deposit(ref: "DEP-\(step)", user: user, amount: amount)
        case 2, 3: return .order(NewOrder(refID: "O-\(step)", userID: user, kind: .prepaid, productCode: "P\(amount)",
                                          productName: "Product", target: "0812\(step)", sellPrice: Rupiah(amount)!,
                                          quotedCost: Rupiah(amount - 500)!))
        case 4: return .payout(NewPayout(refID: "WD-\(step)", userID: user, bankCode: "BCA", bankName: "BCA",
                                         accountNumber: "123\(step)", accountName: "X", amount: Rupiah(amount)!, fee: Rupiah(2_500)!))
        case 5, 6:
            let ref = open[Int(random.next() % UInt64(open.count))]
            let held = model.openHolds[ref]!.amount
            return .complete(ref: ref, cost: max(0, held - Int64(random.next() % 3) * 500 + 250))
        case 7: return .fail(ref: open[Int(random.next() % UInt64(open.count))])
        case 8:
            return .mark(ref: open[Int(random.next() % UInt64(open.count))], status: random.next() % 2 == 0 ? .processing : .unknown)
        default: return .adjust(user: user, credit: random.next() % 2 == 0, amount: amount, key: "ADJ-\(step)")
        }
    }

    func apply(_ operation: Operation, to ledger: Ledger, model: inout Model, context: String) async throws {
        switch operation {
        case .deposit(let ref, let user, let amount):
            try await ledger.deposits.record(NewDeposit(refID: ref, userID: user, methodCode: "QRIS", amountRequested: Rupiah(amount)!,
                                                      amountToPay: Rupiah(amount + 700)!, fee: Rupiah(700)!, qrString: nil, expiresAt: nil))
            let result = try await ledger.deposits.credit(ref, amountReceived: Rupiah(amount)!)
            #expect(result.didSettle == !model.credited.contains(ref), "\(context)")
            if model.credited.insert(ref).inserted { model.balances[user]! += amount }

        case .order(let order):
            try await hold(ref: order.refID, user: order.userID, amount: order.sellPrice.value, isPayout: false, model: &model, context: context) {
                try await ledger.orders.place(order).isNew
            }

        case .payout(let payout):
            try await hold(ref: payout.refID, user: payout.userID, amount: payout.amount.value + payout.fee.value, isPayout: true,
                           model: &model, context: context) {
                try await ledger.payouts.place(payout).isNew
            }

        case .complete(let ref, let cost):
            let isPayout = ref.hasPrefix("WD-")
            let didSettle = isPayout
                ? try await ledger.payouts.complete(ref, flowixFee: Rupiah(min(cost, 2_500))!).didSettle
                : try await ledger.orders.complete(ref, cost: Rupiah(cost)!, sn: "SN").didSettle
            #expect(didSettle == (model.openHolds[ref] != nil), "\(context): complete \(ref)")
            if model.openHolds.removeValue(forKey: ref) != nil { model.settled.insert(ref) }

        case .fail(let ref):
            let isPayout = ref.hasPrefix("WD-")
            let didSettle = isPayout
                ? try await ledger.payouts.fail(ref, note: "gagal").didSettle
                : try await ledger.orders.fail(ref, note: "gagal").didSettle
            #expect(didSettle == (model.openHolds[ref] != nil), "\(context): fail \(ref)")
            if let held = model.openHolds.removeValue(forKey: ref) {
                model.balances[held.user]! += held.amount
                model.settled.insert(ref)
            }

        case .mark(let ref, let status):
            do {
                if ref.hasPrefix("WD-") { try await ledger.payouts.mark(ref, as: status) } else { try await ledger.orders.mark(ref, as: status) }
            } catch let error as LedgerError {
                guard case .invalidTransition = error else { throw error }
            }

        case .adjust(let user, let credit, let amount, let key):
            do {
                let record = try await ledger.wallets.adjust(userID: user, credit ? .credit : .debit, amount: Rupiah(amount)!, adminID: 1,
                                                     note: "prop", key: key)
                if model.adjusted.insert(key).inserted {
                    model.balances[user]! += credit ? amount : -amount
                    #expect(record.walletBalanceAfter == model.balances[user], "\(context): \(key)")
                }
            } catch LedgerError.insufficientFunds {
                #expect(!credit && model.balances[user]! < amount, "\(context): debit refused with enough money")
            }
        }
    }

    /// Places a hold through `place`, checking it against the model: a new hold only when the
    /// model can afford it, a replay of a held reference moves nothing.
    func hold(ref: String, user: Int64, amount: Int64, isPayout: Bool, model: inout Model, context: String,
              _ place: () async throws -> Bool) async throws {
        let known = model.openHolds[ref] != nil || model.settled.contains(ref)
        do {
            let isNew = try await place()
            #expect(isNew == !known, "\(context): \(ref) isNew")
            if isNew {
                #expect(model.balances[user]! >= amount, "\(context): held \(amount) from \(model.balances[user]!)")
                model.balances[user]! -= amount
                model.openHolds[ref] = (user, amount, isPayout)
            }
        } catch LedgerError.insufficientFunds {
            #expect(!known && model.balances[user]! < amount, "\(context): \(ref) refused with enough money")
        }
    }
}
