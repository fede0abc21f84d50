@testable import Telegram
import Testing

/// The outbox sender's bookkeeping, event by event, without a socket, a database or a clock:
/// the races the real sender met, written down as steps.
@Suite("Outbox sender state machine")
struct OutboxStateMachineTests {
    typealias Machine = OutboxSender.StateMachine

    static func item(_ id: Int64, chat: Int64) -> OutboxItem {
        OutboxItem(id: id, chatID: chat, priority: .reply, message: OutboundMessage(text: "pesan \(id)"))
    }

    static func read(_ items: [OutboxItem], hasMore: Bool = false, handedOverThrough: Int64 = 0) -> PendingMessages {
        PendingMessages(items: items, hasMore: hasMore, handedOverThrough: handedOverThrough)
    }

    /// A machine after its subscription and a first, complete read of an empty table.
    static func ready(maximumQueued: Int = 100, concurrentChats: Int = 8) -> Machine {
        var machine = Machine(maximumQueued: maximumQueued, concurrentChats: concurrentChats)
        machine.subscribed(through: 0)
        _ = machine.tableRead(read([]), running: [])
        return machine
    }

    /// Sends every started chat's queue to the end, returning the ids in the order sent.
    static func drain(_ machine: inout Machine) -> [Int64] {
        var sent: [Int64] = []
        for chat in machine.chatsToStart() {
            while let next = machine.nextMessage(of: chat) {
                sent.append(next.id)
                machine.delivered(next, .next)
            }
            machine.chatStopped(chat)
        }
        return sent
    }

    @Test("a table read is needed only while rows are unread or a chat waits in the table")
    func tableReadsOnlyWhenNeeded() {
        var machine = Machine(maximumQueued: 100, concurrentChats: 8)
        machine.subscribed(through: 0)
        #expect(machine.needsTableRead)  // before the first read
        _ = machine.tableRead(Self.read([Self.item(1, chat: 1)]), running: [])
        #expect(!machine.needsTableRead)
        // A hand-over needs no read; a message sent back for a retry does.
        machine.committed([Self.item(2, chat: 1)])
        #expect(!machine.needsTableRead)
        #expect(machine.chatsToStart() == [1])
        machine.delivered(Self.item(1, chat: 1), .backToTable)
        machine.chatStopped(1)
        #expect(machine.needsTableRead)
        // Its rows come back with a read: handed over again from then on.
        _ = machine.tableRead(Self.read([Self.item(1, chat: 1), Self.item(2, chat: 1)]), running: [])
        #expect(!machine.needsTableRead)
        #expect(Self.drain(&machine) == [1, 2])
        // A page that stopped at its limit leaves rows unread.
        _ = machine.tableRead(Self.read([Self.item(3, chat: 2)], hasMore: true), running: [])
        #expect(machine.needsTableRead)
    }

    @Test("a chat whose rows a read passed over (a retry not yet due, or running while it read) waits in the table")
    func passedOverChatsWaitInTheTable() {
        var machine = Self.ready()
        // Chat 4 has a retry due later (after a restart, say); chat 5 was running.
        _ = machine.tableRead(PendingMessages(items: [], hasMore: false, passedOver: [4, 5], handedOverThrough: 0), running: [5])
        #expect(machine.tableOnly == [4, 5])
        #expect(machine.needsTableRead)
        // A newer reply to chat 4 must not overtake the row waiting for its retry.
        machine.committed([Self.item(20, chat: 4)])
        #expect(machine.known.isEmpty)
        // Once due, the read brings both, in order.
        _ = machine.tableRead(Self.read([Self.item(10, chat: 4), Self.item(20, chat: 4), Self.item(11, chat: 5)]), running: [])
        #expect(!machine.needsTableRead)
        #expect(Self.drain(&machine) == [10, 20, 11])
    }

    @Test("a chat that blocked the bot leaves nothing to read")
    func aBlockedChatLeavesTheTable() {
        var machine = Self.ready()
        _ = machine.tableRead(Self.read([Self.item(1, chat: 6)], hasMore: true), running: [])
        machine.committed([Self.item(2, chat: 6)])  // rows may be unread: waits in the table
        _ = machine.tableRead(Self.read([]), running: [])
        #expect(machine.tableOnly == [6])
        #expect(machine.chatsToStart() == [6])
        machine.delivered(Self.item(1, chat: 6), .chatBlocked)
        machine.chatStopped(6)
        #expect(machine.tableOnly.isEmpty)
        #expect(!machine.needsTableRead)
    }

    @Test("a hand-over before the first read waits in the table, so it cannot overtake older rows")
    func handOverBeforeTheFirstRead() {
        var machine = Machine(maximumQueued: 100, concurrentChats: 8)
        machine.subscribed(through: 10)
        machine.committed([Self.item(11, chat: 1)])
        #expect(machine.chatsToStart().isEmpty)
        #expect(machine.tableOnly == [1])
        // The first read brings the older row 7 and the handed-over 11, in order.
        _ = machine.tableRead(Self.read([Self.item(7, chat: 1), Self.item(11, chat: 1)], handedOverThrough: 11), running: [])
        #expect(machine.tableOnly.isEmpty)
        #expect(Self.drain(&machine) == [7, 11])
    }

    @Test("a read skips rows whose hand-over is still on its way, and the hand-over brings them once")
    func readAndHandOverRace() {
        var machine = Machine(maximumQueued: 100, concurrentChats: 8)
        machine.subscribed(through: 10)
        // Rows 11 and 12 committed after the subscription: the read sees them, but their
        // hand-over (up to 12) is already queued for the run loop.
        _ = machine.tableRead(Self.read([Self.item(5, chat: 2), Self.item(11, chat: 1), Self.item(12, chat: 1)], handedOverThrough: 12),
                              running: [])
        #expect(machine.known == [5])
        machine.committed([Self.item(11, chat: 1), Self.item(12, chat: 1)])
        #expect(machine.known == [5, 11, 12])
        #expect(machine.queues[1]?.map(\.id) == [11, 12])
        #expect(Self.drain(&machine).sorted() == [5, 11, 12])
        #expect(machine.known.isEmpty && machine.queues.isEmpty)
    }

    @Test("a chat waiting for a retry takes nothing handed over until a read returns its rows")
    func chatWaitingForARetry() {
        var machine = Self.ready()
        machine.committed([Self.item(1, chat: 9), Self.item(2, chat: 9)])
        #expect(machine.chatsToStart() == [9])
        let first = machine.nextMessage(of: 9)!
        machine.delivered(first, .backToTable)  // 5xx four times: retry later from the table
        #expect(machine.tableOnly == [9])
        #expect(machine.known.isEmpty)
        machine.committed([Self.item(3, chat: 9)])  // must not jump ahead of 1 and 2
        #expect(machine.known.isEmpty)
        machine.chatStopped(9)
        #expect(machine.chatsToStart().isEmpty)
        // The retry comes due: the read returns the chat's rows, in order.
        _ = machine.tableRead(Self.read([Self.item(1, chat: 9), Self.item(2, chat: 9), Self.item(3, chat: 9)], handedOverThrough: 3),
                              running: [])
        #expect(machine.tableOnly.isEmpty)
        #expect(Self.drain(&machine) == [1, 2, 3])
    }

    @Test("chats beyond the memory bound stay in the table; a chat already held still takes its messages")
    func memoryBound() {
        var machine = Self.ready(maximumQueued: 2)
        machine.committed([Self.item(1, chat: 1), Self.item(2, chat: 2), Self.item(3, chat: 3), Self.item(4, chat: 1)])
        #expect(machine.known == [1, 2, 4])
        #expect(machine.tableOnly == [3])
        #expect(Self.drain(&machine).sorted() == [1, 2, 4])
    }

    @Test("at most concurrentChats run; the others start as running ones stop, first come first served")
    func concurrencyBound() {
        var machine = Self.ready(concurrentChats: 2)
        machine.committed([Self.item(1, chat: 10), Self.item(2, chat: 20), Self.item(3, chat: 30)])
        #expect(machine.chatsToStart() == [10, 20])
        #expect(machine.chatsToStart().isEmpty)
        machine.delivered(machine.nextMessage(of: 10)!, .next)
        machine.chatStopped(10)
        #expect(machine.chatsToStart() == [30])
    }

    @Test("a message handed over while its chat runs is sent by the same task, not a second one")
    func handOverToARunningChat() {
        var machine = Self.ready()
        machine.committed([Self.item(1, chat: 5)])
        #expect(machine.chatsToStart() == [5])
        machine.committed([Self.item(2, chat: 5)])
        #expect(machine.waiting.isEmpty)
        machine.delivered(machine.nextMessage(of: 5)!, .next)
        #expect(machine.nextMessage(of: 5)?.id == 2)
        machine.delivered(machine.nextMessage(of: 5)!, .next)
        machine.chatStopped(5)
        #expect(machine.chatsToStart().isEmpty)
        #expect(machine.queues.isEmpty)
    }

    @Test("a chat that stops with messages left (a graceful shutdown) waits to start again")
    func stoppedWithMessagesLeft() {
        var machine = Self.ready()
        machine.committed([Self.item(1, chat: 5), Self.item(2, chat: 5)])
        #expect(machine.chatsToStart() == [5])
        machine.chatStopped(5)
        #expect(machine.waiting == [5])
        #expect(machine.chatsToStart() == [5])
    }

    @Test("a chat that blocked the bot is forgotten; a later message for it is held again")
    func blockedChat() {
        var machine = Self.ready()
        machine.committed([Self.item(1, chat: 7), Self.item(2, chat: 7)])
        _ = machine.chatsToStart()
        machine.delivered(machine.nextMessage(of: 7)!, .chatBlocked)
        #expect(machine.nextMessage(of: 7) == nil)
        #expect(machine.known.isEmpty)
        machine.chatStopped(7)
        machine.committed([Self.item(3, chat: 7)])
        #expect(Self.drain(&machine) == [3])
    }

    @Test("a read leaves out the chats that ran when it began, and says when to read the next page")
    func readWhileChatsRun() {
        var machine = Self.ready()
        machine.committed([Self.item(1, chat: 1)])
        _ = machine.chatsToStart()
        let (running, held) = machine.readExclusions
        #expect(running == [1] && held == [1])
        let more = machine.tableRead(Self.read([Self.item(2, chat: 1), Self.item(3, chat: 2)], hasMore: true, handedOverThrough: 1),
                                     running: running)
        #expect(more)
        #expect(machine.known == [1, 3])
        #expect(machine.unreadRowsRemain)
        // While rows may be unread, a hand-over waits in the table.
        machine.committed([Self.item(4, chat: 3)])
        #expect(machine.tableOnly.contains(3))
    }

    @Test("a row read twice is held once, and a chat's queue stays in id order whatever order rows come in")
    func heldOnceInOrder() {
        var machine = Self.ready()
        _ = machine.tableRead(Self.read([Self.item(5, chat: 1), Self.item(3, chat: 1)]), running: [])
        _ = machine.tableRead(Self.read([Self.item(3, chat: 1), Self.item(4, chat: 1)]), running: [])
        #expect(machine.queues[1]?.map(\.id) == [3, 4, 5])
        #expect(machine.waiting == [1])
    }

    @Test("a chat sent back to the table while a read runs keeps its rows from that read: no message overtakes its retry")
    func retryDuringARead() {
        var machine = Self.ready()
        machine.committed([Self.item(1, chat: 9), Self.item(2, chat: 9)])
        #expect(machine.chatsToStart() == [9])
        let (running, held) = machine.readExclusions  // the read begins while chat 9 runs
        #expect(running == [9] && held == [1, 2])
        machine.delivered(machine.nextMessage(of: 9)!, .backToTable)  // meanwhile message 1 must wait
        machine.chatStopped(9)
        // The store's read (begun before) returns row 2 of chat 9: it must not be held, or it
        // would go before message 1's retry.
        _ = machine.tableRead(Self.read([Self.item(2, chat: 9)], handedOverThrough: 2), running: running)
        #expect(machine.known.isEmpty)
        #expect(machine.chatsToStart().isEmpty)
        #expect(machine.tableOnly == [9])
    }

    @Test("the next page is read at once only while something was held and memory has room")
    func nextPageSignal() {
        var full = Self.ready(maximumQueued: 2)
        let fullMore = full.tableRead(Self.read([Self.item(1, chat: 1), Self.item(2, chat: 2)], hasMore: true), running: [])
        #expect(!fullMore)
        var empty = Self.ready()
        let emptyMore = empty.tableRead(Self.read([], hasMore: true), running: [])
        #expect(!emptyMore)
        var room = Self.ready()
        let roomMore = room.tableRead(Self.read([Self.item(1, chat: 1)], hasMore: true), running: [])
        #expect(roomMore)
        let lastPage = room.tableRead(Self.read([Self.item(2, chat: 1)], hasMore: false), running: [])
        #expect(!lastPage)
    }

    @Test("a chat left in the table for want of memory is taken by a later read, then takes hand-overs again")
    func memoryBoundThenRead() {
        var machine = Self.ready(maximumQueued: 1)
        machine.committed([Self.item(1, chat: 1), Self.item(2, chat: 3)])
        #expect(machine.tableOnly == [3])
        #expect(Self.drain(&machine) == [1])
        _ = machine.tableRead(Self.read([Self.item(2, chat: 3)]), running: [])
        #expect(machine.tableOnly.isEmpty)
        machine.committed([Self.item(3, chat: 3)])
        #expect(machine.queues[3]?.map(\.id) == [2, 3])
        #expect(Self.drain(&machine) == [2, 3])
    }

    @Test("a first read that stops at its limit keeps hand-overs in the table until the backlog is read")
    func firstReadStopsAtItsLimit() {
        var machine = Machine(maximumQueued: 100, concurrentChats: 8)
        machine.subscribed(through: 100)
        _ = machine.tableRead(Self.read([Self.item(1, chat: 1)], hasMore: true, handedOverThrough: 100), running: [])
        machine.committed([Self.item(101, chat: 2)])
        #expect(machine.tableOnly == [2])
        #expect(Self.drain(&machine) == [1])
        _ = machine.tableRead(Self.read([Self.item(50, chat: 2), Self.item(101, chat: 2)], handedOverThrough: 101), running: [])
        #expect(Self.drain(&machine) == [50, 101])
    }
}
