/// What a message asks for, before any state is considered.
public enum Command: Sendable, Equatable {
    case menu
    case help
    case cancel
    case balance
    case history
    case lookup(reference: String?)
    /// `/struk REF`: the receipt of a successful transaction.
    case receipt(reference: String?)
    case prices(keyword: String?)
    case language(String?)
    case quickBuy(code: String, target: String?)
    case bill(code: String?, number: String?)
    case deposit(amount: String?)
    case withdraw
    /// `/pin`: set or change the transaction PIN.
    case pin
    /// `/transfer <user_id|@username> <jumlah>`, either part optional.
    case transfer(recipient: String?, amount: String?)
    /// An owner command from an admin: parsed, or the usage text key to show when its words are off.
    case admin(Result<AdminCommand, AdminUsage>)
    /// An owner command from someone who is not an admin; its words were not read.
    case adminOnly
    /// A slash command Loket does not know.
    case unknownCommand(String)
    /// Anything else: free text for the flow or the product search.
    case text(String)
}

/// The usage message of an owner command whose arguments did not parse.
public struct AdminUsage: Error, Sendable, Equatable {
    /// The locale key of the usage text.
    public let key: String
}

/// Turns a message into a ``Command``: slash commands (also `/cmd@BotName`), the reseller
/// shortcuts `KODE.TUJUAN`, and slang such as `tf`, `wd`, `isi`, `topup`.
public enum CommandParser {
    /// Permission comes before parsing: an owner command from someone who is not an admin is
    /// ``Command/adminOnly`` and its arguments never reach the owner commands' parser.
    public static func parse(_ raw: String, isAdmin: Bool) -> Command {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("/") else { return slang(text) ?? .text(text) }
        var words = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).map(String.init)
        var name = String(words.removeFirst().dropFirst()).lowercased()
        if let at = name.firstIndex(of: "@") { name = String(name[..<at]) }
        let rest = words.joined(separator: " ")
        switch name {
        case "start", "menu": return .menu
        case "bantuan", "help": return .help
        case "batal", "cancel": return .cancel
        case "saldo", "balance": return .balance
        case "riwayat", "history": return .history
        case "cek": return .lookup(reference: words.first)
        case "struk", "receipt": return .receipt(reference: words.first)
        case "harga", "price": return .prices(keyword: rest.isEmpty ? nil : rest)
        case "bahasa", "language": return .language(words.first?.lowercased())
        case "beli", "buy":
            guard let code = words.first else { return .quickBuy(code: "", target: nil) }
            return .quickBuy(code: code, target: words.count > 1 ? words.dropFirst().joined() : nil)
        case "tagihan", "bill": return .bill(code: words.first, number: words.count > 1 ? words.dropFirst().joined() : nil)
        case "deposit", "topup", "isi": return .deposit(amount: rest.isEmpty ? nil : rest)
        case "tarik", "withdraw", "wd", "tf": return .withdraw
        case "pin": return .pin
        case "transfer", "kirim":
            return .transfer(recipient: words.first, amount: words.count > 1 ? words.dropFirst().joined(separator: " ") : nil)
        default:
            guard AdminCommandParser.names.contains(name) else { return .unknownCommand(name) }
            // A broadcast keeps its line breaks: its message is the text after the command word.
            let arguments = name == "broadcast" ? text.drop { !$0.isWhitespace }.trimmingCharacters(in: .whitespacesAndNewlines) : nil
            guard isAdmin, let admin = ownerCommand(name, arguments.map { $0.isEmpty ? [] : [$0] } ?? words) else { return .adminOnly }
            return .admin(admin)
        }
    }

    /// The owner command `name` with its words, checked as `/name word word…` is in Telegram;
    /// `nil` when `name` is not an owner command. The dashboard's forms go through it too, so a
    /// value the bot refuses is refused there with the same usage text.
    public static func ownerCommand(_ name: String, _ words: [String]) -> Result<AdminCommand, AdminUsage>? {
        AdminCommandParser.parse(name: name, words: words)
    }

    /// Plain words with a clear meaning.
    static func slang(_ text: String) -> Command? {
        let lower = text.lowercased().trimmingCharacters(in: .punctuationCharacters.union(.whitespaces))
        let words = lower.split(separator: " ").map(String.init)
        guard let first = words.first else { return nil }
        switch lower {
        case "menu", "start", "mulai", "halo", "hai", "hi", "hello", "p", "ping", "assalamualaikum": return .menu
        case "batal", "cancel", "gak jadi", "ga jadi", "nggak jadi": return .cancel
        case "saldo", "cek saldo", "ceksaldo", "sisa saldo": return .balance
        case "riwayat", "histori", "history", "mutasi": return .history
        case "bantuan", "help", "tolong", "cara": return .help
        case "tarik", "tarik saldo", "wd", "tf", "withdraw", "transfer": return .withdraw
        case "transfer saldo", "kirim saldo", "oper saldo": return .transfer(recipient: nil, amount: nil)
        case "pin", "ganti pin", "buat pin", "atur pin": return .pin
        default: break
        }
        // "isi 50rb", "topup 100.000", "isi saldo 75rb": a deposit when the rest is just an
        // amount; anything more ("topup gopay 25k 0812…") is read as free text.
        let verbs: Set<String> = ["isi", "topup", "top-up", "depo", "deposit"]
        var rest = words[...]
        if verbs.contains(first) {
            rest = words.dropFirst()
        } else if lower == "top up" || lower.hasPrefix("top up ") {
            rest = words.dropFirst(2)
        } else {
            return nil
        }
        if rest.first == "saldo" { rest = rest.dropFirst() }
        if rest.isEmpty { return .deposit(amount: nil) }
        let amount = rest.joined(separator: " ")
        guard case .success = AmountParser.parse(amount) else { return nil }
        return .deposit(amount: amount)
    }
}

import Foundation
