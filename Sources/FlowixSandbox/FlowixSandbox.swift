import Flowix
import Foundation
import Money

/// The state and rules of a fake Flowix: a merchant balance, a catalogue, transactions,
/// deposits, payouts and bills, answering with the reference's paths, envelopes and field names.
///
/// ``SandboxServer`` puts it behind a real HTTP server; tests also reach in to pay a deposit,
/// settle a transaction or read what was received. Outcomes follow ``SandboxScenario``.
public actor FlowixSandbox {
    public nonisolated let configuration: SandboxConfiguration
    /// The merchant balance purchases and payouts draw on and deposits raise.
    public private(set) var balance: Rupiah
    /// Every request received, oldest first.
    public private(set) var requests: [RecordedRequest] = []
    /// The requests whose answer has been handed back (to the HTTP server or the in-memory
    /// transport), in that order.
    public private(set) var answered: [RecordedRequest] = []

    var transactions: [String: SandboxTransaction] = [:]
    var deposits: [String: SandboxDeposit] = [:]
    var payouts: [String: SandboxPayout] = [:]
    var bills: [String: SandboxBill] = [:]
    /// The last event sent for each reference, replayed by `/webhook/resend`.
    var lastEvents: [String: (id: String, type: String, body: [UInt8])] = [:]
    var sequence = 100
    let webhooks: WebhookDispatcher

    // Faults on request (SandboxFaults.swift, FlowixSandbox+Faults.swift).
    /// Every answer given, oldest first, with the knob that produced it.
    public private(set) var exchanges: [SandboxExchange] = []
    var duplicateRefusal: DuplicateRefusal?
    /// How many more repeats ``duplicateRefusal`` refuses; `nil`: all.
    var duplicateRefusalsLeft: Int?
    var statusLag: StatusLag
    var notFoundAnswer: NotFoundAnswer
    var chargedPrices: [String: Rupiah]
    /// The fee later payouts are charged.
    public internal(set) var payoutFee: Rupiah
    var rateLimits: [CallRule<RateLimitAnswer>] = []
    var droppedCreates: [CallRule<DroppedCreateAnswer>] = []
    /// Statuses the status endpoints report instead of the real one, by reference.
    var reportedStatuses: [String: String] = [:]
    /// Status requests per reference since the record was created, for ``StatusLag/checks(_:)``.
    var statusChecks: [String: Int] = [:]

    public init(configuration: SandboxConfiguration = SandboxConfiguration()) {
        self.configuration = configuration
        balance = configuration.initialBalance
        webhooks = WebhookDispatcher(configuration: configuration)
        duplicateRefusal = configuration.duplicateRefusal
        statusLag = configuration.statusLag
        notFoundAnswer = configuration.notFoundAnswer
        chargedPrices = configuration.chargedPrices
        payoutFee = configuration.payoutFee
    }

    /// Sets the merchant balance, e.g. to provoke "saldo tidak mencukupi".
    public func setBalance(_ amount: Rupiah) { balance = amount }

    func recordAnswer(to request: RecordedRequest) { answered.append(request) }

    /// Every transaction, payout and deposit by reference, as Flowix holds them now.
    public func outcomes() -> [String: SandboxOutcome] {
        var outcomes: [String: SandboxOutcome] = [:]
        for (ref, transaction) in transactions {
            outcomes[ref] = SandboxOutcome(kind: .transaction, status: transaction.status.wireValue, amount: transaction.price)
        }
        for (ref, payout) in payouts {
            outcomes[ref] = SandboxOutcome(kind: .payout, status: payout.status.wireValue, amount: payout.amount.adding(payout.fee) ?? payout.amount)
        }
        for (ref, deposit) in deposits {
            outcomes[ref] = SandboxOutcome(kind: .deposit, status: deposit.status.wireValue, amount: deposit.amountReceived)
        }
        return outcomes
    }

    /// Every webhook sent or attempted so far.
    public func webhookDeliveries() async -> [WebhookDelivery] { await webhooks.deliveries }

    /// Waits until no webhook delivery is in progress.
    public func waitForWebhooks() async { await webhooks.waitUntilIdle() }

    /// Points webhooks at a new URL (for a server started after the sandbox).
    public func setWebhookURL(_ url: String?) async { await webhooks.setURL(url) }

    // MARK: Requests

    /// Answers one request (from HTTP or the in-memory transport) and keeps the exchange.
    func handle(_ request: RecordedRequest) async -> SandboxReply {
        requests.append(request)
        let reply = await answer(request)
        exchanges.append(SandboxExchange(request: request, reply: reply))
        return reply
    }

    private func answer(_ request: RecordedRequest) async -> SandboxReply {
        let fields = RequestFields(body: request.body).strings
        func param(_ name: String) -> String? {
            (fields[name] ?? request.query[name]).flatMap { $0.isEmpty ? nil : $0 }
        }
        let apiKey = request.headers["api_key"] ?? param("api_key")
        let merchant = request.headers["merchant_id"] ?? param("merchant_id")
        guard let apiKey, let merchant else {
            return .failure(401, "API Key dan Merchant ID wajib disertakan.", method: request.method)
        }
        guard apiKey == configuration.credentials.apiKey, merchant == configuration.credentials.merchantID else {
            return .failure(401, "API Key atau Merchant ID tidak valid.", method: request.method)
        }
        let call = Call(method: request.method, param: param)
        if let reply = injectedFault(path: request.path, call) { return reply }
        do {
            return try await route(request.path, call)
        } catch {
            return error.reply
        }
    }

    private func route(_ path: String, _ call: Call) async throws(SandboxReplyError) -> SandboxReply {
        switch path {
        case "/account": return account(call)
        case "/deposit/methods": return depositMethods(call)
        case "/deposit/create": return try createDeposit(call)
        case "/deposit/status": return try depositStatus(call)
        case "/deposit/cancel": return try await cancelDeposit(call)
        case "/services": return services(call)
        case "/transaction/create": return try await createTransaction(call)
        case "/transaction/status": return try transactionStatus(call)
        case "/bill/check": return try checkBill(call)
        case "/bill/pay": return try await payBill(call)
        case "/payout/banks": return payoutBanks(call)
        case "/payout/inquiry": return try inquirePayout(call)
        case "/payout/create": return try await createPayout(call)
        case "/payout/status": return try payoutStatus(call)
        case "/webhook/resend": return try await resendWebhook(call)
        default: return call.fail(404, "Endpoint tidak ditemukan.")
        }
    }

    /// A request's method and its parameters from the body or the query string.
    struct Call {
        let method: String
        let param: (String) -> String?

        /// The parameters in order, or a 400 reply naming the first one missing.
        func required(_ names: String...) throws(SandboxReplyError) -> [String] {
            var values: [String] = []
            for name in names {
                guard let value = param(name) else {
                    throw SandboxReplyError(fail(400, "Parameter \(name) wajib diisi."))
                }
                values.append(value)
            }
            return values
        }

        func fail(_ status: Int, _ message: String) -> SandboxReply { .failure(status, message, method: method) }
    }

    private func account(_ call: Call) -> SandboxReply {
        .success("Account details retrieved successfully.", data: .object([
            ("username", .string("sandbox_merchant")), ("email", .string("merchant@example.com")),
            ("phone", .string("6281234567890")), ("level", .string("Enterprise")),
            ("balance", .integer(balance.value)), ("balance_limit", .integer(1_000_000_000)),
            ("currency", .string("IDR")), ("status", .string("active")), ("kyc", .string("verified")),
            ("kyc_level", .string("CORP_STD")), ("verified", .bool(true)), ("security_2fa", .bool(true)),
            ("ip_whitelist", .array([.string("127.0.0.1")])),
            ("joined_at", .string("2023-01-01 12:00:00")), ("last_active", .string(FlowixTimestamp(Date()).text)),
        ]), method: call.method)
    }

    private func services(_ call: Call) -> SandboxReply {
        let type = call.param("type") ?? "prabayar"
        guard let kind = ServiceType(rawValue: type) else { return call.fail(400, "Tipe layanan tidak dikenal.") }
        let list = configuration.catalogue.filter { ($0.price == nil) == (kind == .pascabayar) }
        return .success("Service list (\(kind.rawValue)) retrieved.", data: .array(list.map { product in
            .object([
                ("code", .string(product.code)), ("name", .string(product.name)),
                ("category", .string(product.category)), ("brand", .string(product.brand)),
                ("type", .string(product.type)), ("price", .integer(product.price?.value ?? 0)),
                ("status", .string(product.status)),
            ])
        }), method: call.method)
    }

    func nextSequence() -> Int {
        sequence += 1
        return sequence
    }

    /// Takes `amount` from the merchant balance, or `nil` when it is short.
    func charge(_ amount: Rupiah) -> Bool {
        guard let remaining = balance.subtracting(amount) else { return false }
        balance = remaining
        return true
    }

    func refund(_ amount: Rupiah) {
        balance = balance.adding(amount) ?? balance
    }

    /// The reply a ``SandboxScenario`` gives after a request has taken effect.
    func replyAfterCreate(_ scenario: SandboxScenario, _ reply: SandboxReply, method: String) -> SandboxReply {
        switch scenario {
        case .serverErrorAfterCreate: return .failure(500, "Internal Server Error", method: method)
        case .htmlAfterCreate: return .htmlErrorPage(status: 502)
        case .incompleteAfterCreate: return .success("OK", data: .object([("ref_id", .string("?"))]), method: method)
        case .slowAnswer:
            var delayed = reply
            delayed.delay = configuration.slowAnswerDelay
            return delayed
        default: return reply
        }
    }
}

/// A ready reply carried through `Result` when a parameter is missing.
struct SandboxReplyError: Error {
    let reply: SandboxReply
    init(_ reply: SandboxReply) { self.reply = reply }
}
