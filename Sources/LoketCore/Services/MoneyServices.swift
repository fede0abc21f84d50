import Conversation
import Ledger

/// Routes the deposit and withdrawal effects of a conversation to their services.
public struct MoneyServices: Sendable {
    let deposits: DepositService
    let payouts: PayoutService

    public init(deposits: DepositService, payouts: PayoutService) {
        self.deposits = deposits
        self.payouts = payouts
    }

    func perform(_ effect: Effect, user: UserRecord, chat: Int64, reference: Reference) async throws -> EffectOutcome {
        switch effect {
        case .createDeposit(let amount, let method):
            return try await deposits.start(amount: amount, methodCode: method, user: user, chat: chat, reference: reference)
        case .checkDeposit(let ref):
            // A button names a record: only its owner may ask about it.
            guard let deposit = try await deposits.ledger.deposit(refID: ref), deposit.userId == user.id else {
                return EffectOutcome(replies: [try deposits.messages.row("deposit.notFound", deposits.messages.language(user.language),
                                                                         ["ref": ref], to: chat)])
            }
            return EffectOutcome(job: { [deposits] in await deposits.refresh(ref, replyTo: chat) })
        case .cancelDeposit(let ref):
            return EffectOutcome(job: { [deposits] in await deposits.cancel(ref, user: user, chat: chat) })
        case .inquireAccount(let bank, let number):
            return EffectOutcome(followUp: { [payouts] in await payouts.inquire(bankCode: bank, accountNumber: number, user: user) })
        case .createPayout(let quote):
            return try await payouts.place(quote, user: user, chat: chat, refID: reference.as(.payout).description)
        case .send, .purchase, .checkBill, .payBill, .showHistory, .lookupOrder, .setLanguage, .admin:
            // Not money movements: the update processor performs these itself and never routes them here.
            return EffectOutcome()
        }
    }
}
