import Foundation
import Conversation
import Money

/// A setting that is missing or malformed; its description is the one line `loket run` prints.
public struct ConfigurationError: Error, CustomStringConvertible, Equatable {
    public let variable: String
    public let problem: String

    public var description: String { "configuration error: \(variable) \(problem)" }
}

/// Everything `loket run` needs, from the environment (DESIGN.md section 7), optionally
/// supplemented by a `.env` file in the working directory. Secrets never print.
public struct LoketConfiguration: Sendable, CustomStringConvertible {
    public var telegramToken: String
    public var telegramAPIURL: String
    public var flowixBaseURL: String
    public var flowixAPIKey: String
    public var flowixMerchantID: String
    public var flowixWebhookSecret: String
    public var databasePath: String
    public var httpHost: String
    public var httpPort: Int
    public var adminIDs: Set<Int64>
    public var defaultLanguage: String
    /// Levels that may withdraw (`LOKET_PAYOUT_LEVELS`, default `reseller`).
    public var payoutLevels: Set<String>
    /// The fee added to each withdrawal (`LOKET_PAYOUT_FEE`, default 2500).
    public var payoutFee: Rupiah
    /// Sell prices are rounded up to this (`LOKET_PRICE_ROUNDING`, default 50).
    public var priceRounding: Int64
    /// How long an order may stay unresolved before admins are told (`LOKET_UNRESOLVED_HOURS`, default 24).
    public var unresolvedAfterHours: Int
    /// Seconds between reconciler passes (`LOKET_RECONCILE_SECONDS`, default 60).
    public var reconcileSeconds: Int
    /// Unpaid deposits a user may hold at once (`LOKET_MAX_OPEN_DEPOSITS`, default 3).
    public var maximumOpenDeposits: Int
    /// Admins are alerted when the Flowix balance falls below this (`LOKET_FLOWIX_MIN_BALANCE`, default 0: off).
    public var flowixMinimumBalance: Rupiah
    /// How long Flowix must keep saying "not found" about an order or payout whose create may
    /// have reached it before the money is refunded (`LOKET_NOT_FOUND_GRACE_SECONDS`, default 600).
    public var notFoundGraceSeconds: Int64
    /// With it, `GET /metrics` also answers other hosts that send `Authorization: Bearer <token>`
    /// (`LOKET_METRICS_TOKEN`, default none: loopback only). A secret: never logged.
    public var metricsToken: String?
    /// Lookups at Flowix a customer may start (bill checks, account inquiries, deposit checks):
    /// `LOKET_LOOKUP_BURST` at once (default 3), then `LOKET_LOOKUPS_PER_MINUTE` (default 6);
    /// the whole shop at most `LOKET_SHOP_LOOKUPS_PER_SECOND` (default 10). Admins are exempt.
    public var lookupBurst: Int
    /// Days sent messages (with QR images) and webhook event ids are kept (`LOKET_RETAIN_DAYS`, default 30).
    public var retentionDays: Int
    public var lookupsPerMinute: Int
    public var shopLookupsPerSecond: Int
    /// Admins are told when the catalogue sync has kept failing this long
    /// (`LOKET_CATALOGUE_ALERT_MINUTES`, default 60).
    public var catalogueAlertMinutes: Int
    /// The name at the top of every receipt (`LOKET_SHOP_NAME`, default `Loket`; one line, at
    /// most 32 characters so the receipt keeps its width on a phone).
    public var shopName: String
    /// Daily windows in WIB when a category does not sell (`LOKET_CUTOFFS`, comma-separated
    /// `kategori=HH:MM-HH:MM`; default `tagihan=23:30-00:30`, when billers close their books;
    /// `off` for none).
    public var cutoffs: [CutoffWindow]
    /// Purchases and bills above this amount ask for the customer's PIN (`LOKET_PIN_ABOVE`,
    /// rupiah; default `off`). Payouts and transfers always do.
    public var pinAbove: Rupiah?
    /// Balance transfers between members: `LOKET_TRANSFER_MIN` (default 1,000),
    /// `LOKET_TRANSFER_MAX` per transfer (default 5,000,000) and `LOKET_TRANSFER_DAILY` per
    /// sender per WIB day (default 10,000,000).
    public var transferLimits: TransferLimits
    /// The address the owner's browser reaches the bot's HTTP server by, usually through the
    /// same reverse proxy as the Flowix webhook (`LOKET_PUBLIC_URL`, no trailing slash); without
    /// it the dashboard is off.
    public var publicURL: String?
    /// How long a dashboard session lasts (`LOKET_DASHBOARD_HOURS`, default 12).
    public var dashboardHours: Int

    /// Reads the configuration; `requireSecrets` is `false` for commands that do not talk to
    /// Telegram or Flowix.
    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment,
                            dotEnvPath: String? = ".env", requireSecrets: Bool = true) throws -> LoketConfiguration {
        var values = dotEnvPath.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) }.map(parseDotEnv) ?? [:]
        for (key, value) in environment { values[key] = value }
        func value(_ name: String, default fallback: String? = nil) throws -> String {
            if let value = values[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty { return value }
            if let fallback { return fallback }
            throw ConfigurationError(variable: name, problem: "is required but not set")
        }
        func url(_ name: String, default fallback: String) throws -> String {
            let text = try value(name, default: fallback)
            guard let components = URLComponents(string: text), let scheme = components.scheme, ["http", "https"].contains(scheme),
                  components.host?.isEmpty == false else {
                throw ConfigurationError(variable: name, problem: "must be an http(s) URL, got \"\(text)\"")
            }
            return text
        }
        func integer(_ name: String, default fallback: Int64, range: ClosedRange<Int64>) throws -> Int64 {
            let text = try value(name, default: String(fallback))
            guard let number = Int64(text), range.contains(number) else {
                throw ConfigurationError(variable: name, problem: "must be a whole number from \(range.lowerBound) to \(range.upperBound), got \"\(text)\"")
            }
            return number
        }
        func rupiah(_ name: String, default fallback: Int64, range: ClosedRange<Int64>) throws -> Rupiah {
            guard let amount = Rupiah(try integer(name, default: fallback, range: range)) else {
                throw ConfigurationError(variable: name, problem: "is not an amount of rupiah")
            }
            return amount
        }
        let secret = { (name: String) throws -> String in requireSecrets ? try value(name) : (values[name] ?? "") }
        let token = try secret("TELEGRAM_BOT_TOKEN")
        if requireSecrets, !token.contains(":") {
            throw ConfigurationError(variable: "TELEGRAM_BOT_TOKEN", problem: "does not look like a bot token (expected 123456:ABC…)")
        }
        var admins: Set<Int64> = []
        for part in (values["LOKET_ADMIN_IDS"] ?? "").split(separator: ",") {
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            guard let id = Int64(trimmed), id > 0 else {
                throw ConfigurationError(variable: "LOKET_ADMIN_IDS", problem: "must be comma-separated Telegram user ids, got \"\(trimmed)\"")
            }
            admins.insert(id)
        }
        let language = try value("LOKET_LOCALE", default: "id")
        guard ["id", "en"].contains(language) else {
            throw ConfigurationError(variable: "LOKET_LOCALE", problem: "must be id or en, got \"\(language)\"")
        }
        let shopName = try value("LOKET_SHOP_NAME", default: "Loket")
        guard shopName.count <= 32, !shopName.contains(where: \.isNewline) else {
            throw ConfigurationError(variable: "LOKET_SHOP_NAME", problem: "must be one line of at most 32 characters")
        }
        let cutoffText = try value("LOKET_CUTOFFS", default: "tagihan=23:30-00:30")
        var cutoffs: [CutoffWindow] = []
        if cutoffText.lowercased() != "off" {
            for part in cutoffText.split(separator: ",") {
                guard let window = CutoffWindow(setting: String(part)) else {
                    throw ConfigurationError(variable: "LOKET_CUTOFFS",
                                             problem: "must be kategori=HH:MM-HH:MM, comma-separated, or off; got \"\(part)\"")
                }
                cutoffs.append(window)
            }
        }
        let pinText = try value("LOKET_PIN_ABOVE", default: "off")
        let pinAbove = pinText.lowercased() == "off" ? nil : try rupiah("LOKET_PIN_ABOVE", default: 0, range: 0...1_000_000_000)
        let transferLimits = TransferLimits(
            minimum: try rupiah("LOKET_TRANSFER_MIN", default: 1_000, range: 1...1_000_000_000),
            maximum: try rupiah("LOKET_TRANSFER_MAX", default: 5_000_000, range: 1...1_000_000_000_000),
            daily: try rupiah("LOKET_TRANSFER_DAILY", default: 10_000_000, range: 1...1_000_000_000_000))
        guard transferLimits.minimum <= transferLimits.maximum, transferLimits.maximum <= transferLimits.daily else {
            throw ConfigurationError(variable: "LOKET_TRANSFER_MAX", problem: "must lie between LOKET_TRANSFER_MIN and LOKET_TRANSFER_DAILY")
        }
        var publicURL: String?
        if let text = values["LOKET_PUBLIC_URL"]?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            publicURL = String(try url("LOKET_PUBLIC_URL", default: text).reversed().drop { $0 == "/" }.reversed())
        }
        let levels = Set(try value("LOKET_PAYOUT_LEVELS", default: "reseller").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        guard levels.isSubset(of: ["member", "reseller"]) else {
            throw ConfigurationError(variable: "LOKET_PAYOUT_LEVELS", problem: "must list member and/or reseller")
        }
        return LoketConfiguration(
            telegramToken: token, telegramAPIURL: try url("TELEGRAM_API_URL", default: "https://api.telegram.org"),
            flowixBaseURL: try url("FLOWIX_BASE_URL", default: "https://flowix.web.id/api/v1"),
            flowixAPIKey: try secret("FLOWIX_API_KEY"), flowixMerchantID: try secret("FLOWIX_MERCHANT_ID"),
            flowixWebhookSecret: try secret("FLOWIX_WEBHOOK_SECRET"),
            databasePath: try value("LOKET_DATABASE", default: "loket.sqlite"),
            httpHost: try value("LOKET_HTTP_HOST", default: "127.0.0.1"),
            httpPort: Int(try integer("LOKET_HTTP_PORT", default: 8080, range: 0...65_535)),
            adminIDs: admins, defaultLanguage: language, payoutLevels: levels,
            payoutFee: try rupiah("LOKET_PAYOUT_FEE", default: 2_500, range: 0...1_000_000),
            priceRounding: try integer("LOKET_PRICE_ROUNDING", default: 50, range: 1...100_000),
            unresolvedAfterHours: Int(try integer("LOKET_UNRESOLVED_HOURS", default: 24, range: 1...720)),
            reconcileSeconds: Int(try integer("LOKET_RECONCILE_SECONDS", default: 60, range: 1...3_600)),
            maximumOpenDeposits: Int(try integer("LOKET_MAX_OPEN_DEPOSITS", default: 3, range: 1...50)),
            flowixMinimumBalance: try rupiah("LOKET_FLOWIX_MIN_BALANCE", default: 0, range: 0...1_000_000_000_000),
            notFoundGraceSeconds: try integer("LOKET_NOT_FOUND_GRACE_SECONDS", default: 600, range: 1...604_800),
            metricsToken: values["LOKET_METRICS_TOKEN"].map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 },
            lookupBurst: Int(try integer("LOKET_LOOKUP_BURST", default: 3, range: 1...1_000)),
            retentionDays: Int(try integer("LOKET_RETAIN_DAYS", default: 30, range: 1...3_650)),
            lookupsPerMinute: Int(try integer("LOKET_LOOKUPS_PER_MINUTE", default: 6, range: 1...6_000)),
            shopLookupsPerSecond: Int(try integer("LOKET_SHOP_LOOKUPS_PER_SECOND", default: 10, range: 1...1_000)),
            catalogueAlertMinutes: Int(try integer("LOKET_CATALOGUE_ALERT_MINUTES", default: 60, range: 1...10_080)),
            shopName: shopName, cutoffs: cutoffs, pinAbove: pinAbove, transferLimits: transferLimits, publicURL: publicURL,
            dashboardHours: Int(try integer("LOKET_DASHBOARD_HOURS", default: 12, range: 1...720)))
    }

    /// `KEY=value` lines; `#` comments and surrounding quotes are allowed.
    static func parseDotEnv(_ text: String) -> [String: String] {
        var values: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.hasPrefix("#"), let equals = trimmed.firstIndex(of: "=") else { continue }
            var key = trimmed[..<equals].trimmingCharacters(in: .whitespaces)
            if key.hasPrefix("export ") { key = String(key.dropFirst(7)).trimmingCharacters(in: .whitespaces) }
            var value = trimmed[trimmed.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let first = value.first, first == value.last, first == "\"" || first == "'" {
                value = String(value.dropFirst().dropLast())
            }
            values[key] = value
        }
        return values
    }

    public var description: String {
        "LoketConfiguration(telegram: \(telegramAPIURL), flowix: \(flowixBaseURL), merchant: \(flowixMerchantID), "
            + "database: \(databasePath), http: \(httpHost):\(httpPort), admins: \(adminIDs.count), secrets: <redacted>)"
    }
}
