/// What Telegram's `parse_mode: HTML` accepts from Loket: the tags the locale files use and the
/// entities ``HTML/escape(_:)`` writes. A reply with any other `<` or a bare `&` would be refused
/// by Telegram (or, worse, show markup a user typed).
///
/// Telegram reads the text as code points, not as the grapheme clusters Swift's `Character`
/// compares, so this does too: `<` followed by a combining mark is still a `<` to Telegram.
enum TelegramHTML {
    static let tags: Set<String> = ["b", "/b", "i", "/i", "u", "/u", "s", "/s", "code", "/code", "pre", "/pre"]
    static let entities: Set<String> = ["amp", "lt", "gt", "quot"]

    /// `nil` when `text` is safe, otherwise what is wrong with it.
    static func problem(in text: String) -> String? {
        let scalars = Array(text.unicodeScalars)
        func excerpt(_ index: Int) -> String {
            String(String.UnicodeScalarView(scalars[index..<min(index + 20, scalars.count)])).debugDescription
        }
        var index = 0
        while index < scalars.count {
            switch scalars[index] {
            case "<":
                guard let close = scalars[index...].firstIndex(of: ">"),
                      tags.contains(String(String.UnicodeScalarView(scalars[(index + 1)..<close]))) else {
                    return "unescaped < at \(excerpt(index))"
                }
                index = close + 1
            case "&":
                guard let semicolon = scalars[index..<min(index + 8, scalars.count)].firstIndex(of: ";") else {
                    return "bare & at \(excerpt(index))"
                }
                let name = String(String.UnicodeScalarView(scalars[(index + 1)..<semicolon]))
                guard entities.contains(name) || (name.hasPrefix("#") && name.count > 1 && name.dropFirst().allSatisfy(\.isNumber)) else {
                    return "unknown entity &\(name);"
                }
                index = semicolon + 1
            case ">":
                return "unescaped > at \(excerpt(index))"
            default:
                index += 1
            }
        }
        return nil
    }
}
