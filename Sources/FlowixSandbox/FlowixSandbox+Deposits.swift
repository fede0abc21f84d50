import Flowix
import Foundation
import Money

extension FlowixSandbox {
    func depositMethods(_ call: Call) -> SandboxReply {
        .success("Deposit methods retrieved.", data: .array(SandboxCatalogue.depositMethods.map { method in
            .object([
                ("code", .string(method.code)), ("name", .string(method.name)), ("type", .string(method.type)),
                ("min_amount", .integer(method.minAmount.value)), ("max_amount", .integer(method.maxAmount.value)),
                ("fee", .integer(method.fee.value)),
                ("fee_percent", .decimal(String(Percentage(basisPoints: method.feeBasisPoints).description.dropLast()))),
                ("image", .string("https://cdn.example.com/bank/qris.png")),
            ])
        }), method: call.method)
    }

    func createDeposit(_ call: Call) throws(SandboxReplyError) -> SandboxReply {
        let values = try call.required("amount", "method_code")
        guard let amount = Rupiah(plainText: values[0]), amount > .zero else { return call.fail(400, "Nominal tidak valid.") }
        guard let method = SandboxCatalogue.depositMethods.first(where: { $0.code == values[1] }) else {
            return call.fail(400, "Metode deposit tidak ditemukan.")
        }
        guard amount >= method.minAmount, amount <= method.maxAmount else {
            return call.fail(400, "Nominal harus antara \(method.minAmount) dan \(method.maxAmount).")
        }
        let proportional = (amount.value * method.feeBasisPoints + 9_999) / 10_000
        let fee = Rupiah(max(method.fee.value, proportional))!
        let feeByCustomer = call.param("fee_by_customer").map { $0 == "true" || $0 == "1" } ?? false
        let total = feeByCustomer ? amount.adding(fee)! : amount
        guard let received = feeByCustomer ? amount : amount.subtracting(fee), received > .zero else {
            return call.fail(400, "Nominal lebih kecil dari biaya.")
        }
        let refID = "DEP-\(nextSequence())"
        let now = Date()
        let deposit = SandboxDeposit(
            refID: refID, methodCode: method.code, methodType: method.type, amountRequest: amount,
            amountTotal: total, amountReceived: received, fee: fee,
            qrString: QRISPayload.make(merchantName: "FLOWIX SANDBOX", city: "JAKARTA", amount: total, reference: refID),
            createdAt: now, expiresAt: now.addingTimeInterval(configuration.depositLifetime.seconds))
        deposits[refID] = deposit
        return .success("Deposit created successfully.", data: .object([
            ("ref_id", .string(refID)), ("amount_request", .integer(amount.value)),
            ("amount_total", .integer(total.value)), ("amount_received", .integer(received.value)),
            ("fee_charged", .integer(fee.value)), ("expired_at", .string(FlowixTimestamp(deposit.expiresAt).text)),
            ("payment_data", .object([
                ("qr", .object([("image", .string("https://qris.example.com/\(refID).png")), ("string", .string(deposit.qrString))])),
                ("pay_url", .null), ("va_number", .null), ("bank_account", .null), ("bank_name", .null), ("account_name", .null),
            ])),
        ]), method: call.method)
    }

    func depositStatus(_ call: Call) throws(SandboxReplyError) -> SandboxReply {
        let refID = try call.required("ref_id")[0]
        expireOverdueDeposits()
        guard let deposit = deposits[refID] else { return call.fail(404, "Deposit tidak ditemukan.") }
        return .success("Deposit status retrieved successfully.", data: depositJSON(deposit), method: call.method, includeMeta: false)
    }

    func cancelDeposit(_ call: Call) async throws(SandboxReplyError) -> SandboxReply {
        let refID = try call.required("ref_id")[0]
        expireOverdueDeposits()
        guard var deposit = deposits[refID] else { return call.fail(404, "Deposit tidak ditemukan.") }
        guard deposit.status == .pending else { return call.fail(400, "Deposit tidak dapat dibatalkan (status \(deposit.status)).") }
        deposit.status = .cancelled
        deposits[refID] = deposit
        await emitDepositEvent(deposit)
        return .success("Deposit canceled.", data: .null, method: call.method)
    }

    func depositJSON(_ deposit: SandboxDeposit) -> JSONValue {
        .object([
            ("ref_id", .string(deposit.refID)), ("method", .string(deposit.methodCode)), ("type", .string(deposit.methodType)),
            ("amount_billing", .integer(deposit.amountTotal.value)), ("amount_received", .integer(deposit.amountReceived.value)),
            ("fee", .integer(deposit.fee.value)), ("status", .string(deposit.status.wireValue)),
            ("payment_details", .object([
                ("va_number", .null), ("bank_name", .null), ("pay_url", .null), ("qr_string", .string(deposit.qrString)),
            ])),
            ("created_at", .string(FlowixTimestamp(deposit.createdAt).text)),
            ("expired_at", .string(FlowixTimestamp(deposit.expiresAt).text)),
            ("paid_at", .optional(deposit.paidAt.map { FlowixTimestamp($0).text })),
        ])
    }

    /// Marks pending deposits past their expiry as expired and announces it.
    func expireOverdueDeposits() {
        let now = Date()
        for (refID, deposit) in deposits where deposit.status == .pending && deposit.expiresAt < now {
            deposits[refID]?.status = .expired
            let expired = deposits[refID]!
            Task { await self.emitDepositEvent(expired) }
        }
    }

    // MARK: Controls for tests and the demo

    /// Pays a deposit as a customer scanning the QR would: the merchant balance receives
    /// `amount_received` and a `deposit.status` webhook goes out. Paying an expired or cancelled
    /// deposit still succeeds (money that arrives is never dropped). Returns `false` for an
    /// unknown reference or one already paid.
    @discardableResult
    public func payDeposit(refID: String) async -> Bool {
        guard var deposit = deposits[refID], deposit.status != .success else { return false }
        deposit.status = .success
        deposit.paidAt = Date()
        deposits[refID] = deposit
        refund(deposit.amountReceived)
        await emitDepositEvent(deposit)
        return true
    }

    /// Expires a pending deposit now, as if its time had run out.
    @discardableResult
    public func expireDeposit(refID: String) async -> Bool {
        guard var deposit = deposits[refID], deposit.status == .pending else { return false }
        deposit.status = .expired
        deposits[refID] = deposit
        await emitDepositEvent(deposit)
        return true
    }

    /// The QR payload of a deposit, as a customer's phone would read it.
    public func depositQR(refID: String) -> String? { deposits[refID]?.qrString }

    func emitDepositEvent(_ deposit: SandboxDeposit) async {
        await emit(type: "deposit.status", refID: deposit.refID, data: .object([
            ("ref_id", .string(deposit.refID)), ("status", .string(deposit.status.wireValue)),
            ("amount_received", .integer(deposit.amountReceived.value)),
        ]))
    }
}

extension Duration {
    /// The duration in (fractional) seconds, for `Date` arithmetic.
    var seconds: TimeInterval {
        let (whole, attoseconds) = components
        return TimeInterval(whole) + TimeInterval(attoseconds) / 1e18
    }
}
