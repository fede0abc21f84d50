import Conversation
import Foundation
import Ledger
import LoketCore
import Money

/// Pelanggan: customers found by id, name or username, a page at a time; one customer's
/// balance, level, movements and orders, with the owner's actions on them (adjust the balance,
/// change the level, block or unblock, reset the PIN), each the Telegram command of that name.
struct CustomersPage {
    let services: LoketServices
    let language: Language

    static let pageSize = 50

    /// The list's values: the search as given, `customers` and `next`.
    func list(search: String?, before: Int64?) async throws -> [String: Any] {
        let messages = services.messages
        let query = DashboardQuery.text(search)
        let found = try await services.ledger.users.page(search: query, before: before, limit: Self.pageSize + 1)
        let shown = found.prefix(Self.pageSize)
        var values: [String: Any] = [
            "q": query ?? "", "empty": shown.isEmpty,
            "customers": shown.map { entry -> [String: Any] in
                [
                    "id": String(entry.user.id), "name": entry.user.name, "username": entry.user.username.map { "@" + $0 } ?? "",
                    "level": entry.user.level.rawValue, "balance": messages.money(entry.balance, language), "blocked": entry.user.isBlocked,
                ]
            },
        ]
        // Only when there is a next page: a missing value, not an empty one, hides the link.
        if found.count > Self.pageSize, let last = shown.last {
            values["next"] = DashboardQuery.encode(["before": String(last.user.id), "q": query])
        }
        return values
    }

    /// One customer's values; `nil` when there is no such customer.
    func detail(id: Int64) async throws -> [String: Any]? {
        let messages = services.messages, ledger = services.ledger
        guard let user = try await ledger.users.user(id: id) else { return nil }
        let balance = try await ledger.wallets.balance(userID: id)
        let hasPIN = try await ledger.pins.pin(userID: id) != nil
        let movements = try await ledger.wallets.movements(userID: id, limit: 20)
        let orders = try await ledger.orders.page(RecordFilter(userID: id), limit: 10)
        return [
            "id": String(user.id), "name": user.name, "username": user.username.map { "@" + $0 } ?? "", "level": user.level.rawValue,
            "balance": messages.money(balance, language), "blocked": user.isBlocked, "reachable": user.isReachable,
            "joined": WIB.dateTime(user.createdAt),
            "pin": TrustedHTML(messages.text(hasPIN ? "admin.profile.pinSet" : "admin.profile.pinNone", language)), "hasPIN": hasPIN,
            "levels": UserLevel.allCases.map { ["value": $0.rawValue, "selected": $0 == user.level] },
            "movements": movements.map { movement -> [String: Any] in
                var row: [String: Any] = [
                    "date": WIB.short(movement.createdAt), "kind": TrustedHTML(messages.text(EffectPerformer.movementKey(movement.kind), language)),
                    "amount": messages.money(movement.amount, language), "in": movement.amount > 0,
                    "after": movement.balanceAfter.map { messages.money($0, language) } ?? "-", "ref": movement.reference ?? "",
                ]
                // Absent, not empty: an empty text still opens a Mustache section.
                if let note = movement.note, !note.isEmpty { row["note"] = note }
                return row
            },
            "orders": orders.map { TransactionsPage.row($0, messages, language) },
            "formID": Secret.random(),
        ]
    }

    /// The Telegram command an action posted on a customer's page is, and its words; `nil` for
    /// an action there is no such form for.
    static func command(_ action: String, customer id: Int64, _ fields: DashboardForm) -> (name: String, words: [String])? {
        let customer = String(id)
        switch action {
        case "saldo":
            // `/tambahsaldo 123 50rb catatan…` or `/kurangisaldo …`: the amount is read as the bot reads it.
            guard let direction = fields["arah"], direction == "tambah" || direction == "kurang" else { return nil }
            let words = [customer, fields["jumlah"]?.replacingOccurrences(of: " ", with: "") ?? ""]
                + (fields["catatan"] ?? "").split(whereSeparator: \.isWhitespace).map(String.init)
            return (direction == "kurang" ? "kurangisaldo" : "tambahsaldo", words)
        case "level": return ("level", [customer, fields["level"] ?? ""])
        case "blokir": return ("blokir", [customer])
        case "buka": return ("buka", [customer])
        case "resetpin": return ("resetpin", [customer])
        default: return nil
        }
    }
}
