// A child process for the ledger crash test: it applies ledger operations in a loop and prints
// "ack <idempotency key>" after each one commits, until it is killed with SIGKILL.
//
//     LedgerCrashWriter <database path> <run number>
import Foundation
import Ledger
import Money

let arguments = CommandLine.arguments
guard arguments.count == 3, let run = Int(arguments[2]) else {
    FileHandle.standardError.write(Data("usage: LedgerCrashWriter <database> <run>\n".utf8))
    exit(2)
}

func acknowledge(_ key: String) {
    FileHandle.standardOutput.write(Data("ack \(key)\n".utf8))
}

let ledger = try Ledger(path: arguments[1])
let users: [Int64] = [1, 2, 3]
for user in users { try await ledger.users.register(id: user, name: "User \(user)", username: nil) }

var step = 0
var open: [String] = []
while true {
    step += 1
    let user = users[step % users.count]
    let tag = "\(run)-\(step)"
    switch step % 5 {
    case 0, 1:
        let ref = "DEP-\(tag)"
        try await ledger.deposits.record(NewDeposit(refID: ref, userID: user, methodCode: "QRIS", amountRequested: Rupiah(20_000)!,
                                                  amountToPay: Rupiah(20_700)!, fee: Rupiah(700)!, qrString: nil, expiresAt: nil))
        _ = try await ledger.deposits.credit(ref, amountReceived: Rupiah(20_000)!)
        acknowledge("deposit:\(ref)")
    case 2, 3:
        let ref = "O-\(tag)"
        do {
            _ = try await ledger.orders.place(NewOrder(refID: ref, userID: user, kind: .prepaid, productCode: "TSEL10",
                                                     productName: "Telkomsel 10.000", target: "081234567890",
                                                     sellPrice: Rupiah(11_000)!, quotedCost: Rupiah(10_500)!))
            open.append(ref)
            acknowledge("hold:\(ref)")
        } catch LedgerError.insufficientFunds {
            continue
        }
    default:
        guard !open.isEmpty else { continue }
        let ref = open.removeFirst()
        if step % 2 == 0 {
            _ = try await ledger.orders.complete(ref, cost: Rupiah(10_500)!, sn: "SN\(tag)")
            acknowledge("purchase_capture:\(ref)")
        } else {
            _ = try await ledger.orders.fail(ref, note: "gagal")
            acknowledge("purchase_release:\(ref)")
        }
    }
}
