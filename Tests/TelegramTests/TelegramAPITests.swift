import FakeTelegram
import Foundation
import Testing
@testable import Telegram

@Suite("Bot API over HTTP")
struct TelegramAPITests {
    @Test func sendsMessagesKeyboardsAndPhotos() async throws {
        let harness = try await TelegramHarness(overHTTP: true)
        let me = try await harness.client.getMe()
        #expect(me.isBot && me.username == "loket_bot")
        let keyboard = InlineKeyboardMarkup([[InlineKeyboardButton(text: "Beli", callbackData: "3:ok")]])
        let sent = try await harness.client.sendMessage(SendMessage(chatID: 77, text: "<b>Halo</b> &amp; selamat", replyMarkup: keyboard))
        #expect(sent.chat.id == 77)
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 1, 2, 255]
        _ = try await harness.client.sendPhoto(SendPhoto(chatID: 77, png: png, caption: "Bayar <b>Rp50.700</b>", replyMarkup: keyboard))
        let calls = await harness.api.delivered(to: 77)
        #expect(calls.count == 2)
        #expect(calls[0].parameters["reply_markup"]?.contains("\"callback_data\":\"3:ok\"") == true)
        #expect(calls[0].parameters["parse_mode"] == "HTML")
        #expect(calls[1].file == png)
        #expect(calls[1].parameters["caption"] == "Bayar <b>Rp50.700</b>")
        #expect(calls[1].parameters["reply_markup"]?.contains("inline_keyboard") == true)
        await harness.shutdown()
    }

    @Test func errorsAreClassified() async throws {
        let harness = try await TelegramHarness(overHTTP: true)
        let client = harness.client
        await harness.api.inject(.tooManyRequests(retryAfter: 7), method: "sendMessage")
        await #expect(throws: TelegramError.rateLimited(retryAfter: 7)) { try await client.sendMessage(SendMessage(chatID: 1, text: "a")) }
        await harness.api.inject(.serverError, method: "sendMessage")
        await #expect(throws: TelegramError.serverError(status: 500, description: "Internal Server Error")) {
            try await client.sendMessage(SendMessage(chatID: 1, text: "a"))
        }
        await harness.api.inject(.badGatewayPage, method: "sendMessage")
        await #expect(throws: TelegramError.serverError(status: 502, description: "HTTP 502 without a Bot API answer")) {
            try await client.sendMessage(SendMessage(chatID: 1, text: "a"))
        }
        await harness.api.inject(.conflict, method: "getUpdates")
        let conflict = await #expect(throws: TelegramError.self) { try await client.getUpdates(GetUpdates(offset: nil, timeout: 0, allowedUpdates: nil), .seconds(10)) }
        if case .conflict = conflict {} else { Issue.record("expected conflict, got \(String(describing: conflict))") }
        await harness.api.block(chatID: 9)
        let blocked = await #expect(throws: TelegramError.self) { try await client.sendMessage(SendMessage(chatID: 9, text: "a")) }
        #expect(blocked == .forbidden("Forbidden: bot was blocked by the user"))
        let html = await #expect(throws: TelegramError.self) { try await client.sendMessage(SendMessage(chatID: 1, text: "a < b")) }
        if case .badRequest(400, let text) = html { #expect(text.contains("can't parse entities")) } else { Issue.record("\(String(describing: html))") }
        let long = await #expect(throws: TelegramError.self) {
            try await client.sendMessage(SendMessage(chatID: 1, text: String(repeating: "a", count: 4097)))
        }
        #expect(long == .badRequest(code: 400, description: "Bad Request: message is too long"))

        let wrongToken = TelegramAPI.live(token: "999:wrong", baseURL: try #require(harness.server).baseURL)
        let unauthorized = await #expect(throws: TelegramError.self) { try await wrongToken.getMe() }
        #expect(unauthorized == .unauthorized("Unauthorized"))
        #expect(!(unauthorized?.description.contains("999:wrong") ?? true))

        let nowhere = TelegramAPI.live(token: "123:secret-token", baseURL: "http://127.0.0.1:9", requestTimeout: .seconds(2))
        let network = await #expect(throws: TelegramError.self) { try await nowhere.getMe() }
        #expect(network?.isRetryable == true)
        #expect(!(network?.description.contains("secret-token") ?? true))
        await harness.shutdown()
    }

    @Test func envelopeIsReadWhateverTheStatus() {
        func interpret(_ status: Int, _ body: String) -> Result<Bool, TelegramError> {
            Result { () throws(TelegramError) -> Bool in try TelegramCall.interpret(Bool.self, status: status, body: Data(body.utf8), method: "m") }
        }
        #expect(interpret(200, #"{"ok":true,"result":true}"#) == .success(true))
        #expect(interpret(400, #"{"ok":false,"error_code":400,"description":"Bad Request: message is not modified: specified new message content"}"#) == .failure(.notModified))
        #expect(interpret(200, #"{"ok":false,"error_code":429,"description":"Too Many Requests","parameters":{"retry_after":3}}"#) == .failure(.rateLimited(retryAfter: 3)))
        #expect(interpret(200, #"{"ok":false,"error_code":429,"description":"x","parameters":{"retry_after":9223372036854775807}}"#) == .failure(.rateLimited(retryAfter: 3_600)),
                "an absurd wait is capped at an hour")
        #expect(interpret(200, #"{"ok":false,"error_code":429,"description":"x","parameters":{"retry_after":-5}}"#) == .failure(.rateLimited(retryAfter: 1)))
        #expect(interpret(200, #"{"ok":false,"error_code":429,"description":"x","parameters":{"retry_after":1e400}}"#) != .success(true))
        #expect(interpret(200, #"{"ok":true}"#) == .failure(.invalidResponse("m: ok without a readable result")))
        #expect(interpret(200, "garbage") == .failure(.invalidResponse("m: HTTP 200, not a Bot API answer")))
    }

    @Test func unknownUpdatesAreSkippedAndMalformedOnesSetAsideNotFatal() throws {
        let body = #"""
        {"ok":true,"result":[
          {"update_id":1,"message":{"message_id":1,"date":0,"chat":{"id":5,"type":"private"},"text":"/saldo","from":{"id":5,"is_bot":false,"first_name":"A","unknown_field":[1]}}},
          {"update_id":2,"poll":{"id":"p"}},
          {"update_id":3,"message":{"message_id":"not a number"}},
          {"no_id":true},
          {"update_id":4,"callback_query":{"id":"q","from":{"id":6,"is_bot":false,"first_name":"B"},"data":"x","chat_instance":"c","message":{"message_id":9,"chat":{"id":6,"type":"private"},"date":0}}}
        ]}
        """#
        let batch = try TelegramCall.interpret(UpdateBatch.self, status: 200, body: Data(body.utf8), method: "getUpdates")
        #expect(batch.updates.map(\.updateID) == [1, 2, 3, 4])
        #expect(batch.updates.map(\.chatID) == [5, nil, nil, 6])
        #expect(batch.updates[1].kind == .other)
        #expect(batch.updates[2].kind == .unreadable(chatID: nil, userID: nil), "a message that cannot be read is quarantined, not dropped")
    }

    @Test("Telegram's HTML rules", arguments: [
        ("<b>ok</b> &amp; &lt;x&gt; &#128512;", true), ("a < b", false), ("AT&T", false), ("<b>unclosed", false),
        ("<b><i>x</b></i>", false), ("<script>x</script>", false), ("<a href=\"https://x\">x</a>", true), ("5 > 3", true),
    ])
    func html(text: String, valid: Bool) {
        #expect((TelegramHTML.problem(in: text) == nil) == valid, "\(text)")
    }
}
