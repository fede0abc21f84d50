import Conversation
import Foundation
import Hummingbird
import Ledger
import Logging
import LoketCore

/// The owner's dashboard, server-rendered on the bot's own HTTP server under `/dashboard`: off
/// unless `LOKET_PUBLIC_URL` is set. An admin signs in with the one-time link `/dashboard` sends
/// them in Telegram; the session is a cookie (`HttpOnly`, `SameSite=Strict`, `Secure` behind
/// https) and every form carries the session's anti-forgery token.
public struct Dashboard: Sendable {
    let services: LoketServices
    let pages: DashboardPages
    let sessions: DashboardSessions
    let commands: DashboardCommands
    let adminIDs: Set<Int64>
    let clock: @Sendable () -> Date
    let logger = Logger(label: "loket.dashboard")
    /// Whether the owner configured it (`LOKET_PUBLIC_URL`).
    public let isEnabled: Bool

    public init(services: LoketServices, configuration: LoketConfiguration, clock: @escaping @Sendable () -> Date = { Date() }) throws {
        self.services = services
        pages = try DashboardPages(messages: services.messages, shop: configuration.shopName)
        sessions = DashboardSessions(ledger: services.ledger, secure: configuration.publicURL?.hasPrefix("https://") ?? false,
                                     lifetime: TimeInterval(configuration.dashboardHours * 3600), clock: clock)
        commands = DashboardCommands(services: services)
        adminIDs = configuration.adminIDs
        self.clock = clock
        isEnabled = configuration.publicURL != nil
    }

    /// Adds the dashboard's routes to `router`; none when it is off.
    public func mount(on router: Router<LoketRequestContext>) {
        guard isEnabled else { return }
        // The link only shows a button: a link preview or a scanner that fetches it spends nothing.
        router.get("/dashboard/login") { request, _ in
            let token = request.uri.queryParameters.get("token") ?? ""
            return render(.ok, "login", services.messages.defaultLanguage, ["token": token.count <= 128 ? token : ""])
        }
        router.post("/dashboard/login") { request, context in try await login(request, context) }
        router.get("/dashboard/masuk") { _, _ in render(.ok, "signIn", services.messages.defaultLanguage, [:]) }
        router.post("/dashboard/logout") { request, _ in
            try await form(request) { _, hash, _, _ in
                try await services.ledger.dashboard.closeSession(sessionHash: hash)
                var response = Response.redirect(to: "/dashboard/masuk", type: .normal)
                response.setCookie(sessions.expiredCookie)
                return response
            }
        }
        router.post("/dashboard/bahasa") { request, _ in
            try await form(request) { session, _, _, fields in
                // The bot's own setting (`/bahasa`): the dashboard and the chat speak the same language.
                if let chosen = fields["bahasa"].flatMap(Language.init(rawValue:)) {
                    try await services.ledger.users.setLanguage(chosen.rawValue, userID: session.adminID)
                }
                return Response.redirect(to: "/dashboard/", type: .normal)
            }
        }
        router.get("/dashboard") { request, _ in
            try await signedIn(request) { session, language in
                var figures = try await SummaryPage(services: services, language: language, now: clock(), adminID: session.adminID).figures()
                figures["quarantine"] = try await commands.view(.quarantine, admin: session.adminID)
                return page("summary", language, session, figures)
            }
        }
        mountTransactions(on: router)
        mountCustomers(on: router)
        mountPrices(on: router)
        mountBroadcast(on: router)
    }

    private func mountTransactions(on router: Router<LoketRequestContext>) {
        router.get("/dashboard/transaksi") { request, _ in
            try await signedIn(request) { session, language in
                let query = DashboardQuery.parameters(request.uri.query)
                return page("transactions", language, session, try await TransactionsPage(services: services, language: language).list(query))
            }
        }
        router.get("/dashboard/transaksi/:ref") { request, context in
            try await signedIn(request) { session, language in
                let asked = DashboardQuery.parameters(request.uri.query)["webhook"] == "diminta"
                return try await transaction(context.parameters.get("ref") ?? "", language, session,
                                             asked ? ["answers": [pages.html("dashboard.tx.resendAsked", language)]] : [:])
            }
        }
        // "Tanya Flowix sekarang": what a reconciler pass does for this one record.
        router.post("/dashboard/transaksi/:ref/cek") { request, context in
            try await form(request) { session, _, _, _ in
                let reference = context.parameters.get("ref") ?? ""
                let asked = await services.reconciler.askNow(reference: reference)
                logger.info("Flowix asked now from the dashboard", metadata: ["admin": "\(session.adminID)", "ref_id": "\(reference)", "open": "\(asked)"])
                return Response.redirect(to: "/dashboard/transaksi/" + Self.pathComponent(reference), type: .normal)
            }
        }
        // "Kirim ulang webhook": `/resend`; Flowix's answer reaches the admin in Telegram.
        router.post("/dashboard/transaksi/:ref/resend") { request, context in
            try await command(request) { session, language, form, _ in
                let reference = context.parameters.get("ref") ?? ""
                let result = try await commands.run("resend", [reference], admin: session.adminID, form: form, language: language)
                // Flowix's answer comes later, to the admin's Telegram chat.
                return try await finish(result, then: "/dashboard/transaksi/\(Self.pathComponent(reference))?webhook=diminta") {
                    try await transaction(reference, language, session, $0)
                }
            }
        }
    }

    private func mountCustomers(on router: Router<LoketRequestContext>) {
        router.get("/dashboard/pelanggan") { request, _ in
            try await signedIn(request) { session, language in
                let query = DashboardQuery.parameters(request.uri.query)
                let values = try await CustomersPage(services: services, language: language)
                    .list(search: query["q"], before: query["before"].flatMap { Int64($0) })
                return page("customers", language, session, values)
            }
        }
        router.get("/dashboard/pelanggan/:id") { request, context in
            try await signedIn(request) { session, language in
                try await customer(context.parameters.get("id", as: Int64.self), language, session,
                                   ["answers": try await commands.answers(DashboardQuery.parameters(request.uri.query)["selesai"], admin: session.adminID)])
            }
        }
        router.post("/dashboard/pelanggan/:id/:action") { request, context in
            try await command(request) { session, language, form, fields in
                guard let id = context.parameters.get("id", as: Int64.self),
                      let (name, words) = CustomersPage.command(context.parameters.get("action") ?? "", customer: id, fields) else {
                    return render(.badRequest, "message", language, ["message": pages.html("dashboard.badForm", language), "csrf": session.csrf])
                }
                let result = try await commands.run(name, words, admin: session.adminID, form: form, language: language)
                return try await finish(result, then: "/dashboard/pelanggan/\(id)?selesai={answer}") { try await customer(id, language, session, $0) }
            }
        }
    }

    private func mountPrices(on router: Router<LoketRequestContext>) {
        router.get("/dashboard/harga") { request, _ in
            try await signedIn(request) { session, language in
                try await prices(request, language, session,
                                 ["answers": try await commands.answers(DashboardQuery.parameters(request.uri.query)["selesai"], admin: session.adminID)])
            }
        }
        router.post("/dashboard/harga/pratinjau") { request, _ in
            try await command(request) { session, language, _, fields in
                let preview = try await PricesPage(services: services, language: language).preview(fields)
                return try await prices(nil, language, session, preview)
            }
        }
        router.post("/dashboard/harga/aturan") { request, _ in
            try await command(request) { session, language, form, fields in
                let result = try await commands.run("margin", PricesPage.words(fields), admin: session.adminID, form: form, language: language)
                return try await finish(result, then: "/dashboard/harga?selesai={answer}") { try await prices(nil, language, session, $0) }
            }
        }
        // The shop's hours (`/tutup`, `/buka`, `/cutoff`) and a catalogue refresh (`/sync`).
        router.post("/dashboard/harga/toko/:action") { request, context in
            try await command(request) { session, language, form, fields in
                guard let (name, words) = PricesPage.command(context.parameters.get("action") ?? "", fields) else {
                    return render(.badRequest, "message", language, ["message": pages.html("dashboard.badForm", language), "csrf": session.csrf])
                }
                let result = try await commands.run(name, words, admin: session.adminID, form: form, language: language)
                return try await finish(result, then: "/dashboard/harga?selesai={answer}") { try await prices(nil, language, session, $0) }
            }
        }
        router.post("/dashboard/harga/aturan/:id/hapus") { request, context in
            try await command(request) { session, language, form, _ in
                let id = context.parameters.get("id") ?? ""
                let result = try await commands.run("margin", ["hapus", id], admin: session.adminID, form: form, language: language)
                return try await finish(result, then: "/dashboard/harga?selesai={answer}") { try await prices(nil, language, session, $0) }
            }
        }
    }

    private func mountBroadcast(on router: Router<LoketRequestContext>) {
        router.get("/dashboard/broadcast") { request, _ in
            try await signedIn(request) { session, language in
                let values = try await BroadcastPage(services: services, language: language)
                    .values(sent: DashboardQuery.parameters(request.uri.query)["kirim"])
                return page("broadcast", language, session, values)
            }
        }
        router.post("/dashboard/broadcast/pratinjau") { request, _ in
            try await command(request) { session, language, _, fields in
                page("broadcast", language, session, try await BroadcastPage(services: services, language: language).preview(text: fields["teks"]))
            }
        }
        router.post("/dashboard/broadcast/kirim") { request, _ in
            try await command(request) { session, language, form, fields in
                let broadcast = BroadcastPage(services: services, language: language)
                let checked = try await broadcast.preview(text: fields["teks"])
                guard checked["error"] == nil, let text = checked["text"] as? String else { return page("broadcast", language, session, checked) }
                _ = try await commands.run(.broadcast(text), admin: session.adminID, form: form)
                return Response.redirect(to: "/dashboard/broadcast?kirim=" + form, type: .normal)
            }
        }
    }

    // MARK: Pages that forms come back to

    private func transaction(_ reference: String, _ language: Language, _ session: DashboardSession, _ extra: [String: Any]) async throws -> Response {
        guard let values = try await TransactionsPage(services: services, language: language).detail(reference: reference) else {
            return render(.notFound, "message", language, ["message": pages.html("dashboard.notFound", language, ["ref": reference]), "csrf": session.csrf])
        }
        return page("transaction", language, session, values.merging(extra) { _, new in new })
    }

    private func customer(_ id: Int64?, _ language: Language, _ session: DashboardSession, _ extra: [String: Any]) async throws -> Response {
        guard let id, let values = try await CustomersPage(services: services, language: language).detail(id: id) else {
            return render(.notFound, "message", language, ["message": pages.html("dashboard.customers.notFound", language), "csrf": session.csrf])
        }
        return page("customer", language, session, values.merging(extra) { _, new in new })
    }

    private func prices(_ request: Request?, _ language: Language, _ session: DashboardSession, _ extra: [String: Any]) async throws -> Response {
        let query = DashboardQuery.parameters(request?.uri.query)
        var values = try await PricesPage(services: services, language: language)
            .values(category: DashboardQuery.text(query["kategori"]), search: query["q"])
        values["hours"] = try await commands.view(.listClosures, admin: session.adminID)
        return page("prices", language, session, values.merging(extra) { _, new in new })
    }

    /// After a command: a done one sends the browser on to `then` (a GET, so a reload posts
    /// nothing again; `{answer}` in it names the admin's answer to show); a refused one shows `page` again with the usage text.
    private func finish(_ result: DashboardCommands.Result, then location: String,
                        page: ([String: Any]) async throws -> Response) async throws -> Response {
        switch result {
        case .done(let answer): Response.redirect(to: location.replacingOccurrences(of: "{answer}", with: answer), type: .normal)
        case .refused(let usage): try await page(["error": usage])
        }
    }

    /// A signed-in page: its values, the session's form token and the language switch.
    private func page(_ template: String, _ language: Language, _ session: DashboardSession, _ values: [String: Any]) -> Response {
        render(.ok, template, language, values.merging(["csrf": session.csrf]) { _, new in new })
    }

    /// A reference as one path segment.
    static func pathComponent(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["-"])) ?? ""
    }

    // MARK: Signing in

    private func login(_ request: Request, _ context: LoketRequestContext) async throws -> Response {
        var request = request
        let language = services.messages.defaultLanguage
        // Behind the reverse proxy every peer is loopback: the proxy says who the browser is.
        let peer = context.remoteAddress?.ipAddress ?? "-"
        let address = context.isLoopback ? (HTTPRoutes.header("X-Real-IP", request) ?? peer) : peer
        let now = clock()
        guard await sessions.throttle.allows(address, now: now) else {
            return render(.tooManyRequests, "message", language, ["message": pages.html("dashboard.login.throttled", language)])
        }
        let token = DashboardForm(try await request.collectBody(upTo: 4 * 1024))["token"]
        // Unknown, used and expired links get the same answer: nothing tells them apart.
        guard sessions.isSameSite(request), let token, let cookie = try await sessions.open(token: token) else {
            await sessions.throttle.failed(address, now: now)
            return render(.unauthorized, "message", language, ["message": pages.html("dashboard.login.invalid", language)])
        }
        var response = Response.redirect(to: "/dashboard/", type: .normal)
        response.setCookie(cookie)
        return response
    }

    /// Runs `page` for a signed-in admin (one still in `LOKET_ADMIN_IDS`); anyone else is sent to
    /// the "sign in from Telegram" page.
    private func signedIn(_ request: Request, _ page: (DashboardSession, Language) async throws -> Response) async throws -> Response {
        guard let (session, _) = try await sessions.current(request), adminIDs.contains(session.adminID) else {
            return Response.redirect(to: "/dashboard/masuk", type: .normal)
        }
        return try await page(session, services.messages.language(try await services.ledger.users.user(id: session.adminID)?.language))
    }

    /// Runs `action` for a form posted from the dashboard's own pages with the session's token;
    /// anything else is refused and changes nothing.
    private func form(_ request: Request, _ action: (DashboardSession, String, Language, DashboardForm) async throws -> Response)
        async throws -> Response {
        var request = request
        guard let (session, hash) = try await sessions.current(request), adminIDs.contains(session.adminID) else {
            return Response.redirect(to: "/dashboard/masuk", type: .normal)
        }
        let language = services.messages.language(try await services.ledger.users.user(id: session.adminID)?.language)
        // Room for a broadcast of 4,000 characters, each percent-encoded.
        let fields = DashboardForm(try await request.collectBody(upTo: 64 * 1024))
        guard sessions.isSameSite(request), let csrf = fields["csrf"], Secret.equal(csrf, session.csrf) else {
            return render(.forbidden, "message", language, ["message": pages.html("dashboard.forbidden", language)])
        }
        return try await action(session, hash, language, fields)
    }

    /// Runs `action` for an owner's command posted from a dashboard form: signed in, same-site,
    /// with the session's token and the form's own id (which keys the command).
    private func command(_ request: Request, _ action: (DashboardSession, Language, String, DashboardForm) async throws -> Response)
        async throws -> Response {
        try await form(request) { session, _, language, fields in
            guard let id = DashboardCommands.formID(fields["form"]) else {
                return render(.badRequest, "message", language, ["message": pages.html("dashboard.badForm", language), "csrf": session.csrf])
            }
            return try await action(session, language, id, fields)
        }
    }

    private func render(_ status: HTTPResponse.Status, _ template: String, _ language: Language, _ values: [String: Any]) -> Response {
        pages.response(status, template, language, values)
    }
}
