#if DEBUG || FUZZING
@testable import Flowix
#else
import Flowix
#endif
import Foundation
import Money

/// `flowix-responses`: an HTTP body from Flowix read as the answer of every endpoint, both the
/// way the client does (envelope first, then `data`, for several HTTP statuses) and as a bare
/// payload. A body never traps; a 5xx is always an unknown outcome; `success: false` below 500
/// is a rejection; no error text carries the API key; decoded timestamps, statuses and
/// percentages are usable (a timestamp's instant fits the `Int64` seconds the ledger stores).
public enum FlowixResponsesTarget: FuzzTarget {
    public static let name = "flowix-responses"
    public static let summary = "every Flowix response model, bare and inside the envelope, at several HTTP statuses"

    static let apiKey = "sk-fuzz-0123456789abcdef"

    public static func run(_ bytes: [UInt8]) {
        let body = Data(bytes)
        decode(Account.self, body) { account in
            account.joinedAt.map(TimestampTarget.check)
            account.lastActive.map(TimestampTarget.check)
            _ = account.isActive
        }
        decode([DepositMethod].self, body) { methods in
            for method in methods {
                Fuzz.check(method.minAmount <= method.maxAmount, "deposit method \(method.code) with min above max")
                Fuzz.check((0...10_000).contains(method.feePercent.basisPoints), "fee percent \(method.feePercent.basisPoints)")
                _ = method.isQRIS
                _ = method.feePercent.description
            }
        }
        decode(DepositTicket.self, body) { ticket in
            Fuzz.check(!ticket.refID.isEmpty, "deposit ticket without a reference")
            ticket.expiredAt.map(TimestampTarget.check)
        }
        decode(DepositStatus.self, body) { status in
            Fuzz.check(!status.refID.isEmpty, "deposit status without a reference")
            checkStatus(status.status)
            [status.createdAt, status.expiredAt, status.paidAt].compactMap { $0 }.forEach(TimestampTarget.check)
        }
        decode(ProductList.self, body) { list in
            for product in list.products {
                Fuzz.check(!product.code.isEmpty, "product without a code")
                _ = product.isAvailable
            }
        }
        decode(TransactionReceipt.self, body) { receipt in
            Fuzz.check(!receipt.refID.isEmpty, "receipt without a reference")
            checkStatus(receipt.status)
        }
        decode(TransactionStatus.self, body) { status in
            Fuzz.check(!status.refID.isEmpty, "transaction status without a reference")
            checkStatus(status.status)
            status.createdAt.map(TimestampTarget.check)
        }
        decode(BillInquiry.self, body) { bill in
            Fuzz.check(!bill.inquiryID.isEmpty, "bill without an inquiry id")
            _ = bill.total
        }
        decode(BillPayment.self, body) { payment in
            Fuzz.check(!payment.refID.isEmpty, "bill payment without a reference")
            checkStatus(payment.status)
        }
        decode([PayoutBank].self, body) { banks in banks.forEach { _ = $0.isEWallet } }
        decode(Flowix.PayoutAccount.self, body) { _ in }
        decode(PayoutReceipt.self, body) { receipt in
            Fuzz.check(!receipt.refID.isEmpty, "payout receipt without a reference")
            checkStatus(receipt.status)
        }
        decode(PayoutStatus.self, body) { status in
            Fuzz.check(!status.refID.isEmpty, "payout status without a reference")
            checkStatus(status.status)
            status.createdAt.map(TimestampTarget.check)
        }
        #if DEBUG || FUZZING
        for status in [200, 201, 400, 404, 409, 429, 500, 502] {
            do {
                try FlowixResponse.checkEnvelope(status: status, body: body, redacting: apiKey)
                Fuzz.check((200..<300).contains(status), "HTTP \(status) accepted")
            } catch {
                checkError(error, status: status)
            }
        }
        #endif
    }

    /// Decodes `body` as `type` bare and, as the client does, inside the envelope.
    static func decode<T: Decodable>(_ type: T.Type, _ body: Data, _ check: (T) -> Void) {
        if let value = try? JSONDecoder().decode(T.self, from: body) { check(value) }
        #if DEBUG || FUZZING
        do {
            check(try FlowixResponse.decode(T.self, status: 200, body: body, redacting: apiKey))
        } catch {
            checkError(error, status: 200)
        }
        #endif
    }

    static func checkError(_ error: FlowixError, status: Int) {
        let text = error.description
        Fuzz.check(!text.contains(apiKey), "the API key in an error: \(text)")
        if status >= 500 {
            Fuzz.check(error == .outcomeUnknown(.serverError(status: status)), "HTTP \(status) read as \(error)")
        }
        if case .rejected(let rejection) = error {
            Fuzz.check(rejection.httpStatus == status && status < 500, "rejection \(rejection) for HTTP \(status)")
        }
    }

    static func checkStatus<S: WireStatus>(_ status: S) {
        Fuzz.check(S(wire: status.wireValue) == status, "status \(status) does not read back from \(status.wireValue.debugDescription)")
        if let data = try? JSONEncoder().encode([status]) {
            let again = try? JSONDecoder().decode([S].self, from: data)
            Fuzz.check(again == [status], "status \(status) does not survive JSON")
        }
    }
}
