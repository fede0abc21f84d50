import Logging
import ServiceLifecycle

/// Runs ``Work`` once the update or webhook that made it is committed: a service under the
/// bot's service group, with at most ``Configuration/workers`` pieces running at once, so a
/// burst of purchases cannot open a thousand calls to Flowix. One exhaustive `switch` says which
/// service does what.
///
/// A graceful shutdown takes no new work and lets the queue run down for at most
/// ``Configuration/shutdownGrace``, then cancels what still runs. Whatever moves money is in
/// the ledger (and everything after a crash), where the reconciler finds it: an order held but
/// never sent is sent again with the same reference, an unknown one is asked about. What is
/// left is logged piece by piece; a lookup left undone is given up by the chat after
/// `Conversation.lookupPatience`.
public final class WorkRunner: Service, Sendable {
    public struct Configuration: Sendable {
        /// How many pieces of work run at once.
        public var workers = 16
        /// How long a graceful shutdown lets queued work run before leaving it to the reconciler;
        /// `nil`: the Flowix timeout and five seconds, so a create cut off has its answer recorded.
        public var shutdownGrace: Duration?

        public init() {}
    }

    let purchases: PurchaseService
    let deposits: DepositService
    let payouts: PayoutService
    let admin: AdminService
    let chats: ChatConversations
    let workers: Int
    let shutdownGrace: Duration
    let logger: Logger
    private let queue = WorkQueue()

    public init(purchases: PurchaseService, deposits: DepositService, payouts: PayoutService, admin: AdminService,
                chats: ChatConversations, configuration: Configuration = Configuration(), flowixTimeout: Duration,
                logger: Logger = Logger(label: "loket.work")) {
        self.purchases = purchases
        self.deposits = deposits
        self.payouts = payouts
        self.admin = admin
        self.chats = chats
        workers = max(1, configuration.workers)
        shutdownGrace = configuration.shutdownGrace ?? flowixTimeout + .seconds(5)
        self.logger = logger
    }

    /// Queues each piece of work, in order, without waiting for any of them.
    public func submit(_ work: [Work]) async {
        guard !work.isEmpty else { return }
        leftToTheReconciler(await queue.push(work), "work after shutdown began")
    }

    /// How many pieces wait for a worker.
    public var queued: Int {
        get async { await queue.count }
    }

    /// Removes and returns the work queued, for a caller that drives the core without the
    /// service group (a simulation decides when each piece runs; a test runs them in order).
    public func takeQueued() async -> [Work] {
        await queue.takeAll()
    }

    /// The workers, until a graceful shutdown has let the queue run down. The shutdown takes at
    /// most ``Configuration/shutdownGrace``: then what is still queued is left, and what still
    /// runs is cancelled (a cancelled call to Flowix is an unknown outcome, which the
    /// reconciler asks about).
    public func run() async throws {
        let queue = queue
        await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<workers {
                group.addTask { [self] in
                    while let piece = await queue.next() { await run(piece) }
                    return false
                }
            }
            // Until a graceful shutdown, or at once when cancelled.
            try? await gracefulShutdown()
            await queue.close()
            group.addTask { [shutdownGrace] in
                try? await Task.sleep(for: shutdownGrace)
                return true
            }
            var stopped = 0
            while let isGraceOver = await group.next() {
                if isGraceOver {
                    leftToTheReconciler(await queue.takeAll(), "shutdown grace over: queued work")
                    group.cancelAll()
                } else {
                    stopped += 1
                    if stopped == workers { group.cancelAll() }
                }
            }
        }
    }

    private func leftToTheReconciler(_ pieces: [Work], _ what: String) {
        guard !pieces.isEmpty else { return }
        logger.warning("\(what) is not done: money held is sent or asked about by the reconciler; lookups must be asked again",
                       metadata: ["pieces": "\(pieces.count)", "work": "\(pieces.map(\.description))"])
    }

    /// Does one piece of work to its end.
    public func run(_ work: Work) async {
        switch work {
        case .sendOrder(let order, let attempt):
            await purchases.send(order, attempt: attempt)
        case .sendPayout(let payout, let attempt):
            await payouts.send(payout, attempt: attempt)
        case .createDeposit(let request):
            await deposits.create(request)
        case .refreshDeposit(let reference, let chat):
            await deposits.refresh(reference, replyTo: chat)
        case .cancelDeposit(let reference, let user, let chat):
            await deposits.cancel(reference, user: user, chat: chat)
        case .checkBill(let code, let number, let user, let chat):
            let answer = await purchases.checkBill(productCode: code, customerNumber: number, user: user)
            await chats.answer(answer, chat: chat, userID: user.id)
        case .inquireAccount(let bank, let number, let user, let chat):
            let answer = await payouts.inquire(bankCode: bank, accountNumber: number, user: user)
            await chats.answer(answer, chat: chat, userID: user.id)
        case .refuseLookup(let reason, let user, let chat):
            await chats.answer(.lookupFailed(reason: reason), chat: chat, userID: user.id)
        case .admin(let work):
            await admin.run(work)
        }
    }
}
