import Conversation
import Foundation
import Money

/// What the bot did with one typed request, reduced to what a customer would notice: the step it
/// moved to, the effect it asked for, or the kind of answer it gave.
enum PhrasingOutcome: Equatable, CustomStringConvertible {
    /// The confirmation of a purchase: product code and destination.
    case confirm(String, String)
    /// The product is settled and its destination is asked for.
    case askTarget(String)
    /// A list of products to choose from (codes, in any order).
    case choose(Set<String>)
    /// The brands of a category to choose from.
    case brands(Category)
    /// A lone phone number: pulsa or data for its operator?
    case phoneCategory(String)
    /// What was asked for is not sold; the nearest real choices are offered (codes, any order).
    case unavailable(Set<String>)
    /// A `KODE.TUJUAN` whose code is not a product; the closest codes are offered.
    case unknownCode(Set<String>)
    /// The destination was refused, with the locale key of the reason.
    case invalidTarget(String)
    /// A bill is looked up: product code and customer number.
    case billCheck(String, String)
    /// The bill product is settled and its customer number is asked for.
    case askBill(String)
    /// PLN, BPJS or PDAM?
    case billChoice
    /// A deposit of this amount, choosing the method.
    case deposit(Int64)
    /// A deposit whose amount is asked for.
    case askDeposit
    /// A withdrawal, choosing the bank or e-wallet.
    case withdraw
    /// A withdrawal to this bank or e-wallet code, asking the account number.
    case withdrawTo(String)
    /// A withdrawal account is looked up: bank or e-wallet code and account number.
    case inquireAccount(String, String)
    case history
    /// The status of the order with this reference.
    case lookup(String)
    case balance
    case help
    /// A friendly answer to a greeting, with the menu.
    case greeting
    /// A friendly answer to thanks, with the menu.
    case thanks
    case menu
    /// A price list naming these product codes (any order).
    case prices(Set<String>)
    /// One short question with a button per reading of an ambiguous request.
    case question
    /// "Belum paham": nothing at all was understood.
    case notUnderstood
    /// Anything else, with the start of its text.
    case other(String)

    var description: String {
        switch self {
        case .confirm(let code, let target): return "confirm \(code) → \(target)"
        case .askTarget(let code): return "askTarget \(code)"
        case .choose(let codes): return "choose \(codes.sorted())"
        case .brands(let category): return "brands \(category)"
        case .phoneCategory(let target): return "phoneCategory \(target)"
        case .unavailable(let codes): return "unavailable, nearest \(codes.sorted())"
        case .unknownCode(let codes): return "unknownCode, closest \(codes.sorted())"
        case .invalidTarget(let key): return "invalidTarget \(key)"
        case .billCheck(let code, let number): return "billCheck \(code) \(number)"
        case .askBill(let code): return "askBill \(code)"
        case .billChoice: return "billChoice"
        case .deposit(let amount): return "deposit \(amount)"
        case .askDeposit: return "askDeposit"
        case .withdraw: return "withdraw"
        case .withdrawTo(let bank): return "withdrawTo \(bank)"
        case .inquireAccount(let bank, let number): return "inquireAccount \(bank) \(number)"
        case .history: return "history"
        case .lookup(let reference): return "lookup \(reference)"
        case .balance: return "balance"
        case .help: return "help"
        case .greeting: return "greeting"
        case .thanks: return "thanks"
        case .menu: return "menu"
        case .prices(let codes): return "prices \(codes.sorted())"
        case .question: return "question"
        case .notUnderstood: return "notUnderstood"
        case .other(let text): return "other: \(text.prefix(80))"
        }
    }

    /// Reads what happened from the effects of one message and the step the conversation is in after it.
    static func of(_ effects: [Effect], step: Step, strings: LocaleStrings) -> PhrasingOutcome {
        let text = FlowHarness.text(effects)
        func said(_ key: String) -> Bool { Self.said(key, in: text, strings: strings) }
        let invalidKeys = ["target.invalid.phoneDigits", "target.invalid.phoneLength", "target.invalid.phonePrefix",
                           "target.invalid.pln", "target.invalid.bpjs", "target.invalid.pdam", "target.invalid.game"]
        for effect in effects {
            if case .checkBill(let code, let number) = effect { return .billCheck(code, number) }
            if case .showHistory = effect { return .history }
            if case .lookupOrder(let reference) = effect { return .lookup(reference) }
            if case .inquireAccount(let bank, let number) = effect { return .inquireAccount(bank, number) }
        }
        if let key = invalidKeys.first(where: said) { return .invalidTarget(key) }
        switch step {
        case .confirmingPurchase(let quote, _): return .confirm(quote.productCode, quote.target)
        case .enteringTarget(let code): return .askTarget(code)
        case .choosingProduct(let codes, _, _):
            if said("quickbuy.unknownCode") { return .unknownCode(Set(codes)) }
            if said("search.unavailable") { return .unavailable(Set(codes)) }
            return .choose(Set(codes))
        case .choosingBrand(let category, _, _): return .brands(category)
        case .choosingPhoneCategory(let target, _): return .phoneCategory(target)
        case .enteringBillNumber(let code): return .askBill(code)
        case .choosingBill: return .billChoice
        case .choosingDepositMethod(let amount, _): return .deposit(amount.value)
        case .enteringDepositAmount: return .askDeposit
        case .choosingBank: return .withdraw
        case .choosingReading: return .question
        case .enteringAccountNumber(let bank): return .withdrawTo(bank)
        case .idle, .confirmingDuplicate, .awaitingBill, .confirmingBill, .awaitingAccount, .enteringPayoutAmount, .confirmingPayout,
             .enteringPIN, .verifyingPIN, .enteringTransferRecipient, .findingRecipient, .enteringTransferAmount, .confirmingTransfer:
            break
        }
        if said("quickbuy.unknownCode") { return .unknownCode([]) }
        if said("search.unavailable") || said("search.none") { return .unavailable([]) }
        if said("chat.thanks") { return .thanks }
        if said("chat.greeting") { return .greeting }
        if said("balance.show") { return .balance }
        if said("help.text") { return .help }
        if said("prices.title") { return .prices(Self.codes(in: text)) }
        if said("unknown.text") { return .notUnderstood }
        if said("menu.title") { return .menu }
        return .other(text)
    }

    /// Whether `text` contains the fixed part of the template of `key` (its longest stretch
    /// without a placeholder).
    static func said(_ key: String, in text: String, strings: LocaleStrings) -> Bool {
        let template = strings.template(key, .id)
        guard template != key else { return false }
        let pieces = template.components(separatedBy: "{").map { $0.components(separatedBy: "}").last ?? $0 }
        guard let longest = pieces.max(by: { $0.count < $1.count }), longest.count >= 4 else { return false }
        return text.contains(longest)
    }

    /// The product codes a price list shows, each in `<code>…</code>`.
    static func codes(in text: String) -> Set<String> {
        var codes: Set<String> = []
        var rest = Substring(text)
        while let open = rest.range(of: "<code>"), let close = rest[open.upperBound...].range(of: "</code>") {
            codes.insert(String(rest[open.upperBound..<close.lowerBound]))
            rest = rest[close.upperBound...]
        }
        return codes
    }
}
