import Dashboard
import FlowixSandbox
import Foundation
import Hummingbird
import HummingbirdTesting
import Ledger
import Locales
import LoketCore
import Money
import TestSupport
import Testing

/// The dashboard's routes over a real loopback server (HummingbirdTesting `.live`): signing in
/// with a one-time link, sessions, forms from elsewhere, and the summary's figures.
@Suite("Dashboard routes")
struct DashboardRouteTests {
    static let admin: Int64 = 9_001

    /// A shop with the dashboard on, its services, and a clock the test turns.
    final class Shop: Sendable {
        let folder: URL
        let services: LoketServices
        let dashboard: Dashboard
        let clock = TestClock(Date(timeIntervalSince1970: 1_796_000_000))

        init(publicURL: String = "https://toko.example") throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("loket-dashboard-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let sandboxConfiguration = SandboxConfiguration(settlementDelay: nil)
            let sandbox = FlowixSandbox(configuration: sandboxConfiguration)
            let environment = [
                "TELEGRAM_BOT_TOKEN": "1:in-memory", "FLOWIX_API_KEY": sandboxConfiguration.credentials.apiKey,
                "FLOWIX_MERCHANT_ID": sandboxConfiguration.credentials.merchantID, "FLOWIX_WEBHOOK_SECRET": sandboxConfiguration.webhookSecret,
                "LOKET_ADMIN_IDS": String(DashboardRouteTests.admin), "LOKET_DATABASE": folder.appendingPathComponent("loket.sqlite").path,
                "LOKET_PUBLIC_URL": publicURL, "LOKET_SHOP_NAME": "Cell <Jaya>",
            ]
            let configuration = try LoketConfiguration.load(environment: environment, dotEnvPath: nil)
            var tuning = LoketRuntime.Tuning()
            tuning.clock = { [clock] in clock.now }
            services = try LoketServices(configuration: configuration, strings: try LocaleLoader.load(from: LocaleLoader.defaultDirectory()),
                                         flowix: sandbox.api(timeout: .seconds(1)), tuning: tuning)
            dashboard = try Dashboard(services: services, configuration: configuration, clock: tuning.clock)
        }

        deinit { try? FileManager.default.removeItem(at: folder) }

        func advance(_ seconds: TimeInterval) { clock.advance(by: seconds) }

        var app: some ApplicationProtocol {
            let router = Router(context: LoketRequestContext.self)
            dashboard.mount(on: router)
            return Application(router: router)
        }

        /// A fresh login link's token, as `/dashboard` sends it.
        func token() async throws -> String {
            let link = try #require(try await services.dashboardLinks.link(for: DashboardRouteTests.admin))
            #expect(link.hasPrefix("https://toko.example/dashboard/login?token="))
            return String(link.split(separator: "=").last!)
        }
    }

    static func body(_ response: TestResponse) -> String { String(buffer: response.body) }

    static func cookie(_ response: TestResponse) -> String? {
        response.headers[.setCookie].map { String($0.split(separator: ";")[0]) }
    }

    /// Presses "Masuk" on the page the link opens: the token posted from the dashboard itself.
    static func postLogin(_ token: String, _ client: some TestClientProtocol, forwardedFor: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        if let forwardedFor { headers[.init("X-Real-IP")!] = forwardedFor }
        return try await client.execute(uri: "/dashboard/login", method: .post, headers: headers, body: ByteBuffer(string: "token=\(token)")) { $0 }
    }

    @Test func withoutASessionEveryPageSendsYouToSignInFromTelegram() async throws {
        let shop = try Shop()
        try await shop.app.test(.live) { client in
            for uri in ["/dashboard", "/dashboard/"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .seeOther)
                    #expect(response.headers[.location] == "/dashboard/masuk")
                }
            }
            try await client.execute(uri: "/dashboard/masuk", method: .get) { response in
                #expect(response.status == .ok)
                #expect(Self.body(response).contains("Masuk dari Telegram") && Self.body(response).contains("/dashboard"))
            }
            // A forged cookie is no session.
            try await client.execute(uri: "/dashboard/", method: .get, headers: [.cookie: "loket_dashboard=forged"]) { response in
                #expect(response.status == .seeOther)
            }
        }
    }

    @Test func aLinkSignsInOnceAndNeverAfterItsTenMinutes() async throws {
        let shop = try Shop()
        let token = try await shop.token()
        let stale = try await shop.token()
        try await shop.app.test(.live) { client in
            // Opening the link (as Telegram's link preview does too) only shows a button and spends nothing.
            for _ in 0..<3 {
                try await client.execute(uri: "/dashboard/login?token=\(token)", method: .get) { response in
                    #expect(response.status == .ok && Self.body(response).contains(#"name="token" value="\#(token)""#))
                    #expect(response.headers[.setCookie] == nil)
                    #expect(response.headers[.init("Referrer-Policy")!] == "no-referrer")
                    #expect(response.headers[.init("Content-Security-Policy")!]?.contains("frame-ancestors 'none'") == true)
                }
            }
            let unknown = try await Self.postLogin("nope", client)
            #expect(unknown.status == .unauthorized)
            let signedIn = try await Self.postLogin(token, client)
            #expect(signedIn.status == .seeOther && signedIn.headers[.location] == "/dashboard/")
            let header = signedIn.headers[.setCookie] ?? ""
            #expect(header.contains("HttpOnly") && header.contains("SameSite=Strict") && header.contains("Secure") && header.contains("Path=/dashboard"))
            let session = try #require(Self.cookie(signedIn))
            try await client.execute(uri: "/dashboard/", method: .get, headers: [.cookie: session]) { response in
                #expect(response.status == .ok)
                #expect(Self.body(response).contains("Dasbor Cell &lt;Jaya&gt;"), "the shop's name, escaped")
            }
            // Used: the same answer as a link that never existed, word for word.
            let again = try await Self.postLogin(token, client)
            #expect(again.status == .unauthorized && Self.body(again) == Self.body(unknown))
            shop.advance(11 * 60)
            let expired = try await Self.postLogin(stale, client)
            #expect(expired.status == .unauthorized && Self.body(expired) == Self.body(unknown))
            // A sign-in posted from another site is refused, and its link stays good.
            let fresh = try await shop.token()
            try await client.execute(uri: "/dashboard/login", method: .post,
                                     headers: [.contentType: "application/x-www-form-urlencoded", .origin: "https://evil.example"],
                                     body: ByteBuffer(string: "token=\(fresh)")) { #expect($0.status == .unauthorized) }
            #expect(try await Self.postLogin(fresh, client).status == .seeOther)
        }
    }

    @Test func failedSignInsAreRateLimitedPerBrowserAddress() async throws {
        let shop = try Shop()
        let token = try await shop.token()
        try await shop.app.test(.live) { client in
            // Through the reverse proxy (a loopback peer), the address is the one the proxy names.
            for _ in 0..<10 { #expect(try await Self.postLogin("guess", client, forwardedFor: "203.0.113.9").status == .unauthorized) }
            // The eleventh try within the minute is not even checked, even with a good link, which stays unused…
            #expect(try await Self.postLogin(token, client, forwardedFor: "203.0.113.9").status == .tooManyRequests)
            // …while the owner, from another address, signs in at once.
            let other = try await shop.token()
            #expect(try await Self.postLogin(other, client, forwardedFor: "198.51.100.4").status == .seeOther)
            shop.advance(61)
            #expect(try await Self.postLogin(token, client, forwardedFor: "203.0.113.9").status == .seeOther)
        }
    }

    @Test func signingOutNeedsTheFormsTokenAndASameSiteRequest() async throws {
        let shop = try Shop()
        let token = try await shop.token()
        try await shop.app.test(.live) { client in
            let session = try #require(Self.cookie(try await Self.postLogin(token, client)))
            let page = try await client.execute(uri: "/dashboard/", method: .get, headers: [.cookie: session]) { Self.body($0) }
            let csrf = try #require(page.range(of: #"name="csrf" value=""#).map { String(page[$0.upperBound...].prefix { $0 != "\"" }) })
            let form: HTTPFields = [.cookie: session, .contentType: "application/x-www-form-urlencoded"]
            // Without the token, with a wrong one, or from another site: refused, still signed in.
            for (body, origin) in [("", nil), ("csrf=wrong", nil), ("csrf=\(csrf)", "https://evil.example")] as [(String, String?)] {
                var headers = form
                if let origin { headers[.origin] = origin }
                try await client.execute(uri: "/dashboard/logout", method: .post, headers: headers, body: ByteBuffer(string: body)) {
                    #expect($0.status == .forbidden)
                }
            }
            try await client.execute(uri: "/dashboard/", method: .get, headers: [.cookie: session]) { #expect($0.status == .ok) }
            try await client.execute(uri: "/dashboard/logout", method: .post, headers: form,
                                     body: ByteBuffer(string: "csrf=\(csrf)")) { #expect($0.status == .seeOther) }
            try await client.execute(uri: "/dashboard/", method: .get, headers: [.cookie: session]) { #expect($0.status == .seeOther) }
        }
    }

    /// Signs in with a fresh link and returns the session cookie.
    static func signIn(_ shop: Shop, _ client: some TestClientProtocol) async throws -> String {
        try #require(Self.cookie(try await postLogin(try await shop.token(), client)))
    }

    @Test func transactionsPageThroughFiltersAndShowAnOrdersTimeline() async throws {
        let shop = try Shop()
        let ledger = shop.services.ledger
        try await ledger.users.register(id: Self.admin, name: "Owner", username: nil)
        try await ledger.users.register(id: 77, name: "Siti", username: nil)
        _ = try await ledger.wallets.adjust(userID: 77, .credit, amount: Rupiah(10_000_000)!, adminID: Self.admin, note: nil, key: "t1")
        for index in 0..<120 {
            _ = try await ledger.orders.place(NewOrder(refID: "LKT-77-\(1_000 + index)", userID: 77, kind: .prepaid, productCode: "TSEL10",
                                                       productName: "Telkomsel 10.000", category: "Pulsa", brand: "Telkomsel",
                                                       target: index == 7 ? "087711112222" : "0812345678\(String(format: "%02d", index))",
                                                       sellPrice: Rupiah(10_950)!, quotedCost: Rupiah(10_500)!))
        }
        _ = try await ledger.orders.fail("LKT-77-1003", note: "gagal di Flowix")
        _ = try await ledger.orders.mark("LKT-77-1010", as: .processing)
        // What a supplier may name a product: markup, and a quote and a bracket behind combining marks.
        _ = try await ledger.orders.place(NewOrder(refID: "LKT-77-2000", userID: 77, kind: .prepaid, productCode: "EVIL",
                                                   productName: "<img src=x onerror=alert(1)>\u{600}<b>\"\u{301} onmouseover=alert(2) x=",
                                                   category: "Pulsa", brand: "X", target: "081299998888", sellPrice: Rupiah(1_000)!,
                                                   quotedCost: Rupiah(900)!))
        try await shop.app.test(.live) { client in
            let session = try await Self.signIn(shop, client)
            let first = try await client.execute(uri: "/dashboard/transaksi", method: .get, headers: [.cookie: session]) { Self.body($0) }
            #expect(first.components(separatedBy: "<tr class=").count - 1 == 50, "50 a page")
            #expect(first.contains("LKT-77-1119") && !first.contains("LKT-77-1070"), "newest first")
            #expect(!first.contains("<img") && first.contains("&lt;b&gt;") && first.contains("&lt;img src=x onerror=alert(1)&gt;"), "names are text")
            let unescaped = "\"" + "\u{301}" + " onmouseover"
            #expect(!first.contains(unescaped), "a quote stays escaped behind a combining mark")
            let next = try #require(first.range(of: #"id="next" href=""#).map { String(first[$0.upperBound...].prefix { $0 != "\"" }) })
            let second = try await client.execute(uri: next.replacingOccurrences(of: "&amp;", with: "&"), method: .get, headers: [.cookie: session]) {
                Self.body($0)
            }
            #expect(second.contains("LKT-77-1070") && !second.contains("LKT-77-1071"))
            // A destination typed from its start, a reference, a status.
            let found = try await client.execute(uri: "/dashboard/transaksi?q=08771", method: .get, headers: [.cookie: session]) { Self.body($0) }
            #expect(found.contains("LKT-77-1007") && found.components(separatedBy: "<tr class=").count - 1 == 1)
            let byRef = try await client.execute(uri: "/dashboard/transaksi?q=lkt-77-1042", method: .get, headers: [.cookie: session]) { Self.body($0) }
            #expect(byRef.contains("LKT-77-1042") && byRef.components(separatedBy: "<tr class=").count - 1 == 1)
            let failed = try await client.execute(uri: "/dashboard/transaksi?status=failed", method: .get, headers: [.cookie: session]) { Self.body($0) }
            #expect(failed.contains("LKT-77-1003") && failed.components(separatedBy: "<tr class=").count - 1 == 1)
            let none = try await client.execute(uri: "/dashboard/transaksi?q=%25", method: .get, headers: [.cookie: session]) { Self.body($0) }
            #expect(none.contains("Tidak ada transaksi yang cocok"), "% is a character, not a wildcard")
            // The search typed is written back into the form as text, never as markup.
            let typed = try await client.execute(uri: "/dashboard/transaksi?q=%22%CC%81%20autofocus%20onfocus%3Dalert(1)%20x%3D", method: .get,
                                                 headers: [.cookie: session]) { Self.body($0) }
            let written = "value=\"&quot;" + "\u{301}" + " autofocus onfocus=alert(1) x=\""
            #expect(typed.contains(written), "\(typed.prefix(2_000))")

            // One order: its fields, its timeline (saved, held, released), and "ask Flowix now" only while open.
            let refunded = try await client.execute(uri: "/dashboard/transaksi/LKT-77-1003", method: .get, headers: [.cookie: session]) { Self.body($0) }
            #expect(refunded.contains("Disimpan, saldo ditahan") && refunded.contains("Jurnal: Beli −Rp10.950") && refunded.contains("Jurnal: Refund Rp10.950"))
            #expect(!refunded.contains(#"id="ask""#))
            let pending = try await client.execute(uri: "/dashboard/transaksi/LKT-77-1011", method: .get, headers: [.cookie: session]) { Self.body($0) }
            #expect(!pending.contains(#"id="ask""#), "an order not sent yet is the reconciler's to send")
            let open = try await client.execute(uri: "/dashboard/transaksi/LKT-77-1010", method: .get, headers: [.cookie: session]) { Self.body($0) }
            let csrf = try #require(open.range(of: #"name="csrf" value=""#).map { String(open[$0.upperBound...].prefix { $0 != "\"" }) })
            #expect(open.contains(#"id="ask""#))
            let form: HTTPFields = [.cookie: session, .contentType: "application/x-www-form-urlencoded"]
            try await client.execute(uri: "/dashboard/transaksi/LKT-77-1010/cek", method: .post, headers: form, body: ByteBuffer(string: "csrf=x")) {
                #expect($0.status == .forbidden)
            }
            try await client.execute(uri: "/dashboard/transaksi/LKT-77-1010/cek", method: .post, headers: form, body: ByteBuffer(string: "csrf=\(csrf)")) {
                #expect($0.status == .seeOther && $0.headers[.location] == "/dashboard/transaksi/LKT-77-1010")
            }
            try await client.execute(uri: "/dashboard/transaksi/LKT-NOPE", method: .get, headers: [.cookie: session]) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/dashboard/transaksi", method: .get) { #expect($0.status == .seeOther) }
        }
    }

    @Test func theSummaryShowsWhatTheLedgerHolds() async throws {
        let shop = try Shop()
        let ledger = shop.services.ledger
        try await ledger.users.register(id: Self.admin, name: "Owner", username: nil)
        try await ledger.users.register(id: 77, name: "Siti", username: nil)
        _ = try await ledger.wallets.adjust(userID: 77, .credit, amount: Rupiah(125_000)!, adminID: Self.admin, note: nil, key: "t1")
        let token = try await shop.token()
        try await shop.app.test(.live) { client in
            let session = try #require(Self.cookie(try await Self.postLogin(token, client)))
            let page = try await client.execute(uri: "/dashboard/", method: .get, headers: [.cookie: session]) { Self.body($0) }
            #expect(page.contains(#"<dd id="wallets">Rp125.000</dd>"#))
            #expect(page.contains("Hari ini") && page.contains("30 hari") && page.contains("Omzet"))
        }
        // Off without LOKET_PUBLIC_URL: no link, no routes.
        let configuration = try LoketConfiguration.load(environment: ["LOKET_DATABASE": shop.folder.appendingPathComponent("other.sqlite").path],
                                                        dotEnvPath: nil, requireSecrets: false)
        #expect(configuration.publicURL == nil)
        #expect(try await DashboardLinks(ledger: ledger, publicURL: nil, clock: { Date() }).link(for: Self.admin) == nil)
    }
}
