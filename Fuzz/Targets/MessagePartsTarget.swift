#if DEBUG || FUZZING
@testable import Conversation
#else
import Conversation
#endif
import Telegram

/// `message-parts`: ``MessageParts/split(_:firstLimit:limit:)``, which cuts every long reply
/// before it is sent. The input becomes valid Telegram HTML (text escaped as the bot escapes it,
/// with `<b>`, `<i>`, `<code>` and line breaks where control bytes are) and is split at the real
/// limits and at small ones (so short inputs reach the splitting). Every part is within its
/// limit and valid HTML on its own, and together the parts show exactly the original text. Raw
/// input, not valid HTML, must merely come back in parts without a trap.
public enum MessagePartsTarget: FuzzTarget {
    public static let name = "message-parts"
    public static let summary = "MessageParts.split on generated Telegram HTML at real and small limits"

    public static func run(_ bytes: [UInt8]) {
        var reader = FuzzReader(bytes)
        let small = 48 + Int(reader.byte()) * 2
        let html = Self.html(from: reader.restBytes())
        checkSplit(html, firstLimit: small, limit: small + 40)
        checkSplit(html, firstLimit: MessageParts.captionLimit, limit: MessageParts.textLimit)
        checkSplit(String(repeating: html + "\n", count: 4), firstLimit: MessageParts.textLimit, limit: MessageParts.textLimit)
        _ = MessageParts.split(bytes.text, firstLimit: small, limit: small)
    }

    /// Text and markup from bytes: bytes 1–7 open or close a tag or break the line; the rest is
    /// text, escaped. Tags nest properly and are all closed at the end (at most three deep).
    static func html(from bytes: [UInt8]) -> String {
        let tags = ["b", "i", "code"]
        var html = ""
        var open: [String] = []
        var text: [UInt8] = []
        func flushText() {
            html += HTML.escape(String(decoding: text, as: UTF8.self))
            text = []
        }
        for byte in bytes {
            switch byte {
            case 1...3 where open.count < 3:
                flushText()
                let tag = tags[Int(byte) - 1]
                html += "<\(tag)>"
                open.append(tag)
            case 4 where !open.isEmpty:
                flushText()
                html += "</\(open.removeLast())>"
            case 5, 6:
                flushText()
                html += "\n"
            case 7:
                flushText()
                html += " "
            default: text.append(byte)
            }
        }
        flushText()
        for tag in open.reversed() { html += "</\(tag)>" }
        return html
    }

    /// The text a reader sees: tags removed, entities kept as written (by code points, as
    /// Telegram reads it).
    static func visible(_ html: String) -> String {
        var result = String.UnicodeScalarView()
        var inTag = false
        for scalar in html.unicodeScalars {
            if inTag { inTag = scalar != ">"; continue }
            if scalar == "<" { inTag = true; continue }
            result.append(scalar)
        }
        return String(result)
    }

    static func checkSplit(_ html: String, firstLimit: Int, limit: Int) {
        let parts = MessageParts.split(html, firstLimit: firstLimit, limit: limit)
        Fuzz.check(!parts.isEmpty, "no parts for \(html.prefix(100).debugDescription)")
        for (index, part) in parts.enumerated() {
            let bound = index == 0 ? firstLimit : limit
            Fuzz.check(part.utf16.count <= bound, "part \(index) is \(part.utf16.count) long, limit \(bound): \(part.prefix(200).debugDescription)")
            if let problem = TelegramHTML.problem(in: part) {
                Fuzz.fail("part \(index) of \(html.prefix(200).debugDescription) is not valid HTML (\(problem)): \(part.prefix(200).debugDescription)")
            }
            Fuzz.check(balanced(part), "part \(index) does not close its tags: \(part.prefix(200).debugDescription)")
        }
        let joined = parts.map(visible).joined()
        Fuzz.check(joined == visible(html), "parts of \(html.prefix(200).debugDescription) show \(joined.prefix(200).debugDescription)")
    }

    /// Every tag a part opens it closes, in order.
    static func balanced(_ html: String) -> Bool {
        var open: [String] = []
        let scalars = Array(html.unicodeScalars)
        var index = 0
        while let start = scalars[index...].firstIndex(of: "<"), let end = scalars[start...].firstIndex(of: ">") {
            let name = String(String.UnicodeScalarView(scalars[(start + 1)..<end]))
            if name.hasPrefix("/") {
                guard open.last == String(name.dropFirst()) else { return false }
                open.removeLast()
            } else {
                open.append(name)
            }
            index = end + 1
        }
        return open.isEmpty
    }
}
