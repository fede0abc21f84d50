/// One fuzz target: a name (`loket-fuzz <name>`, `LOKET_FUZZ_TARGET=<name>`) and a function that
/// takes arbitrary bytes and must never trap.
///
/// A target also checks properties of what it ran (an amount that parsed is in range, a reply
/// only contains escaped text, ...); a broken property stops the process through ``Fuzz/fail(_:)``,
/// which libFuzzer records as a crash like any other trap.
public protocol FuzzTarget {
    static var name: String { get }
    /// What the target feeds, for `loket-fuzz --list`.
    static var summary: String { get }
    static func run(_ bytes: [UInt8])
}

/// A target as the runner sees it: its name, what it feeds, and its function.
public struct FuzzEntry: Sendable {
    public let name: String
    public let summary: String
    public let run: @Sendable ([UInt8]) -> Void

    init<Target: FuzzTarget>(_ target: Target.Type) {
        name = Target.name
        summary = Target.summary
        run = { Target.run($0) }
    }
}

public enum Fuzz {
    /// Every target, in the order `Fuzz/run.sh` runs them.
    public static let targets: [FuzzEntry] = [
        FuzzEntry(CommandParserTarget.self),
        FuzzEntry(AmountTarget.self),
        FuzzEntry(PhoneTarget.self),
        FuzzEntry(CallbackDataTarget.self),
        FuzzEntry(UnderstandingTarget.self),
        FuzzEntry(ConversationTarget.self),
        FuzzEntry(ConversationStateTarget.self),
        FuzzEntry(FlowixResponsesTarget.self),
        FuzzEntry(WebhookTarget.self),
        FuzzEntry(TelegramUpdateTarget.self),
        FuzzEntry(LocaleTarget.self),
        FuzzEntry(LocaleYAMLTarget.self),
        FuzzEntry(MessagePartsTarget.self),
        FuzzEntry(MoneyTarget.self),
        FuzzEntry(TimestampTarget.self),
    ]

    public static func target(named name: String) -> FuzzEntry? {
        targets.first { $0.name == name }
    }

    /// Stops the process: a property the target checks does not hold for this input.
    public static func fail(_ message: @autoclosure () -> String, file: StaticString = #fileID, line: UInt = #line) -> Never {
        fatalError("fuzz property violated: \(message())", file: file, line: line)
    }

    /// Checks a property of the input just run.
    public static func check(_ condition: Bool, _ message: @autoclosure () -> String,
                             file: StaticString = #fileID, line: UInt = #line) {
        if !condition { fail(message(), file: file, line: line) }
    }
}

/// Reads structured values from the front of the fuzz input; past the end everything is zero or
/// empty, so every byte string is a valid input.
struct FuzzReader {
    private(set) var bytes: ArraySlice<UInt8>

    init(_ bytes: [UInt8]) { self.bytes = bytes[...] }
    init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }

    var isAtEnd: Bool { bytes.isEmpty }

    mutating func byte() -> UInt8 { bytes.popFirst() ?? 0 }

    mutating func bool() -> Bool { byte() & 1 == 1 }

    /// A choice among `count` options.
    mutating func choose(_ count: Int) -> Int { count <= 1 ? 0 : Int(byte()) % count }

    mutating func int64() -> Int64 {
        var value: UInt64 = 0
        for shift in stride(from: 0, to: 64, by: 8) { value |= UInt64(byte()) << UInt64(shift) }
        return Int64(bitPattern: value)
    }

    /// A length-prefixed string (one length byte), decoded as UTF-8 with repairs.
    mutating func shortString() -> String {
        let count = min(Int(byte()), bytes.count)
        let text = String(decoding: bytes.prefix(count), as: UTF8.self)
        bytes = bytes.dropFirst(count)
        return text
    }

    /// Everything left, as UTF-8 text.
    mutating func rest() -> String {
        defer { bytes = [] }
        return String(decoding: bytes, as: UTF8.self)
    }

    mutating func restBytes() -> [UInt8] {
        defer { bytes = [] }
        return Array(bytes)
    }
}

extension Array where Element == UInt8 {
    /// The input as UTF-8 text, invalid sequences replaced.
    var text: String { String(decoding: self, as: UTF8.self) }

    /// The input split at the first zero byte: what is before it, and what is after (if any).
    func splitAtFirstZero() -> (head: [UInt8], tail: [UInt8]?) {
        guard let zero = firstIndex(of: 0) else { return (self, nil) }
        return (Array(self[..<zero]), Array(self[(zero + 1)...]))
    }
}

/// Hostile strings every text target mixes into what the fuzzer sends.
enum Hostile {
    static let strings: [String] = [
        "", " ", "<b>", "</code>", "<script>alert(1)</script>", "&", "&amp;", "&lt;", "{", "}", "{{", "}}", "{name}",
        "{{name}}", "%@", "%d%s%n", "%1$s", "\\", "\"", "'", "\n", "\r\n", "\t", "\u{0}", "\u{FEFF}", "\u{200B}",
        "\u{202E}", "e\u{301}", "\u{301}", "<\u{301}b>", "&\u{301}amp;", "🇮🇩", "👨‍👩‍👧‍👦", "İ", "ß", "ﬁ", "٣", "１２３", "9223372036854775807", "-9223372036854775808",
        "99999999999999999999", "0", "-1", "1e308", "NaN", "Rp", "rb", "jt", "%", "/", "@", ":", "m:", "d:c:", "x",
        String(repeating: "A", count: 5_000), String(repeating: "9", count: 400), String(repeating: "{", count: 300),
        String(repeating: "}{", count: 300), String(repeating: "<", count: 300), String(repeating: "é", count: 1_000),
    ]
}
