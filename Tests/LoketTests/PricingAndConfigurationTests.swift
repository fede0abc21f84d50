import Flowix
import FlowixSandbox
import Foundation
import Ledger
import LoketCore
import Money
import Testing

@Suite("Pricing, catalogue and configuration")
struct PricingAndConfigurationTests {
    func rule(_ id: Int64, _ scope: MarginRuleScope, _ value: String, _ level: String, _ kind: MarginRuleKind, _ amount: Int64) -> MarginRuleRecord {
        MarginRuleRecord(id: id, scope: scope, scopeValue: value, level: level, kind: kind, value: amount, createdBy: 1, createdAt: 0)
    }

    @Test func theMostSpecificRuleWinsAndPricesRoundUp() {
        let book = PriceBook(rules: [
            rule(1, .all, "", "member", .rupiah, 500), rule(2, .category, "Pulsa", "member", .percent, 300),
            rule(3, .brand, "Telkomsel", "member", .rupiah, 700), rule(4, .product, "TSEL10", "member", .rupiah, 1_000),
            rule(5, .all, "", "reseller", .rupiah, 100),
        ])
        func price(_ cost: Int64, _ code: String, _ category: String, _ brand: String, _ level: String = "member") -> Int64 {
            book.sellPrice(cost: Rupiah(cost)!, code: code, category: category, brand: brand, level: level)?.value ?? -1
        }
        #expect(price(10_500, "TSEL10", "Pulsa", "Telkomsel") == 11_500)
        #expect(price(24_900, "TSEL25", "Pulsa", "Telkomsel") == 25_600)
        #expect(price(10_850, "ISAT10", "Pulsa", "Indosat") == 11_200)   // 10.850 + 3 % = 11.175.5 → 11.176 → 11.200
        #expect(price(1_500, "ML5", "Games", "Mobile Legends") == 2_000)
        #expect(price(1_530, "ML5", "Games", "Mobile Legends", "reseller") == 1_650)
        #expect(price(10_530, "X", "Other", "None", "vip") == 10_550, "no rule: cost rounded up, never below cost")
        #expect(book.rule(code: "tsel10", category: "pulsa", brand: "TELKOMSEL", level: "member")?.id == 4)
        // Amounts from Flowix or a hand-edited rule that would overflow make the price unknown, never a trap (issue #14).
        let extreme = PriceBook(rules: [rule(1, .all, "", "member", .percent, Int64.max), rule(2, .all, "", "reseller", .rupiah, Int64.max)])
        #expect(extreme.sellPrice(cost: Rupiah.maximum, code: "X", category: "Pulsa", brand: "", level: "member") == nil)
        #expect(extreme.sellPrice(cost: Rupiah(10_000)!, code: "X", category: "Pulsa", brand: "", level: "member") == nil)
        #expect(extreme.sellPrice(cost: Rupiah(10_000)!, code: "X", category: "Pulsa", brand: "", level: "reseller") == nil)
        #expect(PriceBook(rules: [rule(1, .all, "", "member", .percent, 10_000)])
            .sellPrice(cost: Rupiah.maximum, code: "X", category: "Pulsa", brand: "", level: "member") == nil, "above Rupiah.maximum")
    }

    @Test func aFlowixOutageKeepsTheLastGoodCatalogue() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("loket-catalogue-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let ledger = try Ledger(path: folder.appendingPathComponent("loket.sqlite").path)
        let sandbox = FlowixSandbox()
        let online = ShopCatalogue(ledger: ledger, flowix: sandbox.api(), roundingUnit: 50)
        let report = await online.sync()
        #expect(report.failures.isEmpty)
        #expect(report.prepaid > 10 && report.postpaid == 3 && report.hidden == 1)
        let offers = await online.offers(level: "member")
        #expect(offers.contains { $0.code == "XLD6GB" && !$0.isAvailable })

        let unreachable = FlowixTransport { _ async throws(FlowixError) -> FlowixAnswer in throw .outcomeUnknown(.timeout) }
        let offline = ShopCatalogue(ledger: ledger, flowix: FlowixAPI(credentials: sandbox.configuration.credentials, transport: unreachable),
                                    roundingUnit: 50)
        try await offline.loadStored()
        let failed = await offline.sync()
        #expect(failed.failures.count == 4)
        #expect(await offline.offers(level: "member").count == offers.count)
    }

    @Test func configurationNamesTheBadVariable() throws {
        let good = ["TELEGRAM_BOT_TOKEN": "1:abc", "FLOWIX_API_KEY": "sk-secret-key", "FLOWIX_MERCHANT_ID": "M", "FLOWIX_WEBHOOK_SECRET": "whsec_x"]
        let configuration = try LoketConfiguration.load(environment: good, dotEnvPath: nil)
        #expect(configuration.httpPort == 8080 && configuration.databasePath == "loket.sqlite" && configuration.payoutFee == Rupiah(2_500))
        #expect(!configuration.description.contains("sk-secret-key") && !configuration.description.contains("whsec_x"))
        func failure(_ changes: [String: String?]) -> String? {
            var environment = good
            for (key, value) in changes { environment[key] = value }
            do {
                _ = try LoketConfiguration.load(environment: environment, dotEnvPath: nil)
                return nil
            } catch let error as ConfigurationError { return error.variable } catch { return "?" }
        }
        #expect(failure(["TELEGRAM_BOT_TOKEN": nil]) == "TELEGRAM_BOT_TOKEN")
        #expect(failure(["FLOWIX_WEBHOOK_SECRET": ""]) == "FLOWIX_WEBHOOK_SECRET")
        #expect(failure(["LOKET_HTTP_PORT": "80a"]) == "LOKET_HTTP_PORT")
        #expect(failure(["LOKET_ADMIN_IDS": "12,abc"]) == "LOKET_ADMIN_IDS")
        #expect(failure(["FLOWIX_BASE_URL": "flowix.web.id"]) == "FLOWIX_BASE_URL")
        #expect(failure(["LOKET_LOCALE": "jv"]) == "LOKET_LOCALE")
        #expect(failure(["LOKET_PAYOUT_LEVELS": "vip"]) == "LOKET_PAYOUT_LEVELS")
    }

    @Test func dotEnvFilesSupplyWhatTheEnvironmentLacks() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("loket-\(UUID().uuidString).env")
        try """
            # comment
            export TELEGRAM_BOT_TOKEN="1:from-file"
            FLOWIX_API_KEY='k'
            FLOWIX_MERCHANT_ID=M
            FLOWIX_WEBHOOK_SECRET=s
            LOKET_ADMIN_IDS=5, 6
            """.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let configuration = try LoketConfiguration.load(environment: ["FLOWIX_MERCHANT_ID": "from-env"], dotEnvPath: file.path)
        #expect(configuration.telegramToken == "1:from-file")
        #expect(configuration.flowixMerchantID == "from-env")
        #expect(configuration.adminIDs == [5, 6])
    }
}
