import Flowix
import Foundation
import Money

extension FlowixSandbox {
    /// The smallest payout Flowix accepts.
    static let minimumPayout = Rupiah(10_000)!

    func payoutBanks(_ call: Call) -> SandboxReply {
        .success("Bank list retrieved.", data: .array(SandboxCatalogue.banks.map { bank in
            .object([("code", .string(bank.code)), ("name", .string(bank.name)), ("type", .string(bank.type))])
        }), method: call.method)
    }

    func inquirePayout(_ call: Call) throws(SandboxReplyError) -> SandboxReply {
        let values = try call.required("bank_code", "account_number")
        let (bankCode, accountNumber) = (values[0], values[1])
        guard SandboxCatalogue.banks.contains(where: { $0.code == bankCode }) else {
            return call.fail(400, "Kode bank tidak dikenal.")
        }
        guard accountNumber.count >= 5, accountNumber.count <= 20, accountNumber.allSatisfy(\.isNumber) else {
            return call.fail(400, "Nomor rekening tidak valid.")
        }
        if SandboxScenario(number: accountNumber) == .notFound {
            return call.fail(404, "Rekening tidak ditemukan.")
        }
        return .success("Account valid.", data: .object([
            ("account_name", .string(accountHolder(accountNumber))), ("account_number", .string(accountNumber)),
            ("bank_code", .string(bankCode)),
        ]), method: call.method)
    }

    private func accountHolder(_ accountNumber: String) -> String {
        let seed = accountNumber.utf8.reduce(0) { ($0 &* 17 &+ Int($1)) & 0xFFFF }
        return SandboxCatalogue.names[seed % SandboxCatalogue.names.count]
    }

    func createPayout(_ call: Call) async throws(SandboxReplyError) -> SandboxReply {
        let values = try call.required("bank_code", "account_number", "amount", "ref_id")
        let (bankCode, accountNumber, amountText, refID) = (values[0], values[1], values[2], values[3])
        if let existing = payouts[refID] {
            guard existing.accountNumber == accountNumber, existing.amount.description == amountText else {
                return call.fail(409, "ref_id sudah digunakan untuk payout lain.")
            }
            if let refusal = refuseDuplicate(call) { return refusal }
            return payoutCreatedReply(existing, call)
        }
        guard let bank = SandboxCatalogue.banks.first(where: { $0.code == bankCode }) else {
            return call.fail(400, "Kode bank tidak dikenal.")
        }
        guard let amount = Rupiah(plainText: amountText) else { return call.fail(400, "Nominal tidak valid.") }
        guard amount >= Self.minimumPayout else { return call.fail(400, "Minimal penarikan Rp10.000.") }
        guard accountNumber.count >= 5, accountNumber.allSatisfy(\.isNumber),
              SandboxScenario(number: accountNumber) != .notFound else {
            return call.fail(400, "Rekening tujuan tidak valid.")
        }
        let fee = payoutFee
        guard let total = amount.adding(fee), charge(total) else { return call.fail(400, "Saldo tidak mencukupi.") }
        let payout = SandboxPayout(
            refID: refID, bankCode: bankCode, bankName: bank.name, accountNumber: accountNumber,
            accountName: call.param("account_name") ?? accountHolder(accountNumber), amount: amount, fee: fee,
            createdAt: Date(), scenario: SandboxScenario(number: accountNumber))
        payouts[refID] = payout
        scheduleSettlement(refID: refID, scenario: payout.scenario)
        return replyAfterCreate(payout.scenario, payoutCreatedReply(payout, call), method: call.method)
    }

    private func payoutCreatedReply(_ payout: SandboxPayout, _ call: Call) -> SandboxReply {
        .success("Payout request accepted.", data: .object([
            ("ref_id", .string(payout.refID)), ("status", .string(payout.status.wireValue)),
        ]), method: call.method)
    }

    func payoutStatus(_ call: Call) throws(SandboxReplyError) -> SandboxReply {
        let refID = try call.required("ref_id")[0]
        guard let payout = payouts[refID], !hiddenByLag(refID, createdAt: payout.createdAt) else {
            return statusNotFound(call, "Payout tidak ditemukan.", lagging: payouts[refID] != nil)
        }
        let status = reportedStatus(refID, real: payout.status)
        var reply = SandboxReply.success("Payout status retrieved successfully.", data: .object([
            ("ref_id", .string(payout.refID)), ("method", .string(payout.bankCode)),
            ("bank_name", .string(payout.bankName)), ("account_number", .string(payout.accountNumber)),
            ("account_name", .string(payout.accountName)), ("amount", .integer(payout.amount.value)),
            ("fee", .integer(payout.fee.value)), ("total_deduction", .integer(payout.amount.adding(payout.fee)!.value)),
            ("status", .string(status.wire)), ("note", .optional(payout.note)),
            ("created_at", .string(FlowixTimestamp(payout.createdAt).text)),
        ]), method: call.method, includeMeta: false)
        reply.fault = status.fault
        return reply
    }

    func emitPayoutEvent(_ payout: SandboxPayout) async {
        await emit(type: "payout.status", refID: payout.refID, data: .object([
            ("ref_id", .string(payout.refID)), ("status", .string(payout.status.wireValue)),
            ("amount", .integer(payout.amount.value)), ("fee", .integer(payout.fee.value)),
            ("note", .optional(payout.note)),
        ]))
    }
}
