import Conversation
import Ledger

/// The struk of a successful transaction: a monospaced block a reseller copies into WhatsApp
/// for their own customer, with the shop's name, the time in WIB and what was bought, paid or
/// withdrawn. Every value from a customer or from Flowix is escaped.
struct Receipt {
    let messages: Messages
    let language: Language
    let shopName: String

    /// A PLN token's SN, read from Flowix's `TOKEN/NAME/TARIF/DAYA/KWH` (every field after the
    /// token is optional): the 20 digits in groups of four.
    struct PLNToken: Equatable {
        var token: String
        var name: String?
        var tariff: String?
        var power: String?
        var kwh: String?
    }
}

extension Receipt.PLNToken {
    /// `nil` when the SN's first field is not a token of 20 digits.
    init?(sn: String) {
        let fields = sn.split(separator: "/", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let digits = fields[0].filter { $0.isASCII && $0.isNumber }
        guard digits.count == 20, fields[0].allSatisfy({ ($0.isASCII && $0.isNumber) || $0 == "-" || $0 == " " }) else { return nil }
        func field(_ index: Int) -> String? { fields.indices.contains(index) && !fields[index].isEmpty ? fields[index] : nil }
        self.init(token: stride(from: 0, to: 20, by: 4).map { String(digits.dropFirst($0).prefix(4)) }.joined(separator: "-"),
                  name: field(1), tariff: field(2), power: field(3), kwh: field(4))
    }
}

extension Receipt {
    /// An order's receipt: a bill with its details, a PLN token with its token in groups and
    /// the fields Flowix gave, any other product with its SN.
    func text(for order: Order) -> String {
        var lines: [(String, String)] = [("receipt.product", order.productName)]
        if order.kind == .bill {
            lines.append(("receipt.customerNumber", order.target))
            if let name = order.billCustomerName { lines.append(("receipt.name", name)) }
            if let period = order.billPeriod { lines.append(("receipt.period", period)) }
            if let amount = order.billAmount { lines.append(("receipt.bill", messages.money(amount, language))) }
            // The admin fee the customer paid: what makes bill + admin = total (Flowix's fee and
            // the shop's margin together), so the figures add up on the struk.
            if let fee = order.billAmount.flatMap({ order.sellPrice.subtracting($0) }) ?? order.billAdminFee {
                lines.append(("receipt.adminFee", messages.money(fee, language)))
            }
            if let sn = order.sn, !sn.isEmpty { lines.append(("receipt.sn", sn)) }
            lines.append(("receipt.total", messages.money(order.sellPrice, language)))
        } else if Self.isPLN(order), let token = order.sn.flatMap(PLNToken.init(sn:)) {
            lines.append(("receipt.meter", order.target))
            lines.append(("receipt.token", token.token))
            if let name = token.name { lines.append(("receipt.name", name)) }
            if token.tariff != nil || token.power != nil {
                // Filled raw: every value of the block is escaped once, below.
                let power = token.power.map { messages.text("receipt.power", language).replacingOccurrences(of: "{power}", with: $0) }
                lines.append(("receipt.tariff", [token.tariff, power].compactMap { $0 }.joined(separator: "/")))
            }
            if let kwh = token.kwh { lines.append(("receipt.kwh", kwh)) }
            lines.append(("receipt.price", messages.money(order.sellPrice, language)))
        } else {
            lines.append(("receipt.target", order.target))
            lines.append(("receipt.sn", order.sn.flatMap { $0.isEmpty ? nil : $0 } ?? "-"))
            lines.append(("receipt.price", messages.money(order.sellPrice, language)))
        }
        lines.append(("receipt.ref", order.refId))
        return block(lines, at: order.updatedAt)
    }

    /// A payout's receipt: where the money went, how much, and the fee.
    func text(for payout: Payout) -> String {
        block([
            ("receipt.bank", payout.bankName), ("receipt.account", payout.accountNumber), ("receipt.accountName", payout.accountName),
            ("receipt.amount", messages.money(payout.amount, language)), ("receipt.fee", messages.money(payout.fee, language)),
            ("receipt.ref", payout.refId),
        ], at: payout.updatedAt)
    }

    static func isPLN(_ order: Order) -> Bool {
        order.category.uppercased().contains("PLN") || order.productCode.uppercased().hasPrefix("PLN")
    }

    /// The lines under the shop's name and the time, labels padded so the values line up.
    private func block(_ lines: [(key: String, value: String)], at seconds: Int64) -> String {
        let labels = lines.map { messages.text($0.key, language) }
        let width = labels.map(\.count).max() ?? 0
        let rule = String(repeating: "-", count: 32)
        let body = zip(labels, lines).map { label, line in
            HTML.escape(label.padding(toLength: width, withPad: " ", startingAt: 0)) + " : " + HTML.escape(line.value)
        }
        return "<pre>" + ([HTML.escape(shopName), WIB.receipt(seconds) + " WIB", rule] + body
            + [rule, HTML.escape(messages.text("receipt.footer", language))]).joined(separator: "\n") + "</pre>"
    }
}
