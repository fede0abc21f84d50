import FakeTelegram
import Foundation
import GRDB

/// What the hostile-chat scenario sees of the bot, refreshed by ``poll()``: from the bot's
/// SQLite file (read-only) the updates it has handled and every outbox row it queued; from the
/// fake Bot API every message it delivered, every message Telegram refused and every callback
/// query it answered. Also the log of what was sent, for attributing replies and for reports.
actor HostileObserver {
    /// An outbox row as queued by the bot.
    struct OutboxRow: Sendable {
        let id: Int64
        let chat: Int64
        let text: String
        /// A reply to something the chat just did (a new message, or the edit a keypad key
        /// makes), as opposed to a notification that follows later on its own (an order's
        /// outcome, a deposit credited, a broadcast, an admin alert, a broadcast's progress), or
        /// the deletion of a typed PIN.
        let isReply: Bool
    }

    /// One input sent, with its update id.
    struct Sent: Sendable {
        let updateID: Int64
        let input: HostileInput
        let number: Int
        /// The last outbox row the observer had seen when it was sent.
        let watermark: Int64
    }

    /// Notifications that follow an event rather than answer an input (see ``OutboxRow/isReply``).
    static let notificationKeys = ["order-final:", "payout-final:", "deposit-credited:", "deposit-closed:", "adjustment-told:", "broadcast-"]

    private let queue: DatabaseQueue
    private let api: FakeBotAPI

    // From the database.
    private var handled: Set<Int64> = []
    private var unhandled: Set<Int64> = []
    private(set) var lastOutboxID: Int64 = 0
    private var rows: [Int64: [OutboxRow]] = [:]
    private var pending: [Int64: Int] = [:]
    private(set) var totalPending = 0

    // From the fake Bot API.
    private var callsSeen = 0
    private var views: [Int64: [(text: String, buttons: [String])]] = [:]
    private var deliveredTexts: [Int64: [String: Int]] = [:]
    private(set) var delivered = 0
    private(set) var answered: Set<String> = []
    private(set) var refused: [(chat: Int64, method: String, text: String)] = []
    private var refSet: Set<String> = []
    private var refs: [String] = []
    private var owners: [String: Int64] = [:]

    // What was sent.
    private(set) var sent: [Int64: Sent] = [:]
    private(set) var order: [Int64] = []
    private(set) var counts: [HostileKind: Int] = [:]
    private(set) var ownerFromCustomers = 0
    private(set) var adminTexts: [Int64: String] = [:]
    /// Replies attributed to each message input (outbox rows).
    private(set) var replies: [Int64: [OutboxRow]] = [:]
    private(set) var failures: [String] = []
    private(set) var stopped = false

    init(databasePath: String, api: FakeBotAPI) throws {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(5)
        queue = try DatabaseQueue(path: databasePath, configuration: configuration)
        self.api = api
    }

    // MARK: Refreshing

    func poll() async throws {
        let floor = unhandled.min()
        let since = lastOutboxID
        let snapshot = try await queue.read { db -> ([Int64], [(Int64, Int64, String, String?, String)], [(Int64, Int)]) in
            let updates = try floor.map { try Int64.fetchAll(db, sql: "SELECT update_id FROM telegram_updates WHERE update_id >= ?", arguments: [$0]) } ?? []
            let rows = try Row.fetchAll(db, sql: "SELECT id, chat_id, priority, dedupe_key, payload FROM outbox WHERE id > ? ORDER BY id",
                                        arguments: [since]).map { row -> (Int64, Int64, String, String?, String) in
                (row[0], row[1], row[2], row[3], row[4])
            }
            let pending = try Row.fetchAll(db, sql: "SELECT chat_id, COUNT(*) FROM outbox WHERE status = 'pending' GROUP BY chat_id")
                .map { row -> (Int64, Int) in (row[0], row[1]) }
            return (updates, rows, pending)
        }
        for id in snapshot.0 where unhandled.remove(id) != nil { handled.insert(id) }
        for (id, chat, priority, dedupeKey, payload) in snapshot.1 {
            let object = (try? JSONSerialization.jsonObject(with: Data(payload.utf8))) as? [String: Any] ?? [:]
            let isEdit = object["editMessageID"] != nil && !(object["editMessageID"] is NSNull)
            // The deletion of a message the chat typed (a PIN): no message of its own to deliver.
            let isDeletion = object["deleteMessageID"] != nil && !(object["deleteMessageID"] is NSNull)
            let isNotification = dedupeKey.map { key in Self.notificationKeys.contains { key.hasPrefix($0) && !key.hasPrefix("broadcast-progress-") } } ?? false
            // An edit made in answer to a button (the PIN keypad's dots) answers it; an edit of an
            // earlier message that follows on its own (a broadcast's progress) has a dedupe key.
            let answersWithEdit = isEdit && dedupeKey == nil
            rows[chat, default: []].append(OutboxRow(id: id, chat: chat, text: object["text"] as? String ?? "",
                                                     isReply: priority == "reply" && (!isEdit || answersWithEdit) && !isNotification && !isDeletion))
            lastOutboxID = max(lastOutboxID, id)
        }
        pending = Dictionary(snapshot.2, uniquingKeysWith: +)
        totalPending = pending.values.reduce(0, +)

        let calls = await api.calls
        guard calls.count > callsSeen else { return }
        for call in calls[callsSeen...] {
            switch call.method {
            case "answerCallbackQuery":
                if call.succeeded, let id = call.parameters["callback_query_id"] { answered.insert(id) }
            case "sendMessage", "sendPhoto", "editMessageText":
                guard let chat = call.chatID else { continue }
                let text = call.text ?? ""
                guard call.succeeded else {
                    refused.append((chat, call.method, text))
                    continue
                }
                delivered += 1
                views[chat, default: []].append((text, Self.buttons(call.parameters["reply_markup"])))
                deliveredTexts[chat, default: [:]][text, default: 0] += 1
                for match in text.matches(of: #/(?:LKT|WD)-\d+-\d+|DEP-[A-Za-z0-9_]+/#) where refSet.insert(String(match.output)).inserted {
                    refs.append(String(match.output))
                    owners[String(match.output)] = chat
                }
            default: break
            }
        }
        callsSeen = calls.count
    }

    static func buttons(_ markup: String?) -> [String] {
        guard let markup, let object = try? JSONSerialization.jsonObject(with: Data(markup.utf8)) as? [String: Any],
              let rows = object["inline_keyboard"] as? [[[String: Any]]] else { return [] }
        return rows.flatMap { $0.compactMap { $0["callback_data"] as? String } }
    }

    // MARK: Questions

    func isHandled(_ updateID: Int64) -> Bool { handled.contains(updateID) }
    func pending(in chat: Int64) -> Int { pending[chat] ?? 0 }
    func view(of chat: Int64) -> ChatView { ChatView(messages: views[chat] ?? [], refs: refs, owners: owners) }

    /// Every outbox row queued for `chat` (replies and notifications).
    func allRows(in chat: Int64) -> [OutboxRow] { rows[chat] ?? [] }

    /// The replies queued for `chat` after outbox row `outboxID`.
    func replies(in chat: Int64, after outboxID: Int64) -> [OutboxRow] {
        (rows[chat] ?? []).filter { $0.id > outboxID && $0.isReply }
    }

    func deliveredCount(of text: String, to chat: Int64) -> Int { deliveredTexts[chat]?[text] ?? 0 }

    /// How many messages to `chat` begin like `text` but are shorter: the first parts of a reply
    /// too long for one Telegram message, which the sender splits.
    func deliveredFirstParts(of text: String, to chat: Int64) -> Int {
        (views[chat] ?? []).filter { message in
            // A part ends with the tags it closes; what precedes them begins `text`.
            var part = Substring(message.text)
            while part.hasSuffix(">"), let open = part.lastIndex(of: "<"), part[open...].hasPrefix("</") { part = part[..<open] }
            let head = part.trimmingCharacters(in: .whitespacesAndNewlines)
            return message.text.count < text.count && head.count >= 10 && text.hasPrefix(head)
        }.count
    }

    /// Sent (setup included) and not yet handled.
    var inFlight: [Sent] { unhandled.compactMap { sent[$0] }.sorted { $0.updateID < $1.updateID } }
    var allHandled: Bool { unhandled.isEmpty }
    var handledCount: Int { handled.count }

    /// The inputs of the hostile part (not the setup), in the order they were sent.
    var hostile: [Sent] { order.compactMap { sent[$0] } }

    func recent(_ count: Int) -> [Sent] { order.suffix(count).compactMap { sent[$0] } }

    var answeredAllButtons: Bool {
        sent.values.allSatisfy { !$0.input.isButton || answered.contains("cb\($0.updateID)") }
    }

    var unansweredButtons: [Sent] {
        sent.values.filter { $0.input.isButton && !answered.contains("cb\($0.updateID)") }.sorted { $0.updateID < $1.updateID }
    }

    // MARK: Recording

    func record(_ input: HostileInput, updateID: Int64, watermark: Int64, counted: Bool, admin: Int64) {
        unhandled.insert(updateID)
        if input.chat == admin, let text = input.text { adminTexts[updateID] = text }
        sent[updateID] = Sent(updateID: updateID, input: input, number: order.count + 1, watermark: watermark)
        guard counted else { return }
        order.append(updateID)
        counts[input.kind, default: 0] += 1
        if input.kind == .owner, input.chat != admin { ownerFromCustomers += 1 }
    }

    func attribute(_ rows: [OutboxRow], to updateID: Int64) { replies[updateID] = rows }

    func fail(_ what: String) { failures.append(what) }

    func stop() { stopped = true }

    var inputsSent: Int { order.count }
}
