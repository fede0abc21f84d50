import Conversation
import Foundation
import Ledger
import LoketCore
import Money

/// Transaksi: orders newest first, filtered by status and searched by reference or destination,
/// a page at a time; and one order's timeline.
struct TransactionsPage {
    let services: LoketServices
    let language: Language

    static let pageSize = 50

    /// The list's values: the filter as given, `orders` (one row each) and `next`, the query
    /// of the following page when there is one.
    func list(status: String?, search: String?, before: Int64?) async throws -> [String: Any] {
        let messages = services.messages
        let wanted = status.flatMap(ProgressStatus.init(rawValue:))
        // A form sends a space as `+`, which the query reader leaves as it is.
        let query = search?.replacingOccurrences(of: "+", with: " ").trimmingCharacters(in: .whitespaces).prefix(64).description
        let orders = try await services.ledger.orders.page(status: wanted, search: query, before: before, limit: Self.pageSize + 1)
        let shown = orders.prefix(Self.pageSize)
        var next: String?
        if orders.count > Self.pageSize, let last = shown.last {
            var items = [URLQueryItem(name: "before", value: String(last.id))]
            if let wanted { items.append(URLQueryItem(name: "status", value: wanted.rawValue)) }
            if let query, !query.isEmpty { items.append(URLQueryItem(name: "q", value: query)) }
            var components = URLComponents()
            components.queryItems = items
            next = components.percentEncodedQuery
        }
        return [
            "q": query ?? "",
            "statuses": ProgressStatus.allCases.map { status in
                ["value": status.rawValue, "label": TrustedHTML(messages.text(EffectPerformer.statusKey(status), language)), "selected": status == wanted]
            },
            "orders": shown.map { order -> [String: Any] in
                [
                    "ref": order.refId, "date": WIB.short(order.createdAt), "customer": String(order.userId), "product": order.productName,
                    "target": order.target, "price": messages.money(order.sellPrice, language), "status": order.status.rawValue,
                    "statusLabel": TrustedHTML(messages.text(EffectPerformer.statusKey(order.status), language)),
                ]
            },
            "empty": shown.isEmpty, "next": next as Any,
        ]
    }

    /// One order's values and timeline; `nil` when there is no such order.
    func detail(reference: String) async throws -> [String: Any]? {
        let messages = services.messages
        guard let order = try await services.ledger.orders.order(refID: reference) else { return nil }
        let timeline = try await services.ledger.reports.timeline(reference: order.refId, placedAt: order.createdAt,
                                                                  updatedAt: order.updatedAt, status: order.status)
        return [
            "ref": order.refId, "customer": String(order.userId), "product": order.productName, "code": order.productCode,
            "target": order.target, "price": messages.money(order.sellPrice, language),
            "cost": messages.money(order.finalCost ?? order.quotedCost, language), "sn": order.sn ?? "-",
            "statusLabel": TrustedHTML(messages.text(EffectPerformer.statusKey(order.status), language)), "status": order.status.rawValue,
            // Flowix has it (or may): asking is safe; a pending order is still the reconciler's to send.
            "open": [.processing, .unknown].contains(order.status), "resends": String(order.resends),
            "timeline": timeline.map { ["at": WIB.dateTime($0.at), "what": TrustedHTML(describe($0.event))] },
        ]
    }

    private func describe(_ event: TimelineEntry.Event) -> String {
        let messages = services.messages
        switch event {
        case .placed: return messages.text("dashboard.timeline.placed", language)
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
