import Conversation
import Flowix
import Foundation
import Ledger
import Logging
import Money

/// Withdrawals: check the account, hold amount plus fee, send it with our own `ref_id`, and
/// settle exactly like a purchase, through the ``SettlementService``: success captures (booking
/// Flowix's fee), Flowix's `failed` (or "not found" past the grace period) refunds once, and
/// anything else waits for the reconciler.
public struct PayoutService: Sendable {
    let ledger: Ledger
    let flowix: FlowixAPI
    let catalogue: ShopCatalogue
    let settlement: SettlementService
    let messages: Messages
    let allowedLevels: Set<String>
    let logger: Logger

    public init(ledger: Ledger, flowix: FlowixAPI, catalogue: ShopCatalogue, settlement: SettlementService, messages: Messages,
                allowedLevels: Set<String>, logger: Logger = Logger(label: "loket.payout")) {
        self.ledger = ledger
        self.flowix = flowix
        self.catalogue = catalogue
        self.settlement = settlement
        self.messages = messages
        self.allowedLevels = allowedLevels
        self.logger = logger
    }

    /// Asks Flowix whose account this is.
    public func inquire(bankCode: String, accountNumber: String, user: UserRecord) async -> Input {
        let language = messages.language(user.language)
        do {
            let account = try await flowix.inquirePayoutAccount(bankCode, accountNumber)
            let bankName = await catalogue.banks.first { $0.code == bankCode }?.name ?? bankCode
            return .accountInquired(PayoutAccount(bankCode: bankCode, bankName: bankName, accountNumber: accountNumber,
                                                  accountName: account.accountName))
        } catch .rejected(let rejection) {
            return .lookupFailed(reason: rejection.message)
        } catch {
            return .lookupFailed(reason: messages.text("flowix.unreachable", language))
        }
    }

    /// Holds amount plus fee and queues the "diproses" message; the send is work for after the commit.
    public func place(_ quote: PayoutQuote, user: UserRecord, chat: Int64, refID: String) async throws -> EffectOutcome {
        let language = messages.language(user.language)
        guard allowedLevels.contains(user.level.rawValue) else {
            return EffectOutcome(replies: [try messages.row("payout.notAllowed", language, to: chat)])
        }
        let payout = NewPayout(refID: refID, userID: user.id, bankCode: quote.account.bankCode, bankName: quote.account.bankName,
                               accountNumber: quote.account.accountNumber, accountName: quote.account.accountName,
                               amount: quote.amount, fee: quote.fee)
        let processing = try messages.row("payout.processing", language, [
            "amount": messages.money(quote.amount, language), "bank": quote.account.bankName, "number": quote.account.accountNumber,
            "name": quote.account.accountName, "ref": refID,
        ], to: chat, dedupeKey: "payout-processing:\(refID)")
        do {
            let placement = try await ledger.payouts.place(payout, outbox: [processing])
            logger.info("payout held", metadata: ["ref_id": "\(refID)", "amount": "\(quote.amount)", "fee": "\(quote.fee)"])
            return EffectOutcome(work: [.sendPayout(placement.record, placement.isNew ? .first : .resend)])
        } catch LedgerError.insufficientFunds(let balance, let needed) {
            return EffectOutcome(replies: [try messages.row("order.insufficient", language, [
                "balance": messages.money(balance, language), "price": messages.money(needed, language),
            ], buttons: [[messages.depositButton(language)]], to: chat)])
        }
    }

    /// Sends a held payout to Flowix and settles on the answer; safe to repeat (same `ref_id`,
    /// `attempt: .resend`). A final answer settles at once. Returns the follow-up.
    @discardableResult
    public func send(_ payout: Payout, attempt: CreateAttempt) async -> SettlementDecision.FollowUp {
        guard !payout.status.isFinal else { return .none }
        let amount = payout.amount
        // Recorded before it leaves, under the reference's lock, first send or resend alike: the
        // not-found clock must start over while it may arrive, and a payout settled meanwhile is
        // never sent.
        do {
            guard try await settlement.beginSend(payout: payout.refId, attempt: attempt) != nil else { return .none }
        } catch {
            logger.error("could not record the send; not sent now", metadata: ["ref_id": "\(payout.refId)", "error": "\(error)"])
            return .askLater
        }
        let event: SettlementEvent
        do {
            let receipt = try await flowix.createPayout(PayoutOrder(bankCode: payout.bankCode, accountNumber: payout.accountNumber,
                                                                    accountName: payout.accountName, amount: amount, refID: payout.refId))
            logger.info("Flowix answered the payout", metadata: ["ref_id": "\(payout.refId)", "status": "\(receipt.status)"])
            if receipt.status.isFinal {
                // Already final: the status endpoint says what Flowix took; settle on the create's
                // answer only if that cannot be learnt now. A success means Flowix has it, so it is
                // processing first and a "not found" from a lagging status endpoint can no longer
                // refund it; a failure leaves the record as it was, so the answer still refunds.
                if receipt.status == .success {
                    do {
                        try await settlement.handle(.createAnswered(.processing, .unstated, attempt), payout: payout.refId)
                    } catch {
                        logger.error("recording the payout answer failed; the reconciler will ask", metadata: ["ref_id": "\(payout.refId)", "error": "\(error)"])
                        return .askLater
                    }
                }
                _ = await refresh(payout.refId)
                if let current = try? await ledger.payouts.payout(refID: payout.refId), current.status.isFinal { return .none }
            }
            event = .createAnswered(receipt.status, .unstated, attempt)
        } catch {
            logger.warning("Flowix did not take the payout", metadata: ["ref_id": "\(payout.refId)", "error": "\(error)"])
            event = SettlementEvent(createFailure: error, attempt: attempt)
        }
        do {
            return try await settlement.handle(event, payout: payout.refId)
        } catch {
            logger.error("recording the payout answer failed; the reconciler will ask", metadata: ["ref_id": "\(payout.refId)", "error": "\(error)"])
            return .askLater
        }
    }

    /// Asks `/payout/status` and settles on the answer (with what Flowix actually took).
    @discardableResult
    public func refresh(_ refID: String) async -> SettlementDecision.FollowUp {
        let event: SettlementEvent, note: String?
        do {
            let status = try await flowix.payoutStatus(refID)
            if status.refID == refID {
                (event, note) = (.statusAnswered(status.status, Self.charge(status)), status.note)
            } else {
                logger.error("Flowix answered about another payout; ignored", metadata: ["asked": "\(refID)", "answered": "\(status.refID)"])
                (event, note) = (.statusUnavailable("answer about \(status.refID)"), nil)
            }
        } catch {
            logger.warning("payout status check failed", metadata: ["ref_id": "\(refID)", "error": "\(error)"])
            (event, note) = (SettlementEvent(statusFailure: error, now: settlement.now), nil)
        }
        do {
            return try await settlement.handle(event, payout: refID, note: note)
        } catch {
            logger.error("recording the payout status failed", metadata: ["ref_id": "\(refID)", "error": "\(error)"])
            return .askLater
        }
    }

    /// What Flowix took for a payout: its amount, and its fee (from `total_deduction` when the
    /// two disagree, since that is what left the balance).
    static func charge(_ status: PayoutStatus) -> Charge {
        guard let total = status.totalDeduction, let deducted = total.subtracting(status.amount), deducted != status.fee else {
            return Charge(amount: status.amount, fee: status.fee)
        }
        return Charge(amount: status.amount, fee: deducted)
    }
}
