import Foundation
import Logging
import ServiceLifecycle

/// Drains the outbox to Telegram within its rate limits.
///
/// A message is marked sent only after Telegram accepted it, so unsent messages go out after a
/// restart. One chat's messages go in queue order, one at a time; different chats in
/// parallel. A 429 pauses sending for as long as Telegram asks and loses nothing; 5xx and
/// network errors back off and retry; a 403 marks the chat blocked and drops its queue.
/// ``notify()`` after committing a reply makes it go out at once instead of on the next tick.
public actor OutboxSender: Service {
    public struct Configuration: Sendable {
        public var limits = RateLimiter.Configuration()
        /// Chats sent to at the same time.
        public var concurrentChats = 128
        /// How often the outbox is checked without a notification (for retries that came due).
        public var idlePoll: Duration = .seconds(1)
        /// Attempts on 5xx or network errors before a message waits for a later tick.
        public var attemptsBeforeRequeue = 4
        public var maximumBackoff: Duration = .seconds(30)

        public init() {}
    }

    /// What happened to a message, for metrics.
    public enum Event: Sendable { case sent, rateLimited, blocked, dropped }

    private let client: TelegramClient
    private let store: any OutboxStore
    private let onEvent: @Sendable (Event) -> Void
    private let configuration: Configuration
    private let logger: Logger
    private var limiter: RateLimiter
    private var activeChats: Set<Int64> = []
    /// Telegram asked the whole bot to wait until then (429).
    private var pausedUntil: Date = .distantPast
    private let wakeups: AsyncStream<Void>
    private let wakeupContinuation: AsyncStream<Void>.Continuation

    public init(client: TelegramClient, store: any OutboxStore, configuration: Configuration = Configuration(),
                logger: Logger = Logger(label: "loket.sender"), onEvent: @escaping @Sendable (Event) -> Void = { _ in }) {
        self.client = client
        self.onEvent = onEvent
        self.store = store
        self.configuration = configuration
        self.logger = logger
        limiter = RateLimiter(configuration: configuration.limits)
        (wakeups, wakeupContinuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Something was queued: look at the outbox now.
    public nonisolated func notify() {
        wakeupContinuation.yield()
    }

    public func run() async throws {
        let ticker = Task { [configuration, wakeupContinuation] in
            while !Task.isCancelled {
                try? await Task.sleep(for: configuration.idlePoll)
                wakeupContinuation.yield()
            }
        }
        defer { ticker.cancel() }
        await withTaskGroup(of: Void.self) { group in
            for await _ in wakeups.cancelOnGracefulShutdown() {
                await startChats(in: &group)
            }
        }
        logger.info("sender stopped")
    }

    /// Starts a task for every chat with pending messages that has none running.
    private func startChats(in group: inout TaskGroup<Void>) async {
        // A chat busy when the read starts may have marked messages sent during the read; its
        // rows in this read can be stale, so it waits for the next round.
        let busyBeforeRead = activeChats
        let items: [OutboxItem]
        do {
            items = try await store.pendingMessages(limit: 1_000, now: Date(), excluding: busyBeforeRead)
        } catch {
            logger.error("reading the outbox failed", metadata: ["error": "\(error)"])
            return
        }
        var queues: [Int64: [OutboxItem]] = [:]
        var order: [Int64] = []
        for item in items where !activeChats.contains(item.chatID) && !busyBeforeRead.contains(item.chatID) {
            if queues[item.chatID] == nil { order.append(item.chatID) }
            queues[item.chatID, default: []].append(item)
        }
        for chat in order where activeChats.count < configuration.concurrentChats {
            activeChats.insert(chat)
            let queue = queues[chat]!
            group.addTask { await self.sendQueue(queue, chatID: chat) }
        }
    }

    private func sendQueue(_ queue: [OutboxItem], chatID: Int64) async {
        for item in queue {
            guard !Task.isShuttingDownGracefully, await deliver(item) else { break }
        }
        activeChats.remove(chatID)
        notify()
    }

    /// Sends one message, retrying as its error allows. `false` stops the chat's queue.
    private func deliver(_ item: OutboxItem) async -> Bool {
        var failures = 0
        while true {
            let now = Date()
            let slot = max(limiter.reserve(chatID: item.chatID, priority: item.priority, now: now), pausedUntil)
            if slot > now { try? await Task.sleep(for: .seconds(slot.timeIntervalSince(now))) }
            do {
                let messageID = try await send(item)
                try await store.markSent(item.id, messageID: messageID)
                onEvent(.sent)
                return true
            } catch let error as TelegramError {
                switch error {
                case .notModified:
                    try? await store.markSent(item.id, messageID: item.message.editMessageID)
                    return true
                case .forbidden(let reason):
                    logger.info("chat blocked the bot", metadata: ["chat": "\(item.chatID)", "reason": "\(reason)"])
                    try? await store.chatBlocked(item.chatID)
                    onEvent(.blocked)
                    return false
                case .rateLimited(let seconds):
                    pausedUntil = max(pausedUntil, Date().addingTimeInterval(TimeInterval(seconds)))
                    onEvent(.rateLimited)
                    logger.warning("rate limited by Telegram", metadata: ["retry_after": "\(seconds)"])
                case .serverError, .network, .invalidResponse:
                    failures += 1
                    let delay = Backoff.delay(attempt: failures, maximum: configuration.maximumBackoff)
                    if failures >= configuration.attemptsBeforeRequeue {
                        try? await store.retryLater(item.id, at: Date().addingTimeInterval(delay.timeInterval))
                        return false
                    }
                    try? await Task.sleep(for: delay)
                case .unauthorized, .conflict, .badRequest:
                    logger.error("message refused by Telegram", metadata: ["outbox_id": "\(item.id)", "error": "\(error)"])
                    try? await store.drop(item.id, reason: error.description)
                    onEvent(.dropped)
                    return true
                }
            } catch {
                logger.error("outbox update failed", metadata: ["outbox_id": "\(item.id)", "error": "\(error)"])
                return false
            }
        }
    }

    /// Sends one message and returns the Telegram id of the message it made or edited.
    private func send(_ item: OutboxItem) async throws(TelegramError) -> Int64? {
        let message = item.message
        if let messageID = message.editMessageID {
            _ = try await client.send(EditMessageText(chatID: item.chatID, messageID: messageID, text: message.text,
                                                      replyMarkup: message.keyboard))
            return messageID
        } else if let photo = message.photo {
            return try await client.send(SendPhoto(chatID: item.chatID, png: Array(photo), caption: message.text, replyMarkup: message.keyboard)).messageID
        } else {
            return try await client.send(SendMessage(chatID: item.chatID, text: message.text, replyMarkup: message.keyboard)).messageID
        }
    }
}

extension Duration {
    var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
