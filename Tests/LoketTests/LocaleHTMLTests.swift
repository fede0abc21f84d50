import Conversation
import FakeTelegram
import Locales
import Testing

/// Every text in the locale files is Telegram HTML (the bot sends it with `parse_mode=HTML`, the
/// dashboard inserts it as it is): checked for every key in every language, not only the keys a
/// fuzzer happens to pick.
@Suite("Locale texts")
struct LocaleHTMLTests {
    @Test func everyTextIsValidTelegramHTMLInEveryLanguage() throws {
        let strings = try LocaleLoader.load(from: LocaleLoader.defaultDirectory())
        var checked = 0
        for (language, table) in strings.tables {
            for key in table.keys.sorted() {
                let template = strings.template(key, language)
                let values = Dictionary(uniqueKeysWithValues: LocaleStrings.placeholders(in: template).map { ($0, "x") })
                let text = strings.text(key, language, values)
                #expect(TelegramHTML.problem(in: text) == nil, "\(language) \(key): \(text)")
                checked += 1
            }
        }
        #expect(checked > 800)
    }
}
