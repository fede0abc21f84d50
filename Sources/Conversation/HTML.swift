/// Telegram's `parse_mode: HTML` escaping.
public enum HTML {
    /// Escapes `&`, `<` and `>` so user or Flowix text can never become markup.
    public static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            default: result.append(character)
            }
        }
        return result
    }

    /// What a customer typed, quoted back in a reply: at most `limit` characters (then `…`), so
    /// a reply never grows with the input or gets split mid-sentence.
    public static func excerpt(_ text: String, limit: Int = 40) -> String {
        text.count <= limit ? text : String(text.prefix(limit)) + "…"
    }
}
