import Foundation
import Money

/// An inline keyboard button. `data` is the `callback_data`, at most 64 bytes.
public struct Button: Sendable, Equatable, Codable {
    public var title: String
    public var data: String

    public init(_ title: String, _ data: String) {
        self.title = title
        self.data = data
    }
}

/// A message to send: HTML text and an optional inline keyboard, or an edit of a message the
/// bot sent before (the PIN keypad turning its digits into dots).
public struct Reply: Sendable, Equatable, Codable {
    public var text: String
    public var buttons: [[Button]]
    /// Edit this Telegram message instead of sending a new one.
    public var editing: Int64?

    public init(_ text: String, buttons: [[Button]] = [], editing: Int64? = nil) {
        self.text = text
        self.buttons = buttons
        self.editing = editing
    }
}

/// A purchase the customer confirmed, at the price they saw.
public struct PurchaseQuote: Sendable, Equatable, Codable {
    public var productCode: String
    public var productName: String
    public var target: String
    public var price: Rupiah

    public init(productCode: String, productName: String, target: String, price: Rupiah) {
        self.productCode = productCode
        self.productName = productName
        self.target = target
        self.price = price
    }
}

/// A postpaid bill looked up for the customer, with our total.
public struct BillQuote: Sendable, Equatable, Codable {
    public var productCode: String
    public var productName: String
    public var customerNumber: String
    public var customerName: String
    public var period: String?
    public var billAmount: Rupiah
    public var adminFee: Rupiah
    /// What the customer pays: bill, admin fee and our margin.
    public var total: Rupiah
    public var inquiryID: String

    public init(productCode: String, productName: String, customerNumber: String, customerName: String, period: String?,
                billAmount: Rupiah, adminFee: Rupiah, total: Rupiah, inquiryID: String) {
        self.productCode = productCode
        self.productName = productName
        self.customerNumber = customerNumber
        self.customerName = customerName
        self.period = period
        self.billAmount = billAmount
        self.adminFee = adminFee
        self.total = total
        self.inquiryID = inquiryID
    }
}

/// A bank account or e-wallet Flowix confirmed, with its holder's name.
public struct PayoutAccount: Sendable, Equatable, Codable {
    public var bankCode: String
    public var bankName: String
    public var accountNumber: String
    public var accountName: String

    public init(bankCode: String, bankName: String, accountNumber: String, accountName: String) {
        self.bankCode = bankCode
        self.bankName = bankName
        self.accountNumber = accountNumber
        self.accountName = accountName
    }
}

/// A withdrawal the customer confirmed.
public struct PayoutQuote: Sendable, Equatable, Codable {
    public var account: PayoutAccount
    public var amount: Rupiah
    public var fee: Rupiah

    public init(account: PayoutAccount, amount: Rupiah, fee: Rupiah) {
        self.account = account
        self.amount = amount
        self.fee = fee
    }

    /// Amount plus fee: what leaves the wallet.
    public var total: Rupiah? { amount.adding(fee) }
}

/// A registered user who may receive a balance transfer.
public struct Recipient: Sendable, Equatable, Codable {
    public var id: Int64
    public var name: String
    public var username: String?

    public init(id: Int64, name: String, username: String? = nil) {
        self.id = id
        self.name = name
        self.username = username
    }

    /// `@username · ID 123`, or `ID 123`: how the shop names them to the sender.
    public var handle: String { (username.map { "@\($0) · " } ?? "") + "ID \(id)" }
}

/// A balance transfer to another member, as the sender confirmed it.
public struct TransferQuote: Sendable, Equatable, Codable {
    public var recipient: Recipient
    public var amount: Rupiah

    public init(recipient: Recipient, amount: Rupiah) {
        self.recipient = recipient
        self.amount = amount
    }
}

/// What the shop said of a PIN typed for a protected action.
public enum PINVerdict: Sendable, Equatable {
    case accepted
    /// Wrong; this many tries are left before the lock.
    case wrong(remaining: Int)
    /// Too many wrong PINs: protected actions are locked until then.
    case locked(until: Date)
    /// The customer has no PIN (an admin reset it meanwhile).
    case notSet
}

/// What the user did, or what a service answered to an earlier effect.
public enum Input: Sendable, Equatable {
    case text(String)
    /// A `callback_data` from an inline button.
    case button(String)
    /// The answer to ``Effect/checkBill(productCode:customerNumber:)``.
    case billChecked(BillQuote)
    /// The answer to ``Effect/inquireAccount(bankCode:accountNumber:)``.
    case accountInquired(PayoutAccount)
    /// Flowix refused a bill check or account inquiry, with its message.
    case lookupFailed(reason: String)
    /// The answer to ``Effect/verifyPIN(_:)``, in the same turn.
    case pinChecked(PINVerdict)
    /// The answer to ``Effect/findRecipient(_:)``, in the same turn: `nil` when nobody matches.
    case recipientFound(Recipient?)
}

/// What the conversation asks the outside to do.
public enum Effect: Sendable, Equatable {
    case send(Reply)
    case purchase(PurchaseQuote)
    case checkBill(productCode: String, customerNumber: String)
    case payBill(BillQuote)
    case createDeposit(amount: Rupiah, methodCode: String)
    case inquireAccount(bankCode: String, accountNumber: String)
    case createPayout(PayoutQuote)
    case showHistory
    case lookupOrder(reference: String)
    /// The receipt of a successful order, bill payment or payout, for its owner (or an admin).
    case showReceipt(reference: String)
    case cancelDeposit(reference: String)
    case checkDeposit(reference: String)
    case setLanguage(Language)
    case admin(AdminCommand)
    /// Ask whether this is the customer's PIN (a wrong one counts towards the lock); answered
    /// at once with ``Input/pinChecked(_:)``.
    case verifyPIN(String)
    /// Store this as the customer's new PIN (hashed, never logged).
    case setPIN(String)
    /// Delete a message the customer typed (it held their PIN), where Telegram allows.
    case deleteMessage(Int64)
    /// Find a registered user by id or `@username`; answered at once with
    /// ``Input/recipientFound(_:)``.
    case findRecipient(String)
    /// Move money from the customer's wallet to another member's.
    case transfer(TransferQuote)

    /// Whether the shop answers it within the same turn, as an ``Input``.
    public var isQuestion: Bool {
        switch self {
        case .verifyPIN, .findRecipient: return true
        case .send, .purchase, .checkBill, .payBill, .createDeposit, .inquireAccount, .createPayout, .showHistory, .lookupOrder,
             .showReceipt, .cancelDeposit, .checkDeposit, .setLanguage, .admin, .setPIN, .deleteMessage, .transfer:
            return false
        }
    }
}
