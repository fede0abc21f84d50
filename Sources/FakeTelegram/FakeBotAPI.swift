import Foundation
import Telegram

/// The state and rules of a fake Telegram Bot API: queued updates handed out by `getUpdates`
/// with real offset and long-poll semantics, every call recorded, Telegram's validation of
/// methods, required parameters and HTML, and faults injected on demand.
public actor FakeBotAPI {
    /// One request the fake received.
    public struct Call: Sendable {
        public let method: String
        /// Parameters as text (objects and arrays as JSON).
        public let parameters: [String: String]
        public let file: [UInt8]?
        /// Whether the fake answered `ok: true`.
        public let succeeded: Bool
        public let at: Date
        /// The Telegram message a successful send made or edited.
        public var messageID: Int64? = nil

        public var chatID: Int64? { parameters["chat_id"].flatMap { Int64($0) } }
        public var text: String? { parameters["text"] ?? parameters["caption"] }
    }

    /// A failure to answer with instead of the normal result.
    public enum Fault: Sendable, Equatable {
        case tooManyRequests(retryAfter: Int)
        case serverError
        case badGatewayPage
        case conflict
    }

    /// The required parameters of every method the fake implements (checked against the
    /// specification by the tests).
    public static let requiredParameters: [String: [String]] = [
        "getMe": [], "deleteWebhook": [], "getUpdates": [], "sendMessage": ["chat_id", "text"],
        "editMessageText": [], "editMessageReplyMarkup": [], "answerCallbackQuery": ["callback_query_id"],
        "sendPhoto": ["chat_id", "photo"], "setMyCommands": ["commands"], "sendChatAction": ["chat_id", "action"],
        "deleteMessage": ["chat_id", "message_id"],
    ]

    public nonisolated let token: String
    public private(set) var calls: [Call] = []
    private var updates: [(id: Int64, json: String)] = []
    /// Every update ever queued, by id, for ``redeliver(_:)``.
    private var sent: [Int64: String] = [:]
    private var nextUpdateID: Int64 = 100_000
    private var nextMessageID: Int64 = 1
    private var faults: [String: [Fault]] = [:]
    private var blocked: Set<Int64> = []
    private var waiters: [UUID: CheckedContinuation<Void, Never>] = [:]
    private var callWaiters: [(count: Int, method: String, continuation: CheckedContinuation<Void, Never>)] = []

    public init(token: String = "123456:TEST-token") {
        self.token = token
    }

    // MARK: Driving the fake

    /// Queues a text message from a user in a private chat; returns its `update_id`.
    @discardableResult
    public func pushMessage(chatID: Int64, text: String, firstName: String = "Budi", forwardedFrom: Int64? = nil) -> Int64 {
        let id = takeUpdateID()
        var message: [String: JSONNode] = [
            "message_id": .integer(takeMessageID()), "date": .integer(Int64(Date().timeIntervalSince1970)),
            "chat": .object(["id": .integer(chatID), "type": .string(chatID < 0 ? "group" : "private")]),
            "from": .object(["id": .integer(chatID), "is_bot": .bool(false), "first_name": .string(firstName)]),
            "text": .string(text),
        ]
        if let forwardedFrom {
            message["forward_origin"] = .object([
                "type": .string("user"), "date": .integer(Int64(Date().timeIntervalSince1970) - 60),
                "sender_user": .object(["id": .integer(forwardedFrom), "is_bot": .bool(false), "first_name": .string("Pelanggan")]),
            ])
        }
        enqueue(id, .object(["update_id": .integer(id), "message": .object(message)]))
        return id
    }

    /// Queues a button press on message `messageID`; returns its `update_id`.
    @discardableResult
    public func pushCallback(chatID: Int64, data: String, messageID: Int64 = 1) -> Int64 {
        let id = takeUpdateID()
        let query = JSONNode.object([
            "id": .string("cb\(id)"), "chat_instance": .string("ci"), "data": .string(data),
            "from": .object(["id": .integer(chatID), "is_bot": .bool(false), "first_name": .string("Budi")]),
            "message": .object(["message_id": .integer(messageID), "date": .integer(0),
                                "chat": .object(["id": .integer(chatID), "type": .string("private")])]),
        ])
        enqueue(id, .object(["update_id": .integer(id), "callback_query": query]))
        return id
    }

    /// Queues an update of another kind (e.g. `edited_message`, `poll`) given its members.
    @discardableResult
    public func pushOther(_ members: [String: JSONNode]) -> Int64 {
        let id = takeUpdateID()
        var object = members
        object["update_id"] = .integer(id)
        enqueue(id, .object(object))
        return id
    }

    /// Answers the next `times` calls of `method` (`*` for any sending method) with `fault`.
    public func inject(_ fault: Fault, method: String, times: Int = 1) {
        faults[method, default: []].append(contentsOf: Array(repeating: fault, count: times))
    }

    /// Queues update `id` again, byte for byte, as Telegram does when it never learnt the bot
    /// took it; `false` when no such update was queued.
    @discardableResult
    public func redeliver(_ id: Int64) -> Bool {
        guard let json = sent[id] else { return false }
        updates.append((id, json))
        for waiter in waiters.values { waiter.resume() }
        waiters.removeAll()
        return true
    }

    /// Forgets every fault not yet used.
    public func clearFaults() { faults.removeAll() }

    /// Answers every send to `chatID` with 403 "bot was blocked by the user".
    public func block(chatID: Int64) { blocked.insert(chatID) }

    /// The user unblocked the bot: sends to `chatID` go through again.
    public func unblock(chatID: Int64) { blocked.remove(chatID) }

    /// Successful sends (messages, photos, edits) to a chat, in order.
    public func delivered(to chatID: Int64) -> [Call] {
        calls.filter { $0.succeeded && $0.chatID == chatID && Self.sendingMethods.contains($0.method) }
    }

    /// All successful sends, in order.
    public func deliveredMessages() -> [Call] {
        calls.filter { $0.succeeded && Self.sendingMethods.contains($0.method) }
    }

    /// Waits until `count` successful calls of `method` were made, or `timeout` passes.
    @discardableResult
    public func waitForCalls(_ method: String, count: Int, timeout: Duration = .seconds(10)) async -> Bool {
        if successes(method) >= count { return true }
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(5))
            if successes(method) >= count { return true }
        }
        return false
    }

    /// The id of the last update queued.
    public var lastUpdateID: Int64 { nextUpdateID }

    /// Numbers the next updates after `id`, as Telegram does for a bot that restarts (a new
    /// fake would otherwise reuse ids the bot's database holds as handled).
    public func resumeUpdateIDs(after id: Int64) { nextUpdateID = max(nextUpdateID, id) }

    static let sendingMethods: Set<String> = ["sendMessage", "sendPhoto", "editMessageText"]

    private func successes(_ method: String) -> Int {
        method == "*" ? deliveredMessages().count : calls.filter { $0.succeeded && $0.method == method }.count
    }

    private func takeUpdateID() -> Int64 {
        nextUpdateID += 1
        return nextUpdateID
    }

    private func takeMessageID() -> Int64 {
        nextMessageID += 1
        return nextMessageID
    }

    private func enqueue(_ id: Int64, _ update: JSONNode) {
        sent[id] = update.parameterText
        updates.append((id, update.parameterText))
        for waiter in waiters.values { waiter.resume() }
        waiters.removeAll()
    }

    // MARK: Answering

    /// Answers one Bot API call: HTTP status and JSON body.
    func answer(token: String, method: String, parameters: [String: String], file: [UInt8]?) async -> (Int, String) {
        func fail(_ code: Int, _ description: String, retryAfter: Int? = nil) -> (Int, String) {
            calls.append(Call(method: method, parameters: parameters, file: file, succeeded: false, at: Date()))
            var members: [String: JSONNode] = ["ok": .bool(false), "error_code": .integer(Int64(code)), "description": .string(description)]
            if let retryAfter { members["parameters"] = .object(["retry_after": .integer(Int64(retryAfter))]) }
            return (code, JSONNode.object(members).parameterText)
        }
        guard token == self.token else { return fail(401, "Unauthorized") }
        guard let required = Self.requiredParameters[method] else { return fail(404, "Not Found") }
        for name in required where (name == "photo" ? file == nil && parameters[name] == nil : (parameters[name] ?? "").isEmpty) {
            return fail(400, "Bad Request: parameter \(name) is required")
        }
        if let fault = takeFault(method) {
            switch fault {
            case .tooManyRequests(let seconds): return fail(429, "Too Many Requests: retry after \(seconds)", retryAfter: seconds)
            case .serverError: return fail(500, "Internal Server Error")
            case .badGatewayPage:
                calls.append(Call(method: method, parameters: parameters, file: file, succeeded: false, at: Date()))
                return (502, "<html><body>502 Bad Gateway</body></html>")
            case .conflict: return fail(409, "Conflict: terminated by other getUpdates request")
            }
        }
        if Self.sendingMethods.contains(method) || method == "sendChatAction" {
            if let chat = parameters["chat_id"].flatMap({ Int64($0) }), blocked.contains(chat) {
                return fail(403, "Forbidden: bot was blocked by the user")
            }
            if let text = parameters["text"] ?? parameters["caption"] {
                if parameters["parse_mode"]?.uppercased() == "HTML", let problem = TelegramHTML.problem(in: text) {
                    return fail(400, "Bad Request: can't parse entities: \(problem)")
                }
                let limit = parameters["text"] != nil ? 4096 : 1024
                if TelegramHTML.plain(text).count > limit { return fail(400, "Bad Request: message is too long") }
            }
        }
        let result: JSONNode
        var made: Int64?
        switch method {
        case "getUpdates": result = await getUpdates(parameters)
        case "getMe": result = .object(["id": .integer(1), "is_bot": .bool(true), "first_name": .string("Loket"), "username": .string("loket_bot")])
        case "sendMessage", "sendPhoto", "editMessageText":
            let chat = parameters["chat_id"].flatMap { Int64($0) } ?? 0
            let messageID = parameters["message_id"].flatMap { Int64($0) } ?? takeMessageID()
            made = messageID
            result = .object([
                "message_id": .integer(messageID), "date": .integer(Int64(Date().timeIntervalSince1970)),
                "chat": .object(["id": .integer(chat), "type": .string(chat < 0 ? "group" : "private")]),
                "text": .string(parameters["text"] ?? parameters["caption"] ?? ""),
            ])
        default: result = .bool(true)
        }
        calls.append(Call(method: method, parameters: parameters, file: file, succeeded: true, at: Date(), messageID: made))
        return (200, JSONNode.object(["ok": .bool(true), "result": result]).parameterText)
    }

    private func takeFault(_ method: String) -> Fault? {
        if var queue = faults[method], !queue.isEmpty {
            let fault = queue.removeFirst()
            faults[method] = queue
            return fault
        }
        if Self.sendingMethods.contains(method), var queue = faults["*"], !queue.isEmpty {
            let fault = queue.removeFirst()
            faults["*"] = queue
            return fault
        }
        return nil
    }

    /// Confirms updates below `offset`, then returns what is left, waiting up to `timeout`
    /// seconds for one to arrive.
    private func getUpdates(_ parameters: [String: String]) async -> JSONNode {
        if let offset = parameters["offset"].flatMap({ Int64($0) }) { updates.removeAll { $0.id < offset } }
        let limit = parameters["limit"].flatMap { Int($0) } ?? 100
        let timeout = min(parameters["timeout"].flatMap { Int($0) } ?? 0, 50)
        if updates.isEmpty, timeout > 0 {
            let id = UUID()
            // A poll whose caller is cancelled (a bot shutting down) ends at once, as a closed
            // connection would end it.
            await withTaskCancellationHandler {
                await withCheckedContinuation { continuation in
                    waiters[id] = continuation
                    Task {
                        try? await Task.sleep(for: .seconds(timeout))
                        self.resumeWaiter(id)
                    }
                }
            } onCancel: {
                Task { await self.resumeWaiter(id) }
            }
        }
        let batch = updates.prefix(limit).compactMap { try? JSONDecoder().decode(JSONNode.self, from: Data($0.json.utf8)) }
        return .array(batch)
    }

    private func resumeWaiter(_ id: UUID) {
        waiters.removeValue(forKey: id)?.resume()
    }

    /// Releases every long poll at once (for a quick shutdown).
    public func releasePolls() {
        for waiter in waiters.values { waiter.resume() }
        waiters.removeAll()
    }
}
