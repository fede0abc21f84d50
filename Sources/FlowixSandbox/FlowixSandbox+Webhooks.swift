import Flowix
import Foundation

extension FlowixSandbox {
    /// Builds, remembers and sends a signed webhook event for a reference.
    func emit(type: String, refID: String, data: JSONValue) async {
        let id = "evt_" + (0..<12).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        let body = JSONValue.object([
            ("id", .string(id)), ("event", .string(type)),
            ("timestamp", .integer(Int64(Date().timeIntervalSince1970))), ("data", data),
        ]).bytes
        lastEvents[refID] = (id, type, body)
        await webhooks.send(eventID: id, eventType: type, refID: refID, body: body)
    }

    func resendWebhook(_ call: Call) async throws(SandboxReplyError) -> SandboxReply {
        let refID = try call.required("ref_id")[0]
        if let event = lastEvents[refID] {
            await webhooks.send(eventID: event.id, eventType: event.type, refID: refID, body: event.body)
            return .success("Webhook transaction sent successfully.", data: .null, method: call.method)
        }
        if let deposit = deposits[refID] {
            await emitDepositEvent(deposit)
        } else if let payout = payouts[refID] {
            await emitPayoutEvent(payout)
        } else if let transaction = transactions[refID] {
            await emit(type: "transaction.status", refID: refID, data: .object([
                ("reff_id", .string(refID)), ("product", .string(transaction.productCode)),
                ("target", .string(transaction.target)), ("status", .string(transaction.status.wireValue)),
                ("sn", .string(transaction.sn ?? "")), ("note", .optional(transaction.note)),
            ]))
        } else {
            return call.fail(404, "Transaksi tidak ditemukan.")
        }
        return .success("Webhook transaction sent successfully.", data: .null, method: call.method)
    }
}
