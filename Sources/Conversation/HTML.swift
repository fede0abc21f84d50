/// Telegram's `parse_mode: HTML` escaping.
public enum HTML {
    /// Escapes `&`, `<` and `>` (with `quotes`, also `"` and `'`, for an attribute) so user or
    /// Flowix text can never become markup. It works on code points, as Telegram and browsers
    /// read them: a `<` followed by a combining mark is still a `<`.
    public static func escape(_ text: String, quotes: Bool = false) -> String {
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result.append(contentsOf: "&amp;".unicodeScalars)
            case "<": result.append(contentsOf: "&lt;".unicodeScalars)
            case ">": result.append(contentsOf: "&gt;".unicodeScalars)
            case "\"" where quotes: result.append(contentsOf: "&quot;".unicodeScalars)
            case "'" where quotes: result.append(contentsOf: "&#39;".unicodeScalars)
            default: result.append(scalar)
            }
        }
        return String(result)
    }

    /// What a customer typed, quoted back in a reply: at most `limit` characters (then `…`), so
    /// a reply never grows with the input or gets split mid-sentence.
    public static func excerpt(_ text: String, limit: Int = 40) -> String {
        text.count <= limit ? text : String(text.prefix(limit)) + "…"
    }
}
