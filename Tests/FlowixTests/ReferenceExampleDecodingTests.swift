import Foundation
import Money
import Testing
@testable import Flowix

/// Every example answer of the Flowix reference decodes through the client's own path.
@Suite("Reference examples decode")
struct ReferenceExampleDecodingTests {
    func decode<T: Decodable>(_ type: T.Type, _ fixture: String) throws -> T {
        try FlowixResponse.decode(T.self, status: 200, body: Fixture.data(fixture), redacting: "sk-test")
    }

    @Test func account() throws {
        let account = try decode(Account.self, "account")
        #expect(account.username == "demo_user")
        #expect(account.balance == Rupiah(5_500_000))
        #expect(account.balanceLimit == Rupiah(1_000_000_000))
        #expect(account.isActive)
        #expect(account.verified == true)
        #expect(account.joinedAt?.text == "2023-01-01 12:00:00")
    }

    @Test func depositMethods() throws {
        let methods = try decode([DepositMethod].self, "deposit-methods")
        #expect(methods.map(\.code) == ["QRIS", "QRISFAST"])
        #expect(methods[0].minAmount == Rupiah(1_000) && methods[0].maxAmount == Rupiah(5_000_000))
        #expect(methods[0].fee == Rupiah(700))
        #expect(methods[0].feePercent.basisPoints == 70)
        #expect(methods[1].feePercent.description == "0.5%")
        #expect(methods.allSatisfy { $0.isQRIS })
    }

    @Test func depositCreate() throws {
        let ticket = try decode(DepositTicket.self, "deposit-create")
        #expect(ticket.refID == "DEP-API-231025-X8Y9Z0")
        #expect(ticket.amountRequest == Rupiah(50_000))
        #expect(ticket.amountTotal == Rupiah(50_700))
        #expect(ticket.amountReceived == Rupiah(50_000))
        #expect(ticket.feeCharged == Rupiah(700))
        #expect(ticket.paymentData.qr?.string == "00020101021226590014...")
        #expect(ticket.paymentData.vaNumber == nil)
        // 15:30 WIB is 08:30 UTC.
        #expect(ticket.expiredAt?.date == Date(timeIntervalSince1970: 1_698_222_600))
    }

    @Test func depositStatusWithoutCodeOrMeta() throws {
        let status = try decode(DepositStatus.self, "deposit-status")
        #expect(status.refID == "DEP-1738221650")
        #expect(status.status == .pending)
        #expect(status.amountBilling == Rupiah(50_000))
        #expect(status.amountReceived == Rupiah(49_650))
        #expect(status.fee == Rupiah(350))
        #expect(status.qrString == "0002010102112667001...")
        #expect(status.paidAt == nil)
    }

    @Test func depositCancelAndWebhookResendHaveNoData() throws {
        for name in ["deposit-cancel", "webhook-resend"] {
            try FlowixResponse.checkEnvelope(status: 200, body: Fixture.data(name), redacting: "sk-test")
        }
    }

    @Test func services() throws {
        let list = try decode(ProductList.self, "services")
        #expect(list.invalidEntries.isEmpty)
        #expect(list.products.map(\.code) == ["TSEL10", "ML5"])
        #expect(list.products[0].price == Rupiah(10_500))
        #expect(list.products[1].category == "Games")
        #expect(list.products.allSatisfy { $0.isAvailable })
    }

    @Test func transactionCreate() throws {
        let receipt = try decode(TransactionReceipt.self, "transaction-create")
        #expect(receipt.trxID == "105")
        #expect(receipt.refID == "TRX-ORDER-001")
        #expect(receipt.status == .processing)
        #expect(receipt.price == Rupiah(10_500))
        #expect(receipt.sn == nil)
    }

    @Test func transactionStatus() throws {
        let status = try decode(TransactionStatus.self, "transaction-status")
        #expect(status.refID == "TRX-ORDER-001")
        #expect(status.status == .success)
        #expect(status.sn == "1234567890123456")
        #expect(status.price == Rupiah(10_500))
        #expect(status.note == "Transaksi Berhasil")
    }

    @Test("bill check: the reference elides `detail` as `{ ... }`; verbatim it is unreadable, with `{}` it decodes")
    func billCheck() throws {
        let verbatim = try Fixture.data("bill-check")
        #expect(throws: FlowixError.self) {
            try FlowixResponse.decode(BillInquiry.self, status: 200, body: verbatim, redacting: "")
        }
        let completed = Data(String(decoding: verbatim, as: UTF8.self).replacingOccurrences(of: "{ ... }", with: "{}").utf8)
        let bill = try FlowixResponse.decode(BillInquiry.self, status: 200, body: completed, redacting: "")
        #expect(bill.inquiryID == "INQ-170...")
        #expect(bill.customerName == "BUDI SANTOSO")
        #expect(bill.period == "2023-10")
        #expect(bill.billAmount == Rupiah(54_500))
        #expect(bill.adminFee == Rupiah(2_500))
        #expect(bill.total == Rupiah(57_000))
    }

    @Test func billPay() throws {
        let payment = try decode(BillPayment.self, "bill-pay")
        #expect(payment.trxID == "202")
        #expect(payment.refID == "INQ-170...")
        #expect(payment.status == .processing)
        #expect(payment.sn == "STRUM/TOKEN/REF")
    }

    @Test func payoutBanks() throws {
        let banks = try decode([PayoutBank].self, "payout-banks")
        #expect(banks.map(\.code) == ["BCA", "DANA"])
        #expect(!banks[0].isEWallet && banks[1].isEWallet)
    }

    @Test func payoutInquiry() throws {
        let account = try decode(PayoutAccount.self, "payout-inquiry")
        #expect(account.accountName == "DANI JOEST")
        #expect(account.accountNumber == "1234567890")
        #expect(account.bankCode == "BCA")
    }

    @Test func payoutCreate() throws {
        let receipt = try decode(PayoutReceipt.self, "payout-create")
        #expect(receipt.refID == "WD-001")
        #expect(receipt.status == .processing)
    }

    @Test func payoutStatus() throws {
        let status = try decode(PayoutStatus.self, "payout-status")
        #expect(status.refID == "WD-9921034")
        #expect(status.amount == Rupiah(100_000))
        #expect(status.fee == Rupiah(2_500))
        #expect(status.totalDeduction == Rupiah(102_500))
        #expect(status.status == .success)
        #expect(status.accountName == "JOHN DOE")
    }

    @Test func webhookPayload() throws {
        let event = try JSONDecoder().decode(WebhookEvent.self, from: Fixture.data("webhook-payload"))
        #expect(event.id == "evt_d39a3e...")
        #expect(event.timestamp == 1_698_223_000)
        guard case .transaction(let update) = event.payload else {
            Issue.record("expected a transaction update, got \(event.payload)")
            return
        }
        #expect(update.refID == "TRX-12345")
        #expect(update.status == .success)
        #expect(update.sn == "000123000")
    }
}
