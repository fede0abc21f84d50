/// Checks text sent with `parse_mode: HTML` the way Telegram does: only its tags, properly
/// nested, and every `<` and `&` part of a tag or an entity.
public enum TelegramHTML {
    static let tags: Set<String> = ["b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a",
                                    "code", "pre", "blockquote", "tg-emoji"]

    /// `nil` when Telegram would accept the text, else its error description.
    public static func problem(in text: String) -> String? {
        var open: [String] = []
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "<" {
                guard let close = text[index...].firstIndex(of: ">") else { return "Unsupported start tag at byte offset" }
                let inner = text[text.index(after: index)..<close]
                if inner.hasPrefix("/") {
                    let name = inner.dropFirst().lowercased()
                    guard open.last == name else { return "Unmatched end tag \"\(name)\"" }
                    open.removeLast()
                } else {
                    let name = inner.split(separator: " ").first.map { $0.lowercased() } ?? ""
                    guard tags.contains(name) else { return "Unsupported start tag \"\(name)\"" }
                    open.append(name)
                }
                index = text.index(after: close)
                continue
            }
            if character == "&" {
                guard let semicolon = text[index...].prefix(12).firstIndex(of: ";") else { return "Unclosed entity" }
                let entity = text[text.index(after: index)..<semicolon]
                let named: Set<Substring> = ["lt", "gt", "amp", "quot"]
                let numeric = entity.hasPrefix("#") && entity.dropFirst().allSatisfy { $0.isHexDigit || $0 == "x" }
                guard named.contains(entity) || (numeric && entity.count > 1) else { return "Unsupported entity \"\(entity)\"" }
                index = text.index(after: semicolon)
                continue
            }
            index = text.index(after: index)
        }
        return open.isEmpty ? nil : "Can't find end tag corresponding to start tag \"\(open.last!)\""
    }

    /// The text a user sees, tags removed and entities decoded (for length limits and tests).
    public static func plain(_ text: String) -> String {
        var result = ""
        var inTag = false
        for character in text {
            if character == "<" { inTag = true } else if character == ">" && inTag { inTag = false } else if !inTag { result.append(character) }
        }
        return result.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
    }
}

import Foundation
