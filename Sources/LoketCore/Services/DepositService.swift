import Conversation
import Flowix
import Foundation
import Ledger
import Logging
import Money
import QRCode
import Telegram

/// QRIS top-ups: create the ticket, send the QR as a photo, and credit the wallet once with
/// what Flowix confirms it received — also when the payment arrives after expiry or cancel.
public struct DepositService: Sendable {
    let ledger: Ledger
    let flowix: FlowixAPI
    let messages: Messages
    let alerts: AdminAlerts
    let logger: Logger
    /// How many unpaid tickets a user may hold at once.
    let maximumOpen: Int

    public init(ledger: Ledger, flowix: FlowixAPI, messages: Messages, alerts: AdminAlerts, maximumOpen: Int, logger: Logger = Logger(label: "loket.deposit")) {
        self.maximumOpen = maximumOpen
        self.ledger = ledger
        self.flowix = flowix
        self.messages = messages
        self.alerts = alerts
        self.logger = logger
    }

    /// Starts a deposit: refuses when too many are open, otherwise says the ticket is being made
    /// and leaves ``create(_:)`` to the work after the commit.
    public func start(_ request: DepositRequest) async throws -> EffectOutcome {
        let language = messages.language(request.user.language)
        let open = try await ledger.deposits.open(userID: request.user.id)
        guard open.count < maximumOpen else {
            return EffectOutcome(replies: [try messages.row("deposit.tooMany", language, ["count": String(open.count)], to: request.chat)])
        }
        return EffectOutcome(replies: [try messages.row("deposit.creating", language, to: request.chat)], work: [.createDeposit(request)])
    }

    /// Asks Flowix for the ticket and sends its QR, once per reference (an update delivered
    /// again asks for nothing more).
    public func create(_ request: DepositRequest) async {
        guard (try? await ledger.events.rememberOnce("deposit-request:\(request.reference)")) == true else { return }
        let (user, chat, methodCode) = (request.user, request.chat, request.methodCode)
        let language = messages.language(user.language)
        var rows: [NewOutboxMessage] = []
        do {
            let ticket = try await flowix.createDeposit(request.amount, methodCode, true)
            try await ledger.deposits.record(NewDeposit(
                refID: ticket.refID, userID: user.id, methodCode: methodCode, amountRequested: ticket.amountRequest,
                amountToPay: ticket.amountTotal, fee: ticket.feeCharged, qrString: ticket.paymentData.qr?.string,
                expiresAt: ticket.expiredAt?.date.map { Int64($0.timeIntervalSince1970) }))
            logger.info("deposit created", metadata: ["ref_id": "\(ticket.refID)", "amount": "\(ticket.amountTotal)"])
            rows.append(try ticketMessage(ticket, chat: chat, language: language))
        } catch let error as FlowixError {
            logger.warning("deposit not created", metadata: ["error": "\(error)"])
            let reason = if case .rejected(let rejection) = error { rejection.message } else { messages.text("flowix.unreachable", language) }
            rows = messages.told(request.reference.description) { try messages.row("deposit.failed", language, ["reason": reason], to: chat) }
        } catch {
            logger.error("deposit bookkeeping failed", metadata: ["error": "\(error)"])
        }
        try? await ledger.outbox.enqueue(rows)
    }

    /// The QR photo (rendered here from the payload, not Flowix's image) with its caption and buttons.
    func ticketMessage(_ ticket: DepositTicket, chat: Int64, language: Language) throws -> NewOutboxMessage {
        // A reference too long for a button's 64 bytes leaves the buttons out rather than the
        // whole message (Telegram refuses it): the reconciler still checks the deposit.
        let buttons = [[
            CallbackData.depositCancel(reference: ticket.refID).map {
                InlineKeyboardButton(text: messages.text("deposit.button.cancel", language), callbackData: $0)
            },
            CallbackData.depositStatus(reference: ticket.refID).map {
                InlineKeyboardButton(text: messages.text("deposit.button.status", language), callbackData: $0)
            },
        ].compactMap { $0 }].filter { !$0.isEmpty }
        if buttons.isEmpty {
            logger.warning("deposit reference too long for its buttons; sent without them", metadata: ["ref_id": "\(ticket.refID)"])
        }
        let caption = messages.text(ticket.paymentData.qr == nil ? "deposit.ticketNoQR" : "deposit.ticket", language, [
            "total": messages.money(ticket.amountTotal, language), "credit": messages.money(ticket.amountReceived, language),
            "fee": messages.money(ticket.feeCharged, language), "ref": ticket.refID,
            "expires": ticket.expiredAt.map { "\($0.text) WIB" } ?? "-",
            "payment": ticket.paymentData.vaNumber ?? ticket.paymentData.payURL ?? ticket.paymentData.bankAccount ?? "-",
        ])
        var photo: Data?
        if let payload = ticket.paymentData.qr?.string {
            photo = Data(PNGImage.render(try QRCode(encoding: payload, correction: .medium), scale: 10))
        }
        return try LedgerOutboxStore.row(OutboundMessage(text: caption, keyboard: buttons.isEmpty ? nil : InlineKeyboardMarkup(buttons), photo: photo),
                                         chatID: chat, priority: .reply)
    }

    /// Asks Flowix about a deposit and applies what it says: credit once when paid, mark it
    /// expired or cancelled otherwise. `reply` also answers a "Cek status" press when nothing changed.
    public func refresh(_ refID: String, replyTo chat: Int64? = nil) async {
        do {
            guard let deposit = try await ledger.deposits.deposit(refID: refID) else {
                try await alerts.raise("alert.unknownDeposit", ["ref": refID], key: "unknown-deposit:\(refID)")
                return
            }
            let language = messages.language(try await ledger.users.user(id: deposit.userId)?.language)
            let status = try await flowix.depositStatus(refID)
            switch status.status {
            case .success where status.amountReceived == .zero:
                try await alerts.raise("alert.depositWithoutAmount", ["ref": refID], key: "deposit-zero:\(refID)")
            case .success:
                let messages = self.messages
                let settlement = try await ledger.deposits.credit(refID, amountReceived: status.amountReceived) { credited, balance in
                    messages.told(credited.refId) { try messages.row("deposit.credited", language, [
                        "amount": messages.money(credited.amountCredited ?? status.amountReceived, language), "balance": messages.money(balance, language),
                        "ref": credited.refId,
                    ], to: credited.userId, dedupeKey: "deposit-credited:\(credited.refId)") }
                }
                if settlement.didSettle {
                    logger.info("deposit credited", metadata: ["ref_id": "\(refID)", "amount": "\(status.amountReceived)"])
                } else if let chat {
                    try await ledger.outbox.enqueue([messages.row("deposit.alreadyCredited", language, ["ref": refID], to: chat)])
                }
            case .expired, .cancelled, .failed:
                let target: TicketStatus = status.status == .expired ? .expired : status.status == .cancelled ? .cancelled : .failed
                if deposit.status == .pending {
                    try await ledger.deposits.mark(refID, as: target)
                    try await ledger.outbox.enqueue([messages.row("deposit.closed", language, ["ref": refID,
                        "status": messages.text(target == .expired ? "deposit.status.expired" : "deposit.status.cancelled", language)],
                        to: deposit.userId, dedupeKey: "deposit-closed:\(refID)")])
                } else if let chat {
                    try await ledger.outbox.enqueue([messages.row("deposit.stillClosed", language, ["ref": refID], to: chat)])
                }
            case .pending, .unrecognized:
                if case .unrecognized(let text) = status.status {
                    // Not a status the reference lists: never guessed; a person looks, and it stays due.
                    try await alerts.raise("alert.depositStatusUnknown", ["ref": refID, "status": HTML.escape(text)], key: "deposit-status:\(refID)")
                }
                if let chat {
                    try await ledger.outbox.enqueue([messages.row("deposit.waiting", language, [
                        "ref": refID, "total": messages.money(deposit.amountToPay, language),
                    ], to: chat)])
                }
            }
        } catch {
            logger.warning("deposit status check failed", metadata: ["ref_id": "\(refID)", "error": "\(error)"])
            if let chat { try? await ledger.outbox.enqueue([messages.row("flowix.unreachable", messages.defaultLanguage, to: chat)]) }
        }
    }

    /// Cancels an unpaid ticket at the customer's request.
    public func cancel(_ refID: String, user: UserRecord, chat: Int64) async {
        let language = messages.language(user.language)
        do {
            guard let deposit = try await ledger.deposits.deposit(refID: refID), deposit.userId == user.id else {
                try await ledger.outbox.enqueue([messages.row("deposit.notFound", language, ["ref": refID], to: chat)])
                return
            }
            try await flowix.cancelDeposit(refID)
            try await ledger.deposits.mark(refID, as: .cancelled)
            try await ledger.outbox.enqueue([messages.row("deposit.cancelled", language, ["ref": refID], to: chat)])
        } catch let error as FlowixError where error.isRejection {
            await refresh(refID, replyTo: chat)
        } catch {
            try? await ledger.outbox.enqueue([messages.row("flowix.unreachable", language, to: chat)])
        }
    }
}
