/// Runs ``Work`` in the background, each piece as soon as the update or webhook that made it is
/// committed, tracked by ``BackgroundWork`` so a graceful shutdown lets it finish. One
/// exhaustive `switch` says which service does what.
public struct WorkRunner: Sendable {
    let purchases: PurchaseService
    let deposits: DepositService
    let payouts: PayoutService
    let admin: AdminService
    let chats: ChatConversations
    let background: BackgroundWork

    public init(purchases: PurchaseService, deposits: DepositService, payouts: PayoutService, admin: AdminService,
                chats: ChatConversations, background: BackgroundWork) {
        self.purchases = purchases
        self.deposits = deposits
        self.payouts = payouts
        self.admin = admin
        self.chats = chats
        self.background = background
    }

    /// Starts each piece of work, in order, without waiting for any of them.
    public func start(_ work: [Work]) async {
        for piece in work {
            await background.start { [self] in await run(piece) }
        }
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
