/// The `callback_data` of every button, kept well within Telegram's 64 bytes:
///
/// - `x`: cancel, valid in any state;
/// - `m:<item>`: a main-menu item, valid in any state;
/// - `d:c:<ref>` / `d:s:<ref>`: cancel or check a deposit (on the QR message);
/// - `r:<ref>`: the receipt of a transaction (on its success message), valid at any time;
/// - `b:<code>.<target>`: buy the same product for the same number again (on a success
///   message), valid at any time: it opens a fresh confirmation;
/// - `<generation>:o:<index>`, `<generation>:p:<page>`, `<generation>:ok`: choices of the step
///   shown with that generation; an older generation is a stale button;
/// - `<generation>:k:<digit>`, `<generation>:k:e`: a key of the PIN keypad (a digit, erase).
public enum CallbackData {
    public static let cancel = "x"
    /// Telegram's limit on `callback_data`, in bytes; a button over it makes the whole message fail.
    public static let limit = 64

    /// `data`, when it fits Telegram's limit.
    static func fitting(_ data: String) -> String? { data.utf8.count <= limit ? data : nil }

    /// What a button of the current step does.
    public enum Action: Equatable {
        case option(Int)
        case page(Int)
        case confirm
        /// A digit key of the PIN keypad.
        case digit(Int)
        /// The keypad's erase key.
        case erase
    }

    static func encode(generation: Int, _ action: Action) -> String {
        switch action {
        case .option(let index): return "\(generation):o:\(index)"
        case .page(let page): return "\(generation):p:\(page)"
        case .confirm: return "\(generation):ok"
        case .digit(let digit): return "\(generation):k:\(digit)"
        case .erase: return "\(generation):k:e"
        }
    }

    static func stateful(_ data: String) -> (Int, Action)? {
        let parts = data.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 2, let generation = Int(parts[0]) else { return nil }
        switch (parts.count, parts[1]) {
        case (2, "ok"): return (generation, .confirm)
        case (3, "o"): return Int(parts[2]).map { (generation, .option($0)) }
        case (3, "p"): return Int(parts[2]).map { (generation, .page($0)) }
        case (3, "k") where parts[2] == "e": return (generation, .erase)
        case (3, "k"):
            guard parts[2].count == 1, let digit = Int(parts[2]) else { return nil }
            return (generation, .digit(digit))
        default: return nil
        }
    }

    public static func menu(_ item: MenuItem) -> String { "m:" + item.rawValue }

    static func menuItem(_ data: String) -> MenuItem? {
        data.hasPrefix("m:") ? MenuItem(rawValue: String(data.dropFirst(2))) : nil
    }

    /// The button that cancels a deposit ticket (`/deposit/cancel`); `nil` when Flowix's
    /// reference is too long for Telegram's 64 bytes.
    public static func depositCancel(reference: String) -> String? { fitting("d:c:" + reference) }
    /// The button that checks a deposit's status; `nil` when the reference is too long.
    public static func depositStatus(reference: String) -> String? { fitting("d:s:" + reference) }

    /// The button that shows a transaction's receipt; `nil` when the reference is too long.
    public static func receipt(reference: String) -> String? { fitting("r:" + reference) }

    static func receipt(_ data: String) -> String? { reference(in: data, after: "r:") }

    /// The button that buys `code` for `target` again; `nil` when it does not fit a button.
    public static func buyAgain(code: String, target: String) -> String? {
        code.contains(".") ? nil : fitting("b:\(code).\(target)")
    }

    static func buyAgain(_ data: String) -> (code: String, target: String)? {
        guard let rest = reference(in: data, after: "b:"), let dot = rest.firstIndex(of: "."),
              dot != rest.startIndex, rest.index(after: dot) != rest.endIndex else { return nil }
        return (String(rest[..<dot]), String(rest[rest.index(after: dot)...]))
    }
    static func depositCancel(_ data: String) -> String? { reference(in: data, after: "d:c:") }
    static func depositStatus(_ data: String) -> String? { reference(in: data, after: "d:s:") }

    /// The reference after `prefix`; `nil` when there is none (`d:s:` alone is no deposit).
    private static func reference(in data: String, after prefix: String) -> String? {
        guard data.hasPrefix(prefix), data.count > prefix.count else { return nil }
        return String(data.dropFirst(prefix.count))
    }
}

/// The main menu.
public enum MenuItem: String, Sendable, CaseIterable {
    case menu, pulsa, data, emoney, game, pln, bill, deposit, withdraw = "tarik", transfer, pin, history = "riwayat", balance = "saldo",
         help = "bantuan"

    static func keyboard(_ context: ConversationContext) -> [[Button]] {
        func button(_ item: MenuItem, _ key: String) -> Button { Button(context.text(key), CallbackData.menu(item)) }
        return [
            [button(.pulsa, "menu.pulsa"), button(.data, "menu.data"), button(.emoney, "menu.emoney")],
            [button(.game, "menu.game"), button(.pln, "menu.pln"), button(.bill, "menu.bill")],
            [button(.deposit, "menu.deposit"), button(.withdraw, "menu.withdraw"), button(.transfer, "menu.transfer")],
            [button(.history, "menu.history"), button(.balance, "menu.balance"), button(.help, "menu.help")],
        ]
    }
}
