import Money

/// `/transfer`: balance from one member's wallet to another's, by user id or `@username`,
/// within the owner's limits, confirmed and unlocked with the PIN.
extension Conversation {
    /// `/transfer [penerima] [jumlah]`; what is missing is asked for.
    mutating func startTransfer(recipient: String?, amount: String?, _ turn: inout Turn) {
        reset()
        guard mayStartProtected(&turn) else { return }
        var pending: Rupiah?
        if let amount {
            switch Self.amount(in: amount, turn.context) {
            case .success(let parsed): pending = parsed
            case .failure(let error):
                return turn.send(turn.context.text(Self.amountErrorKey(error), ["min": "-", "max": "-"]) + "\n" + turn.context.text("transfer.usage"))
            }
        }
        guard let recipient else {
            enter(.enteringTransferRecipient)
            return turn.send(turn.context.text("transfer.askRecipient"), buttons: [[turn.cancelButton]])
        }
        findRecipient(recipient, amount: pending, &turn)
    }

    /// A user id (`123456789`) or a Telegram username (`@budi_cell`).
    public static func recipientHandle(_ text: String) -> String? {
        let typed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if typed.allSatisfy({ $0.isASCII && $0.isNumber }), let id = Int64(typed), id > 0 { return String(id) }
        let name = typed.hasPrefix("@") ? typed.dropFirst() : Substring(typed)
        guard typed.hasPrefix("@"), (4...32).contains(name.count),
              name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else { return nil }
        return "@" + name
    }

    mutating func enterTransferRecipient(_ text: String, _ turn: inout Turn) {
        guard Self.recipientHandle(text) != nil else {
            if startsNewRequest(text, &turn) { return }
            return turn.send(turn.context.text("transfer.invalidRecipient"), buttons: [[turn.cancelButton]])
        }
        findRecipient(text, amount: nil, &turn)
    }

    private mutating func findRecipient(_ text: String, amount: Rupiah?, _ turn: inout Turn) {
        guard let handle = Self.recipientHandle(text) else {
            enter(.enteringTransferRecipient)
            return turn.send(turn.context.text("transfer.invalidRecipient"), buttons: [[turn.cancelButton]])
        }
        enter(.findingRecipient(amount: amount))
        turn.effects.append(.findRecipient(handle))
    }

    /// The shop's answer about the recipient typed.
    mutating func recipientFound(_ recipient: Recipient?, _ turn: inout Turn) {
        guard case .findingRecipient(let amount) = state.step else { return }
        let context = turn.context
        guard let recipient else {
            enter(.enteringTransferRecipient)
            return turn.send(context.text("transfer.recipientNotFound"), buttons: [[turn.cancelButton]])
        }
        guard recipient.id != context.customer.id else {
            enter(.enteringTransferRecipient)
            return turn.send(context.text("transfer.toSelf"), buttons: [[turn.cancelButton]])
        }
        if let amount { return offerTransfer(TransferQuote(recipient: recipient, amount: amount), &turn) }
        enter(.enteringTransferAmount(recipient))
        let limits = context.transferLimits
        turn.send(context.text("transfer.askAmount", [
            "name": recipient.name, "who": recipient.handle, "min": context.money(limits.minimum),
            "max": context.money(limits.maximum), "balance": context.money(context.customer.balance),
        ]), buttons: [[turn.cancelButton]])
    }

    mutating func enterTransferAmount(_ text: String, recipient: Recipient, _ turn: inout Turn) {
        switch Self.amount(in: text, turn.context) {
        case .success(let amount): offerTransfer(TransferQuote(recipient: recipient, amount: amount), &turn)
        case .failure(let error):
            if startsNewRequest(text, &turn) { return }
            turn.send(turn.context.text(Self.amountErrorKey(error), ["min": turn.context.money(turn.context.transferLimits.minimum), "max": "-"]),
                      buttons: [[turn.cancelButton]])
        }
    }

    /// The confirmation, once the amount is within the limits and the balance.
    private mutating func offerTransfer(_ quote: TransferQuote, _ turn: inout Turn) {
        let context = turn.context, limits = context.transferLimits
        let retry = { (state: inout Conversation) in state.enter(.enteringTransferAmount(quote.recipient)) }
        guard quote.amount >= limits.minimum else {
            retry(&self)
            return turn.send(context.text("transfer.belowMinimum", ["min": context.money(limits.minimum)]), buttons: [[turn.cancelButton]])
        }
        guard quote.amount <= limits.maximum else {
            retry(&self)
            return turn.send(context.text("transfer.aboveMaximum", ["max": context.money(limits.maximum)]), buttons: [[turn.cancelButton]])
        }
        guard let after = context.customer.balance.subtracting(quote.amount) else {
            retry(&self)
            return turn.send(context.text("transfer.insufficient", ["balance": context.money(context.customer.balance)]),
                             buttons: [[Button(context.text("menu.deposit"), CallbackData.menu(.deposit)), turn.cancelButton]])
        }
        enter(.confirmingTransfer(quote))
        turn.send(context.text("transfer.confirm", [
            "name": quote.recipient.name, "who": quote.recipient.handle, "amount": context.money(quote.amount),
            "balance": context.money(context.customer.balance), "after": context.money(after),
        ]), buttons: [[button(context.text("button.transfer"), .confirm), turn.cancelButton]])
    }
}
