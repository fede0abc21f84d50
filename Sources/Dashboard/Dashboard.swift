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
    let shopName: String
    let adminIDs: Set<Int64>
    let clock: @Sendable () -> Date
    let logger = Logger(label: "loket.dashboard")
    /// Whether the owner configured it (`LOKET_PUBLIC_URL`).
    public let isEnabled: Bool

    public init(services: LoketServices, configuration: LoketConfiguration, clock: @escaping @Sendable () -> Date = { Date() }) throws {
        self.services = services
        pages = try DashboardPages(messages: services.messages)
        sessions = DashboardSessions(ledger: services.ledger, secure: configuration.publicURL?.hasPrefix("https://") ?? false,
                                     lifetime: TimeInterval(configuration.dashboardHours * 3600), clock: clock)
        shopName = configuration.shopName
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
        router.get("/dashboard") { request, _ in
            try await signedIn(request) { session, language in
                let figures = try await SummaryPage(services: services, language: language, now: clock()).figures()
                return render(.ok, "summary", language, figures.merging(["csrf": session.csrf]) { _, new in new })
            }
        }
        router.get("/dashboard/transaksi") { request, _ in
            try await signedIn(request) { session, language in
                let query = request.uri.queryParameters
                let values = try await TransactionsPage(services: services, language: language)
                    .list(status: query.get("status"), search: query.get("q"), before: query.get("before", as: Int64.self))
                return render(.ok, "transactions", language, values.merging(["csrf": session.csrf]) { _, new in new })
            }
        }
        router.get("/dashboard/transaksi/:ref") { request, context in
            try await signedIn(request) { session, language in
                let reference = context.parameters.get("ref") ?? ""
                guard let values = try await TransactionsPage(services: services, language: language).detail(reference: reference) else {
                    return render(.notFound, "message", language, ["message": pages.html("dashboard.notFound", language, ["ref": reference]),
                                                                   "csrf": session.csrf])
                }
                return render(.ok, "transaction", language, values.merging(["csrf": session.csrf]) { _, new in new })
            }
        }
        // "Tanya Flowix sekarang": what a reconciler pass does for this one record.
        router.post("/dashboard/transaksi/:ref/cek") { request, context in
            try await form(request) { session, _, _, _ in
                let reference = context.parameters.get("ref") ?? ""
                let asked = await services.reconciler.askNow(reference: reference)
                logger.info("Flowix asked now from the dashboard", metadata: ["admin": "\(session.adminID)", "ref_id": "\(reference)", "open": "\(asked)"])
                return Response.redirect(to: "/dashboard/transaksi/" + (reference.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["-"])) ?? ""),
                                         type: .normal)
            }
        }
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
        let fields = DashboardForm(try await request.collectBody(upTo: 16 * 1024))
        guard sessions.isSameSite(request), let csrf = fields["csrf"], Secret.equal(csrf, session.csrf) else {
            return render(.forbidden, "message", language, ["message": pages.html("dashboard.forbidden", language)])
        }
        return try await action(session, hash, language, fields)
    }

    private func render(_ status: HTTPResponse.Status, _ template: String, _ language: Language, _ values: [String: Any]) -> Response {
        pages.response(status, template, language, values.merging(["shop": shopName]) { _, new in new })
    }
}
