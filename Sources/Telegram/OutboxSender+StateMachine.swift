extension OutboxSender {
    /// How a delivery attempt ended for the chat's queue.
    enum Delivery: Sendable, Equatable {
        /// Sent, or settled for good (dropped, not modified): on to the chat's next message.
        case next
        /// The chat blocked the bot; its messages were dropped in the store.
        case chatBlocked
        /// The message waits in the table for a retry, and so does the rest of its chat.
        case backToTable
    }

    /// The sender's bookkeeping as a plain value: which messages it holds, which chats wait,
    /// run, or must be read from the table, and what a table read may take. The actor feeds it
    /// events (a hand-over, a read, a delivery, a chat's task ending) and does what it returns
    /// (start chats, read again); it never awaits, so its invariants hold between any two calls:
    ///
    /// - every held message is in its chat's queue, in id order, and its id is in `known`, once;
    /// - a chat is in `activeChats` while its task runs; otherwise it is in `waiting` exactly
    ///   when it has held messages; at most `concurrentChats` run;
    /// - a chat in `tableOnly` holds nothing taken from a hand-over until a read returns its rows
    ///   (one message waits for a retry, the chat did not fit in memory, or older rows were unread);
    /// - while rows older than a hand-over may be unread (`unreadRowsRemain`), the hand-over waits
    ///   in the table, so one chat's messages never overtake each other;
    /// - a read's rows above `committedThrough` and up to its `handedOverThrough` are skipped:
    ///   their hand-over is on its way and brings them.
    struct StateMachine {
        let maximumQueued: Int
        let concurrentChats: Int
        /// Messages with the sender, per chat in id order.
        private(set) var queues: [Int64: [OutboxItem]] = [:]
        /// Ids of every message in `queues`.
        private(set) var known: Set<Int64> = []
        /// Chats with messages and no running task, first come first served.
        private(set) var waiting: [Int64] = []
        private(set) var activeChats: Set<Int64> = []
        /// Chats whose messages come from the table only, until a read returns them.
        private(set) var tableOnly: Set<Int64> = []
        /// The last read stopped at its limit (or none happened yet).
        private(set) var unreadRowsRemain = true
        /// The highest id of the hand-overs processed so far.
        private(set) var committedThrough: Int64 = .max

        init(maximumQueued: Int, concurrentChats: Int) {
            self.maximumQueued = maximumQueued
            self.concurrentChats = concurrentChats
        }

        /// The store's subscription began: hand-overs above `through` are still to come.
        mutating func subscribed(through: Int64) {
            committedThrough = through
        }

        /// Messages whose transaction just committed, handed over by the store.
        mutating func committed(_ items: [OutboxItem]) {
            for item in items {
                committedThrough = max(committedThrough, item.id)
                if tableOnly.contains(item.chatID) { continue }
                let fits = known.count < maximumQueued || queues[item.chatID] != nil || activeChats.contains(item.chatID)
                if unreadRowsRemain || !fits {
                    tableOnly.insert(item.chatID)
                    continue
                }
                hold(item)
            }
        }

        /// Whether messages wait that only a table read brings: rows are unread, or a chat's
        /// messages come from the table only. Otherwise every message arrives by hand-over.
        var needsTableRead: Bool { unreadRowsRemain || !tableOnly.isEmpty }

        /// What a table read must leave out: the chats running when it starts (their rows may
        /// be marked sent meanwhile) and the messages already held.
        var readExclusions: (chats: Set<Int64>, ids: Set<Int64>) { (activeChats, known) }

        /// A read that began while `running` ran returned `read`. Returns whether to read the
        /// next page at once (a backlog is read page by page without waiting for a scheduled read).
        mutating func tableRead(_ read: PendingMessages, running: Set<Int64>) -> Bool {
            // A chat with rows this read could not take (waiting for a retry, or running while
            // it read) takes its messages from the table until a read returns them: a hand-over
            // must not overtake them, and a read must follow.
            tableOnly.formUnion(read.passedOver)
            var held = 0
            for item in read.items where !running.contains(item.chatID) {
                if item.id > committedThrough, item.id <= read.handedOverThrough { continue }
                tableOnly.remove(item.chatID)
                hold(item)
                held += 1
            }
            unreadRowsRemain = read.hasMore
            return read.hasMore && held > 0 && known.count < maximumQueued
        }

        /// The chats to start now, first come first served, within `concurrentChats`; each is
        /// running from here until ``chatStopped(_:)``.
        mutating func chatsToStart() -> [Int64] {
            var started: [Int64] = []
            while activeChats.count < concurrentChats, !waiting.isEmpty {
                let chat = waiting.removeFirst()
                guard queues[chat]?.isEmpty == false, activeChats.insert(chat).inserted else { continue }
                started.append(chat)
            }
            return started
        }

        /// The message a running chat sends next, or `nil` when it has none.
        func nextMessage(of chat: Int64) -> OutboxItem? {
            queues[chat]?.first
        }

        /// How delivering `item`, the chat's first message, ended.
        mutating func delivered(_ item: OutboxItem, _ delivery: Delivery) {
            switch delivery {
            case .next:
                queues[item.chatID]?.removeAll { $0.id == item.id }
                known.remove(item.id)
            case .chatBlocked:
                // Its pending rows were dropped with it: nothing is left to read for it.
                forget(item.chatID)
                tableOnly.remove(item.chatID)
            case .backToTable:
                forget(item.chatID)
                tableOnly.insert(item.chatID)
            }
        }

        /// A running chat's task ends: it waits again if messages arrived for it meanwhile.
        mutating func chatStopped(_ chat: Int64) {
            if queues[chat]?.isEmpty == true { queues[chat] = nil }
            activeChats.remove(chat)
            if queues[chat] != nil { waiting.append(chat) }
        }

        /// Puts `item` in its chat's queue, in id order, once.
        private mutating func hold(_ item: OutboxItem) {
            guard known.insert(item.id).inserted else { return }
            var queue = queues[item.chatID] ?? []
            if queue.isEmpty, !activeChats.contains(item.chatID) { waiting.append(item.chatID) }
            queue.insert(item, at: queue.firstIndex { $0.id > item.id } ?? queue.endIndex)
            queues[item.chatID] = queue
        }

        /// Drops the chat's messages from memory (they stay in the table as they are).
        private mutating func forget(_ chat: Int64) {
            for item in queues[chat] ?? [] { known.remove(item.id) }
            queues[chat] = nil
        }
    }
}
