import Conversation
import Locales
import LoketCore
import Testing

@Suite("Messages")
struct MessagesTests {
    let messages: Messages

    init() throws {
        messages = Messages(strings: try LocaleLoader.load(from: LocaleLoader.defaultDirectory()), defaultLanguage: .id)
    }

    /// A margin or a movement can be negative: it keeps its sign, never shown as Rp0.
    @Test func aSignedAmountKeepsItsSign() {
        #expect(messages.money(-2_500, .id) == "−Rp2.500")
        #expect(messages.money(2_500, .id) == "Rp2.500")
        #expect(messages.money(0, .id) == "Rp0")
        #expect(messages.money(Int64.min, .id) == "Rp-9223372036854775808")
    }
}
