/// Telegram's length limits, kept in one place: a message's text is at most 4,096 characters
/// and a photo's caption 1,024 (Bot API, `sendMessage` and `sendPhoto`). Longer HTML is split
/// into parts at line boundaries (at spaces, or anywhere, only for a line that is itself too
/// long), never inside a tag or an entity, and tags open at a split are closed at the end of
/// one part and opened again at the start of the next, so every part is valid HTML. Nothing is
/// cut off.
public enum MessageParts {
    public static let textLimit = 4_096
    public static let captionLimit = 1_024

    /// `html` in parts: the first at most `firstLimit` long, the others at most `limit`. Lengths
    /// are counted in UTF-16 units of the HTML itself, which is never less than what Telegram
    /// counts after parsing it.
    public static func split(_ html: String, firstLimit: Int = textLimit, limit: Int = textLimit) -> [String] {
        guard html.utf16.count > firstLimit else { return [html] }
        var parts: [String] = []
        var current = ""
        var currentLength = 0
        var open: [Tag] = []          // tags open at the end of `current`
        var reopened = ""             // tags to open again at the start of the next part
        func budget() -> Int { (parts.isEmpty ? firstLimit : limit) - closing(open).utf16.count }
        func flush() {
            guard currentLength > reopened.utf16.count || parts.isEmpty && currentLength > 0 else { return }
            parts.append(current + closing(open))
            reopened = open.map(\.opening).joined()
            current = reopened
            currentLength = reopened.utf16.count
        }
        func append(_ piece: Piece) {
            // An opening tag also costs its closing tag, should the part end before it closes.
            let closes = piece.tag.map { $0.isClosing ? 0 : $0.name.utf16.count + 3 } ?? 0
            let length = piece.text.utf16.count + closes
            if currentLength + length > budget() { flush() }
            if currentLength + length > budget(), piece.tag == nil, !piece.text.hasPrefix("&") {
                // A run without spaces longer than a part: cut it by characters.
                for character in piece.text {
                    let width = String(character).utf16.count
                    if currentLength + width > budget() { flush() }
                    current.append(character)
                    currentLength += width
                }
            } else {
                current += piece.text
                currentLength += piece.text.utf16.count
            }
            guard let tag = piece.tag else { return }
            if tag.isClosing {
                if let index = open.lastIndex(where: { $0.name == tag.name }) { open.remove(at: index) }
            } else {
                open.append(tag)
            }
        }
        for line in lines(pieces(html)) {
            let length = line.reduce(0) { $0 + $1.text.utf16.count }
            // Split between lines when the line does not fit; within a line only when it is longer than a part.
            if currentLength + length > budget() { flush() }
            for piece in line { append(piece) }
        }
        if currentLength > reopened.utf16.count || parts.isEmpty { parts.append(current + closing(open)) }
        return parts
    }

    /// An HTML tag as far as splitting needs to know it.
    struct Tag {
        let name: String
        let opening: String
        let isClosing: Bool
    }

    /// A piece that is never split: a tag, an entity, a word with the spaces after it, or a line break.
    struct Piece {
        let text: String
        let tag: Tag?
    }

    /// Pieces grouped into lines, each ending with its line break (the last may have none).
    static func lines(_ pieces: [Piece]) -> [[Piece]] {
        var lines: [[Piece]] = [[]]
        for piece in pieces {
            lines[lines.count - 1].append(piece)
            if piece.text.hasSuffix("\n") { lines.append([]) }
        }
        return lines.filter { !$0.isEmpty }
    }

    static func closing(_ open: [Tag]) -> String {
        open.reversed().map { "</\($0.name)>" }.joined()
    }

    /// Cuts HTML into pieces: tags (`<b>`, `</b>`, `<a href="…">`), entities (`&amp;`), runs of
    /// text up to and including a space or a line break. It reads code points, as Telegram does:
    /// a `>` followed by a combining mark still ends a tag.
    static func pieces(_ html: String) -> [Piece] {
        let scalars = Array(html.unicodeScalars)
        var pieces: [Piece] = []
        var run = String.UnicodeScalarView()
        func endRun() {
            if !run.isEmpty { pieces.append(Piece(text: String(run), tag: nil)) }
            run = String.UnicodeScalarView()
        }
        func text(_ range: ClosedRange<Int>) -> String {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[range])
            return String(view)
        }
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "<", let end = scalars[index...].firstIndex(of: ">") {
                endRun()
                let tagText = text(index...end)
                pieces.append(Piece(text: tagText, tag: tag(tagText)))
                index = end + 1
                continue
            }
            if scalar == "&", let end = scalars[index..<min(index + 12, scalars.count)].firstIndex(of: ";") {
                endRun()
                pieces.append(Piece(text: text(index...end), tag: nil))
                index = end + 1
                continue
            }
            run.append(scalar)
            if scalar == " " || scalar == "\n" { endRun() }
            index += 1
        }
        endRun()
        return pieces
    }

    /// The tag in `text` (`<b>`, `</b>`, `<a href="x">`), or `nil` for a self-contained one.
    static func tag(_ text: String) -> Tag? {
        let inner = String.UnicodeScalarView(text.unicodeScalars.dropFirst().dropLast())
        let isClosing = inner.first == "/"
        let name = String(String.UnicodeScalarView((isClosing ? inner.dropFirst() : inner[...])
            .prefix { ($0.properties.isAlphabetic && $0.isASCII) || $0 == "-" })).lowercased()
        guard !name.isEmpty, inner.last != "/" else { return nil }
        return Tag(name: name, opening: isClosing ? "" : text, isClosing: isClosing)
    }
}
