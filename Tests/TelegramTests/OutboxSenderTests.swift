import FakeTelegram
import Foundation
import Ledger
import LoketCore
import ServiceLifecycle
import Synchronization
import Testing
@testable import Telegram

@Suite("Outbox sender")
struct OutboxSenderTests {
    func sender(_ harness: TelegramHarness, idlePoll: Duration = .milliseconds(100), maximumQueued: Int = 2_000,
                readLimit: Int = 1_000) -> OutboxSender {
        var configuration = OutboxSender.Configuration()
        configuration.readLimit = readLimit
        configuration.idlePoll = idlePoll
        configuration.retryPoll = min(configuration.retryPoll, idlePoll)
        configuration.maximumQueued = maximumQueued
        configuration.limits.privateChatBurst = 100
        configuration.maximumBackoff = .milliseconds(200)
        return OutboxSender(api: harness.client, store: LedgerOutboxStore(ledger: harness.ledger), configuration: configuration)
    }

    @Test func aStormOf429sDelaysButLosesNothing() async throws {
        let harness = try await TelegramHarness()
        for index in 0..<30 { try await harness.enqueue("pesan \(index)", to: Int64(index % 5 + 1)) }
        await harness.api.inject(.tooManyRequests(retryAfter: 1), method: "sendMessage", times: 6)
        try await run(sender(harness)) { await harness.api.deliveredMessages().count == 30 }
        let delivered = await harness.api.deliveredMessages()
        #expect(delivered.count == 30)
        for chat in 1...5 {
            let expected = stride(from: chat - 1, to: 30, by: 5).map { "pesan \($0)" }
            #expect(await harness.api.delivered(to: Int64(chat)).map(\.text) == expected, "order of chat \(chat)")
        }
        #expect(try await harness.ledger.outbox.counts() == ["sent": 30])
        await harness.shutdown()
    }

    /// Issue #22: a message longer than Telegram takes goes out in parts, in order, the
    /// keyboard on the last, and with a 429 in the middle no part is sent twice.
    @Test func aLongMessageGoesOutInPartsWithTheKeyboardOnTheLast() async throws {
        let harness = try await TelegramHarness()
        let text = (1...500).map { "<code>KODE\($0)</code> Produk nomor \($0) · Rp\($0).000" }.joined(separator: "\n")
        let keyboard = InlineKeyboardMarkup([[InlineKeyboardButton(text: "Menu", callbackData: "m:menu")]])
        try await harness.ledger.outbox.enqueue([LedgerOutboxStore.row(OutboundMessage(text: text, keyboard: keyboard), chatID: 7, priority: .reply)])
        await harness.api.inject(.tooManyRequests(retryAfter: 1), method: "sendMessage", times: 1)
        try await run(sender(harness)) { try! await harness.ledger.outbox.counts()["sent"] == 1 }
        let delivered = await harness.api.delivered(to: 7)
        #expect(delivered.count == MessageParts.split(text).count && delivered.count >= 3, "each part once, despite the 429")
        #expect(delivered.map { $0.text ?? "" }.joined() == MessageParts.split(text).joined())
        #expect(delivered.allSatisfy { ($0.text ?? "").utf16.count <= 4_096 })
        #expect(FakeBotAPI.button("Menu", in: delivered.last!) == "m:menu")
        #expect(delivered.dropLast().allSatisfy { FakeBotAPI.button("Menu", in: $0) == nil })
        await harness.shutdown()
    }

    @Test func aBlockedUserStopsOnlyTheirChat() async throws {
        let harness = try await TelegramHarness()
        try await harness.ledger.users.register(id: 41, name: "Blocker", username: nil)
        await harness.api.block(chatID: 41)
        for index in 0..<3 {
            try await harness.enqueue("a\(index)", to: 41)
            try await harness.enqueue("b\(index)", to: 42)
        }
        try await run(sender(harness)) { await harness.api.delivered(to: 42).count == 3 }
        #expect(await harness.api.delivered(to: 42).map(\.text) == ["b0", "b1", "b2"])
        #expect(await harness.api.delivered(to: 41).isEmpty)
        #expect(try await harness.ledger.outbox.counts() == ["sent": 3, "dropped": 3])
        #expect(try await harness.ledger.users.user(id: 41)?.isReachable == false)
        await harness.shutdown()
    }

    @Test func serverErrorsAreRetriedAndBadRequestsDoNotBlockTheQueue() async throws {
        let harness = try await TelegramHarness()
        await harness.api.inject(.serverError, method: "sendMessage", times: 2)
        await harness.api.inject(.badGatewayPage, method: "sendMessage", times: 1)
        try await harness.enqueue("satu", to: 7)
        try await harness.enqueue("rusak <b", to: 7)
        try await harness.enqueue("tiga", to: 7)
        try await run(sender(harness)) { await harness.api.delivered(to: 7).count == 2 }
        #expect(await harness.api.delivered(to: 7).map(\.text) == ["satu", "tiga"])
        #expect(try await harness.ledger.outbox.counts() == ["sent": 2, "dropped": 1])
        await harness.shutdown()
    }

    /// An idle shop is not woken every second: with nothing waiting in the table, the sender
    /// reads it at start and then only at ``OutboxSender/Configuration/idlePoll``; a message
    /// sent back to the table for a retry is read again within the short ``retryPoll``.
    @Test func anIdleSenderReadsTheTableOnlyWhenSomethingWaitsThere() async throws {
        let harness = try await TelegramHarness()
        let store = CountingOutboxStore(LedgerOutboxStore(ledger: harness.ledger))
        var configuration = OutboxSender.Configuration()
        configuration.idlePoll = .seconds(600)
        configuration.retryPoll = .milliseconds(20)
        configuration.attemptsBeforeRequeue = 1
        configuration.maximumBackoff = .milliseconds(10)
        let sender = OutboxSender(api: harness.client, store: store, configuration: configuration)
        try await withRunning(sender) {
            try await harness.enqueue("satu", to: 5)
            #expect(await harness.api.waitForCalls("sendMessage", count: 1, timeout: .seconds(20)))
            // A quiet half second: the start's read, and no other (at 20 ms that would be ~25).
            try await Task.sleep(for: .milliseconds(500))
            #expect(store.reads.withLock { $0 } == 1)
            // A 5xx sends the message back to the table: it is read again soon, and sent.
            await harness.api.inject(.serverError, method: "sendMessage", times: 1)
            try await harness.enqueue("dua", to: 5)
            #expect(await harness.api.waitForCalls("sendMessage", count: 2, timeout: .seconds(20)))
            let afterRetry = store.reads.withLock { $0 }
            #expect(afterRetry >= 2)
            // Sent: nothing waits in the table any more, and the reads stop again.
            try await Task.sleep(for: .milliseconds(300))
            #expect(store.reads.withLock { $0 } <= afterRetry + 1)
        }
        #expect(await harness.api.delivered(to: 5).map(\.text) == ["satu", "dua"])
        await harness.shutdown()
    }

    @Test func unsentMessagesGoOutAfterARestart() async throws {
        let harness = try await TelegramHarness()
        try await harness.enqueue("sebelum restart", to: 11)
        let store = LedgerOutboxStore(ledger: try harness.reopenLedger())
        #expect(try await store.pendingMessages(limit: 10, now: Date(), excludingChats: [], excludingIDs: []).items.map(\.message.text) == ["sebelum restart"])
        try await run(sender(harness)) { await harness.api.delivered(to: 11).count == 1 }
        await harness.shutdown()
    }

    @Test func aCommittedReplyDoesNotWaitForTheNextTick() async throws {
        let harness = try await TelegramHarness()
        try await harness.enqueue("sebelum mulai", to: 12)
        let sender = sender(harness, idlePoll: .seconds(600))
        try await withRunning(sender) {
            // Queued before start: found by the first read.
            #expect(await harness.api.waitForCalls("sendMessage", count: 1, timeout: .seconds(20)))
            // Queued while running, with the next read ten minutes away: handed over on commit.
            try await harness.enqueue("cepat", to: 12)
            #expect(await harness.api.waitForCalls("sendMessage", count: 2, timeout: .seconds(20)))
        }
        #expect(await harness.api.delivered(to: 12).map(\.text) == ["sebelum mulai", "cepat"])
        await harness.shutdown()
    }

    /// Twenty rows wait in the table before start, read five at a time, while forty more are
    /// handed over as they commit.
    @Test(arguments: [5, 1_000])
    func handedOverAndReadMessagesKeepTheirOrderAndGoOnce(readLimit: Int) async throws {
        let harness = try await TelegramHarness()
        for index in 0..<20 { try await harness.enqueue("lama \(index)", to: Int64(index % 4 + 1)) }
        let sender = sender(harness, idlePoll: .milliseconds(5), readLimit: readLimit)
        try await withRunning(sender) {
            for index in 0..<40 { try await harness.enqueue("baru \(index)", to: Int64(index % 4 + 1)) }
            _ = await harness.api.waitForCalls("sendMessage", count: 60, timeout: .seconds(30))
            try await Task.sleep(for: .milliseconds(300))
        }
        for chat in 1...4 {
            let expected = stride(from: chat - 1, to: 20, by: 4).map { "lama \($0)" } + stride(from: chat - 1, to: 40, by: 4).map { "baru \($0)" }
            let got = await harness.api.delivered(to: Int64(chat)).map(\.text)
            #expect(got == expected, "chat \(chat): in order, each once: \(got)")
        }
        #expect(try await harness.ledger.outbox.counts() == ["sent": 60])
        await harness.shutdown()
    }

    @Test func aChatWaitingForARetryKeepsItsLaterMessagesBehindIt() async throws {
        let harness = try await TelegramHarness()
        await harness.api.inject(.serverError, method: "sendMessage", times: 4)
        let sender = sender(harness)
        try await withRunning(sender) {
            try await harness.enqueue("pertama", to: 21)
            // The first message fails four times and goes back to the table with a retry time;
            // these are handed over meanwhile and must not overtake it.
            try await Task.sleep(for: .milliseconds(100))
            try await harness.enqueue("kedua", to: 21)
            try await harness.enqueue("ketiga", to: 21)
            _ = await harness.api.waitForCalls("sendMessage", count: 3, timeout: .seconds(30))
        }
        #expect(await harness.api.delivered(to: 21).map(\.text) == ["pertama", "kedua", "ketiga"])
        #expect(try await harness.ledger.outbox.counts() == ["sent": 3])
        await harness.shutdown()
    }

    @Test func chatsBeyondTheMemoryBoundWaitInTheTable() async throws {
        let harness = try await TelegramHarness()
        let sender = sender(harness, idlePoll: .milliseconds(50), maximumQueued: 5)
        try await withRunning(sender) {
            for index in 0..<60 { try await harness.enqueue("pesan \(index)", to: Int64(index % 30 + 100)) }
            _ = await harness.api.waitForCalls("sendMessage", count: 60, timeout: .seconds(30))
            try await Task.sleep(for: .milliseconds(200))
        }
        for chat in 100..<130 {
            let got = await harness.api.delivered(to: Int64(chat)).compactMap(\.text)
            #expect(got == ["pesan \(chat - 100)", "pesan \(chat - 70)"], "chat \(chat): \(got)")
        }
        #expect(try await harness.ledger.outbox.counts() == ["sent": 60])
        await harness.shutdown()
    }

    @Test func messagesQueuedByAnotherConnectionAreSentToo() async throws {
        let harness = try await TelegramHarness()
        let other = try harness.reopenLedger()
        let sender = sender(harness, idlePoll: .milliseconds(50))
        try await withRunning(sender) {
            try await Task.sleep(for: .milliseconds(100))
            try await other.outbox.enqueue([LedgerOutboxStore.row(OutboundMessage(text: "dari luar"), chatID: 31, priority: .reply)])
            _ = await harness.api.waitForCalls("sendMessage", count: 1, timeout: .seconds(20))
            try await Task.sleep(for: .milliseconds(300))
        }
        #expect(await harness.api.delivered(to: 31).map(\.text) == ["dari luar"])
        await harness.shutdown()
    }

    @Test func photosAndEditsAreSentWithTheirMethods() async throws {
        let harness = try await TelegramHarness()
        let png = Data([0x89, 0x50, 0x4E, 0x47, 1, 2, 3])
        try await harness.ledger.outbox.enqueue([
            LedgerOutboxStore.row(OutboundMessage(text: "QR", photo: png), chatID: 13, priority: .reply),
            LedgerOutboxStore.row(OutboundMessage(text: "diedit", editMessageID: 5), chatID: 13, priority: .reply),
        ])
        try await run(sender(harness)) { await harness.api.delivered(to: 13).count == 2 }
        let calls = await harness.api.delivered(to: 13)
        #expect(calls.map(\.method) == ["sendPhoto", "editMessageText"])
        #expect(calls[0].file == Array(png))
        #expect(calls[1].parameters["message_id"] == "5")
        await harness.shutdown()
    }
}

/// A row handed over on commit carries the message it was made from; the payload stored beside
/// it must say exactly the same, since a restart reads the payload instead.
@Test("the message a row carries is the one its payload stores")
func outboxRowContentMatchesItsPayload() throws {
    let messages = [
        OutboundMessage(text: "Saldo <b>Rp10.000</b> & \u{1F600}", keyboard: InlineKeyboardMarkup([[InlineKeyboardButton(text: "Menu", callbackData: "m:1")]])),
        OutboundMessage(text: "QR", photo: Data([0x89, 0x50, 0, 255])),
        OutboundMessage(text: "diedit", editMessageID: 5),
        OutboundMessage(text: "", deleteMessageID: 9),
    ]
    for message in messages {
        let row = try LedgerOutboxStore.row(message, chatID: 1, priority: .reply)
        #expect(row.content as? OutboundMessage == message)
        #expect(try JSONDecoder().decode(OutboundMessage.self, from: Data(row.payload.utf8)) == message)
    }
}

@Suite("Rate limits")
struct RateLimiterTests {
    let start = Date(timeIntervalSince1970: 1_000_000)

    @Test func bulkStaysWithinTheOverallBudget() {
        var limiter = RateLimiter()
        let slots = (0..<90).map { limiter.reserve(chatID: Int64($0 + 1), priority: .bulk, now: start) }
        #expect(slots.last!.timeIntervalSince(start) >= 2.9)
        let firstSecond = slots.filter { $0.timeIntervalSince(start) < 0.99 }.count
        #expect(firstSecond <= 30)
    }

    @Test func repliesAreNotHeldBackByBulk() {
        var limiter = RateLimiter()
        for chat in 1...300 { _ = limiter.reserve(chatID: Int64(chat), priority: .bulk, now: start) }
        #expect(limiter.reserve(chatID: 999, priority: .reply, now: start) == start)
    }

    @Test func aPrivateChatGetsABurstThenOnePerSecond() {
        var limiter = RateLimiter()
        let slots = (0..<6).map { _ in limiter.reserve(chatID: 5, priority: .reply, now: start).timeIntervalSince(start) }
        #expect(slots.prefix(3).allSatisfy { $0 == 0 })
        #expect(abs(slots[3] - 1) < 0.001 && abs(slots[4] - 2) < 0.001 && abs(slots[5] - 3) < 0.001)
    }

    @Test func aGroupGetsTwentyAMinute() {
        var limiter = RateLimiter()
        let slots = (0..<21).map { _ in limiter.reserve(chatID: -100, priority: .reply, now: start).timeIntervalSince(start) }
        #expect(abs(slots[20] - 60) < 0.001)
        #expect(abs(slots[1] - 3) < 0.001)
    }
}

@Suite("Rate limits at a conversation's pace")
struct ConversationPaceTests {
    /// A customer who chats (a turn of two replies every couple of seconds) never waits; only a
    /// burst beyond three replies is paced, one a second.
    @Test func aChattingCustomerNeverWaits() {
        var limiter = RateLimiter()
        let start = Date(timeIntervalSince1970: 1_000_000)
        for turn in 0..<30 {
            let now = start.addingTimeInterval(Double(turn) * 2)
            for _ in 0..<2 { #expect(limiter.reserve(chatID: 7, priority: .reply, now: now) == now, "turn \(turn)") }
        }
        let burst = start.addingTimeInterval(100)
        let slots = (0..<5).map { _ in limiter.reserve(chatID: 7, priority: .reply, now: burst).timeIntervalSince(burst) }
        #expect(slots == [0, 0, 0, 1, 2])
    }
}

/// The store, counting the sender's table reads.
final class CountingOutboxStore: OutboxStore {
    let base: any OutboxStore
    let reads = Mutex(0)

    init(_ base: any OutboxStore) { self.base = base }

    func subscribe(_ onCommit: @escaping @Sendable ([OutboxItem]) -> Void) async throws -> Int64 { try await base.subscribe(onCommit) }
    func pendingMessages(limit: Int, now: Date, excludingChats: Set<Int64>, excludingIDs: Set<Int64>) async throws -> PendingMessages {
        reads.withLock { $0 += 1 }
        return try await base.pendingMessages(limit: limit, now: now, excludingChats: excludingChats, excludingIDs: excludingIDs)
    }
    func markSent(_ id: Int64, messageID: Int64?) async throws { try await base.markSent(id, messageID: messageID) }
    func retryLater(_ id: Int64, at date: Date) async throws { try await base.retryLater(id, at: date) }
    func drop(_ id: Int64, reason: String) async throws { try await base.drop(id, reason: reason) }
    func chatBlocked(_ chatID: Int64) async throws { try await base.chatBlocked(chatID) }
}
