import Foundation
import Money

/// The pure heart of the bot: `(state, input) -> (state, [effect])`.
///
/// Like Hummingbird's connection state machines, it is a plain struct whose mutating method
/// switches on the current step and returns what the caller must do; it does no I/O and reads
/// no clock but ``ConversationContext/now``.
public struct Conversation: Sendable {
    public private(set) var state: ConversationState

    public init(state: ConversationState) {
        self.state = state
    }

    /// Handles one input and returns the effects to perform, in order.
    public mutating func handle(_ input: Input, context: ConversationContext) -> [Effect] {
        var turn = Turn(context: context)
        let expired = state.step != .idle && context.now.timeIntervalSince(state.updatedAt) > context.sessionTimeout
        if expired {
            let wasPIN = switch state.step { case .enteringPIN, .verifyingPIN: true; default: false }
            state.step = .idle
            // A PIN typed at a keypad that timed out: deleted, never read as an amount or a number.
            if wasPIN, case .text(let text) = input, Self.isPINShaped(text) {
                if let message = context.messageID { turn.effects.append(.deleteMessage(message)) }
                sessionExpired(&turn)
                state.updatedAt = context.now
                return turn.effects
            }
        }
        switch input {
        case .text(let text): handleText(text, &turn)
        case .button(let data): handleButton(data, expired: expired, &turn)
        case .billChecked(let quote): billChecked(quote, &turn)
        case .accountInquired(let account): accountInquired(account, &turn)
        case .lookupFailed(let reason): lookupFailed(reason, &turn)
        case .pinChecked(let verdict): pinChecked(verdict, &turn)
        case .recipientFound(let recipient): recipientFound(recipient, &turn)
        }
        // Waiting for a lookup is not activity: the wait runs from when the lookup started.
        if !turn.waitedForLookup { state.updatedAt = context.now }
        return turn.effects
    }

    /// How long a bill check or account inquiry may go unanswered before typing again gives
    /// up on it (its answer was lost, e.g. in a restart): well past Flowix's timeout.
    public static let lookupPatience: TimeInterval = 90

    // MARK: Text

    private mutating func handleText(_ text: String, _ turn: inout Turn) {
        let command = CommandParser.parse(text, isAdmin: turn.context.customer.isAdmin)
        switch command {
        case .menu:
            // "/start" is the menu; a typed "halo" is a greeting, answered in kind.
            guard !text.hasPrefix("/") else { return showMenu(&turn) }
            let utterance = turn.context.read(text)
            if utterance.cues.contains(.greeting) { greet(utterance, &turn) } else { showMenu(&turn) }
        case .cancel: cancel(&turn)
        case .help: showHelp(&turn)
        case .balance: reset(); showBalance(&turn)
        case .history: reset(); turn.effects.append(.showHistory)
        case .lookup(let reference):
            // References are written in capitals; "lkt-…" typed on a phone means the same.
            if let reference { turn.effects.append(.lookupOrder(reference: reference.uppercased())) } else { turn.send(turn.context.text("lookup.usage")) }
        case .receipt(let reference):
            if let reference { turn.effects.append(.showReceipt(reference: reference.uppercased())) } else { turn.send(turn.context.text("receipt.usage")) }
        case .prices(let keyword): showPrices(keyword, &turn)
        case .language(let code): changeLanguage(code, &turn)
        case .quickBuy(let code, let target): reset(); quickBuy(code: code, target: target, &turn)
        case .bill(let code, let number): reset(); startBill(code: code, number: number, &turn)
        case .deposit(let amount): reset(); startDeposit(amount: amount, &turn)
        case .withdraw: reset(); startWithdraw(&turn)
        case .pin: reset(); startPIN(&turn)
        case .transfer(let recipient, let amount): startTransfer(recipient: recipient, amount: amount, &turn)
        case .admin(let parsed): admin(parsed, &turn)
        case .adminOnly: turn.send(turn.context.text("admin.denied"))
        case .unknownCommand: reset(); turn.send(turn.context.text("unknown.command")); showMenu(&turn)
        case .text(let text):
            if !stepInput(text, &turn) { freeText(text, &turn) }
        }
    }

    /// Gives typed text to the step waiting for it; `false` when no step waits for text.
    private mutating func stepInput(_ text: String, _ turn: inout Turn) -> Bool {
        switch state.step {
        case .enteringTarget(let code): enterTarget(text, productCode: code, &turn)
        case .enteringBillNumber(let code): enterBillNumber(text, productCode: code, &turn)
        case .enteringDepositAmount: enterDepositAmount(text, &turn)
        case .enteringAccountNumber(let bank): enterAccountNumber(text, bankCode: bank, &turn)
        case .enteringPayoutAmount(let account): enterPayoutAmount(text, account: account, &turn)
        case .enteringPIN(let request, _): typedPIN(text, request: request, &turn)
        case .enteringTransferRecipient: enterTransferRecipient(text, &turn)
        case .enteringTransferAmount(let recipient): enterTransferAmount(text, recipient: recipient, &turn)
        case .awaitingBill, .awaitingAccount:
            if turn.context.now.timeIntervalSince(state.updatedAt) > Self.lookupPatience {
                lookupFailed(turn.context.text("lookup.lost"), &turn)
            } else {
                turn.send(turn.context.text("flow.wait"))
                turn.waitedForLookup = true
            }
        default: return false
        }
        return true
    }

    // MARK: Buttons

    private mutating func handleButton(_ data: String, expired: Bool, _ turn: inout Turn) {
        if data == CallbackData.cancel { return cancel(&turn) }
        if let item = CallbackData.menuItem(data) { return menuItem(item, &turn) }
        if let reference = CallbackData.depositCancel(data) { return turn.effects.append(.cancelDeposit(reference: reference)) }
        if let reference = CallbackData.depositStatus(data) { return turn.effects.append(.checkDeposit(reference: reference)) }
        if let reference = CallbackData.receipt(data) { return turn.effects.append(.showReceipt(reference: reference)) }
        if let again = CallbackData.buyAgain(data) {
            reset()
            return quickBuy(code: again.code, target: again.target, repeating: true, &turn)
        }
        guard let (generation, action) = CallbackData.stateful(data), !expired, generation == state.generation else {
            return sessionExpired(&turn)
        }
        switch (state.step, action) {
        case (.choosingPhoneCategory(let target, let op), .option(let index)):
            productPicker(category: index == 0 ? .pulsa : .data, brand: op, target: target, &turn)
        case (.choosingBrand(let category, let brands, let target), .option(let index)) where brands.indices.contains(index):
            productPicker(category: category, brand: brands[index], target: target, &turn)
        case (.choosingProduct(let codes, _, let target), .option(let index)) where codes.indices.contains(index):
            chooseProduct(codes[index], target: target, &turn)
        case (.choosingProduct(let codes, _, let target), .page(let page)):
            showProducts(codes, page: page, target: target, &turn)
        case (.confirmingPurchase(let quote, let duplicate), .confirm): confirmPurchase(quote, duplicate: duplicate, &turn)
        case (.confirmingDuplicate(let quote), .confirm):
            if disrupted(quote.productCode, &turn) || closed(quote.productCode, &turn) { return }
            authorize(.purchase(quote), &turn)
        case (.choosingBill(let codes), .option(let index)) where codes.indices.contains(index):
            askBillNumber(codes[index], &turn)
        case (.confirmingBill(let quote), .confirm): payBill(quote, &turn)
        case (.choosingDepositMethod(let amount, let codes), .option(let index)) where codes.indices.contains(index):
            reset()
            turn.effects.append(.createDeposit(amount: amount, methodCode: codes[index]))
        case (.choosingBank(let codes, _), .option(let index)) where codes.indices.contains(index):
            askAccountNumber(codes[index], &turn)
        case (.choosingBank(let codes, _), .page(let page)): showBanks(codes, page: page, &turn)
        case (.confirmingPayout(let quote), .confirm): authorize(.payout(quote), &turn)
        case (.confirmingTransfer(let quote), .confirm): authorize(.transfer(quote), &turn)
        case (.enteringPIN(let request, let entered), .digit), (.enteringPIN(let request, let entered), .erase):
            pressKey(action, request: request, entered: entered, &turn)
        case (.choosingReading(let readings), .option(let index)) where readings.indices.contains(index):
            follow(readings[index], &turn)
        default: sessionExpired(&turn)
        }
    }

    private mutating func menuItem(_ item: MenuItem, _ turn: inout Turn) {
        reset()
        switch item {
        case .menu: showMenu(&turn)
        case .pulsa: brandPicker(.pulsa, target: nil, &turn)
        case .data: brandPicker(.data, target: nil, &turn)
        case .emoney: brandPicker(.emoney, target: nil, &turn)
        case .game: brandPicker(.game, target: nil, &turn)
        case .pln: brandPicker(.pln, target: nil, &turn)
        case .bill: startBill(code: nil, number: nil, &turn)
        case .deposit: startDeposit(amount: nil, &turn)
        case .withdraw: startWithdraw(&turn)
        case .transfer: startTransfer(recipient: nil, amount: nil, &turn)
        case .pin: startPIN(&turn)
        case .history: turn.effects.append(.showHistory)
        case .balance: showBalance(&turn)
        case .help: showHelp(&turn)
        }
    }

    // MARK: Shared steps

    /// Moves to `step` with a new generation, so buttons shown before stop working.
    mutating func enter(_ step: Step) {
        state.step = step
        state.generation += 1
    }

    /// Moves to `step` keeping the generation: the buttons shown stay valid (the PIN keypad).
    mutating func stay(_ step: Step) {
        state.step = step
    }

    mutating func reset() {
        state.step = .idle
    }

    /// A button for the current step.
    func button(_ title: String, _ action: CallbackData.Action) -> Button {
        Button(title, CallbackData.encode(generation: state.generation, action))
    }

    mutating func showMenu(_ turn: inout Turn) {
        reset()
        let context = turn.context
        turn.send(context.text("menu.title", ["name": context.customer.firstName, "balance": context.money(context.customer.balance)]),
                  buttons: MenuItem.keyboard(context))
    }

    mutating func cancel(_ turn: inout Turn) {
        reset()
        turn.send(turn.context.text("flow.cancelled"))
        showMenu(&turn)
    }

    mutating func sessionExpired(_ turn: inout Turn) {
        reset()
        turn.send(turn.context.text("session.expired"))
        showMenu(&turn)
    }

    mutating func showBalance(_ turn: inout Turn) {
        let context = turn.context
        turn.send(context.text("balance.show", ["balance": context.money(context.customer.balance)]),
                  buttons: [[Button(context.text("menu.deposit"), CallbackData.menu(.deposit)), turn.menuButton]])
    }

    private mutating func changeLanguage(_ code: String?, _ turn: inout Turn) {
        guard let code, let language = Language(rawValue: code) else {
            return turn.send(turn.context.text("language.usage"))
        }
        turn.effects.append(.setLanguage(language))
        turn.send(turn.context.strings.text("language.changed", language))
    }

    private mutating func admin(_ parsed: Result<AdminCommand, AdminUsage>, _ turn: inout Turn) {
        guard turn.context.customer.isAdmin else { return turn.send(turn.context.text("admin.denied")) }
        switch parsed {
        case .success(let command): turn.effects.append(.admin(command))
        case .failure(let usage): turn.send(turn.context.text(usage.key))
        }
    }

    mutating func showPrices(_ keyword: String?, _ turn: inout Turn) {
        let context = turn.context
        let needle = keyword?.lowercased()
        let products = context.products.filter { product in
            product.sellPrice != nil && (needle == nil
                || [product.name, product.brand, product.code, product.category.rawValue].contains { $0.lowercased().contains(needle!) })
        }
        listPrices(products, keyword: keyword ?? "", &turn)
    }

    /// Up to 40 products with their codes and sell prices, or "nothing matches `keyword`".
    mutating func listPrices(_ products: [ProductOffer], keyword: String, _ turn: inout Turn) {
        let context = turn.context
        let lines = products.compactMap { product in
            product.sellPrice.map {
                "<code>\(HTML.escape(product.code))</code> \(HTML.escape(product.name)) · "
                    + (product.isAvailable ? context.money($0) : context.text("prices.disrupted"))
            }
        }.prefix(40)
        guard !lines.isEmpty else { return turn.send(context.text("prices.none", ["keyword": HTML.excerpt(keyword)])) }
        turn.send(context.text("prices.title") + "\n" + lines.joined(separator: "\n"), buttons: [[turn.menuButton]])
    }
}

/// The effects of one input, built up as the input is handled.
struct Turn {
    let context: ConversationContext
    var effects: [Effect] = []
    /// The customer only asked after a lookup still running; the session's clock stays put.
    var waitedForLookup = false

    mutating func send(_ text: String, buttons: [[Button]] = []) {
        effects.append(.send(Reply(text, buttons: buttons)))
    }

    var menuButton: Button { Button(context.text("button.menu"), CallbackData.menu(.menu)) }
    var cancelButton: Button { Button(context.text("button.cancel"), CallbackData.cancel) }
}
