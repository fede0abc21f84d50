#if DEBUG || FUZZING
@testable import Conversation
#else
import Conversation
#endif
import Money

/// `command-parser`: ``CommandParser/parse(_:)`` on the input as typed, and behind every owner
/// command (`/margin set …`, `/tambahsaldo …`) and the customer commands, so the fuzzer reaches
/// the argument parsers without having to invent the command first. Every owner command that
/// parses must be in range.
public enum CommandParserTarget: FuzzTarget {
    public static let name = "command-parser"
    public static let summary = "CommandParser.parse on the text as typed and after every customer and owner command"

    static let prefixes = [
        "", "/margin set ", "/margin set semua ", "/margin set kategori:pulsa ", "/margin ", "/margin hapus ", "/level ",
        "/tambahsaldo ", "/tambahsaldo 42 ", "/kurangisaldo 42 ", "/laporan ", "/broadcast ", "/resend ", "/blokir ", "/buka ",
        "/pengguna ", "/sync ", "/flowix ", "/beli ", "/tagihan ", "/deposit ", "/cek ", "/harga ", "/bahasa ", "/start@LoketBot ",
        "isi ", "top up ", "/",
    ]

    public static func run(_ bytes: [UInt8]) {
        let text = bytes.text
        for prefix in prefixes {
            checkCommand(CommandParser.parse(prefix + text, isAdmin: true), typed: prefix + text)
            let customer = CommandParser.parse(prefix + text, isAdmin: false)
            if case .admin = customer { Fuzz.check(false, "a customer's \((prefix + text).debugDescription) reached the owner commands") }
            checkCommand(customer, typed: prefix + text)
        }
        #if DEBUG || FUZZING
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).map(String.init)
        for name in AdminCommandParser.usageKeys.keys {
            if case .success(let command)? = AdminCommandParser.parse(name: name, words: words) {
                checkAdmin(command, typed: "/\(name) \(text)")
            }
        }
        for word in words.prefix(8) {
            if let value = AdminCommandParser.marginValue(word) { checkMargin(value, word: word) }
        }
        #endif
    }

    static func checkCommand(_ command: Command, typed: String) {
        switch command {
        case .admin(.success(let admin)): checkAdmin(admin, typed: typed)
        case .admin(.failure(let usage)):
            Fuzz.check(usage.key.hasPrefix("admin.usage."), "usage key \(usage.key) for \(typed.debugDescription)")
        case .lookup(let reference?): Fuzz.check(!reference.isEmpty, "empty /cek reference for \(typed.debugDescription)")
        case .receipt(let reference?): Fuzz.check(!reference.isEmpty, "empty /struk reference for \(typed.debugDescription)")
        case .deposit(let amount?): Fuzz.check(!amount.isEmpty, "empty deposit amount for \(typed.debugDescription)")
        case .prices(let keyword?): Fuzz.check(!keyword.isEmpty, "empty /harga keyword for \(typed.debugDescription)")
        case .transfer(let recipient, let amount):
            Fuzz.check(recipient.map { !$0.isEmpty } ?? true, "empty /transfer recipient for \(typed.debugDescription)")
            Fuzz.check(amount.map { !$0.isEmpty } ?? true, "empty /transfer amount for \(typed.debugDescription)")
            Fuzz.check(recipient != nil || amount == nil, "a /transfer amount without a recipient for \(typed.debugDescription)")
        case .lookup(nil), .receipt(nil), .deposit(nil), .prices(nil), .menu, .help, .cancel, .balance, .history, .language, .quickBuy, .bill,
             .withdraw, .pin, .adminOnly, .unknownCommand, .text:
            return  // no payload whose shape the parser promises
        }
    }

    /// What an owner command may carry once parsed (README, "Owners").
    static func checkAdmin(_ command: AdminCommand, typed: String) {
        let where_ = "for \(typed.debugDescription)"
        switch command {
        case .setMargin(let scope, let value, let level):
            switch scope {
            case .all: break
            case .category(let name), .brand(let name), .product(let name): Fuzz.check(!name.isEmpty, "empty margin scope \(where_)")
            }
            switch value {
            case .percent(let basisPoints): Fuzz.check((0...10_000).contains(basisPoints), "margin of \(basisPoints) basis points \(where_)")
            case .rupiah(let amount): Fuzz.check(amount.value <= 10_000_000, "margin of \(amount) rupiah \(where_)")
            }
            Fuzz.check(level == nil || level == "member" || level == "reseller", "margin level \(level ?? "") \(where_)")
        case .deleteMargin(let id): Fuzz.check(id > 0, "margin id \(id) \(where_)")
        case .setLevel(let user, let level):
            Fuzz.check(user > 0 && (level == "member" || level == "reseller"), "level \(user) \(level) \(where_)")
        case .adjust(let user, let amount, _, let note):
            Fuzz.check(user > 0, "adjusting user \(user) \(where_)")
            Fuzz.check(amount.value > 0 && amount.value <= AmountParser.absurd, "adjusting by \(amount) \(where_)")
            Fuzz.check(note.map { !$0.isEmpty } ?? true, "empty note \(where_)")
        case .broadcast(let message): Fuzz.check(!message.isEmpty, "empty broadcast \(where_)")
        case .resend(let reference): Fuzz.check(!reference.isEmpty, "empty resend reference \(where_)")
        case .block(let user), .unblock(let user), .profile(let user), .resetPIN(let user): Fuzz.check(user > 0, "user \(user) \(where_)")
        case .close(let scope, let until, let reason):
            Fuzz.check(ClosureScope(key: scope.key) == scope, "closure scope \(scope.key) does not read back \(where_)")
            Fuzz.check(until.map { (0..<1_440).contains($0.minutes) } ?? true, "closing until \(String(describing: until)) \(where_)")
            Fuzz.check((reason?.count ?? 0) <= 200 && reason?.isEmpty != true, "closing reason \(reason ?? "") \(where_)")
        case .reopen(let scope): Fuzz.check(ClosureScope(key: scope.key) == scope, "reopened scope \(scope.key) \(where_)")
        case .setCutoff(let category, let window):
            Fuzz.check(window.map { $0.category == category && $0.start != $0.end } ?? true, "cut-off \(String(describing: window)) \(where_)")
        case .listMargins, .report, .sync, .flowixStatus, .quarantine, .listClosures, .dashboard: break
        }
    }

    /// A percentage margin is `<digits>%` or `<digits>,<one or two digits>%` (`.` also separates),
    /// at most 100 %; anything else (signs, `1,-5%`) must be refused, not read as another number.
    static func checkMargin(_ value: MarginValue, word: String) {
        guard case .percent(let basisPoints) = value else { return }
        let number = word.dropLast()
        let parts = number.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false)
            .flatMap { $0.split(separator: ".", omittingEmptySubsequences: false) }
        let digits = parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
        Fuzz.check(word.hasSuffix("%") && digits && (1...2).contains(parts.count) && (parts.count == 1 || parts[1].count <= 2),
                   "margin \(word.debugDescription) accepted as \(basisPoints) basis points but is not a percentage")
        Fuzz.check((0...10_000).contains(basisPoints), "margin \(word.debugDescription) is \(basisPoints) basis points")
        // The value, computed independently: whole percent (leading zeros allowed) and hundredths.
        let whole = parts[0].drop(while: { $0 == "0" })
        let fraction = parts.count == 2 ? String(parts[1]) + String(repeating: "0", count: 2 - parts[1].count) : "00"
        var expected: Int64?
        if whole.count <= 3, let wholeValue = Int64(whole.isEmpty ? "0" : String(whole)), let hundredths = Int64(fraction) {
            expected = wholeValue * 100 + hundredths
        }
        Fuzz.check(expected == basisPoints, "margin \(word.debugDescription) read as \(basisPoints) basis points, expected \(expected.map(String.init) ?? "a refusal")")
    }
}
