import Conversation
import Foundation
import Hummingbird
import Ledger
import LoketCore
import Mustache

/// The owner's dashboard, server-rendered on the bot's own HTTP server under `/dashboard`: off
/// unless `LOKET_PUBLIC_URL` is set. An admin signs in with the one-time link `/dashboard` sends
/// them in Telegram; the session is a cookie (`HttpOnly`, `SameSite=Strict`, `Secure` behind
/// https) and every form carries the session's anti-forgery token.
public struct Dashboard: Sendable {
    let services: LoketServices
    let pages: DashboardPages
    let sessions: DashboardSessions
    let shopName: String
    let clock: @Sendable () -> Date
    /// Whether the owner configured it (`LOKET_PUBLIC_URL`).
    public let isEnabled: Bool

    public init(services: LoketServices, configuration: LoketConfiguration, clock: @escaping @Sendable () -> Date = { Date() }) throws {
        self.services = services
        pages = try DashboardPages(messages: services.messages)
        sessions = DashboardSessions(ledger: services.ledger, secure: configuration.publicURL?.hasPrefix("https://") ?? false,
                                     lifetime: TimeInterval(configuration.dashboardHours * 3600), clock: clock)
        shopName = configuration.shopName
        self.clock = clock
        isEnabled = configuration.publicURL != nil
    }

    /// Adds the dashboard's routes to `router`; none when it is off.
    public func mount(on router: Router<LoketRequestContext>) {
        guard isEnabled else { return }
        router.get("/dashboard/login") { request, context in await login(request, context) }
        router.get("/dashboard/masuk") { _, _ in pages.response(.ok, "signIn", services.messages.defaultLanguage, [:]) }
        router.get("/dashboard") { request, _ in try await summary(request) }
        router.post("/dashboard/logout") { request, _ in try await logout(request) }
    }

    // MARK: Signing in and out

    private func login(_ request: Request, _ context: LoketRequestContext) async -> Response {
        let language = services.messages.defaultLanguage
        guard await sessions.throttle.allow(context.remoteAddress?.ipAddress ?? "-", now: clock()) else {
            return pages.response(.tooManyRequests, "message", language, ["message": pages.text("dashboard.login.throttled", language)])
        }
        // Unknown, used and expired links get the same answer: nothing tells them apart.
        guard let token = request.uri.queryParameters.get("token"), let cookie = try? await sessions.open(token: token) else {
            return pages.response(.unauthorized, "message", language, ["message": pages.text("dashboard.login.invalid", language)])
        }
        var response = Response.redirect(to: "/dashboard/", type: .normal)
        response.setCookie(cookie)
        return response
    }

    private func logout(_ request: Request) async throws -> Response {
        var request = request
        guard let (session, hash) = try await sessions.current(request) else { return Response.redirect(to: "/dashboard/masuk", type: .normal) }
        let form = DashboardForm(try await request.collectBody(upTo: 16 * 1024))
        guard sessions.isSameSite(request), let csrf = form["csrf"], Secret.equal(csrf, session.csrf) else {
            return pages.response(.forbidden, "message", try await language(of: session), ["message": pages.text("dashboard.forbidden", try await language(of: session))])
        }
        try await services.ledger.dashboard.closeSession(sessionHash: hash)
        var response = Response.redirect(to: "/dashboard/masuk", type: .normal)
        response.setCookie(sessions.expiredCookie)
        return response
    }

    func language(of session: DashboardSession) async throws -> Language {
        services.messages.language(try await services.ledger.users.user(id: session.adminID)?.language)
    }

    // MARK: Pages

    private func summary(_ request: Request) async throws -> Response {
        guard let (session, _) = try await sessions.current(request) else { return Response.redirect(to: "/dashboard/masuk", type: .normal) }
        let language = try await language(of: session)
        let figures = try await SummaryPage(services: services, language: language, now: clock()).figures()
        return pages.response(.ok, "summary", language, figures.merging([
            "csrf": session.csrf, "shop": shopName,
        ]) { _, new in new })
    }
}
