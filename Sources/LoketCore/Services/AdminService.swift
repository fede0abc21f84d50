import Conversation
import Flowix
import Foundation
import Ledger
import Logging
import Money

/// Where an owner's command came from: a Telegram update, or a form posted from the dashboard
/// (each rendered form carries its own random id). Whatever moves money or messages is keyed by
/// it, so a re-delivered update or a re-posted form changes nothing the second time.
public enum AdminOrigin: Sendable, Equatable {
    case update(Int64)
    case dashboard(form: String)

    /// The idempotency key of a balance adjustment.
    var key: String {
        switch self {
        case .update(let id): "update-\(id)"
        case .dashboard(let form): "dashboard-\(form)"
        }
    }

    /// What dedupe keys of the command's messages are built on.
    var tag: String {
        switch self {
        case .update(let id): String(id)
        case .dashboard(let form): "d\(form)"
        }
    }

    var source: AdminSource {
        switch self {
        case .update: .telegram
        case .dashboard: .dashboard
        }
    }
}

/// Carries out the owner's commands, from Telegram and from the dashboard alike (one code path):
/// each change is recorded with the admin's id, and the customer it touches is told the same way.
public struct AdminService: Sendable {
    let ledger: Ledger
    let flowix: FlowixAPI
    let catalogue: ShopCatalogue
    let messages: Messages
    let dashboard: DashboardLinks?
    let clock: @Sendable () -> Date
    let logger: Logger

    public init(ledger: Ledger, flowix: FlowixAPI, catalogue: ShopCatalogue, messages: Messages, dashboard: DashboardLinks? = nil,
                clock: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "loket.admin")) {
        self.ledger = ledger
        self.flowix = flowix
        self.catalogue = catalogue
        self.messages = messages
        self.dashboard = dashboard
        self.clock = clock
        self.logger = logger
    }

    /// Carries out `command` for `admin`; the answer goes to `chat`, the admin's own. A command
    /// that changed something is recorded with the admin's id; one refused (an unknown user, a
    /// balance too small) is not.
    public func execute(_ command: AdminCommand, by admin: UserRecord, origin: AdminOrigin, chat: Int64) async throws -> EffectOutcome {
        // What changes something is logged as it happens; a view (the dashboard reads some on every page) only when debugging.
        logger.log(level: Self.auditText(command) == nil ? .debug : .info, "admin command",
                   metadata: ["admin": "\(admin.id)", "command": "\(command)", "source": "\(origin.source.rawValue)"])
        var refused = false
        let outcome = try await perform(command, by: admin, origin: origin, chat: chat, refused: &refused)
        if !refused, let action = Self.auditText(command) {
            // The trail is a record, not the change: a failure to write it never hides a change made.
            do {
                try await ledger.adminActions.record(adminID: admin.id, source: origin.source, action: action)
            } catch {
                logger.error("an admin action could not be recorded", metadata: ["admin": "\(admin.id)", "action": "\(action)", "error": "\(error)"])
            }
        }
        return outcome
    }

    private func perform(_ command: AdminCommand, by admin: UserRecord, origin: AdminOrigin, chat: Int64, refused: inout Bool)
        async throws -> EffectOutcome {
        let language = messages.language(admin.language)
        func reply(_ key: String, _ values: [String: String] = [:]) throws -> EffectOutcome {
            EffectOutcome(replies: [try messages.row(key, language, values, to: chat)])
        }
        /// An answer that says the command changed nothing.
        func refuse(_ key: String, _ values: [String: String] = [:]) throws -> EffectOutcome {
            refused = true
            return try reply(key, values)
        }
        switch command {
        case .listMargins:
            let rules = try await ledger.catalogue.marginRules()
            guard !rules.isEmpty else { return try reply("admin.margin.empty") }
            let lines = rules.map { rule in
                messages.text("admin.margin.line", language, [
                    "id": String(rule.id), "scope": rule.scope == .all ? rule.scope.rawValue : "\(rule.scope.rawValue):\(rule.scopeValue)",
                    "level": rule.level, "value": Self.describe(kind: rule.kind, value: rule.value, messages, language),
                ])
            }
            return EffectOutcome(replies: [try messages.row(Reply(messages.text("admin.margin.title", language) + "\n" + lines.joined(separator: "\n")), to: chat)])

        case .setMargin(let scope, let value, let level):
            let (scopeName, scopeValue, kind, amount) = Self.storedRule(scope, value)
            for target in Self.levels(level) {
                try await ledger.catalogue.setMarginRule(scope: scopeName, scopeValue: scopeValue, level: target, kind: kind, value: amount, adminID: admin.id)
            }
            try await catalogue.reloadRules()
            return try reply("admin.margin.set", [
                "scope": scopeValue.isEmpty ? scopeName.rawValue : "\(scopeName.rawValue):\(scopeValue)", "level": level ?? "member+reseller",
                "value": Self.describe(kind: kind, value: amount, messages, language),
            ])

        case .deleteMargin(let id):
            guard try await ledger.catalogue.deleteMarginRule(id: id) else { return try refuse("admin.margin.notFound", ["id": String(id)]) }
            try await catalogue.reloadRules()
            return try reply("admin.margin.deleted", ["id": String(id)])

        case .setLevel(let userID, let level):
            guard let target = try await ledger.users.user(id: userID), let newLevel = UserLevel(rawValue: level) else {
                return try refuse("admin.userNotFound", ["id": String(userID)])
            }
            try await ledger.users.setLevel(newLevel, userID: userID)
            let note = try messages.row("account.levelChanged", messages.language(target.language), ["level": level], to: userID, priority: .bulk)
            return EffectOutcome(replies: [try messages.row("admin.level.done", language, ["id": String(userID), "name": target.name, "level": level], to: chat), note])

        case .adjust(let userID, let amount, let credit, let note):
            guard let target = try await ledger.users.user(id: userID) else { return try refuse("admin.userNotFound", ["id": String(userID)]) }
            do {
                let record = try await ledger.wallets.adjust(userID: userID, credit ? .credit : .debit, amount: amount, adminID: admin.id,
                                                     note: note, key: origin.key)
                let balanceAfter = try record.walletBalance()
                let balance = messages.money(balanceAfter, language)
                let targetLanguage = messages.language(target.language)
                let told = try messages.row(credit ? "account.credited" : "account.debited", targetLanguage, [
                    "amount": messages.money(amount, targetLanguage), "balance": messages.money(balanceAfter, targetLanguage),
                    "note": note ?? "-",
                ], to: userID, dedupeKey: "adjustment-told:\(record.id)")
                return EffectOutcome(replies: [try messages.row("admin.adjust.done", language, [
                    "id": String(userID), "name": target.name, "amount": (credit ? "+" : "−") + messages.money(amount, language), "balance": balance,
                ], to: chat), told])
            } catch LedgerError.insufficientFunds(let balance, _) {
                return try refuse("admin.adjust.insufficient", ["id": String(userID), "balance": messages.money(balance, language)])
            } catch LedgerError.idempotencyKeyReused {
                // A dashboard form posted again with other values: the first stands, this one is not taken for it.
                return try refuse("admin.adjust.reused", ["id": String(userID)])
            }

        case .report(let period):
            let now = clock()
            let totals = try await ledger.reports.totals(from: Self.start(of: period, now: now), to: now.addingTimeInterval(1))
            let categoryLines = totals.categories.map { category in
                messages.text("admin.report.category", language, [
                    "category": category.category.isEmpty ? "-" : category.category, "purchases": String(category.purchases),
                    "revenue": messages.money(category.revenue, language), "margin": messages.money(category.margin, language),
                ])
            }
            return try reply("admin.report", [
                "period": messages.text(Self.periodKey(period), language),
                "purchases": String(totals.purchases), "refunds": String(totals.refunds),
                "revenue": messages.money(totals.revenue, language), "cost": messages.money(totals.cost, language),
                "margin": messages.money(totals.margin, language), "deposits": String(totals.deposits),
                "depositAmount": messages.money(totals.depositAmount, language), "payouts": String(totals.payouts),
                "payoutAmount": messages.money(totals.payoutAmount, language),
                "transfers": String(totals.transfers), "transferAmount": messages.money(totals.transferAmount, language),
                "adjustments": String(totals.adjustments), "adjustmentCredits": messages.money(totals.adjustmentCredits, language),
                "adjustmentDebits": messages.money(totals.adjustmentDebits, language),
                "categories": categoryLines.isEmpty ? "-" : "\n" + categoryLines.joined(separator: "\n"),
            ])

        case .broadcast(let text):
            let users = try await ledger.users.reachable()
            let prefix = "broadcast-\(origin.tag)-"
            let progressKey = "broadcast-progress-\(origin.tag)"
            let rows = try users.map { user in
                try messages.row(Reply(HTML.escape(text)), to: user.id, priority: .bulk, dedupeKey: prefix + String(user.id))
            }
            try await ledger.outbox.enqueue([messages.row("admin.broadcast.progress", language, ["sent": "0", "total": String(users.count), "blocked": "0"],
                                                   to: chat, dedupeKey: progressKey)])
            // In batches, so the WAL never holds one huge transaction; dedupe keys make a replay harmless.
            for start in stride(from: 0, to: rows.count, by: Self.broadcastBatch) {
                try await ledger.outbox.enqueue(Array(rows[start..<min(start + Self.broadcastBatch, rows.count)]))
            }
            return EffectOutcome(work: [.admin(.followBroadcast(prefix: prefix, progressKey: progressKey, total: users.count,
                                                               chat: chat, language: language))])

        case .sync:
            return EffectOutcome(replies: [try messages.row("admin.sync.started", language, to: chat)],
                                 work: [.admin(.syncCatalogue(chat: chat, language: language))])

        case .flowixStatus:
            return EffectOutcome(work: [.admin(.reportFlowixBalance(chat: chat, language: language))])

        case .resend(let reference):
            return EffectOutcome(work: [.admin(.resendWebhook(reference: reference, chat: chat, language: language))])

        case .resetPIN(let userID):
            guard let target = try await ledger.users.user(id: userID) else { return try refuse("admin.userNotFound", ["id": String(userID)]) }
            // Removed and told in one write: a crash between the two cannot leave them untold.
            let told = try messages.row("pin.resetByAdmin", messages.language(target.language), to: userID, dedupeKey: "pin-reset:\(origin.tag)")
            guard try await ledger.pins.remove(userID: userID, outbox: [told]) else {
                return try refuse("admin.resetPIN.none", ["id": String(userID), "name": target.name])
            }
            logger.info("PIN reset", metadata: ["admin": "\(admin.id)", "user": "\(userID)"])
            return try reply("admin.resetPIN.done", ["id": String(userID), "name": target.name])

        case .dashboard:
            guard let link = try await dashboard?.link(for: admin.id) else { return try reply("admin.dashboard.off") }
            // The link is a secret for this admin alone: their private chat, never a log line.
            return try reply("admin.dashboard.link", ["link": link, "minutes": String(Int(DashboardLinks.lifetime / 60))])

        case .block(let userID), .unblock(let userID):
            guard let target = try await ledger.users.user(id: userID) else { return try refuse("admin.userNotFound", ["id": String(userID)]) }
            let blocking = if case .block = command { true } else { false }
            try await ledger.users.setBlocked(blocking, userID: userID)
            return try reply(blocking ? "admin.blocked" : "admin.unblocked", ["id": String(userID), "name": target.name])

        case .profile(let userID):
            guard let target = try await ledger.users.user(id: userID) else { return try reply("admin.userNotFound", ["id": String(userID)]) }
            let balance = try await ledger.wallets.balance(userID: userID)
            let transfers = try await ledger.wallets.transferTotals(userID: userID)
            let hasPIN = try await ledger.pins.pin(userID: userID) != nil
            let recent = try await ledger.orders.recent(userID: userID, since: Date(timeIntervalSince1970: 0)).prefix(5)
            let lines = recent.map { "• \($0.refId) \($0.productName) \($0.target) — \(messages.text(EffectPerformer.statusKey($0.status), language))" }
            return try reply("admin.profile", [
                "id": String(target.id), "name": target.name, "username": target.username.map { "@" + $0 } ?? "-",
                "level": target.level.rawValue, "balance": messages.money(balance, language),
                "blocked": target.isBlocked ? "ya" : "tidak", "orders": lines.isEmpty ? "-" : "\n" + lines.joined(separator: "\n"),
                "pin": messages.text(hasPIN ? "admin.profile.pinSet" : "admin.profile.pinNone", language),
                "sent": "\(transfers.sentCount)× \(messages.money(transfers.sent, language))",
                "received": "\(transfers.receivedCount)× \(messages.money(transfers.received, language))",
            ])

        case .quarantine:
            let (total, recent) = try await ledger.updates.quarantineCount(since: clock().addingTimeInterval(-24 * 3600))
            guard total > 0 else { return try reply("admin.quarantine.none") }
            let lines = try await ledger.updates.quarantined(limit: 5).map { record in
                messages.text("admin.quarantine.line", language, [
                    "date": WIB.short(record.quarantinedAt), "update": String(record.updateID),
                    "user": record.userID.map(String.init) ?? "-", "kind": HTML.escape(record.kind),
                    "reason": messages.text("quarantine.reason.\(record.reason)", language),
                ])
            }
            return try reply("admin.quarantine.summary", ["total": String(total), "recent": String(recent), "lines": lines.joined(separator: "\n")])
        case .close(let scope, let until, let reason):
            guard await catalogue.hasProducts(in: scope) else { return try refuse("admin.closeMatchesNothing", ["scope": scope.key]) }
            let closesAt = until.map { $0.next(after: clock()) }
            try await ledger.catalogue.close(scope: scope.key, reason: reason, until: closesAt.map { Int64($0.timeIntervalSince1970) },
                                             adminID: admin.id)
            try await catalogue.reloadClosures()
            let untilText = closesAt.map { messages.text("admin.closed.until", language, ["time": ShopHours.time($0)]) }
                ?? messages.text("admin.closed.untilOpened", language)
            return try reply("admin.closed", ["scope": scope.key, "until": untilText, "reason": reason ?? "-"])
        case .reopen(let scope):
            guard try await ledger.catalogue.reopen(scope: scope.key) else { return try refuse("admin.notClosed", ["scope": scope.key]) }
            try await catalogue.reloadClosures()
            return try reply("admin.reopened", ["scope": scope.key])
        case .setCutoff(let category, let window):
            try await ledger.catalogue.setCutoff(category: category.rawValue, window?.setting ?? "off")
            try await catalogue.reloadClosures()
            let name = messages.text(Conversation.categoryKey(category), language)
            guard let window else { return try reply("admin.cutoff.off", ["category": name]) }
            return try reply("admin.cutoff.set", ["category": name, "window": window.setting])
        case .listClosures:
            let hours = await catalogue.hours
            let now = clock()
            let lines = hours.closures.filter { $0.until.map { $0 > now } ?? true }.map { closure in
                messages.text("admin.closures.line", language, [
                    "scope": closure.scope.key, "reason": closure.reason ?? "-",
                    "until": closure.until.map(ShopHours.time) ?? messages.text("admin.closed.untilOpened", language),
                ])
            }
            let cutoffs = hours.cutoffs.map { window in
                messages.text(Conversation.categoryKey(window.category), language)
                    + " \(ShopHours.time(minutes: window.start))–\(ShopHours.time(minutes: window.end))"
            }
            let footer = messages.text("admin.closures.cutoffs", language, ["cutoffs": cutoffs.isEmpty ? "-" : cutoffs.joined(separator: ", ")])
            // The lines are rendered already: joined, not filled into a template (which escapes).
            let text = lines.isEmpty ? messages.text("admin.closures.none", language) + "\n" + footer
                : messages.text("admin.closures", language) + "\n" + lines.joined(separator: "\n") + "\n\n" + footer
            return EffectOutcome(replies: [try messages.row(Reply(text), to: chat)])
        }
    }



    /// Finishes an owner's command after its update: each tells the owner's chat when done.
    public func run(_ work: AdminWork) async {
        switch work {
        case .followBroadcast(let prefix, let progressKey, let total, let chat, let language):
            await BroadcastProgress(ledger: ledger, messages: messages, chat: chat, language: language,
                                    prefix: prefix, progressKey: progressKey, total: total).follow()

        case .syncCatalogue(let chat, let language):
            let report = await catalogue.sync()
            let key = report.failures.isEmpty ? "admin.sync.done" : "admin.sync.partial"
            await enqueue([try? messages.row(key, language, [
                "prepaid": String(report.prepaid), "postpaid": String(report.postpaid), "hidden": String(report.hidden),
                "failures": report.failures.joined(separator: "; "),
            ], to: chat)], for: work)

        case .reportFlowixBalance(let chat, let language):
            var rows: [NewOutboxMessage?] = []
            do {
                let standing = try await flowixStanding()
                rows.append(try messages.row("admin.flowix.status", language, [
                    "balance": messages.money(standing.balance, language), "status": standing.status,
                    "owed": messages.money(standing.owed, language),
                ], to: chat))
                if standing.isShort {
                    rows.append(try messages.row("admin.flowix.lowBalance", language, [
                        "balance": messages.money(standing.balance, language), "owed": messages.money(standing.owed, language),
                    ], to: chat))
                }
            } catch {
                rows = [try? messages.row("admin.flowix.failed", language, ["reason": "\(error)"], to: chat)]
            }
            await enqueue(rows, for: work)

        case .resendWebhook(let reference, let chat, let language):
            var values = ["ref": reference]
            let key: String
            do {
                try await flowix.resendWebhook(reference)
                key = "admin.resend.done"
            } catch {
                key = "admin.resend.failed"
                values["reason"] = "\(error)"
            }
            await enqueue([try? messages.row(key, language, values, to: chat)], for: work)
        }
    }

    /// Flowix's balance beside what the shop owes its customers (`/flowix`, the dashboard).
    public func flowixStanding() async throws -> FlowixStanding {
        let account = try await flowix.account()
        return FlowixStanding(balance: account.balance, status: account.status, owed: try await ledger.wallets.total())
    }

    /// Queues the owner's answer; a row that could not be rendered or saved is logged, not lost silently.
    private func enqueue(_ rows: [NewOutboxMessage?], for work: AdminWork) async {
        let rendered = rows.compactMap { $0 }
        if rendered.count < rows.count { logger.error("an answer to the owner could not be rendered", metadata: ["work": "\(work)"]) }
        do {
            try await ledger.outbox.enqueue(rendered)
        } catch {
            logger.error("an answer to the owner could not be queued", metadata: ["work": "\(work)", "error": "\(error)"])
        }
    }

    /// What the audit trail records of a command that changes something; `nil` for one that
    /// only reads. A broadcast is recorded by its length, not its text.
    public static func auditText(_ command: AdminCommand) -> String? {
        switch command {
        case .listMargins, .report, .flowixStatus, .profile, .quarantine, .listClosures, .dashboard: nil
        case .setMargin(let scope, let value, let level):
            "margin set \(scopeText(scope)) \(valueText(value)) \(level ?? "member+reseller")"
        case .deleteMargin(let id): "margin del \(id)"
        case .setLevel(let userID, let level): "level \(userID) \(level)"
        case .adjust(let userID, let amount, let credit, let note):
            "\(credit ? "tambahsaldo" : "kurangisaldo") \(userID) \(amount.value)\(note.map { " " + $0 } ?? "")"
        case .broadcast(let text): "broadcast (\(text.count) chars)"
        case .sync: "sync"
        case .resend(let reference): "resend \(reference)"
        case .block(let userID): "blokir \(userID)"
        case .unblock(let userID): "buka \(userID)"
        case .close(let scope, let until, let reason):
            "tutup \(scope.key)\(until.map { " sampai \($0)" } ?? "")\(reason.map { " " + $0 } ?? "")"
        case .reopen(let scope): "buka \(scope.key)"
        case .setCutoff(let category, let window): "cutoff \(category.rawValue) \(window?.setting ?? "off")"
        case .resetPIN(let userID): "resetpin \(userID)"
        }
    }

    /// How `/margin set` stores a rule: its scope, the scope's value, its kind and value.
    public static func storedRule(_ scope: MarginScope, _ value: MarginValue)
        -> (scope: MarginRuleScope, scopeValue: String, kind: MarginRuleKind, value: Int64) {
        let (scopeName, scopeValue): (MarginRuleScope, String) = switch scope {
        case .all: (.all, "")
        case .category(let name): (.category, name)
        case .brand(let name): (.brand, name)
        case .product(let code): (.product, code)
        }
        return switch value {
        case .rupiah(let rupiah): (scopeName, scopeValue, .rupiah, rupiah.value)
        case .percent(let basisPoints): (scopeName, scopeValue, .percent, basisPoints)
        }
    }

    /// The levels a rule is set for: the one named, or both.
    public static func levels(_ level: String?) -> [String] { level.map { [$0] } ?? UserLevel.allCases.map(\.rawValue) }

    /// A margin rule's scope as `/margin set` takes it.
    public static func scopeText(_ scope: MarginScope) -> String {
        switch scope {
        case .all: "all"
        case .category(let name): "kategori:\(name)"
        case .brand(let name): "brand:\(name)"
        case .product(let code): "produk:\(code)"
        }
    }

    /// A margin as `/margin set` takes it: rupiah, or a percentage with `%`.
    static func valueText(_ value: MarginValue) -> String {
        switch value {
        case .rupiah(let rupiah): String(rupiah.value)
        case .percent(let basisPoints): Percentage(basisPoints: basisPoints).description + "%"
        }
    }

    /// Broadcast rows queued per transaction.
    static let broadcastBatch = 500

    public static func describe(kind: MarginRuleKind, value: Int64, _ messages: Messages, _ language: Language) -> String {
        switch kind {
        case .percent: Percentage(basisPoints: value).description
        case .rupiah: messages.money(value, language)
        }
    }

    static func periodKey(_ period: ReportPeriod) -> String {
        switch period {
        case .day: return "admin.report.day"
        case .week: return "admin.report.week"
        case .month: return "admin.report.month"
        }
    }

    /// The start of today, this week (Monday) or this month, in WIB.
    static func start(of period: ReportPeriod, now: Date) -> Date {
        let calendar = WIB.calendar
        let component: Calendar.Component = switch period {
        case .day: .day
        case .week: .weekOfYear
        case .month: .month
        }
        return calendar.dateInterval(of: component, for: now)?.start ?? now
    }
}

/// The shop's deposit at Flowix against the sum of its customers' wallets.
public struct FlowixStanding: Sendable, Equatable {
    public let balance: Rupiah
    public let status: String
    public let owed: Rupiah
    /// Flowix holds less than customers could spend: the same warning as `/flowix`.
    public var isShort: Bool { balance < owed }
}
