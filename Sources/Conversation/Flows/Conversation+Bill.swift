import Money

extension Conversation {
    /// `/tagihan [KODE NOMOR]`: choose PLN, BPJS or PDAM, then the customer number.
    mutating func startBill(code: String?, number: String?, _ turn: inout Turn) {
        let context = turn.context
        // Bills in disruption are listed too, marked, and refused when chosen.
        let bills = context.products.filter { $0.category == .bill }.sorted { ($0.isAvailable ? 0 : 1, $0.name) < ($1.isAvailable ? 0 : 1, $1.name) }
        guard !bills.isEmpty else {
            turn.send(context.text("bill.none"))
            return showMenu(&turn)
        }
        if let code {
            guard let product = bills.first(where: { $0.code.caseInsensitiveCompare(code) == .orderedSame }) else {
                turn.send(context.text("bill.unknownCode", ["code": code]))
                return showBillChoice(bills, &turn)
            }
            if disrupted(product.code, &turn) || closed(product.code, &turn) { return }
            if let number { return enterBillNumber(number, productCode: product.code, &turn) }
            return askBillNumber(product.code, &turn)
        }
        showBillChoice(bills, &turn)
    }

    mutating func showBillChoice(_ bills: [ProductOffer], _ turn: inout Turn) {
        enter(.choosingBill(codes: bills.map(\.code)))
        var rows = bills.enumerated().map { index, bill in
            // A label is plain text: the name goes in unescaped.
            [button(bill.isAvailable ? bill.name : turn.context.text("products.disruptedButton").replacingOccurrences(of: "{product}", with: bill.name),
                    .option(index))]
        }
        rows.append([turn.cancelButton])
        turn.send(turn.context.text("bill.choose"), buttons: rows)
    }

    mutating func askBillNumber(_ code: String, _ turn: inout Turn) {
        guard let product = turn.context.product(code) else { return sessionExpired(&turn) }
        if disrupted(code, &turn) || closed(code, &turn) { return }
        enter(.enteringBillNumber(productCode: code))
        turn.send(turn.context.text(Self.targetPromptKey(product.targetKind), ["product": product.name]), buttons: [[turn.cancelButton]])
    }

    mutating func enterBillNumber(_ text: String, productCode: String, _ turn: inout Turn) {
        guard let product = turn.context.product(productCode) else { return sessionExpired(&turn) }
        if disrupted(productCode, &turn) || closed(productCode, &turn) { return }
        switch Self.destination(in: text, as: product.targetKind, turn.context) {
        case .success(let number):
            enter(.awaitingBill(productCode: productCode))
            turn.send(turn.context.text("bill.checking", ["product": product.name, "number": number]))
            turn.effects.append(.checkBill(productCode: productCode, customerNumber: number))
        case .failure(let error):
            if startsNewRequest(text, &turn) { return }
            enter(.enteringBillNumber(productCode: productCode))
            turn.send(turn.context.text(Self.targetErrorKey(error)), buttons: [[turn.cancelButton]])
        }
    }

    /// The bill Flowix found: name, period, amount, admin fee and our total, with Bayar and Batal.
    mutating func billChecked(_ quote: BillQuote, _ turn: inout Turn) {
        guard case .awaitingBill(let code) = state.step, code == quote.productCode else { return }
        let context = turn.context
        enter(.confirmingBill(quote))
        let after = context.customer.balance.subtracting(quote.total)
        var text = context.text("bill.details", [
            "product": quote.productName, "name": quote.customerName, "number": quote.customerNumber,
            "period": quote.period ?? "-", "bill": context.money(quote.billAmount), "admin": context.money(quote.adminFee),
            "total": context.money(quote.total), "balance": context.money(context.customer.balance),
            "after": after.map(context.money) ?? "-",
        ])
        var rows = [[button(context.text("button.pay"), .confirm), turn.cancelButton]]
        if after == nil {
            text += "\n\n" + context.text("purchase.insufficient")
            rows = [[Button(context.text("menu.deposit"), CallbackData.menu(.deposit)), turn.cancelButton]]
        }
        turn.send(text, buttons: rows)
    }

    mutating func payBill(_ quote: BillQuote, _ turn: inout Turn) {
        if disrupted(quote.productCode, &turn) || closed(quote.productCode, &turn) { return }
        authorize(.bill(quote), &turn)
    }

    /// Flowix refused a bill check or account inquiry: say why and let the customer retype.
    mutating func lookupFailed(_ reason: String, _ turn: inout Turn) {
        switch state.step {
        case .awaitingBill(let code):
            enter(.enteringBillNumber(productCode: code))
            turn.send(turn.context.text("bill.failed", ["reason": reason]), buttons: [[turn.cancelButton]])
        case .awaitingAccount(let bank):
            enter(.enteringAccountNumber(bankCode: bank))
            turn.send(turn.context.text("payout.accountFailed", ["reason": reason]), buttons: [[turn.cancelButton]])
        default: break
        }
    }
}
