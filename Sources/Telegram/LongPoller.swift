import Logging
import ServiceLifecycle

/// Why the poller stopped for good.
public struct PollerStopped: Error, CustomStringConvertible {
    public let description: String
}

/// A batch whose outcome could not be recorded; it is fetched again after a pause.
struct PollerStorageError: Error, CustomStringConvertible {
    let description: String
    /// What keeps the storage from being written, when that is why.
    var storageProblem: String?
}

/// Fetches updates with `getUpdates` long polling and hands them to the handler: one chat's
/// updates strictly in order, different chats concurrently (a bounded number at a time).
///
/// Delivery is at-least-once and effects exactly-once: the offset is stored only after a
/// batch's effects are committed, and updates already handled are skipped, so a crash
/// re-fetches at most one batch and applies nothing twice. A graceful shutdown finishes the
/// batch in flight, stores the offset and returns.
///
/// No update can stop the shop (``UpdateStep``): before a batch is handled its updates are
/// marked in flight, in the same write that stores the previous batch's offset. One that keeps
/// throwing is quarantined after ``UpdateStep/maximumAttempts`` tries; one found in flight
/// after the process died is retried once on its own, and quarantined if the process dies on
/// it again. Either way the offset moves on and everyone else is served.
public struct LongPoller: Service {
    public struct Configuration: Sendable {
        /// Seconds Telegram holds a `getUpdates` open.
        public var pollTimeout: Int = 30
        public var batchLimit: Int = 100
        /// How many chats are handled at the same time.
        public var concurrentChats: Int = 100
        public var allowedUpdates: [String] = ["message", "callback_query"]
        /// Longest pause after repeated network, server or storage errors.
        public var maximumBackoff: Duration = .seconds(30)
        /// Longest pause while another instance polls the same bot (409 Conflict).
        public var maximumConflictBackoff: Duration = .seconds(60)

        public init() {}
    }

    private let api: TelegramAPI
    private let log: any UpdateLog
    private let handler: any UpdateHandler
    private let configuration: Configuration
    private let onConflict: @Sendable () async -> Void
    private let logger: Logger

    /// `onConflict` runs once when another instance starts polling the same bot (409), e.g. to
    /// alert the owners; the poller keeps retrying.
    public init(api: TelegramAPI, log: any UpdateLog, handler: any UpdateHandler,
                configuration: Configuration = Configuration(), onConflict: @escaping @Sendable () async -> Void = {},
                logger: Logger = Logger(label: "loket.poller")) {
        self.api = api
        self.log = log
        self.handler = handler
        self.configuration = configuration
        self.onConflict = onConflict
        self.logger = logger
    }

    public func run() async throws {
        try await deleteWebhook()
        var offset = try await log.storedOffset()
        for update in try await log.interruptedUpdates() {
            logger.error("the previous run stopped while handling this update; it is retried once on its own", metadata: [
                "update_id": "\(update.updateID)", "chat": "\(update.chatID.map(String.init) ?? "-")",
                "user": "\(update.userID.map(String.init) ?? "-")", "input": "\(update.kind)",
                "retried_alone": "\(update.aloneAttempts)",
            ])
        }
        /// The offset every handled update is below, not yet stored: it goes with the next write.
        var finished: Int64?
        /// In-flight marks this run wrote, and updates it retried on its own: when a batch is
        /// fetched again after a storage error, these are not a dead run's.
        var markedThisRun: Set<Int64> = [], retriedThisRun: Set<Int64> = []
        var failures = 0
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            let request = GetUpdates(offset: offset, limit: configuration.batchLimit, timeout: configuration.pollTimeout,
                                     allowedUpdates: configuration.allowedUpdates)
            let updates: [Update]
            do {
                let api = self.api, timeout = Duration.seconds(configuration.pollTimeout + 15)
                updates = try await cancelWhenGracefulShutdown { try await api.getUpdates(request, timeout).updates }
                if failures > 0 { logger.info("getUpdates works again", metadata: ["after_failures": "\(failures)"]) }
            } catch let error as TelegramError {
                if Task.isShuttingDownGracefully || Task.isCancelled { break }
                try await pause(after: error, failures: &failures)
                continue
            }
            do {
                guard let last = updates.map(\.updateID).max() else {
                    if let done = finished { try await log.storeOffset(done) }
                    finished = nil
                    failures = 0
                    continue
                }
                var state = try await log.triage(updates.map(\.updateID))
                for id in markedThisRun { state.interrupted[id] = nil }
                for id in retriedThisRun where state.interrupted[id] != nil { state.interrupted[id] = 0 }
                let plan = updates.map { ($0, UpdateStep.triage($0, state)) }
                let marks = plan.filter { $0.1 == .handle }.map { InFlightUpdate($0.0) }
                try await log.beginBatch(marks, storingOffset: finished)
                finished = nil
                markedThisRun.formUnion(marks.map(\.updateID))
                retriedThisRun.formUnion(plan.filter { $0.1 == .retryAlone }.map(\.0.updateID))
                switch await dispatch(plan) {
                case .done: break
                case .unfinished: throw PollerStorageError(description: "an update could be neither handled nor quarantined")
                case .storageUnavailable(let problem): throw PollerStorageError(description: problem, storageProblem: problem)
                }
                markedThisRun = markedThisRun.filter { $0 > last }
                retriedThisRun = retriedThisRun.filter { $0 > last }
                offset = last + 1
                finished = offset
                failures = 0
            } catch {
                if Task.isShuttingDownGracefully || Task.isCancelled { break }
                failures += 1
                let delay = Backoff.delay(attempt: failures, maximum: configuration.maximumBackoff)
                if let problem = (error as? PollerStorageError)?.storageProblem ?? log.storageProblem(error) {
                    logger.critical("the database cannot be written: \(problem); no update is lost, the batch is fetched again once it can",
                                    metadata: ["retry_in": "\(delay)", "failures": "\(failures)"])
                } else {
                    logger.error("could not record the batch; fetching it again", metadata: ["error": "\(error)", "retry_in": "\(delay)"])
                }
                try await Task.sleep(for: delay)
            }
        }
        if let finished { try await log.storeOffset(finished) }
        logger.info("poller stopped", metadata: ["offset": "\(offset.map(String.init) ?? "none")"])
    }

    /// How far handling an update, a lane or a batch got.
    enum Handling: Sendable, Equatable {
        case done
        /// An update could be neither handled nor quarantined: the batch must not be passed.
        case unfinished
        /// The storage cannot be written; the batch must not be passed either.
        case storageUnavailable(String)

        /// Both together: done only if both are; a storage problem is the one reported.
        func and(_ other: Handling) -> Handling {
            switch (self, other) {
            case (.storageUnavailable, _): return self
            case (_, .storageUnavailable): return other
            case (.unfinished, _), (_, .unfinished): return .unfinished
            case (.done, .done): return .done
            }
        }
    }

    /// Runs a triaged batch: quarantines and interrupted updates first, one at a time in update
    /// order, then the rest with one task per chat, at most `concurrentChats` at once.
    func dispatch(_ plan: [(Update, UpdateStep)]) async -> Handling {
        var complete = Handling.done
        var lanes: [Int64: [Update]] = [:]
        var order: [Int64] = []
        /// Chats whose earlier update did not finish: their later ones wait for the batch to be
        /// fetched again, so a chat's updates are never applied out of order.
        var stopped: Set<Int64> = []
        for (update, step) in plan {
            switch step {
            case .skip: continue
            case .quarantine(let reason):
                let done = await quarantine(update, reason)
                if done != .done, let chat = update.chatID { stopped.insert(chat) }
                complete = complete.and(done)
            case .retryAlone:
                do {
                    try await log.markRetryAlone(update.updateID)
                } catch {
                    logger.error("could not mark an interrupted update", metadata: ["update_id": "\(update.updateID)", "error": "\(error)"])
                    complete = complete.and(log.storageProblem(error).map(Handling.storageUnavailable) ?? .unfinished)
                    if let chat = update.chatID { stopped.insert(chat) }
                    continue
                }
                logger.warning("retrying an interrupted update on its own", metadata: [
                    "update_id": "\(update.updateID)", "chat": "\(update.chatID.map(String.init) ?? "-")", "input": "\(update.inputKind)",
                ])
                let done = await handleOne(update)
                if done != .done, let chat = update.chatID { stopped.insert(chat) }
                let stoppedByUs: Bool
                switch done {
                case .done: stoppedByUs = false
                case .unfinished: stoppedByUs = Task.isCancelled
                case .storageUnavailable: stoppedByUs = true
                }
                if stoppedByUs {
                    // Stopped by a shutdown or by the disk, not killed by it: this retry does not
                    // count against it (while the disk is full the undo may fail too; within this
                    // run the update is still known as retried by this run, not a dead one's).
                    try? await log.undoRetryAlone(update.updateID)
                }
                complete = complete.and(done)
            case .handle:
                guard let chat = update.chatID, !stopped.contains(chat) else {
                    if update.chatID != nil { complete = complete.and(.unfinished) }
                    continue
                }
                if lanes[chat] == nil { order.append(chat) }
                lanes[chat, default: []].append(update)
            }
        }
        let concurrent = await withTaskGroup(of: Handling.self) { group in
            var running = 0, complete = Handling.done
            for chat in order {
                if running == configuration.concurrentChats, let done = await group.next() {
                    complete = complete.and(done)
                    running -= 1
                }
                let lane = lanes[chat] ?? []
                group.addTask {
                    // A chat's updates stay in order: after one that could be neither handled nor
                    // quarantined, the rest of the lane waits for the batch to be fetched again.
                    for update in lane {
                        let done = await handleOne(update)
                        guard done == .done else { return done }
                    }
                    return .done
                }
                running += 1
            }
            for await done in group { complete = complete.and(done) }
            return complete
        }
        return complete.and(concurrent)
    }

    /// Handles one update, trying again a bounded number of times, then quarantining it;
    /// answers a button press either way. A storage that cannot be written stops it without
    /// blaming it.
    private func handleOne(_ update: Update) async -> Handling {
        var attempt = 1
        while true {
            do {
                try await handler.handle(update)
                break
            } catch {
                // Stopping is not the update's fault: it stays in flight and is handled after the restart.
                if Task.isCancelled { return .unfinished }
                switch UpdateStep.afterFailure(attempt: attempt, error: error, storageProblem: log.storageProblem(error)) {
                case .retry:
                    logger.error("update handling failed", metadata: ["update_id": "\(update.updateID)", "attempt": "\(attempt)", "error": "\(error)"])
                    try? await Task.sleep(for: .milliseconds(100 * attempt))
                    attempt += 1
                case .quarantine(let reason):
                    logger.error("update handling failed", metadata: ["update_id": "\(update.updateID)", "attempt": "\(attempt)", "error": "\(error)"])
                    return await quarantine(update, reason)
                case .waitForStorage(let problem):
                    return .storageUnavailable(problem)
                }
            }
        }
        await answerButton(update)
        return .done
    }

    private func quarantine(_ update: Update, _ reason: QuarantineReason) async -> Handling {
        do {
            try await handler.quarantine(update, reason: reason)
        } catch {
            logger.error("could not quarantine an update", metadata: ["update_id": "\(update.updateID)", "error": "\(error)"])
            return log.storageProblem(error).map(Handling.storageUnavailable) ?? .unfinished
        }
        await answerButton(update)
        return .done
    }

    private func answerButton(_ update: Update) async {
        if case .callbackQuery(let query) = update.kind {
            try? await api.answerCallbackQuery(AnswerCallbackQuery(callbackQueryID: query.id))
        }
    }

    /// Stops for good on 401; otherwise waits as Telegram asks or backs off.
    private func pause(after error: TelegramError, failures: inout Int) async throws {
        switch error {
        case .unauthorized: throw PollerStopped(description: "Telegram rejected TELEGRAM_BOT_TOKEN (401 Unauthorized); check the token")
        case .conflict(let description):
            // Another instance is polling the same token (a deploy overlapping, a forgotten
            // copy): say so once, tell the owners, and keep trying with a growing pause, so this
            // instance takes over as soon as the other one stops.
            failures += 1
            let delay = Backoff.delay(attempt: failures, base: .seconds(1), maximum: configuration.maximumConflictBackoff)
            if failures == 1 {
                logger.error("another instance is polling this bot (409 Conflict); retrying with a growing pause until it stops",
                             metadata: ["telegram": "\(description)"])
                await onConflict()
            } else {
                logger.warning("still another instance polling this bot (409 Conflict)", metadata: ["retry_in": "\(delay)"])
            }
            try await Task.sleep(for: delay)
        case .rateLimited(let seconds):
            logger.warning("getUpdates rate limited", metadata: ["retry_after": "\(seconds)"])
            try await Task.sleep(for: .seconds(seconds))
        default:
            failures += 1
            let delay = Backoff.delay(attempt: failures, maximum: configuration.maximumBackoff)
            logger.warning("getUpdates failed", metadata: ["error": "\(error)", "retry_in": "\(delay)"])
            try await Task.sleep(for: delay)
        }
    }

    /// Long polling and a webhook exclude each other; retried until it works or must stop.
    private func deleteWebhook() async throws {
        var failures = 0
        while true {
            do {
                try await api.deleteWebhook()
                return
            } catch {
                try await pause(after: error, failures: &failures)
            }
        }
    }
}

/// Capped exponential backoff with jitter.
enum Backoff {
    static func delay(attempt: Int, base: Duration = .milliseconds(250), maximum: Duration) -> Duration {
        let exponent = min(attempt - 1, 16)
        let ceiling = min(base * (1 << exponent), maximum)
        let fraction = Double.random(in: 0.5...1.0)
        return ceiling * fraction
    }
}
