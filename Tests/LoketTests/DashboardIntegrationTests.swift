import AsyncHTTPClient
import Foundation
import Money
import NIOCore
import Testing

/// `/dashboard` in Telegram, then the link it sends opened against the bot's own HTTP server.
@Suite("Dashboard end to end")
struct DashboardIntegrationTests {
    static let customer: Int64 = 8_301

    @Test func anAdminGetsALinkThatSignsTheBrowserIn() async throws {
        let bot = try await BotHarness(environment: ["LOKET_PUBLIC_URL": "http://toko.test/"])
        try await bot.start()
        try await bot.say("/start", from: Self.customer)
        try await bot.say("/tambahsaldo \(Self.customer) 80rb", from: BotHarness.admin)
        let denied = try await bot.say("/dashboard", from: Self.customer)
        #expect(denied.last?.text?.contains("khusus admin") == true)
        let answer = try await bot.say("/dashboard", from: BotHarness.admin)
        let text = try #require(answer.last?.text)
        let token = try #require(text.range(of: "http://toko.test/dashboard/login?token=").map { String(text[$0.upperBound...].prefix { !$0.isWhitespace }) })

        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        let base = "http://127.0.0.1:\(bot.httpPort)"
        // The link opens a page with a button; the button posts the token.
        let opened = try await client.execute(HTTPClientRequest(url: "\(base)/dashboard/login?token=\(token)"), timeout: .seconds(10))
        #expect(opened.status == .ok)
        let login = try await client.execute(Self.post(token, to: "\(base)/dashboard/login"), timeout: .seconds(10))
        #expect(login.status == .seeOther)
        let cookie = try #require(login.headers.first(name: "set-cookie")?.split(separator: ";").first.map(String.init))
        var page = HTTPClientRequest(url: "\(base)/dashboard/")
        page.headers.add(name: "Cookie", value: cookie)
        let summary = try await client.execute(page, timeout: .seconds(10))
        let html = String(buffer: try await summary.body.collect(upTo: 1 << 20))
        #expect(summary.status == .ok)
        #expect(html.contains(#"<dd id="wallets">Rp80.000</dd>"#), "\(html.suffix(600))")
        // The link was for one use.
        let reused = try await client.execute(Self.post(token, to: "\(base)/dashboard/login"), timeout: .seconds(10))
        #expect(reused.status == .unauthorized)
        try await client.shutdown()
        await bot.stop()
        bot.cleanUp()
    }

    static func post(_ token: String, to url: String) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.body = .bytes(ByteBuffer(string: "token=\(token)"))
        return request
    }

    @Test func withoutAPublicAddressTheDashboardIsOff() async throws {
        let bot = try await BotHarness()
        try await bot.start()
        let answer = try await bot.say("/dashboard", from: BotHarness.admin)
        #expect(answer.last?.text?.contains("LOKET_PUBLIC_URL") == true)
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(bot.httpPort)/dashboard/masuk"), timeout: .seconds(10))
        #expect(response.status == .notFound)
        await bot.stop()
        bot.cleanUp()
    }
}
