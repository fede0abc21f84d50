/// The system side of every money movement. A wallet's counterpart is always one of these, so
/// all accounts together sum to zero.
public enum SystemAccount: String, CaseIterable, Sendable {
    /// Money customers paid in by deposit (its balance is minus all deposits ever credited).
    case deposits
    /// Money held from wallets for purchases in flight.
    case purchaseHolds = "purchase_holds"
    /// Money held from wallets for payouts in flight.
    case payoutHolds = "payout_holds"
    /// What Flowix charged for purchases and payout fees.
    case flowixCost = "flowix_cost"
    /// Sell price minus cost on captured purchases, and payout fee income.
    case marginRevenue = "margin_revenue"
    /// Money sent out to customers' banks and e-wallets.
    case payoutsSent = "payouts_sent"
    /// Credits and debits made by the owner with `/tambahsaldo` and `/kurangisaldo`.
    case ownerAdjustments = "owner_adjustments"

    /// The account's code in the `accounts` table.
    public var code: String { "system:" + rawValue }
}

/// An account in the ledger: a customer's wallet or a system account.
enum AccountRef: Hashable {
    case wallet(userID: Int64)
    case system(SystemAccount)

    var code: String {
        switch self {
        case .wallet(let userID): return "wallet:\(userID)"
        case .system(let account): return account.code
        }
    }
}
