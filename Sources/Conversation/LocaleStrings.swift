import Money

/// A language the bot speaks.
public enum Language: String, Sendable, Codable, CaseIterable {
    case id
    case en
}

/// Every user-visible string, keyed, with `{named}` placeholders, for each language.
///
/// Placeholder values are HTML-escaped when filled in (they may come from a user or from
/// Flowix); the templates themselves may contain Telegram HTML such as `<b>`.
public struct LocaleStrings: Sendable {
    public let tables: [Language: [String: String]]
    /// How customers type, for reading what they write.
    public let vocabulary: Vocabulary

    public init(tables: [Language: [String: String]], vocabulary: Vocabulary = Vocabulary()) {
        self.tables = tables
        self.vocabulary = vocabulary
    }

    /// The template for `key`, falling back to Indonesian, then to the key itself (a test keeps
    /// every key used by the code present in every locale).
    public func template(_ key: String, _ language: Language) -> String {
        tables[language]?[key] ?? tables[.id]?[key] ?? key
    }

    /// The text for `key` with its placeholders filled in (escaped).
    public func text(_ key: String, _ language: Language, _ values: [String: String] = [:]) -> String {
        Self.fill(template(key, language), values)
    }

    /// Fills `{name}` placeholders, escaping each value; unknown placeholders stay as they are.
    static func fill(_ template: String, _ values: [String: String]) -> String {
        guard template.contains("{") else { return template }
        var result = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            result += rest[..<open]
            let name = String(rest[rest.index(after: open)..<close])
            if let value = values[name] { result += HTML.escape(value) } else { result += rest[open...close] }
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    /// Rupiah the way the language writes it: `Rp10.500` or `Rp10,500`.
    public func money(_ amount: Rupiah, _ language: Language) -> String {
        language == .id ? RupiahFormat.indonesian(amount) : RupiahFormat.english(amount)
    }

    /// The placeholder names in a template, for the locale consistency test.
    public static func placeholders(in template: String) -> Set<String> {
        var names: Set<String> = []
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            names.insert(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }
}
