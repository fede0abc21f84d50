import FakeTelegram
import Foundation
import Ledger
import LoketCore
import ServiceLifecycle
import Testing
@testable import Telegram

/// Records handled updates; commits each one through the ledger like the bot does.
actor RecordingHandler: UpdateHandler {
    let ledger: Ledger
    private(set) var handled: [(chat: Int64, text: String, updateID: Int64)] = []
    /// Stops handling (never returns) from this many updates on, to simulate a crash mid-batch.
    var hangAfter: Int?

    init(ledger: Ledger, hangAfter: Int? = nil) {
        self.ledger = ledger
        self.hangAfter = hangAfter
    }

    func handle(_ update: Update) async throws {
        if let hangAfter, handled.count >= hangAfter {
            try await Task.sleep(for: .seconds(3600))
        }
        guard case .message(let message) = update.kind else { return }
        let reply = try LedgerOutboxStore.row(OutboundMessage(text: "echo \(message.text ?? "")"), chatID: message.chat.id, priority: .reply)
        if try await ledger.updates.commit(update.updateID, session: nil, outbox: [reply]) {
            handled.append((message.chat.id, message.text ?? "", update.updateID))
        }
    }

    private(set) var quarantined: [(updateID: Int64, reason: QuarantineReason)] = []

    func quarantine(_ update: Update, reason: QuarantineReason) async throws {
        try await ledger.updates.quarantine(QuarantinedUpdate(updateID: update.updateID, chatID: update.chatID, userID: update.userID,
                                                      kind: update.inputKind, reason: reason.code, detail: reason.detail), outbox: [])
        quarantined.append((update.updateID, reason))
    }
}

/// Counts calls from concurrent code.
actor Counter {
    private(set) var value = 0
    func increment() { value += 1 }
}

@Suite("Long poller")
struct LongPollerTests {
    func poller(_ harness: TelegramHarness, _ ledger: Ledger, _ handler: any UpdateHandler, concurrentChats: Int = 16) -> LongPoller {
        var configuration = LongPoller.Configuration()
        configuration.pollTimeout = 1
        configuration.concurrentChats = concurrentChats
        return LongPoller(api: harness.client, log: LedgerUpdateLog(ledger: ledger), handler: handler, configuration: configuration)
    }

    @Test func perChatOrderWithTwoHundredInterleavedChats() async throws {
        let harness = try await TelegramHarness()
        for round in 0..<5 {
            for chat in 1...200 { await harness.api.pushMessage(chatID: Int64(chat), text: "m\(round)") }
        }
        let handler = RecordingHandler(ledger: harness.ledger)
        try await run(poller(harness, harness.ledger, handler)) { await handler.handled.count == 1_000 }
        let handled = await handler.handled
        #expect(handled.count == 1_000)
        #expect(Set(handled.map(\.updateID)).count == 1_000)
        for chat in 1...200 {
            #expect(handled.filter { $0.chat == Int64(chat) }.map(\.text) == ["m0", "m1", "m2", "m3", "m4"], "chat \(chat)")
        }
        let calls = await harness.api.calls
        #expect(calls.first?.method == "deleteWebhook")
        let poll = try #require(calls.first { $0.method == "getUpdates" })
        #expect(poll.parameters["allowed_updates"] == #"["message","callback_query"]"#)
        #expect(try await harness.ledger.updates.offset() != nil)
        await harness.shutdown()
    }

    @Test func restartInTheMiddleOfABatchAppliesEveryUpdateOnce() async throws {
        let harness = try await TelegramHarness()
        for index in 0..<60 { await harness.api.pushMessage(chatID: Int64(index % 7 + 1), text: "u\(index)") }
        // The first run "crashes": it stops handling after 25 updates and is torn down mid-batch.
        let crashing = RecordingHandler(ledger: harness.ledger, hangAfter: 25)
        let first = Task { try await poller(harness, harness.ledger, crashing, concurrentChats: 2).run() }
        while await crashing.handled.count < 25 { try await Task.sleep(for: .milliseconds(10)) }
        try await Task.sleep(for: .milliseconds(200))
        first.cancel()
        _ = await first.result
        #expect(try await harness.ledger.updates.offset() == nil, "the offset must not pass updates that were not handled")

        // The restart re-fetches the batch and handles only what is missing.
        let reopened = try harness.reopenLedger()
        let restarted = RecordingHandler(ledger: reopened)
        try await run(poller(harness, reopened, restarted)) { await restarted.handled.count + crashing.handled.count >= 60 }
        let all = await crashing.handled.map(\.updateID) + restarted.handled.map(\.updateID)
        #expect(all.count == 60)
        #expect(Set(all).count == 60)
        #expect(try await reopened.outbox.counts()["pending"] == 60)
        await harness.shutdown()
    }

    @Test func unknownUpdateKindsAreSkippedAndButtonsAnswered() async throws {
        let harness = try await TelegramHarness()
        await harness.api.pushOther(["poll": .object(["id": .string("p1")])])
        await harness.api.pushOther(["edited_message": .object(["message_id": .integer(1)])])
        await harness.api.pushCallback(chatID: 8, data: "m:saldo")
        let last = await harness.api.pushMessage(chatID: 8, text: "/saldo")
        let handler = RecordingHandler(ledger: harness.ledger)
        try await run(poller(harness, harness.ledger, handler)) { await handler.handled.count == 1 }
        #expect(await handler.handled.map(\.text) == ["/saldo"])
        #expect(await harness.api.waitForCalls("answerCallbackQuery", count: 1))
        #expect(try await harness.ledger.updates.offset() == last + 1)
        await harness.shutdown()
    }

    @Test func anotherInstancePollingIsWaitedOutWithOneAlertAndABadTokenStops() async throws {
        let harness = try await TelegramHarness()
        await harness.api.inject(.conflict, method: "getUpdates", times: 3)
        await harness.api.pushMessage(chatID: 4, text: "after the other instance stopped")
        let handler = RecordingHandler(ledger: harness.ledger)
        let conflicts = Counter()
        var configuration = LongPoller.Configuration()
        configuration.pollTimeout = 1
        configuration.maximumConflictBackoff = .milliseconds(300)
        let patient = LongPoller(api: harness.client, log: LedgerUpdateLog(ledger: harness.ledger), handler: handler,
                                 configuration: configuration, onConflict: { await conflicts.increment() })
        try await run(patient) { await handler.handled.count == 1 }
        #expect(await handler.handled.map(\.text) == ["after the other instance stopped"], "409 is not the end: it serves once the other stops")
        #expect(await conflicts.value == 1, "the owners are told once per conflict, not per retry")
        let wrongToken = harness.api.api(token: "1:bad")
        let bad = LongPoller(api: wrongToken, log: LedgerUpdateLog(ledger: harness.ledger), handler: handler)
        let unauthorized = await #expect(throws: PollerStopped.self) { try await bad.run() }
        #expect(unauthorized?.description.contains("TELEGRAM_BOT_TOKEN") == true)
        await harness.shutdown()
    }

    @Test func serverErrorsAndRateLimitsOnPollingAreRetried() async throws {
        let harness = try await TelegramHarness()
        await harness.api.inject(.serverError, method: "getUpdates", times: 2)
        await harness.api.inject(.tooManyRequests(retryAfter: 1), method: "getUpdates")
        await harness.api.pushMessage(chatID: 3, text: "after the storm")
        let handler = RecordingHandler(ledger: harness.ledger)
        try await run(poller(harness, harness.ledger, handler)) { await handler.handled.count == 1 }
        #expect(await handler.handled.map(\.text) == ["after the storm"])
        await harness.shutdown()
    }

    @Test func gracefulShutdownEndsALongPollPromptly() async throws {
        let harness = try await TelegramHarness(overHTTP: true)  // the HTTP client must abort a long poll
        var configuration = LongPoller.Configuration()
        configuration.pollTimeout = 30
        let poller = LongPoller(api: harness.client, log: LedgerUpdateLog(ledger: harness.ledger),
                                handler: RecordingHandler(ledger: harness.ledger), configuration: configuration)
        let started = ContinuousClock.now
        try await run(poller) {
            await harness.api.calls.contains { $0.method == "deleteWebhook" } && ContinuousClock.now - started > .milliseconds(500)
        }
        #expect(ContinuousClock.now - started < .seconds(10))
        await harness.shutdown()
    }
}
