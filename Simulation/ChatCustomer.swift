import Foundation
import Ledger
import LoketCore
import Telegram

/// Customers who talk to the bot the way Telegram delivers them: text messages and button
/// presses as `Update`s through the real `UpdateProcessor` (conversation, effects, one commit),
/// with the buttons read back from what the bot queued for them.
extension SimulatedShop {
    /// What customers type, with a product and a number filled in by the seed.
    static let phrasings = [
        "/saldo", "/riwayat", "/menu", "/batal", "/harga", "saldo saya berapa",
        "pulsa tsel 10rb {phone}", "beli pulsa telkomsel 25 ribu {phone}", "isi pulsa xl 10k buat {phone}",
        "TSEL10.{phone}", "ISAT10.{phone}", "token pln 20rb {meter}", "/deposit 50rb", "deposit 100 ribu",
        "tagihan pln {meter}", "mau beli pulsa", "batal", "?", "🙏", "1", "ya",
    ]

    /// A customer types something.
    func chatMessage() async {
        let user = customer()
        let phone = "0812" + String(format: "%04d", Int.random(in: 0...9_999, using: &random)) + random.pick(Self.scenarios)!
        let meter = "5123" + String(format: "%04d", Int.random(in: 0...9_999, using: &random)) + random.pick(Self.scenarios)!
        let text = random.pick(Self.phrasings)!.replacingOccurrences(of: "{phone}", with: phone)
            .replacingOccurrences(of: "{meter}", with: meter)
        await deliver(Self.json(update: takeUpdateID(), chat: user.id, message: ["text": .string(text)]), from: user.id, "says \"\(text)\"")
    }

    /// The owner changes margins or a customer's level, or looks at the shop, mid-run.
    func ownerCommand() async {
        let margin = random.pick(["0", "200", "500", "1.000", "2%", "1,5%"])!
        let scope = random.pick(["semua", "produk:TSEL10", "brand:Telkomsel", "kategori:Pulsa"])!
        let customer = customer()
        let text = random.pick([
            "/margin set \(scope) \(margin)", "/margin set \(scope) \(margin) reseller", "/margin", "/laporan", "/flowix",
            "/level \(customer.id) \(random.chance(50) ? "reseller" : "member")", "/pengguna \(customer.id)", "/sync",
        ])!
        await deliver(Self.json(update: takeUpdateID(), chat: Self.admin, message: ["text": .string(text)]), from: Self.admin, "says \"\(text)\"")
    }

    /// A customer presses a button on one of the last messages the bot sent them: usually the
    /// newest, sometimes an older one (a stale button), sometimes twice (a double tap).
    func chatPress() async {
        let user = customer()
        let buttons = (try? await recentButtons(to: user.id)) ?? []
        guard !buttons.isEmpty else { return }
        let index = random.chance(75) ? buttons.count - 1 : Int.random(in: 0..<buttons.count, using: &random)
        // Customers mostly go ahead: a confirming button, when there is one, more often than not.
        let confirming = buttons[index].filter { button in ["Beli", "Bayar", "QRIS", "Ya"].contains { button.title.contains($0) } }
        guard let button = random.chance(60) ? random.pick(confirming) ?? random.pick(buttons[index]) : random.pick(buttons[index]) else {
            return
        }
        let times = random.chance(15) ? 2 : 1
        for _ in 0..<times {
            let update = Self.json(update: takeUpdateID(), chat: user.id, callback: button.data)
            await deliver(update, from: user.id, "presses \"\(button.title)\"\(index < buttons.count - 1 ? " on an older message" : "")")
        }
    }

    /// Hands one update to the processor, as the poller would; a failure is a violation.
    private func deliver(_ json: String, from user: Int64, _ what: String) async {
        do {
            let update = try JSONDecoder().decode(Update.self, from: Data(json.utf8))
            try await services.processor.handle(update)
            delivered.append(update)
            note("\(user) \(what)")
        } catch {
            model.violation("update from \(user) (\(what)) failed: \(error)")
        }
    }

    /// Telegram delivers an update the processor already handled: it must change nothing.
    func chatRedeliver() async {
        guard let update = random.pick(delivered) else { return }
        do {
            try await services.processor.handle(update)
            note("update \(update.updateID) delivered again")
        } catch {
            model.violation("update \(update.updateID) delivered again failed: \(error)")
        }
    }

    /// The buttons of the last few messages queued for `chat`, oldest first.
    private func recentButtons(to chat: Int64) async throws -> [[(title: String, data: String)]] {
        let rows = try await services.ledger.outbox.pending(limit: 100_000, now: .distantFuture).rows.filter { $0.chatID == chat }.suffix(4)
        return rows.compactMap { row in
            guard let message = try? JSONDecoder().decode(OutboundMessage.self, from: Data(row.payload.utf8)),
                  let keyboard = message.keyboard else { return nil }
            return keyboard.inlineKeyboard.flatMap { $0 }.compactMap { button in button.callbackData.map { (button.text, $0) } }
        }
    }

    static func json(update: Int64, chat: Int64, message: [String: JSONText]) -> String {
        var fields = message
        fields["message_id"] = .number(update)
        fields["date"] = .number(1_800_000_000)
        fields["chat"] = .raw(#"{"id":\#(chat),"type":"private"}"#)
        fields["from"] = .raw(#"{"id":\#(chat),"is_bot":false,"first_name":"Pelanggan"}"#)
        return #"{"update_id":\#(update),"message":\#(JSONText.object(fields))}"#
    }

    static func json(update: Int64, chat: Int64, callback data: String) -> String {
        let from = #"{"id":\#(chat),"is_bot":false,"first_name":"Pelanggan"}"#
        let message = #"{"message_id":1,"date":0,"chat":{"id":\#(chat),"type":"private"}}"#
        return #"{"update_id":\#(update),"callback_query":{"id":"cb\#(update)","chat_instance":"ci","data":\#(JSONText.string(data).text),"from":\#(from),"message":\#(message)}}"#
    }
}

/// Just enough JSON to write a Telegram update by hand.
enum JSONText {
    case string(String)
    case number(Int64)
    case raw(String)

    var text: String {
        switch self {
        case .string(let value): String(decoding: try! JSONEncoder().encode(value), as: UTF8.self)
        case .number(let value): String(value)
        case .raw(let value): value
        }
    }

    static func object(_ fields: [String: JSONText]) -> String {
        "{" + fields.sorted { $0.key < $1.key }.map { "\(JSONText.string($0.key).text):\($0.value.text)" }.joined(separator: ",") + "}"
    }
}
