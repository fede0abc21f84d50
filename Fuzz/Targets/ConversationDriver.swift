#if DEBUG || FUZZING
@testable import Conversation
#else
import Conversation
#endif
import Foundation
import Locales
import Money
import Telegram

/// A shop as the bot sees it: the real locale files, a catalogue with every category (and the
/// awkward entries a real Flowix catalogue has: an unavailable product, a prepaid product
/// without a price, names with `&` and `<`), deposit methods and banks over more than one page.
enum ShopFixture {
    static let strings: LocaleStrings = {
        do {
            return try LocaleLoader.load(from: LocaleLoader.defaultDirectory())
        } catch {
            Fuzz.fail("cannot load the locale files: \(error)")
        }
    }()

    static let start = Date(timeIntervalSince1970: 1_790_000_000)

    static let products: [ProductOffer] = [
        ProductOffer(code: "TSEL5", name: "Telkomsel 5.000", category: .pulsa, brand: "Telkomsel", sellPrice: Rupiah(5_900)),
        ProductOffer(code: "TSEL10", name: "Telkomsel 10.000", category: .pulsa, brand: "Telkomsel", sellPrice: Rupiah(11_000)),
        ProductOffer(code: "TSEL25", name: "Telkomsel 25.000", category: .pulsa, brand: "Telkomsel", sellPrice: Rupiah(25_350)),
        ProductOffer(code: "ISAT10", name: "Indosat 10.000", category: .pulsa, brand: "Indosat", sellPrice: Rupiah(11_300)),
        ProductOffer(code: "XL10", name: "XL 10.000", category: .pulsa, brand: "XL", sellPrice: Rupiah(11_150)),
        ProductOffer(code: "TRI10", name: "Tri 10.000", category: .pulsa, brand: "Tri", sellPrice: Rupiah(10_900)),
        ProductOffer(code: "SMART10", name: "Smartfren 10.000", category: .pulsa, brand: "Smartfren", sellPrice: nil),
        ProductOffer(code: "TSELD5GB", name: "Telkomsel Data 5GB", category: .data, brand: "Telkomsel", sellPrice: Rupiah(52_500)),
        ProductOffer(code: "XLD6GB", name: "XL Xtra Combo 6GB", category: .data, brand: "XL", sellPrice: Rupiah(48_500), isAvailable: false),
        ProductOffer(code: "DANA50", name: "Saldo DANA 50.000", category: .emoney, brand: "DANA", sellPrice: Rupiah(51_400)),
        ProductOffer(code: "OVO100", name: "OVO 100.000", category: .emoney, brand: "OVO", sellPrice: Rupiah(101_500)),
        ProductOffer(code: "ML86", name: "Mobile Legends 86 Diamond", category: .game, brand: "Mobile Legends", sellPrice: Rupiah(20_400)),
        ProductOffer(code: "FF70", name: "Free Fire 70 Diamond", category: .game, brand: "Free Fire", sellPrice: Rupiah(9_800)),
        ProductOffer(code: "GPLAY20", name: "Google Play 20.000 & Bonus <Spesial>", category: .game, brand: "Google Play",
                     sellPrice: Rupiah(21_000)),
        ProductOffer(code: "PLN20", name: "Token PLN 20.000", category: .pln, brand: "PLN", sellPrice: Rupiah(20_700)),
        ProductOffer(code: "PLN50", name: "Token PLN 50.000", category: .pln, brand: "PLN", sellPrice: Rupiah(50_700)),
        ProductOffer(code: "PLN1JT", name: "Token PLN 1.000.000", category: .pln, brand: "PLN", sellPrice: Rupiah(1_000_500)),
        ProductOffer(code: "PLNPOST", name: "PLN Pascabayar", category: .bill, brand: "PLN", sellPrice: nil),
        ProductOffer(code: "BPJSKES", name: "BPJS Kesehatan", category: .bill, brand: "BPJS", sellPrice: nil),
        ProductOffer(code: "PDAMSBY", name: "PDAM Surabaya", category: .bill, brand: "PDAM", sellPrice: nil),
    ] + (1...12).map {
        ProductOffer(code: "AXIS\($0)", name: "Axis \($0).000", category: .pulsa, brand: "Axis", sellPrice: Rupiah(Int64(1_000 * $0 + 150)))
    }

    static let depositOptions = [
        DepositOption(code: "QRISFAST", name: "QRIS Fast", minimum: Rupiah(1_000)!, maximum: Rupiah(2_000_000)!, fee: .zero, isQRIS: true),
        DepositOption(code: "QRIS", name: "QRIS (All Payment)", minimum: Rupiah(1_000)!, maximum: Rupiah(5_000_000)!, fee: Rupiah(700)!,
                      isQRIS: true),
        DepositOption(code: "BCAVA", name: "BCA Virtual Account", minimum: Rupiah(10_000)!, maximum: Rupiah(50_000_000)!,
                      fee: Rupiah(4_000)!, isQRIS: false),
    ]

    static let banks = [
        BankOption(code: "BCA", name: "BANK CENTRAL ASIA", isEWallet: false),
        BankOption(code: "BRI", name: "BANK RAKYAT INDONESIA", isEWallet: false),
        BankOption(code: "MANDIRI", name: "BANK MANDIRI", isEWallet: false),
        BankOption(code: "BNI", name: "BANK NEGARA INDONESIA", isEWallet: false),
        BankOption(code: "CIMB", name: "CIMB NIAGA", isEWallet: false),
        BankOption(code: "PERMATA", name: "BANK PERMATA", isEWallet: false),
        BankOption(code: "BSI", name: "BANK SYARIAH INDONESIA", isEWallet: false),
        BankOption(code: "JAGO", name: "BANK JAGO", isEWallet: false),
        BankOption(code: "DANA", name: "DANA", isEWallet: true),
        BankOption(code: "OVO", name: "OVO", isEWallet: true),
        BankOption(code: "GOPAY", name: "GoPay", isEWallet: true),
    ]
}

/// Drives a ``Conversation`` the way the bot does, one input at a time, and checks every turn.
///
/// A script is one input per line (`\n` inside a line is a newline in the text):
///
/// | line | input |
/// |---|---|
/// | `t <text>` or any other line | the customer types `<text>` |
/// | `b <data>` | a button with this `callback_data` |
/// | `p <n>` | presses button `n` (mod the count) of the latest keyboard |
/// | `B <amount>` | the bill answer (`Input.billChecked`) for the bill being checked |
/// | `A <name>` | the account answer (`Input.accountInquired`) for the account being checked |
/// | `F <reason>` | Flowix refused the lookup (`Input.lookupFailed`) |
/// | `@` / `L` / `W` | toggles owner rights / the language / the right to withdraw |
/// | `$ <n>` | the balance becomes `n` rupiah |
/// | `N <name>` | the customer's first name |
/// | `T <seconds>` | the clock moves on |
/// | `R` | the last purchase is remembered as recent (for "transaksi ganda?") |
/// | `K` | cycles the customer's PIN: set, none, locked |
///
/// As in the bot, a PIN or a recipient the conversation asks about is answered in the same
/// turn: the PIN `246810` is right and any other wrong; `@siti` and `7` are a member.
struct ConversationDriver {
    var conversation: Conversation
    var now = ShopFixture.start
    var customer = Customer(id: 42, firstName: "Budi", level: "member", isAdmin: false, canWithdraw: true, balance: Rupiah(150_000)!,
                            pin: .set)
    var language = Language.id
    var recent: [RecentPurchase] = []
    var lastPurchase: PurchaseQuote?
    /// The keyboard of the latest reply that had one.
    var keyboard: [Button] = []
    /// Whether to check what the effects ask for against the shop (off for states from arbitrary JSON).
    var checkEffects: Bool
    /// Whether to also save and reload the state and press every new button after each turn
    /// (the slow checks; off where a target runs many short chats per input).
    var thorough: Bool

    init(state: ConversationState = ConversationState(updatedAt: ShopFixture.start), checkEffects: Bool = true, thorough: Bool = true) {
        conversation = Conversation(state: state)
        self.checkEffects = checkEffects
        self.thorough = thorough
    }

    var context: ConversationContext {
        ConversationContext(now: now, customer: customer, language: language, strings: ShopFixture.strings,
                            products: ShopFixture.products, recentPurchases: recent, depositOptions: ShopFixture.depositOptions,
                            banks: ShopFixture.banks, pinAbove: Self.pinAbove, messageID: 77)
    }

    /// Purchases above this ask for the PIN.
    static let pinAbove = Rupiah(50_000)!
    static let rightPIN = "246810"

    /// Runs every line of `script`.
    mutating func run(script: String) {
        for line in script.split(separator: "\n", omittingEmptySubsequences: false).prefix(200) {
            apply(line: line)
        }
    }

    mutating func apply(line: Substring) {
        let kind = line.first.map(String.init) ?? ""
        let argument = line.count >= 2 && line.dropFirst().first == " " ? String(line.dropFirst(2)) : nil
        let isCommand = line.count == 1 || argument != nil
        switch (kind, isCommand) {
        case ("t", true): handle(.text(Self.typed(argument ?? "")))
        case ("b", true): handle(.button(argument ?? ""))
        case ("p", true):
            guard !keyboard.isEmpty else { return handle(.text("1")) }
            let index = Int(argument ?? "0").map { (($0 % keyboard.count) + keyboard.count) % keyboard.count } ?? 0
            handle(.button(keyboard[index].data))
        case ("B", true): billAnswer(argument ?? "")
        case ("A", true): accountAnswer(argument ?? "")
        case ("F", true): serviceAnswer(.lookupFailed(reason: argument ?? ""), awaited: awaitsLookup)
        case ("@", true): customer.isAdmin.toggle()
        case ("L", true): language = language == .id ? .en : .id
        case ("W", true): customer.canWithdraw.toggle()
        case ("$", true): customer.balance = Rupiah(Self.number(argument, default: 0) % 2_000_000_000) ?? .zero
        case ("N", true): customer.firstName = argument ?? ""
        case ("T", true): now += TimeInterval(min(max(Int64(argument ?? "") ?? 60, 0), 10 * 365 * 86_400))
        case ("K", true):
            switch customer.pin {
            case .set: customer.pin = .none
            case .none: customer.pin = .locked(until: now.addingTimeInterval(900))
            case .locked: customer.pin = .set
            }
        case ("R", true):
            if let quote = lastPurchase { recent.append(RecentPurchase(productCode: quote.productCode, target: quote.target, at: now)) }
        default: handle(.text(Self.typed(String(line))))
        }
    }

    /// A script line as the customer's message: `\n` escapes become newlines.
    static func typed(_ line: String) -> String {
        telegramText(line.replacingOccurrences(of: "\\n", with: "\n"))
    }

    /// Text as Telegram delivers it: at most 4096 UTF-16 units.
    static func telegramText(_ text: String) -> String {
        guard text.utf16.count > 4096 else { return text }
        var result = ""
        var units = 0
        for character in text {
            units += character.utf16.count
            if units > 4096 { break }
            result.append(character)
        }
        return result
    }

    /// A non-negative number from the script (its magnitude), or `default`.
    static func number(_ text: String?, default value: Int64) -> Int64 {
        guard let text, let number = Int64(text) else { return value }
        return Int64(number.magnitude % UInt64(Int64.max))
    }

    /// Whether a step waits for a lookup's answer (and the session has not expired meanwhile).
    var awaitsLookup: Bool {
        switch conversation.state.step {
        case .awaitingBill, .awaitingAccount: return isLive
        default: return false
        }
    }

    /// `false` once the session timed out: the conversation then forgets the step it was in.
    var isLive: Bool { now.timeIntervalSince(conversation.state.updatedAt) <= context.sessionTimeout }

    mutating func billAnswer(_ argument: String) {
        let words = argument.split(separator: " ")
        var code = "PLNPOST"
        var awaited = false
        if case .awaitingBill(let waiting) = conversation.state.step { code = waiting; awaited = isLive }
        let amount = Rupiah(Self.number(words.first.map(String.init), default: 125_000) % (Rupiah.maximum.value + 1)) ?? .zero
        let fee = Rupiah(Self.number(words.dropFirst().first.map(String.init), default: 2_500) % (Rupiah.maximum.value + 1)) ?? .zero
        let total = amount.adding(fee).flatMap { $0.adding(Rupiah(500)!) } ?? .maximum
        let name = words.count > 2 ? words.dropFirst(2).joined(separator: " ") : "BUDI <SANTOSO> & KEL"
        let quote = BillQuote(productCode: code, productName: ShopFixture.products.first { $0.code == code }?.name ?? code,
                              customerNumber: "512345678901", customerName: name, period: "2026-10", billAmount: amount,
                              adminFee: fee, total: total, inquiryID: "INQ-\(amount.value)")
        serviceAnswer(.billChecked(quote), awaited: awaited)
    }

    mutating func accountAnswer(_ argument: String) {
        var bank = "BCA"
        var awaited = false
        if case .awaitingAccount(let waiting) = conversation.state.step { bank = waiting; awaited = isLive }
        let account = PayoutAccount(bankCode: bank, bankName: ShopFixture.banks.first { $0.code == bank }?.name ?? bank,
                                    accountNumber: "1234567890", accountName: argument.isEmpty ? "BUDI SANTOSO" : argument)
        serviceAnswer(.accountInquired(account), awaited: awaited)
    }

    /// A service's answer to an earlier effect. Silence is documented for an answer no step
    /// waits for any more (late, repeated, for another bill or bank, or after the session expired).
    mutating func serviceAnswer(_ input: Input, awaited: Bool) {
        let effects = conversation.handle(input, context: context)
        if awaited { Fuzz.check(!effects.isEmpty, "no effect for \(input) while waiting for it") }
        checkTurn(effects, input: input)
    }

    /// A customer's message or button press: it always gets an answer. Questions are answered
    /// within the turn, as the bot's processor does.
    mutating func handle(_ input: Input) {
        var effects = conversation.handle(input, context: context)
        Fuzz.check(!effects.isEmpty, "no effect for \(input) in \(conversation.state.step)")
        var unlocked = false, asked = 0
        while let index = effects.firstIndex(where: \.isQuestion), asked < 4 {
            let question = effects.remove(at: index)
            asked += 1
            let answer: Input
            switch question {
            case .verifyPIN(let pin):
                Fuzz.check(pin.count == Conversation.pinLength && pin.allSatisfy { $0.isASCII && $0.isNumber }, "PIN \(pin.debugDescription) asked about")
                Fuzz.check(customer.pin == .set, "a PIN checked for a customer whose PIN is \(customer.pin)")
                unlocked = pin == Self.rightPIN
                answer = .pinChecked(unlocked ? .accepted : .wrong(remaining: 2))
            case .findRecipient(let handle):
                Fuzz.check(Conversation.recipientHandle(handle) == handle, "recipient \(handle.debugDescription) is no id or @username")
                answer = .recipientFound(["@siti", "7"].contains(handle.lowercased()) ? Recipient(id: 7, name: "Siti <&> Aminah", username: "siti") : nil)
            case .send, .purchase, .checkBill, .payBill, .createDeposit, .inquireAccount, .createPayout, .showHistory, .lookupOrder,
                 .showReceipt, .cancelDeposit, .checkDeposit, .setLanguage, .admin, .setPIN, .deleteMessage, .transfer:
                Fuzz.fail("\(question) is no question")
            }
            effects.insert(contentsOf: conversation.handle(answer, context: context), at: index)
        }
        Fuzz.check(!effects.contains(where: \.isQuestion), "a question left unanswered after \(asked) in one turn")
        for effect in effects where Self.needsPIN(effect) {
            Fuzz.check(unlocked, "\(effect) without the right PIN in the turn")
        }
        checkTurn(effects, input: input)
    }

    /// Whether `effect` may only follow the right PIN in its turn: payouts, transfers, and
    /// purchases and bills above the PIN amount.
    static func needsPIN(_ effect: Effect) -> Bool {
        switch effect {
        case .createPayout, .transfer: return true
        case .purchase(let quote): return quote.price > pinAbove
        case .payBill(let quote): return quote.total > pinAbove
        case .send, .checkBill, .createDeposit, .inquireAccount, .showHistory, .lookupOrder, .showReceipt, .cancelDeposit, .checkDeposit,
             .setLanguage, .admin, .verifyPIN, .setPIN, .deleteMessage, .findRecipient:
            return false
        }
    }

    // MARK: What every turn must satisfy

    mutating func checkTurn(_ effects: [Effect], input: Input) {
        let context = self.context
        for effect in effects {
            switch effect {
            case .send(let reply): check(reply, input: input)
            case .purchase(let quote):
                lastPurchase = quote
                if checkEffects { checkPurchase(quote, context) }
            default: if checkEffects { checkEffect(effect, context) }
            }
        }
        let replies = effects.compactMap { effect -> Reply? in if case .send(let reply) = effect { return reply } else { return nil } }
        let shown = replies.last(where: { !$0.buttons.isEmpty })?.buttons.flatMap { $0 }
        if let shown { keyboard = shown }
        guard thorough else { return }
        // The state is saved as JSON between messages: it must come back the same.
        do {
            let data = try JSONEncoder().encode(conversation.state)
            let decoded = try JSONDecoder().decode(ConversationState.self, from: data)
            Fuzz.check(decoded == conversation.state, "state does not survive JSON: \(conversation.state)")
        } catch {
            Fuzz.fail("state \(conversation.state) cannot be saved: \(error)")
        }
        if let shown { checkLiveButtons(shown, context) }
    }

    func check(_ reply: Reply, input: Input) {
        Fuzz.check(!reply.text.isEmpty, "empty reply to \(input)")
        if let problem = TelegramHTML.problem(in: reply.text) {
            Fuzz.fail("reply to \(input) is not valid Telegram HTML (\(problem)): \(reply.text.prefix(300).debugDescription)")
        }
        // What the sender sends: parts within Telegram's limit, each valid, nothing lost.
        if reply.text.utf16.count > MessageParts.textLimit {
            MessagePartsTarget.checkSplit(reply.text, firstLimit: MessageParts.textLimit, limit: MessageParts.textLimit)
        }
        let buttons = reply.buttons.flatMap { $0 }
        Fuzz.check(buttons.count <= 100, "\(buttons.count) buttons in one keyboard")
        for button in buttons {
            Fuzz.check(!button.title.isEmpty, "a button without a title in the reply to \(input)")
            Fuzz.check((1...64).contains(button.data.utf8.count), "callback_data \(button.data.debugDescription) is not 1–64 bytes")
        }
    }

    /// Every button of the step just shown works: pressing it (on a copy) does not say the
    /// session expired.
    func checkLiveButtons(_ keyboard: [Button], _ context: ConversationContext) {
        let expired = context.strings.text("session.expired", context.language)
        for button in keyboard where button.data.first?.isNumber == true || button.data.first == "-" {
            var copy = conversation
            let effects = copy.handle(.button(button.data), context: context)
            let stale = effects.contains { if case .send(let reply) = $0 { return reply.text == expired } else { return false } }
            Fuzz.check(!stale, "button \(button.title.debugDescription) (\(button.data)) of the step just shown is stale in \(conversation.state.step)")
        }
    }

    func checkPurchase(_ quote: PurchaseQuote, _ context: ConversationContext) {
        guard let product = ShopFixture.products.first(where: { $0.code == quote.productCode }) else {
            Fuzz.fail("purchase of unknown product \(quote.productCode)")
        }
        Fuzz.check(product.isAvailable && product.category != .bill, "purchase of \(product.code), which cannot be bought")
        Fuzz.check(quote.price == product.sellPrice, "purchase of \(product.code) at \(quote.price), its price is \(product.sellPrice.map(\.description) ?? "none")")
        let target = TargetValidator.validate(quote.target, as: product.targetKind)
        Fuzz.check(target == .success(quote.target), "purchase of \(product.code) for \(quote.target.debugDescription), which validates as \(target)")
    }

    func checkEffect(_ effect: Effect, _ context: ConversationContext) {
        switch effect {
        case .checkBill(let code, let number):
            guard let product = ShopFixture.products.first(where: { $0.code == code }), product.category == .bill else {
                Fuzz.fail("bill check for \(code), which is not a bill")
            }
            let valid = TargetValidator.validate(number, as: product.targetKind)
            Fuzz.check(valid == .success(number), "bill check of \(code) for \(number.debugDescription), which validates as \(valid)")
        case .payBill(let quote):
            Fuzz.check(ShopFixture.products.contains { $0.code == quote.productCode && $0.category == .bill }, "paying \(quote.productCode)")
        case .createDeposit(let amount, let method):
            guard let option = ShopFixture.depositOptions.first(where: { $0.code == method }) else { Fuzz.fail("deposit by unknown method \(method)") }
            Fuzz.check(option.minimum <= amount && amount <= option.maximum, "deposit of \(amount) by \(method)")
        case .inquireAccount(let bank, let number):
            Fuzz.check(ShopFixture.banks.contains { $0.code == bank } && !number.isEmpty, "account inquiry \(bank) \(number)")
        case .createPayout(let quote):
            Fuzz.check(quote.amount >= context.payoutMinimum && quote.total != nil, "payout of \(quote.amount)")
            Fuzz.check(ShopFixture.banks.contains { $0.code == quote.account.bankCode }, "payout to \(quote.account.bankCode)")
        case .lookupOrder(let reference), .showReceipt(let reference), .cancelDeposit(let reference), .checkDeposit(let reference):
            Fuzz.check(!reference.isEmpty, "\(effect) without a reference")
        case .admin(let command):
            Fuzz.check(context.customer.isAdmin, "owner command \(command) for a customer")
            CommandParserTarget.checkAdmin(command, typed: "conversation")
        case .setPIN(let pin):
            Fuzz.check(pin.count == Conversation.pinLength && !PINRules.isWeak(pin), "PIN \(pin.debugDescription) set")
        case .deleteMessage(let message): Fuzz.check(message == 77, "deleting message \(message), not the one typed")
        case .transfer(let quote):
            let limits = context.transferLimits
            Fuzz.check(quote.amount >= limits.minimum && quote.amount <= limits.maximum && quote.amount <= context.customer.balance,
                       "transfer of \(quote.amount) with a balance of \(context.customer.balance)")
            Fuzz.check(quote.recipient.id != context.customer.id, "a transfer to oneself")
        case .verifyPIN, .findRecipient: Fuzz.fail("\(effect) left unanswered")
        case .send, .purchase, .showHistory, .setLanguage: break
        }
    }
}
