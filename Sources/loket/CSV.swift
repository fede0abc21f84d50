/// One CSV cell as `loket export` writes it (RFC 4180), safe to open in a spreadsheet: text
/// that begins with `=`, `+`, `-`, `@`, a tab or a carriage return (a product name or note from
/// Flowix, a customer's name) is prefixed with `'`, so it is shown, never run as a formula;
/// whole numbers as the export writes them (`10500`, `-10500`) stay numbers.
enum CSV {
    static func field(_ value: String) -> String {
        var text = value
        if let first = text.first, formulaStarts.contains(first), !isWholeNumber(text) { text = "'" + text }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static let formulaStarts: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]

    /// `-?[0-9]+`: how the export writes amounts.
    static func isWholeNumber(_ text: String) -> Bool {
        let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        return !digits.isEmpty && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// A whole file: the header, then each row, with `\n` line ends.
    static func text(_ header: [String], _ rows: [[String]]) -> String {
        ([header] + rows).map { $0.map(field).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }
}
