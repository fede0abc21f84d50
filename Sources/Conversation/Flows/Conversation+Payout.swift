import Money

extension Conversation {
    /// `/tarik`: bank or e-wallet, account number, holder's name, amount, confirmation.
    mutating func startWithdraw(_ turn: inout Turn) {
        let context = turn.context
        guard context.customer.canWithdraw else { return turn.send(context.text("payout.notAllowed")) }
        guard !context.banks.isEmpty else { return turn.send(context.text("payout.unavailable")) }
        guard mayStartProtected(&turn) else { return }
        let codes = context.banks.sorted { ($0.isEWallet ? 1 : 0, $0.name) < ($1.isEWallet ? 1 : 0, $1.name) }.map(\.code)
        showBanks(codes, page: 0, &turn)
    }

    mutating func showBanks(_ codes: [String], page: Int, _ turn: inout Turn) {
        let context = turn.context
        // A saved step always has banks; an empty list (a damaged session) is "unavailable".
        guard !codes.isEmpty else { return turn.send(context.text("payout.unavailable")) }
        let pages = (codes.count + Self.pageSize - 1) / Self.pageSize
        let page = min(max(page, 0), pages - 1)
        enter(.choosingBank(codes: codes, page: page))
        var rows: [[Button]] = []
        let shown = Array(page * Self.pageSize..<min((page + 1) * Self.pageSize, codes.count))
        for start in stride(from: 0, to: shown.count, by: 2) {
            rows.append(shown[start..<min(start + 2, shown.count)].compactMap { index in
                context.banks.first { $0.code == codes[index] }.map { button(bankName($0, context), .option(index)) }
            })
        }
        var navigation: [Button] = []
        if page > 0 { navigation.append(button(context.text("button.previous"), .page(page - 1))) }
        if page + 1 < pages { navigation.append(button(context.text("button.next"), .page(page + 1))) }
        if !navigation.isEmpty { rows.append(navigation) }
        rows.append([turn.cancelButton])
        turn.send(context.text("payout.chooseBank"), buttons: rows)
    }

    mutating func askAccountNumber(_ code: String, _ turn: inout Turn) {
        guard let bank = turn.context.banks.first(where: { $0.code == code }) else { return sessionExpired(&turn) }
        enter(.enteringAccountNumber(bankCode: code))
        turn.send(turn.context.text(bank.isEWallet ? "payout.askEWallet" : "payout.askAccount", ["bank": bankName(bank, turn.context)]),
                  buttons: [[turn.cancelButton]])
    }

    mutating func enterAccountNumber(_ text: String, bankCode: String, _ turn: inout Turn) {
        guard let bank = turn.context.banks.first(where: { $0.code == bankCode }) else { return sessionExpired(&turn) }
        func account(_ typed: String) -> String? {
            if bank.isEWallet { return (try? PhoneNumber.parse(typed).get())?.digits }
            let digits = typed.filter { !($0.isWhitespace || $0 == "-" || $0 == ".") }
            return digits.allSatisfy({ $0.isASCII && $0.isNumber }) && (5...20).contains(digits.count) ? digits : nil
        }
        // "dana 0812…", "ke bca 123 456 7890 ya": the number in the words, when the words name
        // this bank or nothing else.
        let utterance = turn.context.read(text)
        let inWords = utterance.bank?.code == bankCode || (utterance.bank == nil && utterance.category == nil)
            ? utterance.destination(for: nil).flatMap(account) : nil
        guard let number = account(text) ?? inWords else {
            if startsNewRequest(text, purchases: false, &turn) { return }
            return turn.send(turn.context.text(bank.isEWallet ? "target.invalid.phoneDigits" : "payout.invalidAccount"),
                             buttons: [[turn.cancelButton]])
        }
        enter(.awaitingAccount(bankCode: bankCode))
        turn.send(turn.context.text("payout.checking", ["bank": bankName(bank, turn.context), "number": number]))
        turn.effects.append(.inquireAccount(bankCode: bankCode, accountNumber: number))
    }

    mutating func accountInquired(_ account: PayoutAccount, _ turn: inout Turn) {
        guard case .awaitingAccount(let bank) = state.step, bank == account.bankCode else { return }
        let context = turn.context
        enter(.enteringPayoutAmount(account))
        turn.send(context.text("payout.accountFound", [
            "bank": account.bankName, "number": account.accountNumber, "name": account.accountName,
            "min": context.money(context.payoutMinimum), "fee": context.money(context.payoutFee),
            "balance": context.money(context.customer.balance),
        ]), buttons: [[turn.cancelButton]])
    }

    mutating func enterPayoutAmount(_ text: String, account: PayoutAccount, _ turn: inout Turn) {
        let context = turn.context
        switch Self.amount(in: text, context) {
        case .failure(let error):
            if startsNewRequest(text, purchases: false, &turn) { return }
            turn.send(context.text(Self.amountErrorKey(error), ["min": context.money(context.payoutMinimum), "max": "-"]),
                      buttons: [[turn.cancelButton]])
        case .success(let amount):
            guard amount >= context.payoutMinimum else {
                return turn.send(context.text("payout.belowMinimum", ["min": context.money(context.payoutMinimum)]),
                                 buttons: [[turn.cancelButton]])
            }
            let quote = PayoutQuote(account: account, amount: amount, fee: context.payoutFee)
            guard let total = quote.total, let after = context.customer.balance.subtracting(total) else {
                return turn.send(context.text("payout.insufficient", [
                    "balance": context.money(context.customer.balance), "fee": context.money(context.payoutFee),
                ]), buttons: [[turn.cancelButton]])
            }
            enter(.confirmingPayout(quote))
            turn.send(context.text("payout.confirm", [
                "bank": account.bankName, "number": account.accountNumber, "name": account.accountName,
                "amount": context.money(amount), "fee": context.money(quote.fee), "total": context.money(total),
                "balance": context.money(context.customer.balance), "after": context.money(after),
            ]), buttons: [[button(context.text("button.withdraw"), .confirm), turn.cancelButton]])
        }
    }

    /// The name people use for a bank or e-wallet (`BCA`, `Mandiri`, `DANA`).
    func bankName(_ bank: BankOption, _ context: ConversationContext) -> String {
        context.strings.vocabulary.bankName(code: bank.code, flowixName: bank.name)
    }
}
