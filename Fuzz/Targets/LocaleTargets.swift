#if DEBUG || FUZZING
@testable import Conversation
#else
import Conversation
#endif
import Locales

/// `locale`: every template of `locales/*.yaml` rendered with hostile placeholder values (HTML,
/// entities, `{` `}` `{{name}}`, format specifiers, huge and odd Unicode strings), and the input
/// itself used as a template. A rendered locale string is always valid Telegram HTML (values are
/// escaped, never interpreted); a template with no known placeholder renders as itself; every
/// placeholder a template has is filled.
public enum LocaleTarget: FuzzTarget {
    public static let name = "locale"
    public static let summary = "locale templates with hostile values; the input as a template"

    static let keys: [String] = Array(Set(ShopFixture.strings.tables.values.flatMap(\.keys))).sorted()

    public static func run(_ bytes: [UInt8]) {
        var reader = FuzzReader(bytes)
        let strings = ShopFixture.strings
        // A real template with values chosen by the input.
        let key = keys[(Int(reader.byte()) << 8 | Int(reader.byte())) % keys.count]
        let language: Language = reader.bool() ? .en : .id
        let template = strings.template(key, language)
        var values: [String: String] = [:]
        for name in LocaleStrings.placeholders(in: template).sorted() {
            let choice = Int(reader.byte())
            values[name] = choice < 128 ? Hostile.strings[choice % Hostile.strings.count] : reader.shortString()
        }
        let rendered = strings.text(key, language, values)
        if let problem = TelegramHTML.problem(in: rendered) {
            Fuzz.fail("\(key) with \(values) is not valid Telegram HTML (\(problem)): \(rendered.prefix(300).debugDescription)")
        }
        // The rest of the input as a template of its own.
        let own = reader.rest()
        let local = LocaleStrings(tables: [.id: ["k": own]])
        #if DEBUG || FUZZING
        Fuzz.check(LocaleStrings.fill(own, [:]) == own, "\(own.debugDescription) changes without values")
        #endif
        // A name with a `}` can never be a placeholder (a placeholder ends at the first `}`), so
        // whatever the template, this value is unknown to it.
        Fuzz.check(local.text("k", .en, ["un}used": "x"]) == own, "\(own.debugDescription) changes with an unknown value")
        let names = LocaleStrings.placeholders(in: own)
        let filled = local.text("k", .id, Dictionary(uniqueKeysWithValues: names.map { ($0, "\u{1}") }))
        Fuzz.check(names.isEmpty || filled.contains("\u{1}"), "placeholders \(names) of \(own.debugDescription) not filled")
        for value in Hostile.strings.prefix(20) {
            _ = local.text("k", .id, Dictionary(uniqueKeysWithValues: names.map { ($0, value) }))
        }
        _ = local.text(own, .en)
    }
}

/// `locale-yaml`: ``LocaleLoader/table(from:file:)`` on arbitrary YAML: a locale file that is
/// not a flat map of strings is an error, never a crash.
public enum LocaleYAMLTarget: FuzzTarget {
    public static let name = "locale-yaml"
    public static let summary = "LocaleLoader.table on arbitrary YAML"

    public static func run(_ bytes: [UInt8]) {
        guard let table = try? LocaleLoader.table(from: bytes.text, file: "fuzz.yaml") else { return }
        let strings = LocaleStrings(tables: [.id: table])
        for key in table.keys.prefix(50) { _ = strings.text(key, .en, ["name": "<b>"]) }
    }
}
