import Conversation
import Dashboard
import Foundation
import Hummingbird
import HummingbirdTesting
@testable import Ledger
import LoketCore
import Money
import Testing

/// What an owner changes from the dashboard: each form runs the Telegram command of the same
/// name (same checks, same ledger writes, the customer told the same way), is recorded with the
/// admin's id, and a form posted twice changes nothing the second time.
@Suite("Dashboard actions")
struct DashboardActionTests {
    typealias Shop = DashboardRouteTests.Shop
    static let admin = DashboardRouteTests.admin

    /// A signed-in browser: the session cookie and the client.
    struct Browser {
        let client: any TestClientProtocol
        let session: String

        func get(_ uri: String) async throws -> (status: HTTPResponse.Status, body: String) {
            try await client.execute(uri: uri, method: .get, headers: [.cookie: session], body: nil) { ($0.status, String(buffer: $0.body)) }
        }

        /// Posts `fields` with the token and the form id of `page`, as the browser would, and
        /// follows a redirect to the page that shows the result unless `follow` is false.
        func post(_ uri: String, from page: String, _ fields: [String: String], follow: Bool = true) async throws
            -> (status: HTTPResponse.Status, body: String, location: String?) {
            var all = fields
            all["csrf"] = Self.value("csrf", in: page)
            all["form"] = all["form"] ?? Self.value("form", in: page)
            let body = all.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
            let posted = try await client.execute(uri: uri, method: .post, headers: [.cookie: session, .contentType: "application/x-www-form-urlencoded"],
                                                  body: ByteBuffer(string: body)) { ($0.status, String(buffer: $0.body), $0.headers[.location]) }
            guard follow, posted.0 == .seeOther, let location = posted.2 else { return posted }
            let shown = try await get(location)
            return (shown.status, shown.body, location)
        }

        /// The value of the first hidden field `name` on `page`.
        static func value(_ name: String, in page: String) -> String? {
            page.range(of: #"name="\#(name)" value=""#).map { String(page[$0.upperBound...].prefix { $0 != "\"" }) }
        }
    }

    static func withBrowser(_ shop: Shop, _ body: @Sendable (Browser) async throws -> Void) async throws {
        try await shop.services.ledger.users.register(id: admin, name: "Owner", username: "owner")
        try await shop.app.test(.live) { client in
            try await body(Browser(client: client, session: try await DashboardRouteTests.signIn(shop, client)))
        }
    }

    /// Outbox rows for `chat`, as their texts.
    static func texts(to chat: Int64, _ ledger: Ledger) async throws -> [String] {
        try await ledger.read { db in
            try String.fetchAll(db, sql: "SELECT payload FROM outbox WHERE chat_id = ? ORDER BY id", arguments: [chat])
        }.compactMap(LedgerOutboxStore.text(ofPayload:))
    }

    @Test func aCustomerIsFoundAdjustedLevelledAndBlockedAsTheCommandsWould() async throws {
        let shop = try Shop()
        let ledger = shop.services.ledger
        try await ledger.users.register(id: 77, name: "Siti <Aminah>", username: "siti_cell")
        try await ledger.users.register(id: 78, name: "Budi", username: nil)
        try await Self.withBrowser(shop) { browser in
            let list = try await browser.get("/dashboard/pelanggan?q=SITI")
            #expect(list.body.contains("Siti &lt;Aminah&gt;") && list.body.contains("@siti_cell") && !list.body.contains("Budi"))
            #expect(try await browser.get("/dashboard/pelanggan?q=%40siti").body.contains("Siti &lt;Aminah&gt;"))
            #expect(try await browser.get("/dashboard/pelanggan?q=78").body.contains("Budi"))

            var page = try await browser.get("/dashboard/pelanggan/77").body
            #expect(page.contains(#"<dd id="balance">Rp0</dd>"#))
            // Credit Rp50.000 with a note: the ledger, the customer's message, the audit trail, the page.
            let credited = try await browser.post("/dashboard/pelanggan/77/saldo", from: page, ["arah": "tambah", "jumlah": "50rb", "catatan": "bonus Desember"])
            #expect(credited.status == .ok && credited.body.contains(#"<dd id="balance">Rp50.000</dd>"#), "\(credited.body.prefix(3_000))")
            #expect(credited.body.contains(#"class="answer""#))
            #expect(try await ledger.wallets.balance(userID: 77) == Rupiah(50_000)!)
            let told = try await Self.texts(to: 77, ledger)
            #expect(told.count == 1 && told[0].contains("Rp50.000") && told[0].contains("bonus Desember"))
            #expect(try await Self.texts(to: Self.admin, ledger).count == 1, "the admin's Telegram chat has the record too")
            let actions = try await ledger.adminActions.recent(limit: 5)
            #expect(actions.first == AdminAction(adminID: Self.admin, source: .dashboard, action: "tambahsaldo 77 50000 bonus Desember",
                                                 createdAt: actions.first?.createdAt ?? 0))
            #expect(credited.location?.hasPrefix("/dashboard/pelanggan/77?selesai=") == true, "posted, then sent on to a page a reload does not post")
            // The same form posted again (a double click): nothing moves, nobody is told twice, the admin neither.
            _ = try await browser.post("/dashboard/pelanggan/77/saldo", from: page, ["arah": "tambah", "jumlah": "50rb", "catatan": "bonus Desember"])
            #expect(try await ledger.wallets.balance(userID: 77) == Rupiah(50_000)!)
            #expect(try await Self.texts(to: 77, ledger).count == 1)
            #expect(try await Self.texts(to: Self.admin, ledger).count == 1)
            // The same form with another amount (the owner "fixing" a slow submit) is refused, not taken for the first.
            let reused = try await browser.post("/dashboard/pelanggan/77/saldo", from: page, ["arah": "tambah", "jumlah": "500rb", "catatan": "bonus Desember"])
            #expect(reused.body.contains("sudah dipakai") && reused.body.contains(#"<dd id="balance">Rp50.000</dd>"#))
            #expect(try await ledger.wallets.balance(userID: 77) == Rupiah(50_000)!)
            #expect(try await Self.texts(to: 77, ledger).count == 1)

            page = credited.body
            // Input the bot refuses is refused here with its usage text; money never moves on it.
            let refused = try await browser.post("/dashboard/pelanggan/77/saldo", from: page, ["arah": "kurang", "jumlah": "banyak"])
            #expect(refused.status == .ok && refused.body.contains(#"id="error""#) && refused.body.contains("kurangisaldo"))
            let noDirection = try await browser.post("/dashboard/pelanggan/77/saldo", from: page, ["jumlah": "10000"])
            #expect(noDirection.status == .badRequest)
            let tooMuch = try await browser.post("/dashboard/pelanggan/77/saldo", from: page, ["arah": "kurang", "jumlah": "60000"])
            #expect(tooMuch.body.contains("Rp50.000") && tooMuch.body.contains(#"<dd id="balance">Rp50.000</dd>"#))
            #expect(try await ledger.wallets.balance(userID: 77) == Rupiah(50_000)!)
            let withoutForm = try await browser.post("/dashboard/pelanggan/77/saldo", from: page, ["arah": "tambah", "jumlah": "1000", "form": "x"])
            #expect(withoutForm.status == .badRequest)

            // Level and blocking: the same stores as /level and /blokir, and the customer told of the level.
            page = try await browser.get("/dashboard/pelanggan/77").body
            let levelled = try await browser.post("/dashboard/pelanggan/77/level", from: page, ["level": "reseller"])
            #expect(levelled.body.contains(#"<dd id="level">reseller</dd>"#))
            #expect(try await ledger.users.user(id: 77)?.level == .reseller)
            #expect(try await Self.texts(to: 77, ledger).count == 2)
            // Posted twice: the customer hears of their new level once.
            _ = try await browser.post("/dashboard/pelanggan/77/level", from: page, ["level": "reseller"])
            #expect(try await Self.texts(to: 77, ledger).count == 2)
            let blocked = try await browser.post("/dashboard/pelanggan/77/blokir", from: levelled.body, [:])
            #expect(blocked.body.contains(#"<dd id="blocked">ya</dd>"#) && blocked.body.contains("/dashboard/pelanggan/77/buka"))
            #expect(try await ledger.users.user(id: 77)?.isBlocked == true)
            _ = try await browser.post("/dashboard/pelanggan/77/buka", from: blocked.body, [:])
            #expect(try await ledger.users.user(id: 77)?.isBlocked == false)
            #expect(try await browser.post("/dashboard/pelanggan/77/hapus", from: page, [:]).status == .badRequest)
            #expect(try await browser.get("/dashboard/pelanggan/4242").status == .notFound)

            // What /pengguna shows in Telegram agrees.
            let owner = try #require(try await ledger.users.user(id: Self.admin))
            let profile = try await shop.services.admin.execute(.profile(userID: 77), by: owner, origin: .update(1), chat: Self.admin)
            let text = try #require(profile.replies.first.flatMap { LedgerOutboxStore.text(ofPayload: $0.payload) })
            #expect(text.contains("Rp50.000") && text.contains("reseller"))
            // …and /laporan counts the correction, as Ringkasan does.
            let report = try await shop.services.admin.execute(.report(.day), by: owner, origin: .update(2), chat: Self.admin)
            let reported = try #require(report.replies.first.flatMap { LedgerOutboxStore.text(ofPayload: $0.payload) })
            #expect(reported.contains("Koreksi saldo oleh admin: 1 (+Rp50.000 / −Rp0)"), "\(reported)")
            #expect(try await browser.get("/dashboard/").body.contains("1 · +Rp50.000 / −Rp0"))
            // What was done is on record with the admin's id; what was refused (the debit beyond the balance, the reused form) is not.
            let trail = try await ledger.adminActions.recent(limit: 10).map(\.action)
            // (A form posted twice is on record twice: the trail lists what was asked and carried out.)
            #expect(Array(trail.prefix(5)) == ["buka 77", "blokir 77", "level 77 reseller", "level 77 reseller", "tambahsaldo 77 50000 bonus Desember"],
                    "\(trail)")
            #expect(!trail.contains("kurangisaldo 77 60000") && !trail.contains("tambahsaldo 77 500000 bonus Desember"))
        }
    }

    @Test func aMarginRuleIsPreviewedThenSavedAndPricesFollow() async throws {
        let shop = try Shop()
        let report = await shop.services.catalogue.sync()
        #expect(report.failures.isEmpty && report.prepaid > 0)
        try await Self.withBrowser(shop) { browser in
            let page = try await browser.get("/dashboard/harga?q=tsel10").body
            #expect(page.contains("TSEL10") && page.contains("Rp10.500") && !page.contains("ISAT10"), "cost shown, filtered")
            // A preview changes nothing yet, and lists the prices that would move.
            let preview = try await browser.post("/dashboard/harga/pratinjau", from: page, ["lingkup": "kategori", "nilai_lingkup": "Pulsa",
                                                                                           "margin": "1000", "level": "member"])
            #expect(preview.body.contains(#"id="preview""#) && preview.body.contains("Rp10.500") && preview.body.contains("Rp11.500"),
                    "\(preview.body.prefix(4_000))")
            #expect(try await shop.services.ledger.catalogue.marginRules().isEmpty)
            let bad = try await browser.post("/dashboard/harga/pratinjau", from: page, ["lingkup": "all", "margin": "seribu"])
            #expect(bad.body.contains(#"id="error""#) && !bad.body.contains(#"id="preview""#))
            // Saving runs /margin set: the rule, the live price book, the page.
            let saved = try await browser.post("/dashboard/harga/aturan", from: preview.body, [
                "lingkup": "kategori", "nilai_lingkup": "Pulsa", "margin": "1000", "level": "member",
                "form": try #require(Browser.value("form", in: preview.body)),
            ])
            let rules = try await shop.services.ledger.catalogue.marginRules()
            #expect(rules.count == 1 && rules[0].scope == .category && rules[0].value == 1_000 && rules[0].level == "member" && rules[0].createdBy == Self.admin)
            let offer = await shop.services.catalogue.offers(level: "member").first { $0.code == "TSEL10" }
            #expect(offer?.sellPrice == Rupiah(11_500)!)
            #expect(saved.body.contains("Rp11.500") && saved.body.contains(#"class="answer""#))
            // The same rule named in another case replaces it, as prices look it up.
            let page2 = try await browser.get("/dashboard/harga").body
            _ = try await browser.post("/dashboard/harga/aturan", from: page2, ["lingkup": "kategori", "nilai_lingkup": "PULSA", "margin": "2000",
                                                                               "level": "member"])
            let replaced = try await shop.services.ledger.catalogue.marginRules()
            #expect(replaced.count == 1 && replaced[0].value == 2_000)
            #expect(await shop.services.catalogue.offers(level: "member").first { $0.code == "TSEL10" }?.sellPrice == Rupiah(12_500)!)
            // Removed again with /margin hapus.
            let removed = try await browser.post("/dashboard/harga/aturan/\(rules[0].id)/hapus", from: try await browser.get("/dashboard/harga").body, [:])
            let left = try await shop.services.ledger.catalogue.marginRules()
            #expect(removed.status == .ok && left.isEmpty && removed.body.contains(#"class="answer""#))
        }
    }

    @Test func theShopIsClosedReopenedCutOffAndRefreshedFromThePricesPage() async throws {
        let shop = try Shop()
        _ = await shop.services.catalogue.sync()
        try await Self.withBrowser(shop) { browser in
            let page = try await browser.get("/dashboard/harga").body
            #expect(page.contains(#"id="hours""#))
            // `/tutup kategori:pulsa gangguan Telkomsel`, shown as `/tutup` lists it.
            let closed = try await browser.post("/dashboard/harga/toko/tutup", from: page, ["lingkup": "kategori:pulsa", "alasan": "gangguan Telkomsel"])
            #expect(closed.status == .ok && closed.body.contains("gangguan Telkomsel"))
            let hours = await shop.services.catalogue.hours
            #expect(hours.closures.count == 1)
            let bad = try await browser.post("/dashboard/harga/toko/tutup", from: closed.body, ["lingkup": "kategori:pulsa", "sampai": "25:99"])
            #expect(bad.body.contains(#"id="error""#))
            let reopened = try await browser.post("/dashboard/harga/toko/buka", from: closed.body, ["lingkup": "kategori:pulsa"])
            let afterReopen = await shop.services.catalogue.hours
            #expect(reopened.status == .ok && afterReopen.closures.isEmpty)
            let cut = try await browser.post("/dashboard/harga/toko/cutoff", from: reopened.body, ["kategori": "pulsa", "jam": "23:00-00:30"])
            let afterCut = await shop.services.catalogue.hours
            #expect(cut.status == .ok && afterCut.cutoffs.contains { $0.category == .pulsa })
            // `/sync` runs after the answer, as in Telegram.
            let synced = try await browser.post("/dashboard/harga/toko/sync", from: cut.body, [:])
            #expect(synced.status == .ok && synced.body.contains(#"class="answer""#))
            let queued = await shop.services.runner.queued
            #expect(queued == 1)
            #expect(try await browser.post("/dashboard/harga/toko/hapus-semua", from: cut.body, [:]).status == .badRequest)
        }
    }

    @Test func aBroadcastIsPreviewedSentOnceAndFollowed() async throws {
        let shop = try Shop()
        let ledger = shop.services.ledger
        for id in Int64(1)...3 { try await ledger.users.register(id: id, name: "Pelanggan \(id)", username: nil) }
        try await Self.withBrowser(shop) { browser in
            let page = try await browser.get("/dashboard/broadcast").body
            let empty = try await browser.post("/dashboard/broadcast/pratinjau", from: page, ["teks": "   "])
            #expect(empty.body.contains(#"id="error""#) && !empty.body.contains(#"id="send""#))
            let text = "Promo <b>pulsa</b>\nbaris dua"
            let preview = try await browser.post("/dashboard/broadcast/pratinjau", from: page, ["teks": text])
            #expect(preview.body.contains("Promo &lt;b&gt;pulsa&lt;/b&gt;\nbaris dua") && preview.body.contains(#"<b id="recipients">4</b>"#))
            #expect(try await Self.texts(to: 1, ledger).isEmpty, "a preview sends nothing")
            let sent = try await browser.post("/dashboard/broadcast/kirim", from: preview.body, ["teks": text], follow: false)
            #expect(sent.status == .seeOther)
            let location = try #require(sent.location)
            #expect(location.hasPrefix("/dashboard/broadcast?kirim="))
            for id in Int64(1)...3 { #expect(try await Self.texts(to: id, ledger) == ["Promo &lt;b&gt;pulsa&lt;/b&gt;\nbaris dua"]) }
            // Posted again: the outbox keeps one message per customer.
            _ = try await browser.post("/dashboard/broadcast/kirim", from: preview.body, ["teks": text], follow: false)
            for id in Int64(1)...3 { #expect(try await Self.texts(to: id, ledger).count == 1) }
            let progress = try await browser.get(location).body
            #expect(progress.contains(#"id="progress""#) && progress.contains("<dd>4</dd>") && progress.contains(#"http-equiv="refresh""#))
            #expect(try await ledger.adminActions.recent(limit: 1).first?.action == "broadcast (\(text.count) chars)")
        }
    }

    @Test func theSummaryChartsTheMonthAndListsFlowixAlertsAndActions() async throws {
        let shop = try Shop()
        let ledger = shop.services.ledger
        try await ledger.users.register(id: 77, name: "Siti", username: nil)
        _ = try await ledger.wallets.adjust(userID: 77, .credit, amount: Rupiah(100_000)!, adminID: Self.admin, note: nil, key: "t1")
        _ = try await ledger.orders.place(NewOrder(refID: "LKT-77-1", userID: 77, kind: .prepaid, productCode: "TSEL10", productName: "Telkomsel 10.000",
                                                   category: "Pulsa", brand: "Telkomsel", target: "081234567890", sellPrice: Rupiah(11_000)!,
                                                   quotedCost: Rupiah(10_500)!))
        _ = try await ledger.orders.complete("LKT-77-1", cost: Rupiah(10_500)!, sn: "SN1")
        try await shop.services.alerts.raise("alert.unknownDeposit", ["ref": "DEP-9"], key: "test-alert")
        try await Self.withBrowser(shop) { browser in
            let page = try await browser.get("/dashboard/").body
            #expect(page.contains(#"<svg id="chart""#) && page.components(separatedBy: "<rect class=\"revenue\"").count - 1 == 30)
            #expect(page.contains("<th>Pulsa</th><td>1</td><td>Rp11.000</td><td>Rp500</td>"), "\(page)")
            #expect(page.contains(#"<dd id="flowix">"#), "the sandbox's balance")
            #expect(page.contains("DEP-9"), "the alert")
            #expect(page.contains(#"<dd id="wallets">Rp89.000</dd>"#))
            #expect(page.contains(#"id="quarantine""#), "what /karantina answers")
            // English through the bot's own language setting.
            let english = try await browser.post("/dashboard/bahasa", from: page, ["bahasa": "en"], follow: false)
            #expect(english.status == .seeOther)
            #expect(try await browser.get("/dashboard/").body.contains("Latest admin actions"))
            #expect(try await shop.services.ledger.users.user(id: Self.admin)?.language == "en")
        }
    }

    @Test func transactionsListDepositsAndPayoutsAndAskForAWebhookAgain() async throws {
        let shop = try Shop()
        let ledger = shop.services.ledger
        try await ledger.users.register(id: 77, name: "Siti", username: nil)
        try await ledger.users.register(id: 78, name: "Budi", username: nil)
        _ = try await ledger.deposits.record(NewDeposit(refID: "DEP-1", userID: 77, methodCode: "QRIS", amountRequested: Rupiah(50_000)!,
                                                        amountToPay: Rupiah(50_350)!, fee: Rupiah(350)!, qrString: nil, expiresAt: nil))
        _ = try await ledger.deposits.record(NewDeposit(refID: "DEP-2", userID: 78, methodCode: "QRIS", amountRequested: Rupiah(20_000)!,
                                                        amountToPay: Rupiah(20_140)!, fee: Rupiah(140)!, qrString: nil, expiresAt: nil))
        _ = try await ledger.wallets.adjust(userID: 77, .credit, amount: Rupiah(100_000)!, adminID: Self.admin, note: nil, key: "t1")
        _ = try await ledger.orders.place(NewOrder(refID: "LKT-77-1", userID: 77, kind: .prepaid, productCode: "TSEL10", productName: "Telkomsel 10.000",
                                                   category: "Pulsa", brand: "Telkomsel", target: "081234567890", sellPrice: Rupiah(11_000)!,
                                                   quotedCost: Rupiah(10_500)!))
        _ = try await ledger.orders.mark("LKT-77-1", as: .processing)
        try await Self.withBrowser(shop) { browser in
            let deposits = try await browser.get("/dashboard/transaksi?jenis=deposit&pelanggan=77").body
            #expect(deposits.contains(#"id="deposits""#) && deposits.contains("DEP-1") && !deposits.contains("DEP-2"))
            let byProduct = try await browser.get("/dashboard/transaksi?produk=tsel10&kategori=Pulsa").body
            #expect(byProduct.contains("LKT-77-1"))
            #expect(!(try await browser.get("/dashboard/transaksi?produk=ISAT10").body.contains("LKT-77-1")))
            #expect(try await browser.get("/dashboard/transaksi?dari=2020-01-01&sampai=2020-01-02").body.contains("Tidak ada transaksi"))
            #expect(try await browser.get("/dashboard/transaksi?dari=2020-01-01").body.contains("LKT-77-1"))

            let order = try await browser.get("/dashboard/transaksi/LKT-77-1").body
            #expect(order.contains(#"id="resend""#))
            let asked = try await browser.post("/dashboard/transaksi/LKT-77-1/resend", from: order, [:])
            #expect(asked.status == .ok && asked.body.contains("Flowix diminta mengirim ulang webhook"))
            #expect(try await ledger.adminActions.recent(limit: 1).first?.action == "resend LKT-77-1")
            #expect(await shop.services.runner.queued == 1, "the request to Flowix runs after the answer, as /resend does")
        }
    }
}
