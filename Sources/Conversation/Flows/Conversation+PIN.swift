import Foundation
import Money

/// The transaction PIN: `/pin` sets or changes it; payouts, transfers and purchases above the
/// owner's amount ask for it on a keypad whose digits never show in the chat (the keypad's
/// message turns them into dots), or typed (that message is deleted).
extension Conversation {
    /// A PIN is six digits.
    public static let pinLength = 6

    /// `/pin`: a first PIN, or a new one once the old one is given.
    mutating func startPIN(_ turn: inout Turn) {
        switch turn.context.customer.pin {
        case .none: askPIN(.new, &turn)
        case .set: askPIN(.unlock(.changePIN), &turn)
        case .locked(let until): pinLocked(until, &turn)
        }
    }

    /// Whether the customer may start a PIN-protected flow (payout, transfer) now; when not,
    /// says why: no PIN yet (with a button to set one), or locked.
    mutating func mayStartProtected(_ turn: inout Turn) -> Bool {
        switch turn.context.customer.pin {
        case .set: return true
        case .none:
            reset()
            turn.send(turn.context.text("pin.required"), buttons: [[createPINButton(turn.context), turn.menuButton]])
        case .locked(let until): pinLocked(until, &turn)
        }
        return false
    }

    /// Does `purpose` now when it needs no PIN, otherwise asks for the PIN first.
    mutating func authorize(_ purpose: PINPurpose, _ turn: inout Turn) {
        guard Self.needsPIN(purpose, turn.context) else { return perform(purpose, &turn) }
        guard mayStartProtected(&turn) else { return }
        askPIN(.unlock(purpose), &turn)
    }

    static func needsPIN(_ purpose: PINPurpose, _ context: ConversationContext) -> Bool {
        switch purpose {
        case .payout, .transfer, .changePIN: return true
        case .purchase(let quote): return context.pinAbove.map { quote.price > $0 } ?? false
        case .bill(let quote): return context.pinAbove.map { quote.total > $0 } ?? false
        }
    }

    /// The action the PIN unlocked.
    mutating func perform(_ purpose: PINPurpose, _ turn: inout Turn) {
        switch purpose {
        case .purchase(let quote): placePurchase(quote, &turn)
        case .bill(let quote):
            reset()
            turn.effects.append(.payBill(quote))
        case .payout(let quote):
            reset()
            turn.effects.append(.createPayout(quote))
        case .transfer(let quote):
            reset()
            turn.effects.append(.transfer(quote))
        case .changePIN: askPIN(.new, &turn)
        }
    }

    /// A new keypad message for `request`, with `note` above it.
    mutating func askPIN(_ request: PINRequest, note: String? = nil, _ turn: inout Turn) {
        enter(.enteringPIN(request, entered: ""))
        turn.send(pinPrompt(request, entered: 0, note: note, turn.context), buttons: keypad(turn))
    }

    private func pinPrompt(_ request: PINRequest, entered: Int, note: String? = nil, _ context: ConversationContext) -> String {
        let key: String
        switch request {
        case .unlock(.changePIN): key = "pin.askOld"
        case .unlock: key = "pin.ask"
        case .new: key = "pin.askNew"
        case .repeatNew: key = "pin.askRepeat"
        }
        let dots = String(repeating: "●", count: entered) + String(repeating: "○", count: Self.pinLength - entered)
        return (note.map { $0 + "\n\n" } ?? "") + context.text(key) + "\n\n<code>" + dots + "</code>"
    }

    /// Digits 1–9, then erase, 0 and cancel.
    private func keypad(_ turn: Turn) -> [[Button]] {
        let digits = [[1, 2, 3], [4, 5, 6], [7, 8, 9]].map { row in row.map { button(String($0), .digit($0)) } }
        return digits + [[button("⌫", .erase), button("0", .digit(0)), turn.cancelButton]]
    }

    /// A key pressed on the keypad: the keypad's message shows one more (or one fewer) dot; the
    /// sixth digit completes the PIN. The generation stays, so the same keypad keeps working.
    mutating func pressKey(_ action: CallbackData.Action, request: PINRequest, entered: String, _ turn: inout Turn) {
        var digits = entered
        switch action {
        case .digit(let digit) where (0...9).contains(digit): digits.append(String(digit))
        case .erase: digits = String(digits.dropLast())
        case .digit, .option, .page, .confirm: return sessionExpired(&turn)
        }
        let context = turn.context
        guard digits.count == Self.pinLength else {
            stay(.enteringPIN(request, entered: digits))
            let prompt = pinPrompt(request, entered: digits.count, context)
            // Without the keypad's message id (never from Telegram) a new keypad is sent instead.
            return turn.effects.append(.send(Reply(prompt, buttons: keypad(turn), editing: context.messageID)))
        }
        if let keypadMessage = context.messageID {
            turn.effects.append(.send(Reply(pinPrompt(request, entered: digits.count, context), editing: keypadMessage)))
        }
        pinEntered(digits, request, &turn)
    }

    /// Text typed while the keypad waits: six digits are the PIN (and the message is deleted,
    /// as is any other run of digits, which may be a mistyped PIN).
    mutating func typedPIN(_ text: String, request: PINRequest, _ turn: inout Turn) {
        let typed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !typed.isEmpty, typed.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            if startsNewRequest(text, &turn) { return }
            return turn.send(turn.context.text("pin.useKeypad"), buttons: [[turn.cancelButton]])
        }
        if let message = turn.context.messageID { turn.effects.append(.deleteMessage(message)) }
        guard typed.count == Self.pinLength else {
            return turn.send(turn.context.text("pin.sixDigits"), buttons: [[turn.cancelButton]])
        }
        pinEntered(typed, request, &turn)
    }

    /// Exactly six ASCII digits, however spaced around.
    static func isPINShaped(_ text: String) -> Bool {
        let typed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return typed.count == pinLength && typed.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// A whole PIN, from the keypad or typed.
    mutating func pinEntered(_ pin: String, _ request: PINRequest, _ turn: inout Turn) {
        // Digits typed before a restart are gone (only placeholders were saved): start over,
        // without checking anything.
        let whole = { (digits: String) in digits.allSatisfy { $0.isASCII && $0.isNumber } }
        var lost = !whole(pin)
        if case .repeatNew(let first) = request, !whole(first) { lost = true }
        if lost {
            let again: PINRequest = if case .unlock = request { request } else { .new }
            return askPIN(again, note: turn.context.text("pin.interrupted"), &turn)
        }
        switch request {
        case .unlock(let purpose):
            enter(.verifyingPIN(purpose))
            turn.effects.append(.verifyPIN(pin))
        case .new:
            guard !PINRules.isWeak(pin) else { return askPIN(.new, note: turn.context.text("pin.weak"), &turn) }
            askPIN(.repeatNew(first: pin), &turn)
        case .repeatNew(let first):
            guard pin == first else { return askPIN(.new, note: turn.context.text("pin.mismatch"), &turn) }
            reset()
            turn.effects.append(.setPIN(pin))
        }
    }

    /// The shop's answer about the PIN given for the action waiting.
    mutating func pinChecked(_ verdict: PINVerdict, _ turn: inout Turn) {
        guard case .verifyingPIN(let purpose) = state.step else { return }
        switch verdict {
        case .accepted: perform(purpose, &turn)
        case .wrong(let remaining):
            askPIN(.unlock(purpose), note: turn.context.text("pin.wrong", ["remaining": String(remaining)]), &turn)
        case .locked(let until): pinLocked(until, &turn)
        case .notSet:
            reset()
            turn.send(turn.context.text("pin.required"), buttons: [[createPINButton(turn.context), turn.menuButton]])
        }
    }

    mutating func pinLocked(_ until: Date, _ turn: inout Turn) {
        reset()
        turn.send(turn.context.text("pin.locked", ["time": ShopHours.time(until)]), buttons: [[turn.menuButton]])
    }

    func createPINButton(_ context: ConversationContext) -> Button {
        Button(context.text("button.createPIN"), CallbackData.menu(.pin))
    }
}

/// What makes a PIN too easy to guess.
public enum PINRules {
    /// One digit repeated (`111111`) or a straight run up or down (`123456`, `987654`).
    public static func isWeak(_ pin: String) -> Bool {
        let digits = pin.compactMap(\.wholeNumberValue)
        guard digits.count == Conversation.pinLength else { return true }
        let steps = Set(zip(digits, digits.dropFirst()).map { $1 - $0 })
        return steps.count == 1 && [-1, 0, 1].contains(steps.first!)
    }
}
