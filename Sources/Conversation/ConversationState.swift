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
    /// Typing a PIN on the keypad; `entered` holds the digits so far (never more than five
    /// between messages).
    case enteringPIN(PINRequest, entered: String)
    /// A full PIN went to be checked in this turn; the answer decides.
    case verifyingPIN(PINPurpose)
    /// `/transfer`: who receives it (a user id or `@username`).
    case enteringTransferRecipient
    /// The recipient typed is being looked up in this turn; `amount` came with `/transfer`.
    case findingRecipient(amount: Rupiah?)
    case enteringTransferAmount(Recipient)
    case confirmingTransfer(TransferQuote)
}

/// What a PIN is being typed for.
public enum PINRequest: Sendable, Codable, Equatable {
    /// The customer's PIN, to unlock `purpose`.
    case unlock(PINPurpose)
    /// A new PIN, first time.
    case new
    /// The new PIN again, to match `first`.
    case repeatNew(first: String)
}

/// An action that needs the customer's PIN.
public enum PINPurpose: Sendable, Codable, Equatable {
    case purchase(PurchaseQuote)
    case bill(BillQuote)
    case payout(PayoutQuote)
    case transfer(TransferQuote)
    /// Changing the PIN needs the old one.
    case changePIN
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
