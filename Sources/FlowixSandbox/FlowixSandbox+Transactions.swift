import Flowix
import Foundation
import Money

extension FlowixSandbox {
    func createTransaction(_ call: Call) async throws(SandboxReplyError) -> SandboxReply {
        let values = try call.required("service_code", "target", "ref_id")
        let (code, target, refID) = (values[0], values[1], values[2])
        if let existing = transactions[refID] {
            guard existing.productCode == code, existing.target == target else {
                return call.fail(409, "ref_id sudah digunakan untuk transaksi lain.")
            }
            if let refusal = refuseDuplicate(call) { return refusal }
            return transactionCreatedReply(existing, call)
        }
        guard let product = configuration.catalogue.first(where: { $0.code == code }), let listed = product.price else {
            return call.fail(404, "Produk \(code) tidak ditemukan.")
        }
        let price = chargedPrices[code] ?? listed
        guard product.isAvailable else { return call.fail(400, "Produk \(code) sedang gangguan / tidak tersedia.") }
        guard target.count >= 4, target.count <= 32 else { return call.fail(400, "Nomor tujuan tidak valid.") }
        guard charge(price) else { return call.fail(400, "Saldo tidak mencukupi.") }
        let transaction = SandboxTransaction(
            trxID: nextSequence(), refID: refID, productCode: code, productName: product.name,
            target: target, price: price, createdAt: Date(), scenario: SandboxScenario(number: target))
        transactions[refID] = transaction
        scheduleSettlement(refID: refID, scenario: transaction.scenario)
        return replyAfterCreate(transaction.scenario, transactionCreatedReply(transaction, call), method: call.method)
    }

    private func transactionCreatedReply(_ transaction: SandboxTransaction, _ call: Call) -> SandboxReply {
        .success(transaction.status == .processing ? "Transaction processing." : "Transaction \(transaction.status).", data: .object([
            ("trx_id", .integer(Int64(transaction.trxID))), ("ref_id", .string(transaction.refID)),
            ("status", .string(transaction.status.wireValue)), ("price", .integer(transaction.price.value)),
            ("sn", .string(transaction.sn ?? "")),
        ]), method: call.method)
    }

    func transactionStatus(_ call: Call) throws(SandboxReplyError) -> SandboxReply {
        let refID = try call.required("ref_id")[0]
        guard let transaction = transactions[refID], !hiddenByLag(refID, createdAt: transaction.createdAt) else {
            return statusNotFound(call, "Transaksi tidak ditemukan.", lagging: transactions[refID] != nil)
        }
        let status = reportedStatus(refID, real: transaction.status)
        var reply = SandboxReply.success("Transaction status retrieved successfully.", data: .object([
            ("ref_id", .string(transaction.refID)), ("product", .string(transaction.productName)),
            ("target", .string(transaction.target)), ("price", .integer(transaction.price.value)),
            ("status", .string(status.wire)), ("sn", .string(transaction.sn ?? "")),
            ("note", .optional(transaction.note)), ("created_at", .string(FlowixTimestamp(transaction.createdAt).text)),
        ]), method: call.method, includeMeta: false)
        reply.fault = status.fault
        return reply
    }

    // MARK: Bills

    func checkBill(_ call: Call) throws(SandboxReplyError) -> SandboxReply {
        let values = try call.required("service_code", "customer_no")
        let (code, customerNo) = (values[0], values[1])
        guard let product = configuration.catalogue.first(where: { $0.code == code }), product.price == nil else {
            return call.fail(404, "Produk pascabayar \(code) tidak ditemukan.")
        }
        guard customerNo.count >= 6, customerNo.count <= 20, customerNo.allSatisfy(\.isNumber) else {
            return call.fail(400, "Nomor pelanggan tidak valid.")
        }
        if SandboxScenario(number: customerNo) == .notFound {
            return call.fail(404, "Tagihan tidak ditemukan atau sudah lunas.")
        }
        let seed = customerNo.utf8.reduce(0) { ($0 &* 31 &+ Int($1)) & 0xFFFF }
        let components = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(secondsFromGMT: 7 * 3600)!, from: Date())
        let period = String(format: "%04d-%02d", components.year ?? 2026, components.month ?? 1)
        let bill = SandboxBill(
            inquiryID: "INQ-\(nextSequence())", serviceCode: code, customerNo: customerNo,
            customerName: SandboxCatalogue.names[seed % SandboxCatalogue.names.count], period: period,
            billAmount: Rupiah(Int64(20_000 + (seed % 400) * 250))!, adminFee: SandboxCatalogue.adminFee(for: code))
        bills[bill.inquiryID] = bill
        return .success("Bill inquiry successful.", data: .object([
            ("inquiry_id", .string(bill.inquiryID)), ("customer_name", .string(bill.customerName)),
            ("customer_no", .string(customerNo)), ("period", .string(period)),
            ("admin_fee", .integer(bill.adminFee.value)), ("bill_amount", .integer(bill.billAmount.value)),
            ("detail", .object([("product", .string(product.name))])),
        ]), method: call.method)
    }

    func payBill(_ call: Call) async throws(SandboxReplyError) -> SandboxReply {
        let values = try call.required("service_code", "customer_no", "inquiry_id")
        let (code, customerNo, inquiryID) = (values[0], values[1], values[2])
        guard let bill = bills[inquiryID], bill.serviceCode == code, bill.customerNo == customerNo else {
            return call.fail(404, "Inquiry tidak ditemukan.")
        }
        if let existing = transactions[inquiryID] {
            if let refusal = refuseDuplicate(call) { return refusal }
            return billPaymentReply(existing, call)
        }
        guard let total = chargedPrices[code] ?? bill.billAmount.adding(bill.adminFee), charge(total) else {
            return call.fail(400, "Saldo tidak mencukupi.")
        }
        let product = configuration.catalogue.first { $0.code == code }
        let transaction = SandboxTransaction(
            trxID: nextSequence(), refID: inquiryID, productCode: code, productName: product?.name ?? code,
            target: customerNo, price: total, createdAt: Date(), scenario: SandboxScenario(number: customerNo))
        transactions[inquiryID] = transaction
        scheduleSettlement(refID: inquiryID, scenario: transaction.scenario)
        return replyAfterCreate(transaction.scenario, billPaymentReply(transaction, call), method: call.method)
    }

    private func billPaymentReply(_ transaction: SandboxTransaction, _ call: Call) -> SandboxReply {
        .success("Bill payment processing.", data: .object([
            ("trx_id", .integer(Int64(transaction.trxID))), ("ref_id", .string(transaction.refID)),
            ("status", .string(transaction.status.wireValue)), ("sn", .string(transaction.sn ?? "")),
        ]), method: call.method)
    }

    // MARK: Settlement

    /// Settles on its own after ``SandboxConfiguration/settlementDelay`` unless the scenario
    /// waits for a test.
    func scheduleSettlement(refID: String, scenario: SandboxScenario) {
        guard scenario != .staysProcessing, let delay = configuration.settlementDelay else { return }
        Task {
            try? await Task.sleep(for: delay)
            await self.settleScheduled(refID: refID)
        }
    }

    private func settleScheduled(refID: String) async {
        if let transaction = transactions[refID] {
            await settle(refID: refID, as: transaction.scenario == .failsLater ? .failed : .success)
        } else if let payout = payouts[refID] {
            await settle(refID: refID, as: payout.scenario == .failsLater ? .failed : .success)
        }
    }

    /// Settles every transaction and payout still processing whose scenario settles on its
    /// own (all but `9999`), as the settlement delay would.
    public func settleDue() async {
        let due = transactions.values.filter { $0.status == .processing && $0.scenario != .staysProcessing }.map(\.refID)
            + payouts.values.filter { $0.status == .processing && $0.scenario != .staysProcessing }.map(\.refID)
        for refID in due.sorted() { await settleScheduled(refID: refID) }
    }

    /// Moves a processing transaction or payout to `success` or `failed` and sends its webhook.
    /// A failure gives the merchant its money back. Returns `false` if there is nothing to settle.
    @discardableResult
    public func settle(refID: String, as status: FlowixStatus) async -> Bool {
        guard status.isFinal else { return false }
        if var transaction = transactions[refID], transaction.status == .processing {
            transaction.status = status
            if status == .success {
                transaction.sn = serialNumber(for: transaction)
                transaction.note = "Transaksi Berhasil"
            } else {
                transaction.note = "Transaksi Gagal: nomor tujuan tidak valid"
                refund(transaction.price)
            }
            transactions[refID] = transaction
            await emit(type: "transaction.status", refID: refID, data: .object([
                ("reff_id", .string(refID)), ("product", .string(transaction.productCode)),
                ("target", .string(transaction.target)), ("status", .string(status.wireValue)),
                ("sn", .string(transaction.sn ?? "")), ("note", .optional(transaction.note)),
            ]))
            return true
        }
        if var payout = payouts[refID], payout.status == .processing {
            payout.status = status
            payout.note = status == .success ? "Transfer Berhasil" : "Transfer Gagal: rekening ditolak bank"
            if status == .failed { refund(payout.amount.adding(payout.fee)!) }
            payouts[refID] = payout
            await emitPayoutEvent(payout)
            return true
        }
        return false
    }

    private func serialNumber(for transaction: SandboxTransaction) -> String {
        var digits = String(UInt64(transaction.trxID) &* 2_654_435_761 % 10_000_000_000_000_000)
        digits = String(repeating: "0", count: max(0, 20 - digits.count)) + digits
        if transaction.productCode.hasPrefix("PLN") {
            return stride(from: 0, to: 20, by: 4).map { offset in
                let start = digits.index(digits.startIndex, offsetBy: offset)
                return String(digits[start..<digits.index(start, offsetBy: 4)])
            }.joined(separator: "-")
        }
        return String(digits.suffix(16))
    }
}
