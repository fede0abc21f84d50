import Foundation
import Money

/// Where a customer is in a flow. Saved between messages (as JSON) so every flow resumes
/// after a restart.
public struct ConversationState: Sendable, Codable, Equatable {
    public var step: Step
    /// Bumped whenever new buttons are shown; a button from an older generation is stale.
    public var generation: Int
    public var updatedAt: Date

    public init(step: Step = .idle, generation: Int = 0, updatedAt: Date) {
        self.step = step
        self.generation = generation
        self.updatedAt = updatedAt
    }
}

/// The steps of every flow.
public enum Step: Sendable, Codable, Equatable {
    case idle
    /// A number was typed first; choose pulsa or data for its operator.
    case choosingPhoneCategory(target: String, operator: String)
    case choosingBrand(category: Category, brands: [String], target: String?)
    case choosingProduct(codes: [String], page: Int, target: String?)
    case enteringTarget(productCode: String)
    case confirmingPurchase(quote: PurchaseQuote, duplicate: Bool)
    /// "Transaksi ganda?": the same product to the same number within 24 hours.
    case confirmingDuplicate(quote: PurchaseQuote)
    case choosingBill(codes: [String])
    case enteringBillNumber(productCode: String)
    case awaitingBill(productCode: String)
    case confirmingBill(BillQuote)
    case enteringDepositAmount
    case choosingDepositMethod(amount: Rupiah, codes: [String])
    case choosingBank(codes: [String], page: Int)
    case enteringAccountNumber(bankCode: String)
    case awaitingAccount(bankCode: String)
    case enteringPayoutAmount(PayoutAccount)
    case confirmingPayout(PayoutQuote)
    /// A request that reads two ways ("pln 5123…": token or bill?); one button per reading.
    case choosingReading([Reading])
}

/// One way to read an ambiguous request, offered as a button.
public enum Reading: Sendable, Codable, Equatable {
    /// Choose among these products, for this destination.
    case products(codes: [String], target: String?)
    /// Check this bill, for this customer number when one was typed.
    case bill(productCode: String, number: String?)
    /// A deposit of this amount.
    case deposit(amount: Rupiah)
}
