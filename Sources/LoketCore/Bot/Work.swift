import Conversation
import Ledger
import Money

/// What is left to do once an update (or a webhook) is committed: the calls to Flowix, and the
/// lookups whose answer goes back into a chat. A value, not a closure: ``WorkRunner`` says how
/// each is done. Whatever moves money is also derivable from the ledger: an order or payout held
/// and never sent is sent again by the ``Reconciler``, a pending deposit is asked about by it, so
/// a crash between the commit and the work loses nothing.
public enum Work: Sendable, Equatable {
    /// Send a held order (a prepaid product or a bill) to Flowix and settle on the answer.
    case sendOrder(Order, CreateAttempt)
    /// Send a held payout to Flowix and settle on the answer.
    case sendPayout(Payout, CreateAttempt)
    /// Ask Flowix for a deposit ticket and send its QR, once per reference.
    case createDeposit(DepositRequest)
    /// Ask Flowix about a deposit and apply the answer; `chat` is told when nothing changed.
    case refreshDeposit(reference: String, chat: Int64?)
    /// Cancel an unpaid deposit at Flowix.
    case cancelDeposit(reference: String, user: UserRecord, chat: Int64)
    /// Look up a bill; the priced answer goes back into the chat's conversation.
    case checkBill(productCode: String, customerNumber: String, user: UserRecord, chat: Int64)
    /// Look up an account holder's name; the answer goes back into the chat's conversation.
    case inquireAccount(bankCode: String, accountNumber: String, user: UserRecord, chat: Int64)
    /// Tell the chat's conversation that its lookup was not made (the customer's limit).
    case refuseLookup(reason: String, user: UserRecord, chat: Int64)
    /// An owner's command that waits on Flowix or on the outbox.
    case admin(AdminWork)
}

extension Work: CustomStringConvertible {
    /// What the work is about, by reference and chat (no names, no numbers typed), for a log an
    /// operator follows up from.
    public var description: String {
        switch self {
        case .sendOrder(let order, let attempt): "send order \(order.refId) (\(attempt))"
        case .sendPayout(let payout, let attempt): "send payout \(payout.refId) (\(attempt))"
        case .createDeposit(let request): "create deposit \(request.reference) of \(request.amount) for chat \(request.chat)"
        case .refreshDeposit(let reference, let chat): "refresh deposit \(reference)\(chat.map { " for chat \($0)" } ?? "")"
        case .cancelDeposit(let reference, _, let chat): "cancel deposit \(reference) for chat \(chat)"
        case .checkBill(let code, _, _, let chat): "check a \(code) bill for chat \(chat)"
        case .inquireAccount(let bank, _, _, let chat): "look up a \(bank) account for chat \(chat)"
        case .refuseLookup(_, _, let chat): "refuse a lookup for chat \(chat)"
        case .admin(.followBroadcast(let prefix, _, let total, let chat, _)): "follow broadcast \(prefix) of \(total) for chat \(chat)"
        case .admin(.syncCatalogue(let chat, _)): "sync the catalogue for chat \(chat)"
        case .admin(.reportFlowixBalance(let chat, _)): "report Flowix's balance to chat \(chat)"
        case .admin(.resendWebhook(let reference, let chat, _)): "ask for \(reference)'s webhook again for chat \(chat)"
        }
    }
}

/// A deposit the customer confirmed: what ``DepositService`` asks Flowix for.
public struct DepositRequest: Sendable, Equatable {
    public var amount: Rupiah
    public var methodCode: String
    public var user: UserRecord
    public var chat: Int64
    /// The update's reference: the ticket is asked for once per reference.
    public var reference: Reference
}

/// The owner's commands that finish after their update: each tells the owner's chat when done.
public enum AdminWork: Sendable, Equatable {
    /// Keep the broadcast's progress message up to date until the outbox has sent it all.
    case followBroadcast(prefix: String, progressKey: String, total: Int, chat: Int64, language: Language)
    /// Sync the catalogue from Flowix now and report what came.
    case syncCatalogue(chat: Int64, language: Language)
    /// Report Flowix's balance beside what the shop owes its customers.
    case reportFlowixBalance(chat: Int64, language: Language)
    /// Ask Flowix to send a reference's webhook again.
    case resendWebhook(reference: String, chat: Int64, language: Language)
}
