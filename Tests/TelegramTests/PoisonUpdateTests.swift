import FakeTelegram
import Foundation
import GRDB
import Ledger
import LoketCore
import Testing
@testable import Telegram

/// Handles updates like ``RecordingHandler``, except a message whose text is `poison`: that one
/// throws every time, or never returns (the process "dies" on it when the test cancels the poller).
actor PoisonHandler: UpdateHandler {
    enum Poison { case throwing, hanging }
    let ledger: Ledger
    let poison: Poison
    private(set) var handled: [String] = []
    private(set) var poisonAttempts = 0
    private(set) var quarantined: [(updateID: Int64, reason: QuarantineReason)] = []

    init(ledger: Ledger, poison: Poison) {
        self.ledger = ledger
        self.poison = poison
    }

    struct Failure: Error {}

    /// Whether at least this much happened.
    func finished(handled: Int = 0, quarantined: Int = 0, poisonAttempts: Int = 0) -> Bool {
        self.handled.count >= handled && self.quarantined.count >= quarantined && self.poisonAttempts >= poisonAttempts
    }

    func handle(_ update: Update) async throws {
        guard case .message(let message) = update.kind else { return }
        if message.text == "poison" {
            poisonAttempts += 1
            switch poison {
            case .throwing: throw Failure()
            case .hanging: try await Task.sleep(for: .seconds(3600))
            }
        }
        if try await ledger.updates.commit(update.updateID, session: nil, outbox: []) { handled.append(message.text ?? "") }
    }

    func quarantine(_ update: Update, reason: QuarantineReason) async throws {
        try await ledger.updates.quarantine(QuarantinedUpdate(updateID: update.updateID, chatID: update.chatID, userID: update.userID,
                                                      kind: update.inputKind, reason: reason.code, detail: reason.detail), outbox: [])
        quarantined.append((update.updateID, reason))
    }
}

/// Fails every commit with SQLite's "database or disk is full" until ``freeSpace()``.
actor FullDiskHandler: UpdateHandler {
    let ledger: Ledger
    private var full = true
    private(set) var refusals = 0
    private(set) var handled: [String] = []

    init(ledger: Ledger) { self.ledger = ledger }

    func freeSpace() { full = false }

    func handle(_ update: Update) async throws {
        guard case .message(let message) = update.kind else { return }
        if full {
            refusals += 1
            throw DatabaseError(resultCode: .SQLITE_FULL, message: "database or disk is full")
        }
        if try await ledger.updates.commit(update.updateID, session: nil, outbox: []) { handled.append(message.text ?? "") }
    }

    func quarantine(_ update: Update, reason: QuarantineReason) async throws {
        Issue.record("update \(update.updateID) quarantined: \(reason)")
    }
}

@Suite("Poison updates")
struct PoisonUpdateTests {
    func poller(_ harness: TelegramHarness, _ ledger: Ledger, _ handler: any UpdateHandler) -> LongPoller {
        var configuration = LongPoller.Configuration()
        configuration.pollTimeout = 1
        return LongPoller(api: harness.client, log: LedgerUpdateLog(ledger: ledger), handler: handler, configuration: configuration)
    }

    static func update(_ id: Int64, _ kind: Update.Kind = .message(Message(messageID: 1, from: nil, chat: Chat(id: 7), date: 0, text: "hi"))) -> Update {
        Update(updateID: id, kind: kind)
    }

    @Test("triage table", arguments: [
        // (handled, alone attempts when interrupted, kind) -> step
        (false, nil, "message", UpdateStep.handle),
        (true, nil, "message", .skip),
        (true, 0, "message", .skip),
        (true, 1, "message", .skip),
        (false, 0, "message", .retryAlone),
        (false, 1, "message", .quarantine(.crashed)),
        (false, 5, "message", .quarantine(.crashed)),
        (false, nil, "unreadable", .quarantine(.unreadable)),
        (false, 0, "unreadable", .quarantine(.unreadable)),
        (true, nil, "unreadable", .skip),
        (false, nil, "other", .skip),
        (false, 0, "other", .skip),
    ] as [(Bool, Int?, String, UpdateStep)])
    func triage(handled: Bool, aloneAttempts: Int?, kind: String, expected: UpdateStep) {
        let update = switch kind {
        case "unreadable": Self.update(9, .unreadable(chatID: 7, userID: 7))
        case "other": Self.update(9, .other)
        default: Self.update(9)
        }
        let state = UpdateLogState(handled: handled ? [9] : [], interrupted: aloneAttempts.map { [9: $0] } ?? [:])
        #expect(UpdateStep.triage(update, state) == expected)
    }

    @Test func retryBound() {
        struct Boom: Error {}
        #expect(UpdateStep.afterFailure(attempt: 1, error: Boom(), storageProblem: nil) == .retry)
        #expect(UpdateStep.afterFailure(attempt: 2, error: Boom(), storageProblem: nil) == .retry)
        #expect(UpdateStep.afterFailure(attempt: 3, error: Boom(), storageProblem: nil) == .quarantine(.failed(attempts: 3, error: "Boom()")))
        // A full disk is not the update's fault, however often it happens.
        #expect(UpdateStep.afterFailure(attempt: 99, error: Boom(), storageProblem: "the disk is full") == .waitForStorage("the disk is full"))
    }

    @Test func anUpdateThatKeepsThrowingIsQuarantinedAndTheOffsetMovesOn() async throws {
        let harness = try await TelegramHarness()
        await harness.api.pushMessage(chatID: 1, text: "before")
        let poison = await harness.api.pushMessage(chatID: 2, text: "poison")
        await harness.api.pushMessage(chatID: 2, text: "same chat after")
        let last = await harness.api.pushMessage(chatID: 3, text: "other chat")
        let handler = PoisonHandler(ledger: harness.ledger, poison: .throwing)
        try await run(poller(harness, harness.ledger, handler)) { await handler.finished(handled: 3, quarantined: 1) }
        #expect(await handler.poisonAttempts == UpdateStep.maximumAttempts)
        #expect(await handler.handled.sorted() == ["before", "other chat", "same chat after"])
        let quarantined = await handler.quarantined
        #expect(quarantined.map(\.updateID) == [poison])
        #expect(quarantined.first?.reason == .failed(attempts: 3, error: "Failure()"))
        let records = try await harness.ledger.updates.quarantined()
        #expect(records.map(\.updateID) == [poison])
        #expect(records.first?.reason == "failed" && records.first?.kind == "text" && records.first?.chatID == 2)
        #expect(try await harness.ledger.updates.offset() == last + 1)
        #expect(try await harness.ledger.updates.interrupted().isEmpty, "finished updates leave no in-flight mark")
        await harness.shutdown()
    }

    @Test func anUpdateInFlightWhenTheProcessDiesTwiceIsQuarantinedAndNothingElseIsLost() async throws {
        let harness = try await TelegramHarness()
        for index in 0..<6 { await harness.api.pushMessage(chatID: Int64(10 + index), text: "m\(index)") }
        let poison = await harness.api.pushMessage(chatID: 20, text: "poison")
        await harness.api.pushMessage(chatID: 20, text: "after poison")

        // First run: dies (is torn down) while the poison update is in flight.
        var ledger = harness.ledger
        let first = PoisonHandler(ledger: ledger, poison: .hanging)
        try await crash(poller(harness, ledger, first)) { await first.finished(handled: 6, poisonAttempts: 1) }
        #expect(try await ledger.updates.offset() == nil, "nothing is passed while an update is in flight")
        let interrupted = try await ledger.updates.interrupted()
        #expect(interrupted.map(\.updateID).contains(poison))
        #expect(interrupted.first { $0.updateID == poison }?.kind == "text")

        // Second run: the interrupted updates are retried on their own, first; it dies on the poison again.
        ledger = try harness.reopenLedger()
        let second = PoisonHandler(ledger: ledger, poison: .hanging)
        try await crash(poller(harness, ledger, second)) { await second.poisonAttempts == 1 }
        #expect(try await ledger.updates.interrupted().first { $0.updateID == poison }?.aloneAttempts == 1)

        // Third run: the poison is quarantined without being handled a third time; the rest is served once.
        ledger = try harness.reopenLedger()
        let third = PoisonHandler(ledger: ledger, poison: .hanging)
        try await run(poller(harness, ledger, third)) { (await third.handled).contains("after poison") }
        #expect(await third.poisonAttempts == 0)
        #expect(await third.quarantined.map(\.updateID) == [poison])
        #expect(await third.quarantined.first?.reason == .crashed)
        let all = await first.handled + (await second.handled) + (await third.handled)
        #expect(all.sorted() == ["after poison", "m0", "m1", "m2", "m3", "m4", "m5"], "every other update exactly once")
        #expect(try await ledger.updates.quarantined().map(\.reason) == ["crashed"])
        #expect(try await ledger.updates.interrupted().isEmpty)
        await harness.shutdown()
    }

    @Test func anUnreadableMessageIsQuarantinedNotDropped() async throws {
        let harness = try await TelegramHarness()
        let broken = await harness.api.pushOther(["message": .object(["message_id": .string("not a number"),
                                                                      "chat": .object(["id": .integer(42), "type": .string("private")]),
                                                                      "from": .object(["id": .integer(42)])])])
        await harness.api.pushMessage(chatID: 43, text: "fine")
        let handler = PoisonHandler(ledger: harness.ledger, poison: .throwing)
        try await run(poller(harness, harness.ledger, handler)) { await handler.finished(handled: 1, quarantined: 1) }
        #expect(await handler.quarantined.map(\.updateID) == [broken])
        let record = try #require(try await harness.ledger.updates.quarantined().first)
        #expect(record.reason == "unreadable" && record.chatID == 42 && record.userID == 42)
        await harness.shutdown()
    }

    /// Issue #22: while the disk is full every commit fails; that is no update's fault, so
    /// nothing is quarantined or passed, and once space returns each update is handled once.
    @Test func aFullDiskQuarantinesNothingAndLosesNothing() async throws {
        let harness = try await TelegramHarness()
        for index in 0..<5 { await harness.api.pushMessage(chatID: Int64(30 + index % 3), text: "m\(index)") }
        let last = await harness.api.pushMessage(chatID: 31, text: "last")
        let handler = FullDiskHandler(ledger: harness.ledger)
        var configuration = LongPoller.Configuration()
        configuration.pollTimeout = 1
        configuration.maximumBackoff = .milliseconds(200)
        let poller = LongPoller(api: harness.client, log: LedgerUpdateLog(ledger: harness.ledger), handler: handler, configuration: configuration)
        try await run(poller) {
            if await handler.refusals >= 4 * UpdateStep.maximumAttempts { await handler.freeSpace() }
            return await handler.handled.count == 6
        }
        #expect(await handler.refusals >= 4 * UpdateStep.maximumAttempts, "the batch was tried again and again while the disk was full")
        #expect(await handler.handled.sorted() == ["last", "m0", "m1", "m2", "m3", "m4"], "each update handled exactly once")
        #expect(try await harness.ledger.updates.quarantined().isEmpty, "a full disk quarantines nothing")
        #expect(try await harness.ledger.updates.offset() == last + 1)
        await harness.shutdown()
    }

    /// Runs the poller until `condition`, then tears it down without letting it finish the batch,
    /// as a process killed mid-batch would leave it.
    func crash(_ poller: LongPoller, until condition: @escaping @Sendable () async -> Bool) async throws {
        let task = Task { try await poller.run() }
        let deadline = ContinuousClock.now + .seconds(30)
        while !(await condition()), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        #expect(await condition(), "the run reached the point of its crash")
        task.cancel()
        _ = await task.result
    }
}
