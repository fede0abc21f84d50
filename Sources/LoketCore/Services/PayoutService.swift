import Conversation
import Flowix
import Foundation
import Ledger
import Logging
import Money

/// Withdrawals: check the account, hold amount plus fee, send it with our own `ref_id`, and
/// settle like a purchase — success captures (booking any fee difference), a definitive
/// failure refunds once, an unknown outcome waits for the reconciler.
public struct PayoutService: Sendable {
    let ledger: Ledger
    let flowix: FlowixClient
    let catalogue: ShopCatalogue
    let messages: Messages
    let allowedLevels: Set<String>
    let logger: Logger

    public init(ledger: Ledger, flowix: FlowixClient, catalogue: ShopCatalogue, messages: Messages, allowedLevels: Set<String>, logger: Logger = Logger(label: "loket.payout")) {
        self.ledger = ledger
        self.flowix = flowix
        self.catalogue = catalogue
        self.messages = messages
        self.allowedLevels = allowedLevels
        self.logger = logger
    }

    /// Asks Flowix whose account this is.
    public func inquire(bankCode: String, accountNumber: String, user: UserRecord) async -> Input {
        let language = messages.language(user.language)
        do {
            let account = try await flowix.inquirePayoutAccount(bankCode: bankCode, accountNumber: accountNumber)
            let bankName = await catalogue.banks.first { $0.code == bankCode }?.name ?? bankCode
            return .accountInquired(PayoutAccount(bankCode: bankCode, bankName: bankName, accountNumber: accountNumber,
                                                  accountName: account.accountName))
        } catch .rejected(let rejection) {
            return .lookupFailed(reason: rejection.message)
        } catch {
            return .lookupFailed(reason: messages.text("flowix.unreachable", language))
        }
    }

    /// Holds amount plus fee and queues the "diproses" message; the send runs in the background.
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
            let placement = try await ledger.placePayout(payout, outbox: [processing])
            logger.info("payout held", metadata: ["ref_id": "\(refID)", "amount": "\(quote.amount)", "fee": "\(quote.fee)"])
            return EffectOutcome(job: { await send(placement.record) })
        } catch LedgerError.insufficientFunds(let balance, let needed) {
            return EffectOutcome(replies: [try messages.row("order.insufficient", language, [
                "balance": messages.money(balance, language), "price": messages.money(needed, language),
            ], buttons: [[messages.depositButton(language)]], to: chat)])
        }
    }

    /// Sends a held payout to Flowix and records the answer; safe to repeat (same `ref_id`).
    public func send(_ payout: Payout) async {
        guard !payout.status.isFinal else { return }
        do {
            let receipt = try await flowix.createPayout(bankCode: payout.bankCode, accountNumber: payout.accountNumber,
                                                        accountName: payout.accountName, amount: Rupiah(stored: payout.amount), refID: payout.refId)
            logger.info("Flowix accepted the payout", metadata: ["ref_id": "\(payout.refId)", "status": "\(receipt.status)"])
            if receipt.status.isFinal { await refresh(payout.refId) } else { try await ledger.markPayout(payout.refId, as: .processing) }
        } catch let error as FlowixError {
            do {
                switch error {
                case .rejected(let rejection) where rejection.httpStatus != 409:
                    try await fail(payout, reason: rejection.message)
                case .rejected(let rejection):
                    try await ledger.markPayout(payout.refId, as: .unknown, note: rejection.message)
                case .outcomeUnknown(let reason):
                    logger.warning("payout outcome unknown", metadata: ["ref_id": "\(payout.refId)", "reason": "\(reason)"])
                    try await ledger.markPayout(payout.refId, as: .unknown, note: "\(reason)")
                case .notSent: break
                }
            } catch {
                logger.error("recording the payout answer failed", metadata: ["ref_id": "\(payout.refId)", "error": "\(error)"])
            }
        } catch {
            logger.error("recording the payout answer failed", metadata: ["ref_id": "\(payout.refId)", "error": "\(error)"])
        }
    }

    /// Asks `/payout/status` and applies a final answer (with Flowix's actual fee).
    public func refresh(_ refID: String) async {
        do {
            guard let payout = try await ledger.payout(refID: refID) else { return }
            let status = try await flowix.payoutStatus(refID: refID)
            try await apply(status.status, to: payout, fee: status.fee, note: status.note)
        } catch {
            logger.warning("payout status check failed", metadata: ["ref_id": "\(refID)", "error": "\(error)"])
        }
    }

    /// Applies a status from a webhook or the status endpoint.
    public func apply(_ status: FlowixStatus, to payout: Payout, fee: Rupiah?, note: String?) async throws {
        switch status {
        case .success:
            let language = messages.language(try await ledger.user(id: payout.userId)?.language)
            let messages = self.messages
            let settlement = try await ledger.completePayout(payout.refId, flowixFee: fee ?? Rupiah(stored: payout.fee), note: note) { done in
                (try? [messages.row("payout.success", language, [
                    "amount": messages.money(done.amount, language), "bank": done.bankName, "number": done.accountNumber,
                    "name": done.accountName, "ref": done.refId,
                ], to: done.userId, dedupeKey: "payout-final:\(done.refId)")]) ?? []
            }
            if settlement.didSettle { logger.info("payout succeeded", metadata: ["ref_id": "\(payout.refId)"]) }
        case .failed: try await fail(payout, reason: note ?? "-")
        case .processing, .pending:
            if payout.status == .pending || payout.status == .unknown { try await ledger.markPayout(payout.refId, as: .processing) }
        case .unrecognized: break
        }
    }

    private func fail(_ payout: Payout, reason: String) async throws {
        let language = messages.language(try await ledger.user(id: payout.userId)?.language)
        let messages = self.messages
        let settlement = try await ledger.failPayout(payout.refId, note: reason) { failed in
            (try? [messages.row("payout.failed", language, [
                "amount": messages.money(failed.amount + failed.fee, language), "reason": reason, "ref": failed.refId,
            ], to: failed.userId, dedupeKey: "payout-final:\(failed.refId)")]) ?? []
        }
        if settlement.didSettle {
            logger.info("payout refunded", metadata: ["ref_id": "\(payout.refId)", "reason": "\(reason)"])
        }
    }
}
