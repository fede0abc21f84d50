import Flowix
import Money

/// How a ``FlowixSandbox`` behaves.
public struct SandboxConfiguration: Sendable {
    /// The credentials requests must carry (header, body or query).
    public var credentials: FlowixCredentials
    /// The secret webhooks are signed with.
    public var webhookSecret: String
    /// Where webhooks are POSTed; `nil` records them without sending.
    public var webhookURL: String?
    /// The merchant balance at start.
    public var initialBalance: Rupiah
    /// How long a transaction or payout stays `processing` before it settles on its own.
    /// `nil` settles nothing on its own: tests call ``FlowixSandbox/settleDue()`` or
    /// ``FlowixSandbox/settle(refID:as:)``.
    public var settlementDelay: Duration?
    /// How long the `7777` scenario waits before answering.
    public var slowAnswerDelay: Duration
    /// How long a deposit ticket stays payable.
    public var depositLifetime: Duration
    /// The fee Flowix charges per payout (shown as `fee`, and in `total_deduction`);
    /// ``FlowixSandbox/setPayoutFee(_:)`` changes it for later payouts.
    public var payoutFee: Rupiah
    /// Delays between webhook delivery attempts; one attempt more than entries.
    public var webhookRetryDelays: [Duration]
    /// The products on sale.
    public var catalogue: [Product]
    /// How a create answers a reference it already has; `nil` returns the record made the first
    /// time (the documented idempotency). ``FlowixSandbox/setDuplicateRefusal(_:times:)`` changes it.
    public var duplicateRefusal: DuplicateRefusal?
    /// For how long the status endpoints say "not found" about a record that exists.
    public var statusLag: StatusLag
    /// How the status endpoints say "not found".
    public var notFoundAnswer: NotFoundAnswer
    /// What Flowix charges for a product instead of its catalogue price (which `/services` keeps
    /// listing), by product code; for a postpaid code it replaces bill plus admin fee.
    public var chargedPrices: [String: Rupiah]

    public init(credentials: FlowixCredentials = FlowixCredentials(apiKey: "sk-sandbox-key", merchantID: "MID-SANDBOX"),
                webhookSecret: String = "whsec_sandbox",
                webhookURL: String? = nil,
                initialBalance: Rupiah = Rupiah(5_000_000)!,
                settlementDelay: Duration? = .milliseconds(200),
                slowAnswerDelay: Duration = .seconds(20),
                depositLifetime: Duration = .seconds(30 * 60),
                payoutFee: Rupiah = Rupiah(2_500)!,
                webhookRetryDelays: [Duration] = [.milliseconds(100), .milliseconds(500), .seconds(2), .seconds(5)],
                catalogue: [Product] = SandboxCatalogue.products,
                duplicateRefusal: DuplicateRefusal? = nil,
                statusLag: StatusLag = .none,
                notFoundAnswer: NotFoundAnswer = .http404,
                chargedPrices: [String: Rupiah] = [:]) {
        self.credentials = credentials
        self.webhookSecret = webhookSecret
        self.webhookURL = webhookURL
        self.initialBalance = initialBalance
        self.settlementDelay = settlementDelay
        self.slowAnswerDelay = slowAnswerDelay
        self.depositLifetime = depositLifetime
        self.payoutFee = payoutFee
        self.webhookRetryDelays = webhookRetryDelays
        self.catalogue = catalogue
        self.duplicateRefusal = duplicateRefusal
        self.statusLag = statusLag
        self.notFoundAnswer = notFoundAnswer
        self.chargedPrices = chargedPrices
    }
}
