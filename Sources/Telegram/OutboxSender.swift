import Foundation
import Logging
import ServiceLifecycle

/// Drains the outbox to Telegram within its rate limits.
///
/// Messages reach the sender two ways: handed over by the store the moment their
/// transaction commits (so a reply goes out at once), and read from the table: at start
/// (messages queued before it), every ``Configuration/retryPoll`` while the state machine needs
/// a read (a retry waits for its time, a chat did not fit in memory, a backlog is unread), and
/// otherwise only every ``Configuration/idlePoll`` (messages another connection queued), so an
/// idle shop is not woken every second. A message is marked sent only after Telegram accepted it, so unsent
/// messages go out after a restart. One chat's messages go in queue order, one at a time;
/// different chats in parallel. A 429 pauses sending for as long as Telegram asks and loses
/// nothing; 5xx and network errors back off and retry; a 403 marks the chat blocked and drops
/// its queue.
public actor OutboxSender: Service {
    public struct Configuration: Sendable {
        public var limits = RateLimiter.Configuration()
        /// Chats sent to at the same time.
        public var concurrentChats = 64
        /// How soon the table is read again while a read is needed: a message waits for its
        /// retry, a chat waits in the table, or rows are unread.
        public var retryPoll: Duration = .seconds(1)
        /// How often the table is read when nothing needs it, for messages queued by another
        /// connection to the file (every message this process queues is handed over on commit).
        public var idlePoll: Duration = .seconds(30)
        /// Rows taken from the table per read.
        public var readLimit = 1_000
        /// Messages held in memory; beyond it, further chats are left in the table for later reads.
        public var maximumQueued = 2_000
        /// Attempts on 5xx or network errors before a message waits in the table for a later read.
        public var attemptsBeforeRequeue = 4
        public var maximumBackoff: Duration = .seconds(30)

        public init() {}
    }

    /// What happened to a message, for metrics.
    public enum Event: Sendable { case sent, rateLimited, blocked, dropped }

    /// What the run loop reacts to; only the run loop starts chats.
    private enum Input: Sendable {
        case committed([OutboxItem])
        /// Read the table now: at start, and for the next page of a backlog.
        case readTable
        /// The scheduled read's time came.
        case readDue
        case chatFinished
    }

    private let api: TelegramAPI
    private let store: any OutboxStore
    private let onEvent: @Sendable (Event) -> Void
    private let configuration: Configuration
    private let logger: Logger
    private var limiter: RateLimiter
    private let inputs: AsyncStream<Input>
    private let inputContinuation: AsyncStream<Input>.Continuation

    /// Which messages are held, which chats wait or run: decided by ``StateMachine``.
    private var state: StateMachine
    /// Telegram asked the whole bot to wait until then (429).
    private var pausedUntil: Date = .distantPast
    /// The next scheduled table read: when, and the task that waits for it.
    private var scheduledRead: (due: ContinuousClock.Instant, timer: Task<Void, Never>)?

    public init(api: TelegramAPI, store: any OutboxStore, configuration: Configuration = Configuration(),
                logger: Logger = Logger(label: "loket.sender"), onEvent: @escaping @Sendable (Event) -> Void = { _ in }) {
        self.api = api
        self.onEvent = onEvent
        self.store = store
        self.configuration = configuration
        self.logger = logger
        limiter = RateLimiter(configuration: configuration.limits)
        state = StateMachine(maximumQueued: configuration.maximumQueued, concurrentChats: configuration.concurrentChats)
        (inputs, inputContinuation) = AsyncStream.makeStream(of: Input.self)
    }

    public func run() async throws {
        let continuation = inputContinuation
        state.subscribed(through: try await store.subscribe { continuation.yield(.committed($0)) })
        continuation.yield(.readTable)
        defer { scheduledRead?.timer.cancel() }
        // Discarding: a long-lived group that never awaits its children must not keep them.
        await withDiscardingTaskGroup { group in
            for await input in inputs.cancelOnGracefulShutdown() {
                switch input {
                case .committed(let items): state.committed(items)
                case .readTable: await readTable()
                case .readDue:
                    scheduledRead = nil
                    await readTable()
                case .chatFinished: break
                }
                startWaitingChats(in: &group)
                scheduleRead()
            }
        }
        logger.info("sender stopped")
    }

    /// Keeps one table read scheduled: within ``Configuration/retryPoll`` while the state machine
    /// needs one, otherwise within ``Configuration/idlePoll``.
    private func scheduleRead() {
        let due = ContinuousClock.now + (state.needsTableRead ? configuration.retryPoll : configuration.idlePoll)
        if let scheduled = scheduledRead {
            guard due < scheduled.due else { return }
            scheduled.timer.cancel()
        }
        let continuation = inputContinuation
        scheduledRead = (due, Task {
            guard (try? await Task.sleep(until: due)) != nil else { return }
            continuation.yield(.readDue)
        })
    }

    /// Reads what the hand-over cannot bring. Chats running when the read starts are left out
    /// (their rows may be marked sent while it runs); no chat starts during the read, since only
    /// the run loop starts chats and it is waiting here.
    private func readTable() async {
        let (running, held) = state.readExclusions
        let read: PendingMessages
        do {
            read = try await store.pendingMessages(limit: configuration.readLimit, now: Date(), excludingChats: running, excludingIDs: held)
        } catch {
            logger.error("reading the outbox failed", metadata: ["error": "\(error)"])
            return
        }
        if state.tableRead(read, running: running) { inputContinuation.yield(.readTable) }
    }

    /// Starts a task for each chat the state machine lets start.
    private func startWaitingChats(in group: inout DiscardingTaskGroup) {
        for chat in state.chatsToStart() {
            group.addTask { await self.sendQueue(of: chat) }
        }
    }

    /// Sends the chat's messages one by one until its queue is empty or must wait.
    private func sendQueue(of chat: Int64) async {
        while !Task.isShuttingDownGracefully, let item = state.nextMessage(of: chat) {
            let delivery = await deliver(item)
            state.delivered(item, delivery)
        }
        state.chatStopped(chat)
        inputContinuation.yield(.chatFinished)
    }

    /// Sends one message (in several Telegram messages when it is longer than Telegram takes,
    /// ``MessageParts``), retrying as its error allows; parts already sent are not sent again.
    private func deliver(_ item: OutboxItem) async -> Delivery {
        var failures = 0
        var plan = Delivering(item)
        while true {
            let now = Date()
            let slot = max(limiter.reserve(chatID: item.chatID, priority: item.priority, now: now), pausedUntil)
            if slot > now { try? await Task.sleep(for: .seconds(slot.timeIntervalSince(now))) }
            do {
                while let part = plan.next {
                    let messageID = try await send(part, of: item)
                    plan.sent(messageID)
                    if plan.next != nil {
                        let now = Date(), slot = limiter.reserve(chatID: item.chatID, priority: item.priority, now: now)
                        if slot > now { try? await Task.sleep(for: .seconds(slot.timeIntervalSince(now))) }
                    }
                }
                try await store.markSent(item.id, messageID: plan.firstMessageID)
                onEvent(.sent)
                return .next
            } catch let error as TelegramError {
                switch error {
                case .notModified:
                    try? await store.markSent(item.id, messageID: item.message.editMessageID)
                    return .next
                case .forbidden(let reason):
                    logger.info("chat blocked the bot", metadata: ["chat": "\(item.chatID)", "reason": "\(reason)"])
                    try? await store.chatBlocked(item.chatID)
                    onEvent(.blocked)
                    return .chatBlocked
                case .rateLimited(let seconds):
                    pausedUntil = max(pausedUntil, Date().addingTimeInterval(TimeInterval(seconds)))
                    onEvent(.rateLimited)
                    logger.warning("rate limited by Telegram", metadata: ["retry_after": "\(seconds)"])
                case .serverError, .network, .invalidResponse:
                    failures += 1
                    let delay = Backoff.delay(attempt: failures, maximum: configuration.maximumBackoff)
                    if failures >= configuration.attemptsBeforeRequeue {
                        try? await store.retryLater(item.id, at: Date().addingTimeInterval(delay.timeInterval))
                        return .backToTable
                    }
                    try? await Task.sleep(for: delay)
                case .unauthorized, .conflict, .badRequest:
                    logger.error("message refused by Telegram", metadata: ["outbox_id": "\(item.id)", "error": "\(error)"])
                    try? await store.drop(item.id, reason: error.description)
                    onEvent(.dropped)
                    return .next
                }
            } catch {
                logger.error("outbox update failed", metadata: ["outbox_id": "\(item.id)", "error": "\(error)"])
                return .backToTable
            }
        }
    }

    /// Sends one part and returns the Telegram id of the message it made or edited. The first
    /// part carries the photo or the edit; the keyboard goes with the last.
    private func send(_ part: Delivering.Part, of item: OutboxItem) async throws(TelegramError) -> Int64? {
        let message = item.message, keyboard = part.isLast ? message.keyboard : nil
        if let messageID = message.deleteMessageID {
            try await api.deleteMessage(DeleteMessage(chatID: item.chatID, messageID: messageID))
            return messageID
        } else if part.index == 0, let messageID = message.editMessageID {
            _ = try await api.editMessageText(EditMessageText(chatID: item.chatID, messageID: messageID, text: part.text, replyMarkup: keyboard))
            return messageID
        } else if part.index == 0, let photo = message.photo {
            return try await api.sendPhoto(SendPhoto(chatID: item.chatID, png: Array(photo), caption: part.text, replyMarkup: keyboard)).messageID
        } else {
            return try await api.sendMessage(SendMessage(chatID: item.chatID, text: part.text, replyMarkup: keyboard)).messageID
        }
    }
}

/// The parts of one outbox message and how far their sending got.
struct Delivering {
    struct Part {
        let index: Int
        let text: String
        let isLast: Bool
    }

    let parts: [String]
    private(set) var sentCount = 0
    /// The Telegram id of the first part (the photo, the edited message), once sent.
    private(set) var firstMessageID: Int64?

    init(_ item: OutboxItem) {
        let firstLimit = item.message.photo != nil && item.message.editMessageID == nil ? MessageParts.captionLimit : MessageParts.textLimit
        // A deletion has no text: one empty part, one call.
        parts = MessageParts.split(item.message.text, firstLimit: firstLimit)
    }

    var next: Part? {
        sentCount < parts.count ? Part(index: sentCount, text: parts[sentCount], isLast: sentCount == parts.count - 1) : nil
    }

    mutating func sent(_ messageID: Int64?) {
        if sentCount == 0 { firstMessageID = messageID }
        sentCount += 1
    }
}

extension Duration {
    var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
