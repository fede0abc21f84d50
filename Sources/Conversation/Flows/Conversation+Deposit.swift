import Money

extension Conversation {
    /// `/deposit [jumlah]`: the amount, then a method whose range covers it (QRIS first).
    mutating func startDeposit(amount: String?, _ turn: inout Turn) {
        guard !turn.context.depositOptions.isEmpty else { return turn.send(turn.context.text("deposit.unavailable")) }
        guard let amount else {
            enter(.enteringDepositAmount)
            let (minimum, maximum) = depositRange(turn.context)
            return turn.send(turn.context.text("deposit.askAmount", ["min": turn.context.money(minimum), "max": turn.context.money(maximum)]),
                             buttons: [[turn.cancelButton]])
        }
        enterDepositAmount(amount, &turn)
    }

    mutating func enterDepositAmount(_ text: String, _ turn: inout Turn) {
        let context = turn.context
        let (minimum, maximum) = depositRange(context)
        switch Self.amount(in: text, turn.context) {
        case .failure(let error):
            if startsNewRequest(text, purchases: false, &turn) { return }
            enter(.enteringDepositAmount)
            turn.send(context.text(Self.amountErrorKey(error), ["min": context.money(minimum), "max": context.money(maximum)]),
                      buttons: [[turn.cancelButton]])
        case .success(let amount): offerDepositMethods(amount, &turn)
        }
    }

    /// The methods whose range covers `amount`, QRIS first; the amount again when none does.
    mutating func offerDepositMethods(_ amount: Rupiah, _ turn: inout Turn) {
        let context = turn.context
        guard !context.depositOptions.isEmpty else { return turn.send(context.text("deposit.unavailable")) }
        let (minimum, maximum) = depositRange(context)
        let methods = context.depositOptions
            .filter { $0.minimum <= amount && amount <= $0.maximum }
            .sorted { ($0.isQRIS ? 0 : 1, $0.name) < ($1.isQRIS ? 0 : 1, $1.name) }
        guard !methods.isEmpty else {
            enter(.enteringDepositAmount)
            return turn.send(context.text("deposit.outOfRange", ["min": context.money(minimum), "max": context.money(maximum)]),
                             buttons: [[turn.cancelButton]])
        }
        enter(.choosingDepositMethod(amount: amount, codes: methods.map(\.code)))
        var rows = methods.enumerated().map { index, method in
            [button(context.text("deposit.methodButton", ["name": method.name, "fee": context.money(method.fee)]), .option(index))]
        }
        rows.append([turn.cancelButton])
        turn.send(context.text("deposit.chooseMethod", ["amount": context.money(amount)]), buttons: rows)
    }

    private func depositRange(_ context: ConversationContext) -> (Rupiah, Rupiah) {
        (context.depositOptions.map(\.minimum).min() ?? .zero, context.depositOptions.map(\.maximum).max() ?? .zero)
    }

    /// An amount typed where one is asked for: `50rb`, and also `75 ribu kak`, `lima puluh ribu`,
    /// `deposit 100rb`. Words alone (`lima puluh`) are no amount: a unit must say it is money.
    static func amount(in text: String, _ context: ConversationContext) -> Result<Rupiah, AmountError> {
        let parsed = AmountParser.parse(text)
        guard case .failure = parsed else { return parsed }
        let utterance = context.read(text)
        // "100rb dana", "50rb ke bca": the bank or e-wallet named beside the amount is where it goes.
        guard utterance.destinationParts.isEmpty, utterance.category == nil || utterance.category == .emoney, !utterance.mentionsPLN,
              !utterance.conflicting, let amount = utterance.amount.flatMap(Rupiah.init) else {
            return parsed
        }
        return .success(amount)
    }

    static func amountErrorKey(_ error: AmountError) -> String {
        switch error {
        case .empty, .notANumber: return "amount.invalid"
        case .zero: return "amount.zero"
        case .negative: return "amount.negative"
        case .fractional: return "amount.fractional"
        case .tooLarge: return "amount.tooLarge"
        }
    }
}
