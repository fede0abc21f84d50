import Foundation
import Hummingbird
import Ledger
import LoketCore

/// Dashboard sessions: a one-time link becomes a session cookie; a request's cookie finds its
/// session while it lasts; a form must come from the dashboard's own pages.
struct DashboardSessions: Sendable {
    let ledger: Ledger
    /// `Secure` cookies: the owner's browser reaches the dashboard over https.
    let secure: Bool
    let lifetime: TimeInterval
    let clock: @Sendable () -> Date
    let throttle = LoginThrottle()

    static let cookieName = "loket_dashboard"

    /// Uses the link's token: a cookie for a new session, or `nil` when the link is unknown,
    /// used or expired.
    func open(token: String) async throws -> Cookie? {
        let now = clock()
        guard token.count <= 128, let admin = try await ledger.dashboard.redeem(tokenHash: Secret.hash(token), now: Int64(now.timeIntervalSince1970))
        else { return nil }
        let session = Secret.random()
        try await ledger.dashboard.openSession(sessionHash: Secret.hash(session), adminID: admin, csrf: Secret.random(),
                                               expiresAt: Int64(now.addingTimeInterval(lifetime).timeIntervalSince1970))
        return Cookie(name: Self.cookieName, value: session, maxAge: Int(lifetime), path: "/dashboard", secure: secure, httpOnly: true,
                      sameSite: .strict)
    }

    /// The session of the request's cookie and its hash, while it lasts.
    func current(_ request: Request) async throws -> (DashboardSession, String)? {
        guard let value = request.cookies[Self.cookieName]?.value, value.count <= 128 else { return nil }
        let hash = Secret.hash(value)
        guard let session = try await ledger.dashboard.session(sessionHash: hash, now: Int64(clock().timeIntervalSince1970)) else { return nil }
        return (session, hash)
    }

    /// Whether a form post comes from the dashboard's own pages, as far as the browser says:
    /// `Sec-Fetch-Site` when sent, else `Origin` against `Host`.
    func isSameSite(_ request: Request) -> Bool {
        let header = { (name: String) in HTTPRoutes.header(name, request) }
        if let site = header("sec-fetch-site") { return site == "same-origin" }
        guard let origin = header("origin") else { return true }
        guard let host = request.head.authority ?? header("host"), let originHost = URLComponents(string: origin)?.host else { return false }
        let port = URLComponents(string: origin)?.port.map { ":\($0)" } ?? ""
        return originHost + port == host
    }

    /// A cookie that ends the session in the browser.
    var expiredCookie: Cookie {
        Cookie(name: Self.cookieName, value: "", maxAge: 0, path: "/dashboard", secure: secure, httpOnly: true, sameSite: .strict)
    }
}

/// Failed sign-ins per address: after ten in a minute, that address is not even checked until
/// the minute is over (a link has 256 random bits besides). Only failures count, so the owner
/// with a good link is never held up by their own earlier clicks.
actor LoginThrottle {
    private var failures: [String: (count: Int, since: Date)] = [:]
    static let perMinute = 10
    /// Addresses remembered at most; beyond it, those whose minute is over are forgotten first.
    static let capacity = 10_000

    func allows(_ address: String, now: Date) -> Bool {
        guard let entry = failures[address], now.timeIntervalSince(entry.since) < 60 else { return true }
        return entry.count < Self.perMinute
    }

    func failed(_ address: String, now: Date) {
        if failures.count >= Self.capacity {
            failures = failures.filter { now.timeIntervalSince($0.value.since) < 60 }
            if failures.count >= Self.capacity { failures.removeAll() }
        }
        var entry = failures[address] ?? (0, now)
        if now.timeIntervalSince(entry.since) >= 60 { entry = (0, now) }
        entry.count += 1
        failures[address] = entry
    }
}

/// An `application/x-www-form-urlencoded` body.
struct DashboardForm {
    private var fields: [String: String] = [:]

    init(_ body: ByteBuffer) {
        fields = DashboardQuery.parameters(String(buffer: body))
    }

    subscript(_ name: String) -> String? { fields[name] }
}
