import AsyncHTTPClient
import Dashboard
import FlowixSandbox
import Foundation
import Hummingbird
import Ledger
import Locales
import LoketCore
import NIOCore

/// The dashboard on a shop with many orders: each page fetched over HTTP on loopback, the
/// same way a browser does (with the session cookie), against `/healthz` on the same server,
/// which reads the database once and renders nothing: the HTTP round trip's own cost.
enum DashboardBenchmark {
    static func run(orders: Int, requests: Int) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("loket-bench-dashboard-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("loket.sqlite").path
        let sandbox = SandboxConfiguration(settlementDelay: nil)
        let configuration = try LoketConfiguration.load(environment: [
            "TELEGRAM_BOT_TOKEN": "1:bench", "FLOWIX_API_KEY": sandbox.credentials.apiKey, "FLOWIX_MERCHANT_ID": sandbox.credentials.merchantID,
            "FLOWIX_WEBHOOK_SECRET": sandbox.webhookSecret, "LOKET_ADMIN_IDS": "1", "LOKET_DATABASE": database,
            "LOKET_PUBLIC_URL": "http://127.0.0.1",
        ], dotEnvPath: nil)
        let services = try LoketServices(configuration: configuration, strings: try LocaleLoader.load(from: LocaleLoader.defaultDirectory()),
                                         flowix: FlowixSandbox(configuration: sandbox).api(timeout: .seconds(1)), tuning: LoketRuntime.Tuning())
        let seeding = Date()
        try await seed(services.ledger, orders: orders)
        print(String(format: "seeded %d orders of 1,000 customers in %.1f s", orders, Date().timeIntervalSince(seeding)))

        let router = HTTPRoutes.router(webhooks: services.webhooks, health: HealthCheck(ledger: services.ledger), metrics: services.metrics,
                                       metricsToken: nil)
        try Dashboard(services: services, configuration: configuration).mount(on: router)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) })
        let server = Task { try await app.runService() }
        var port = 0
        for await bound in ports { port = bound; break }
        let base = "http://127.0.0.1:\(port)"
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        defer { server.cancel() }

        let link = try await services.dashboardLinks.link(for: 1) ?? ""
        var signIn = HTTPClientRequest(url: base + "/dashboard/login")
        signIn.method = .POST
        signIn.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        signIn.body = .bytes(ByteBuffer(string: "token=" + (link.split(separator: "=").last.map(String.init) ?? "")))
        let login = try await client.execute(signIn, timeout: .seconds(10))
        let cookie = login.headers.first(name: "set-cookie")?.split(separator: ";").first.map(String.init) ?? ""
        let middle = orders / 2
        // The oldest orders' WIB day: a date filter that has to look past every newer order.
        let oldest = WIB.calendar.dateComponents([.year, .month, .day], from: Date().addingTimeInterval(-Double(orders) * 20))
        let firstDay = String(format: "%04d-%02d-%02d", oldest.year ?? 2000, oldest.month ?? 1, oldest.day ?? 1)
        _ = await services.catalogue.sync()
        let pages: [(String, String)] = [
            ("/healthz (baseline)", "/healthz"),
            ("ringkasan (30 days of totals)", "/dashboard/"),
            ("transaksi, first page", "/dashboard/transaksi"),
            ("transaksi, a page halfway down", "/dashboard/transaksi?before=\(middle)"),
            ("transaksi, failed only", "/dashboard/transaksi?status=failed"),
            ("transaksi, search by destination", "/dashboard/transaksi?q=0812000123"),
            ("one order with its timeline", "/dashboard/transaksi/LKT-BENCH-\(middle)"),
            ("transaksi, one customer's", "/dashboard/transaksi?pelanggan=500"),
            ("transaksi, the first day only", "/dashboard/transaksi?dari=\(firstDay)&sampai=\(firstDay)"),
            ("transaksi, deposits", "/dashboard/transaksi?jenis=deposit"),
            ("pelanggan, first page", "/dashboard/pelanggan"),
            ("pelanggan, search by name", "/dashboard/pelanggan?q=Pelanggan+77"),
            ("one customer with movements and orders", "/dashboard/pelanggan/500"),
            ("harga (sandbox catalogue)", "/dashboard/harga"),
            ("broadcast", "/dashboard/broadcast"),
        ]
        var baseline = 0.0
        for (name, path) in pages {
            var times: [Double] = []
            var bytes = 0
            for _ in 0..<requests {
                var request = HTTPClientRequest(url: base + path)
                request.headers.add(name: "Cookie", value: cookie)
                let start = ContinuousClock.now
                let response = try await client.execute(request, timeout: .seconds(30))
                let body = try await response.body.collect(upTo: 8 << 20)
                times.append((ContinuousClock.now - start).milliseconds)
                guard response.status == .ok else { throw RawSQLite.Failure(message: "\(path) answered \(response.status.code)") }
                bytes = body.readableBytes
            }
            times.sort()
            let median = times[times.count / 2], p95 = times[min(times.count - 1, times.count * 95 / 100)]
            if baseline == 0 { baseline = median }
            print(String(format: "%@: median %.2f ms, p95 %.2f ms, %d bytes, ×%.1f the baseline", name, median, p95, bytes, median / baseline))
        }
        try await client.shutdown()
    }

    /// 1,000 customers and `orders` orders in one transaction, every 50th failed, as a busy shop's file.
    static func seed(_ ledger: Ledger, orders: Int) async throws {
        for user in 1...1_000 { try await ledger.users.register(id: Int64(user), name: "Pelanggan \(user)", username: nil) }
        let raw = try RawSQLite(path: ledger.path, pragmas: ["PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL"], busyTimeoutMilliseconds: 5_000)
        try raw.execute("BEGIN")
        let now = Int64(Date().timeIntervalSince1970)
        for index in 1...orders {
            try raw.run("""
                INSERT INTO orders (id, ref_id, user_id, kind, product_code, product_name, category, brand, target, sell_price, quoted_cost,
                                    status, created_at, updated_at)
                VALUES (?, ?, ?, 'prepaid', 'TSEL10', 'Telkomsel 10.000', 'Pulsa', 'Telkomsel', ?, 10950, 10500, ?, ?, ?)
                """, [Int64(index), "LKT-BENCH-\(index)", Int64(index % 1_000 + 1), String(format: "0812%08d", index),
                      index % 50 == 0 ? "failed" : "success", now - Int64(orders - index) * 20, now - Int64(orders - index) * 20])
        }
        try raw.execute("COMMIT")
    }
}

extension Duration {
    var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1_000 + Double(attoseconds) / 1e15
    }
}
