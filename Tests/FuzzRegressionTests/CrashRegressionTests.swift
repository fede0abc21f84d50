@testable import Conversation
import Flowix
import Foundation
import FuzzTargets
import Locales
import Money
import Telegram
import Testing

/// One test per problem the fuzzers found (the inputs are in `Fuzz/Regressions/`), asserting
/// what the code must do with the input, not only that it survives. Each first runs the input in
/// a child process, so a trap that comes back fails the test instead of stopping the run.
@Suite("Fuzz findings")
struct CrashRegressionTests {
    static let strings: LocaleStrings = (try? LocaleLoader.load(from: LocaleLoader.defaultDirectory())) ?? LocaleStrings(tables: [:])
    static let now = Date(timeIntervalSince1970: 1_790_000_000)

    static func context(products: [ProductOffer] = [], banks: [BankOption] = []) -> ConversationContext {
        ConversationContext(now: now, customer: Customer(id: 42, firstName: "Budi", canWithdraw: true, balance: Rupiah(150_000)!),
                            language: .id, strings: strings, products: products, banks: banks)
    }

    static func texts(_ effects: [Effect]) -> [String] {
        effects.compactMap { if case .send(let reply) = $0 { return reply.text } else { return nil } }
    }

    static func session(_ json: String) throws -> ConversationState {
        try JSONDecoder().decode(ConversationState.self, from: Data(json.utf8))
    }

    // MARK: conversation-state

    /// `Regressions/conversation-state/empty-product-list.json`: a saved product list with no
    /// products and a page button indexed `codes[-8]` (Index out of range in `showProducts`).
    @Test func aSavedEmptyProductListAnswersInsteadOfTrapping() async throws {
        await #expect(processExitsWith: .success) {
            var conversation = Conversation(state: try! CrashRegressionTests.session(
                #"{"step":{"choosingProduct":{"codes":[],"page":0,"target":null}},"generation":7,"updatedAt":811692800}"#))
            _ = conversation.handle(.button("7:p:0"), context: CrashRegressionTests.context())
        }
        var conversation = Conversation(state: try Self.session(
            #"{"step":{"choosingProduct":{"codes":[],"page":0,"target":null}},"generation":7,"updatedAt":811692800}"#))
        let effects = conversation.handle(.button("7:p:1"), context: Self.context())
        #expect(Self.texts(effects).first == Self.strings.text("products.none", .id))
        #expect(conversation.state.step == .idle)
    }

    /// `Regressions/conversation-state/empty-bank-list.bin`: the same for the bank list.
    @Test func aSavedEmptyBankListAnswersInsteadOfTrapping() async throws {
        await #expect(processExitsWith: .success) {
            var conversation = Conversation(state: try! CrashRegressionTests.session(
                #"{"step":{"choosingBank":{"codes":[],"page":0}},"generation":7,"updatedAt":811692800}"#))
            _ = conversation.handle(.button("7:p:1"), context: CrashRegressionTests.context())
        }
        var conversation = Conversation(state: try Self.session(#"{"step":{"choosingBank":{"codes":[],"page":0}},"generation":7,"updatedAt":811692800}"#))
        let effects = conversation.handle(.button("7:p:1"), context: Self.context())
        #expect(Self.texts(effects) == [Self.strings.text("payout.unavailable", .id)])
    }

    // MARK: conversation

    /// `Regressions/conversation/unpriced-product.txt`: a prepaid product Flowix lists without a
    /// price, asked for in free text, got no answer at all (`showConfirmation` returned silently).
    /// Such products are not offered; a stale choice of one is "unavailable".
    @Test func anUnpricedProductIsNeverASilence() {
        let products = [
            ProductOffer(code: "SMART10", name: "Smartfren 10.000", category: .pulsa, brand: "Smartfren", sellPrice: nil),
            ProductOffer(code: "TSEL10", name: "Telkomsel 10.000", category: .pulsa, brand: "Telkomsel", sellPrice: Rupiah(11_000)),
        ]
        var conversation = Conversation(state: ConversationState(updatedAt: Self.now))
        let effects = conversation.handle(.text("smartfren 10rb 08812345678"), context: Self.context(products: products))
        #expect(!effects.isEmpty)
        #expect(Self.texts(effects).first?.contains(Self.strings.text("search.none", .id)) == true)

        // A list shown while it had a price, chosen after the price disappeared.
        var stale = Conversation(state: ConversationState(
            step: .choosingProduct(codes: ["SMART10", "TSEL10"], page: 0, target: "08812345678"), generation: 3, updatedAt: Self.now))
        let chosen = stale.handle(.button("3:o:0"), context: Self.context(products: products))
        #expect(Self.texts(chosen).first == Self.strings.text("purchase.unavailable", .id))

        // The brand picker only offers brands with something to buy.
        var menu = Conversation(state: ConversationState(updatedAt: Self.now))
        let brands = menu.handle(.button(CallbackData.menu(.pulsa)), context: Self.context(products: products))
        let titles = brands.flatMap { effect -> [String] in
            if case .send(let reply) = effect { return reply.buttons.flatMap { $0 }.map(\.title) } else { return [] }
        }
        #expect(!titles.contains("Smartfren"))
    }

    // MARK: understanding

    /// `Regressions/understanding/amount-beside-a-data-size.bin`: "…48 ribu … tsel 5gb" confirmed
    /// the 5 GB package, dropping the amount typed beside the size (a package has no face value to
    /// match it against). The customer now chooses, and sees the real price.
    @Test func anAmountBesideADataSizeIsNeverConfirmedAway() {
        let products = [
            ProductOffer(code: "TSELD5GB", name: "Telkomsel Data 5GB 30 Hari", category: .data, brand: "Telkomsel", sellPrice: Rupiah(53_000)),
            ProductOffer(code: "TSELD10GB", name: "Telkomsel Data 10GB 30 Hari", category: .data, brand: "Telkomsel", sellPrice: Rupiah(86_000)),
        ]
        func match(_ typed: String) -> ProductMatch? {
            ProductMatch.of(Utterance.read(typed, vocabulary: Self.strings.vocabulary, banks: [], catalogue: products), in: products)
        }
        #expect(match("pulsa 456lsa telk 48 ribu 5e 86241-50 sekl 5gb") == .choose([products[0]]))
        #expect(match("data tsel 5gb 48 ribu 081234567890") == .choose([products[0]]))
        #expect(match("data tsel 5gb 081234567890") == .one(products[0]))
    }

    // MARK: callback-data

    /// `Regressions/callback-data/deposit-*-without-reference.txt`: `d:s:` asked Flowix for the
    /// status of deposit "" (an effect with an empty reference).
    @Test func aDepositButtonWithoutAReferenceIsStale() {
        #expect(CallbackData.depositStatus("d:s:") == nil)
        #expect(CallbackData.depositCancel("d:c:") == nil)
        #expect(CallbackData.depositStatus("d:s:DEP-1") == "DEP-1")
        var conversation = Conversation(state: ConversationState(updatedAt: Self.now))
        let effects = conversation.handle(.button("d:s:"), context: Self.context())
        #expect(!effects.contains { if case .checkDeposit = $0 { return true } else { return false } })
        #expect(Self.texts(effects).first == Self.strings.text("session.expired", .id))
    }

    // MARK: command-parser

    /// `Regressions/command-parser/margin-percent-overflow*.txt`: `whole * 100` trapped in
    /// `AdminCommandParser.marginValue` for 17 or more digits (the fuzzer's input was
    /// `599999999999999902%`); `0,-5%` was read as a negative margin. Fixed in 4a9df23.
    @Test(arguments: ["9223372036854775807%", "599999999999999902%", "99999999999999999%", "0,-5%", "1,+5%", "+2%", "101%"])
    func anImpossibleMarginIsTheUsageText(_ value: String) async {
        await #expect(processExitsWith: .success) { [value] in
            _ = CommandParser.parse("/margin set semua \(value)", isAdmin: true)
        }
        #expect(CommandParser.parse("/margin set semua \(value)", isAdmin: true) == .admin(.failure(AdminUsage(key: "admin.usage.margin"))))
    }

    // MARK: timestamp

    /// `Regressions/timestamp/instant-*.bin`: writing an instant outside `Int64` seconds (a
    /// corrupt stored time, `loket export`) trapped in `FlowixTimestamp.init(_: Date)`.
    @Test func anyInstantCanBeWritten() async {
        await #expect(processExitsWith: .success) {
            for seconds in [-9.3e18, 9.3e18, -Double.infinity, .infinity, .nan, Double(Int64.min), Double(Int64.max)] {
                _ = FlowixTimestamp(Date(timeIntervalSince1970: seconds))
            }
        }
        #expect(FlowixTimestamp(Date(timeIntervalSince1970: 9.3e18)).text == "9999-12-31 23:59:59")
        #expect(FlowixTimestamp(Date(timeIntervalSince1970: -9.3e18)).text == "0001-01-01 00:00:00")
        #expect(FlowixTimestamp(Date(timeIntervalSince1970: .nan)).text == "0001-01-01 00:00:00")
        #expect(FlowixTimestamp(Date(timeIntervalSince1970: 1_698_222_600)).text == "2023-10-25 15:30:00")
    }

    /// `Regressions/timestamp/year-300-billion.txt`, `leap-second-after-9999.txt`: a year so large
    /// that the day count overflowed (a trap on reading a Flowix timestamp), and the one leap
    /// second past the last writable instant.
    @Test func aTimestampOutsideTheYears1To9999HasNoInstant() async {
        await #expect(processExitsWith: .success) {
            _ = FlowixTimestamp("300000000000-01-01 00:00:00").date
            _ = FlowixTimestamp("-9223372036854775807-01-01 00:00:00").date
        }
        #expect(FlowixTimestamp("300000000000-01-01 00:00:00").date == nil)
        #expect(FlowixTimestamp("10000-01-01 00:00:00").date == nil)
        #expect(FlowixTimestamp("9999-12-31 23:59:60").date == nil)
        #expect(FlowixTimestamp("9999-12-31 23:59:59").date == Date(timeIntervalSince1970: 253_402_300_799 - 7 * 3600))
        #expect(FlowixTimestamp("2023-10-25 15:30:00").date == Date(timeIntervalSince1970: 1_698_222_600))
    }

    // MARK: locale, locale-yaml

    /// `Regressions/locale/unmatched-brace.bin`: a template with a `{` that never closes
    /// repeated the text before it (`a {b` became `a a {b`).
    @Test func anUnclosedBraceRendersAsWritten() {
        let strings = LocaleStrings(tables: [.id: ["k": "Saldo {balance} untuk {name} {{ganda}} {tanpa tutup"]])
        #expect(strings.text("k", .id, ["balance": "Rp1", "name": "<b>"]) == "Saldo Rp1 untuk &lt;b&gt; {{ganda}} {tanpa tutup")
        #expect(strings.text("k", .id) == "Saldo {balance} untuk {name} {{ganda}} {tanpa tutup")
    }

    /// `Regressions/locale/placeholder-named-like-the-unknown-value.bin`: the fuzzer wrote a
    /// template whose placeholder had the very name the property used as "unknown"; the property
    /// was wrong, not the renderer. A placeholder is filled by its own name only, and a name with
    /// a `}` (the property's unknown name now) can never be one.
    @Test func aPlaceholderIsFilledByItsOwnNameOnly() {
        let strings = LocaleStrings(tables: [.id: ["k": "a {\u{1}unused} b {name}"]])
        #expect(strings.text("k", .id, ["\u{1}unused": "x"]) == "a x b {name}")
        #expect(strings.text("k", .id, ["un}used": "x"]) == "a {\u{1}unused} b {name}")
    }

    /// `Regressions/locale-yaml/*-as-key.yaml`: Yams' `load` force-unwraps a mapping key that is
    /// not text; a locale file with one now is a clear error.
    @Test(arguments: ["? <<: M", "? \n- a \n", "? [a, b]\n: c\n", "{[1]: x}"])
    func aLocaleFileWithAKeyThatIsNotTextIsAnError(_ yaml: String) async {
        await #expect(processExitsWith: .success) { [yaml] in
            _ = try? LocaleLoader.table(from: yaml, file: "x.yaml")
        }
        #expect(throws: LocaleLoadingError.self) { try LocaleLoader.table(from: yaml, file: "x.yaml") }
    }

    @Test func localeFilesReadAsBefore() throws {
        let table = try LocaleLoader.table(from: "a: \"x {name}\"\nb: 'y'\nc: plain text\n\"d.e\": |\n  two\n  lines\nf: &k z\ng: *k\n", file: "x.yaml")
        #expect(table == ["a": "x {name}", "b": "y", "c": "plain text", "d.e": "two\nlines\n", "f": "z", "g": "z"])
        for yaml in ["a: 1", "a: yes", "a: ~", "a: [1]", "- x", "", "a: 'x'\n---\nb: 'y'"] {
            #expect(throws: LocaleLoadingError.self, "\(yaml.debugDescription)") { try LocaleLoader.table(from: yaml, file: "x.yaml") }
        }
    }

    // MARK: HTML escaping

    /// `Regressions/conversation/combining-mark-after-less-than.txt`: a first name `<\u{301}b>`
    /// reached Telegram as a raw `<` (escape() compared grapheme clusters, and `<` followed by a
    /// combining mark or a zero-width joiner is not `"<"`), so the greeting was refused. It now
    /// escapes code points.
    @Test(arguments: ["<\u{301}b>", "&\u{301}", ">\u{301}", "<\u{200D}", "a<\u{7FD}"])
    func escapingWorksOnCodePoints(_ text: String) {
        // Checked code point by code point, as Telegram reads it (String comparisons would group
        // the combining mark with the `;` before it).
        let scalars = Array(HTML.escape(text).unicodeScalars)
        #expect(!scalars.contains("<") && !scalars.contains(">"), "\(HTML.escape(text).debugDescription)")
        let entities = ["&amp;", "&lt;", "&gt;"].map { Array($0.unicodeScalars) }
        for (index, scalar) in scalars.enumerated() where scalar == "&" {
            #expect(entities.contains { Array(scalars[index...].prefix($0.count)) == $0 }, "a bare & in \(HTML.escape(text).debugDescription)")
        }
    }

    // MARK: message-parts

    /// `Regressions/message-parts/tag-before-combining-mark.bin`: a closing tag followed by a
    /// combining mark (a value that starts with one, right after `</b>`) was not recognised as a
    /// tag, so a long reply was split into parts whose tags did not balance. Pieces are now found
    /// by code point.
    @Test func aTagFollowedByACombiningMarkIsStillATag() {
        let html = "<b>" + String(repeating: "aaaa ", count: 900) + "</b>\u{301}" + String(repeating: " bbbb", count: 10)
        let parts = MessageParts.split(html)
        func balanced(_ part: String) -> Bool {
            var open: [String] = []
            var rest = Substring(part).unicodeScalars
            while let start = rest.firstIndex(of: "<"), let end = rest[start...].firstIndex(of: ">") {
                let name = String(String.UnicodeScalarView(rest[rest.index(after: start)..<end]))
                if name.hasPrefix("/") {
                    guard open.last == String(name.dropFirst()) else { return false }
                    open.removeLast()
                } else {
                    open.append(name)
                }
                rest = rest[rest.index(after: end)...]
            }
            return open.isEmpty
        }
        let unbalanced = parts.filter { !balanced($0) }.map { String($0.suffix(40)) }
        #expect(unbalanced.isEmpty)
    }

    // MARK: message-parts, fixed

    /// `Regressions/message-parts/closing-tags-over-limit.bin`: a tag opened just before a split
    /// was closed at the end of the part without its closing tag having been counted, so the
    /// part was longer than the limit (4,099 characters, which `sendMessage` refuses). An
    /// opening tag now costs its closing tag too.
    @Test func aPartWithATagOpenAtTheSplitStaysWithinTheLimit() {
        let html = String(repeating: "x ", count: 2_046) + "<b>yyyy</b>"
        let parts = MessageParts.split(html)
        #expect(parts.allSatisfy { $0.utf16.count <= MessageParts.textLimit }, "\(parts.map(\.utf16.count))")
        #expect(parts.joined().replacingOccurrences(of: "</b><b>", with: "") == html)
    }
}
