import Conversation
import Foundation
import Ledger
import LoketCore
import Money

/// Transaksi: orders (purchases and bills), deposits and payouts newest first, filtered by status,
/// customer, product, category and date and searched by reference or destination, a page at a
/// time; and one order's or payout's timeline.
struct TransactionsPage {
    let services: LoketServices
    let language: Language

    static let pageSize = 50

    /// Which records the list shows (`?jenis=`).
    enum Kind: String, CaseIterable {
        case orders = "pesanan"
        case deposits = "deposit"
        case payouts = "tarik"

        var labelKey: String { "dashboard.tx.kind.\(rawValue)" }
    }

    /// The list's values: the filter as given, one table of rows, and `next`, the query of the
    /// following page when there is one.
    func list(_ query: [String: String]) async throws -> [String: Any] {
        let messages = services.messages, ledger = services.ledger
        let kind = query["jenis"].flatMap(Kind.init(rawValue:)) ?? .orders
        let statuses: [String] = kind == .deposits ? TicketStatus.allCases.map(\.rawValue) : ProgressStatus.allCases.map(\.rawValue)
        let status = query["status"].flatMap { statuses.contains($0) ? $0 : nil }
        let search = DashboardQuery.text(query["q"])
        let customer = query["pelanggan"].flatMap { Int64($0.trimmingCharacters(in: .whitespaces)) }
        let product = DashboardQuery.text(query["produk"]), category = DashboardQuery.text(query["kategori"])
        let from = DashboardQuery.day(query["dari"]), to = DashboardQuery.day(query["sampai"]).map { $0 + 86_400 }
        let filter = RecordFilter(status: status, search: search, userID: customer, productCode: kind == .orders ? product : nil,
                                  category: kind == .orders ? category : nil, from: from, to: to, before: query["before"].flatMap { Int64($0) })
        var values: [String: Any] = [
            "q": search ?? "", "customer": customer.map(String.init) ?? "", "product": product ?? "", "category": category ?? "",
            "from": from != nil ? query["dari"] ?? "" : "", "to": to != nil ? query["sampai"] ?? "" : "", "kind": kind.rawValue,
            "isOrders": kind == .orders, "isDeposits": kind == .deposits, "isPayouts": kind == .payouts,
            "kinds": Kind.allCases.map { ["value": $0.rawValue, "label": TrustedHTML(messages.text($0.labelKey, language)), "selected": $0 == kind] },
            "statuses": statuses.map { value in
                ["value": value, "label": TrustedHTML(messages.text(Self.statusKey(value, kind), language)), "selected": value == status]
            },
            "categories": Set(await services.catalogue.allProducts.map(\.category)).sorted().map { ["value": $0, "selected": $0 == category] },
        ]
        var lastID: Int64?
        var count = 0
        switch kind {
        case .orders:
            let orders = try await ledger.orders.page(filter, limit: Self.pageSize + 1)
            count = orders.count
            lastID = orders.prefix(Self.pageSize).last?.id
            values["orders"] = orders.prefix(Self.pageSize).map { Self.row($0, messages, language) }
        case .deposits:
            let deposits = try await ledger.deposits.page(filter, limit: Self.pageSize + 1)
            count = deposits.count
            lastID = deposits.prefix(Self.pageSize).last?.id
            values["deposits"] = deposits.prefix(Self.pageSize).map { deposit -> [String: Any] in
                [
                    "ref": deposit.refId, "date": WIB.short(deposit.createdAt), "customer": String(deposit.userId), "method": deposit.methodCode,
                    "amount": messages.money(deposit.amountRequested, language),
                    "credited": deposit.amountCredited.map { messages.money($0, language) } ?? "-", "status": deposit.status.rawValue,
                    "statusLabel": TrustedHTML(messages.text(Self.statusKey(deposit.status.rawValue, .deposits), language)),
                ]
            }
        case .payouts:
            let payouts = try await ledger.payouts.page(filter, limit: Self.pageSize + 1)
            count = payouts.count
            lastID = payouts.prefix(Self.pageSize).last?.id
            values["payouts"] = payouts.prefix(Self.pageSize).map { payout -> [String: Any] in
                [
                    "ref": payout.refId, "date": WIB.short(payout.createdAt), "customer": String(payout.userId),
                    "account": "\(payout.bankName) \(payout.accountNumber) a.n. \(payout.accountName)",
                    "amount": messages.money(payout.amount, language), "fee": messages.money(payout.fee, language), "status": payout.status.rawValue,
                    "statusLabel": TrustedHTML(messages.text(EffectPerformer.statusKey(payout.status), language)),
                ]
            }
        }
        values["empty"] = count == 0
        if count > Self.pageSize, let lastID {
            values["next"] = DashboardQuery.encode([
                "jenis": kind.rawValue, "before": String(lastID), "status": status, "q": search, "pelanggan": customer.map(String.init),
                "produk": product, "kategori": category, "dari": from != nil ? query["dari"] : nil, "sampai": to != nil ? query["sampai"] : nil,
            ])
        }
        return values
    }

    /// An order as a row of a table.
    static func row(_ order: Order, _ messages: Messages, _ language: Language) -> [String: Any] {
        [
            "ref": order.refId, "date": WIB.short(order.createdAt), "customer": String(order.userId), "product": order.productName,
            "target": order.target, "price": messages.money(order.sellPrice, language), "status": order.status.rawValue,
            "statusLabel": TrustedHTML(messages.text(EffectPerformer.statusKey(order.status), language)),
        ]
    }

    /// The locale key of a stored status.
    static func statusKey(_ status: String, _ kind: Kind) -> String {
        switch kind {
        case .deposits: "dashboard.deposit.\(status)"
        case .orders, .payouts: ProgressStatus(rawValue: status).map(EffectPerformer.statusKey) ?? "status.unknown"
        }
    }

    /// One order's or payout's values and timeline; `nil` when there is neither.
    func detail(reference: String) async throws -> [String: Any]? {
        let messages = services.messages, ledger = services.ledger
        var values: [String: Any]
        let timeline: [TimelineEntry]
        if let order = try await ledger.orders.order(refID: reference) {
            timeline = try await ledger.reports.timeline(reference: order.refId, placedAt: order.createdAt, updatedAt: order.updatedAt,
                                                         status: order.status)
            values = [
                "ref": order.refId, "customer": String(order.userId), "what": "\(order.productName) (\(order.productCode))",
                "target": order.target, "price": messages.money(order.sellPrice, language),
                "cost": messages.money(order.finalCost ?? order.quotedCost, language), "sn": order.sn ?? "-", "status": order.status.rawValue,
                "statusLabel": TrustedHTML(messages.text(EffectPerformer.statusKey(order.status), language)),
                // Flowix has it (or may): asking is safe; a pending order is still the reconciler's to send.
                "open": [.processing, .unknown].contains(order.status), "resends": String(order.resends),
                // Flowix only resends a webhook for a transaction it has.
                "resendable": order.status != .pending,
            ]
        } else if let payout = try await ledger.payouts.payout(refID: reference) {
            timeline = try await ledger.reports.timeline(reference: payout.refId, placedAt: payout.createdAt, updatedAt: payout.updatedAt,
                                                         status: payout.status)
            values = [
                "ref": payout.refId, "customer": String(payout.userId), "what": TrustedHTML(messages.text("dashboard.tx.payout", language)),
                "target": "\(payout.bankName) \(payout.accountNumber) a.n. \(payout.accountName)",
                "price": messages.money(payout.amount, language), "cost": messages.money(payout.flowixFee ?? .zero, language), "sn": "-",
                "status": payout.status.rawValue, "statusLabel": TrustedHTML(messages.text(EffectPerformer.statusKey(payout.status), language)),
                "open": [.processing, .unknown].contains(payout.status), "resends": String(payout.resends),
                "resendable": payout.status != .pending,
            ]
        } else {
            return nil
        }
        values["timeline"] = timeline.map { ["at": WIB.dateTime($0.at), "what": TrustedHTML(describe($0.event))] }
        values["formID"] = Secret.random()
        return values
    }

    private func describe(_ event: TimelineEntry.Event) -> String {
        let messages = services.messages
        switch event {
        case .placed: return messages.text("dashboard.timeline.placed", language)
        case .journal(let kind, 0):
            // A capture moves the held money on; the customer's balance does not change.
            return messages.text("dashboard.timeline.journalSettled", language, ["kind": messages.text(EffectPerformer.movementKey(kind), language)])
        case .journal(let kind, let amount):
            return messages.text("dashboard.timeline.journal", language, [
                "kind": messages.text(EffectPerformer.movementKey(kind), language), "amount": messages.money(amount, language),
            ])
        case .webhook(let type): return messages.text("dashboard.timeline.webhook", language, ["type": type])
        case .message(let key, let sent):
            return messages.text(sent ? "dashboard.timeline.messageSent" : "dashboard.timeline.messageWaiting", language, ["key": key])
        case .updated(let status):
            return messages.text("dashboard.timeline.updated", language, ["status": messages.text(EffectPerformer.statusKey(status), language)])
        }
    }
}
