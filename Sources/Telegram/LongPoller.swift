import Logging
import ServiceLifecycle

/// Why the poller stopped for good.
public struct PollerStopped: Error, CustomStringConvertible {
    public let description: String
}

/// Fetches updates with `getUpdates` long polling and hands them to the handler: one chat's
/// updates strictly in order, different chats concurrently (a bounded number at a time).
///
/// Delivery is at-least-once and effects exactly-once: the offset is stored only after a
/// batch's effects are committed, and updates already handled are skipped, so a crash
/// re-fetches at most one batch and applies nothing twice. A graceful shutdown finishes the
/// batch in flight, stores the offset and returns.
public struct LongPoller: Service {
    public struct Configuration: Sendable {
        /// Seconds Telegram holds a `getUpdates` open.
        public var pollTimeout: Int = 30
        public var batchLimit: Int = 100
        /// How many chats are handled at the same time.
        public var concurrentChats: Int = 100
        public var allowedUpdates: [String] = ["message", "callback_query"]
        /// Longest pause after repeated network or server errors.
        public var maximumBackoff: Duration = .seconds(30)

        public init() {}
    }

    private let client: TelegramClient
    private let log: any UpdateLog
    private let handler: any UpdateHandler
    private let configuration: Configuration
    private let logger: Logger

    public init(client: TelegramClient, log: any UpdateLog, handler: any UpdateHandler,
                configuration: Configuration = Configuration(), logger: Logger = Logger(label: "loket.poller")) {
        self.client = client
        self.log = log
        self.handler = handler
        self.configuration = configuration
        self.logger = logger
    }

    public func run() async throws {
        try await deleteWebhook()
        var offset = try await log.storedOffset()
        var failures = 0
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            let request = GetUpdates(offset: offset, limit: configuration.batchLimit, timeout: configuration.pollTimeout,
                                     allowedUpdates: configuration.allowedUpdates)
            let updates: [Update]
            do {
                let client = self.client, timeout = Duration.seconds(configuration.pollTimeout + 15)
                updates = try await cancelWhenGracefulShutdown { try await client.send(request, timeout: timeout).updates }
                failures = 0
            } catch let error as TelegramError {
                if Task.isShuttingDownGracefully || Task.isCancelled { break }
                try await pause(after: error, failures: &failures)
                continue
            }
            guard let last = updates.map(\.updateID).max() else { continue }
            let handled = try await log.handledUpdates(among: updates.map(\.updateID))
            await dispatch(updates.filter { !handled.contains($0.updateID) })
            offset = last + 1
            try await log.storeOffset(last + 1)
        }
        logger.info("poller stopped", metadata: ["offset": "\(offset.map(String.init) ?? "none")"])
    }

    /// Runs the batch: one task per chat, at most `concurrentChats` at once.
    func dispatch(_ updates: [Update]) async {
        var lanes: [Int64: [Update]] = [:]
        var order: [Int64] = []
        for update in updates {
            guard let chat = update.chatID else { continue }
            if lanes[chat] == nil { order.append(chat) }
            lanes[chat, default: []].append(update)
        }
        await withTaskGroup(of: Void.self) { group in
            var running = 0
            for chat in order {
                if running == configuration.concurrentChats {
                    await group.next()
                    running -= 1
                }
                let lane = lanes[chat]!
                group.addTask { for update in lane { await handleOne(update) } }
                running += 1
            }
        }
    }

    /// Handles one update, retrying a failed commit a few times, then answers a button press.
    private func handleOne(_ update: Update) async {
        for attempt in 1...3 {
            do {
                try await handler.handle(update)
                break
            } catch {
                logger.error("update handling failed", metadata: ["update_id": "\(update.updateID)", "attempt": "\(attempt)", "error": "\(error)"])
                try? await Task.sleep(for: .milliseconds(100 * attempt))
            }
        }
        if case .callbackQuery(let query) = update.kind {
            _ = try? await client.send(AnswerCallbackQuery(callbackQueryID: query.id))
        }
    }

    /// Stops for good on 401/409; otherwise waits as Telegram asks or backs off.
    private func pause(after error: TelegramError, failures: inout Int) async throws {
        switch error {
        case .unauthorized: throw PollerStopped(description: "Telegram rejected TELEGRAM_BOT_TOKEN (401 Unauthorized); check the token")
        case .conflict: throw PollerStopped(description: "another instance is already polling this bot (409 Conflict); stop it first")
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
                _ = try await client.send(DeleteWebhook())
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
