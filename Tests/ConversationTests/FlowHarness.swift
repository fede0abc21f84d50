import Conversation
import Foundation
import Locales
import Money

/// Drives a ``Conversation`` through inputs with a fixed clock and catalogue.
struct FlowHarness {
    static let strings: LocaleStrings = {
        do { return try LocaleLoader.load(from: LocaleLoader.defaultDirectory()) } catch { return LocaleStrings(tables: [:]) }
    }()

    static let products: [ProductOffer] = [
        ProductOffer(code: "TSEL5", name: "Telkomsel 5.000", category: .pulsa, brand: "Telkomsel", sellPrice: Rupiah(5_900)),
        ProductOffer(code: "TSEL10", name: "Telkomsel 10.000", category: .pulsa, brand: "Telkomsel", sellPrice: Rupiah(10_950)),
        ProductOffer(code: "TSEL25", name: "Telkomsel 25.000", category: .pulsa, brand: "Telkomsel", sellPrice: Rupiah(25_350)),
        ProductOffer(code: "ISAT10", name: "Indosat 10.000", category: .pulsa, brand: "Indosat", sellPrice: Rupiah(11_300)),
        ProductOffer(code: "XL10", name: "XL 10.000", category: .pulsa, brand: "XL", sellPrice: Rupiah(11_150)),
        ProductOffer(code: "TSELD5GB", name: "Telkomsel Data 5GB", category: .data, brand: "Telkomsel", sellPrice: Rupiah(52_500)),
        ProductOffer(code: "XLD6GB", name: "XL Xtra Combo 6GB", category: .data, brand: "XL", sellPrice: Rupiah(48_500), isAvailable: false),
        ProductOffer(code: "DANA50", name: "Saldo DANA 50.000", category: .emoney, brand: "DANA", sellPrice: Rupiah(51_400)),
        ProductOffer(code: "ML86", name: "Mobile Legends 86 Diamond", category: .game, brand: "Mobile Legends", sellPrice: Rupiah(20_400)),
        ProductOffer(code: "PLN20", name: "Token PLN 20.000", category: .pln, brand: "PLN", sellPrice: Rupiah(20_700)),
        ProductOffer(code: "PLN50", name: "Token PLN 50.000", category: .pln, brand: "PLN", sellPrice: Rupiah(50_700)),
        ProductOffer(code: "PLNPOST", name: "PLN Pascabayar", category: .bill, brand: "PLN", sellPrice: nil),
        ProductOffer(code: "BPJSKES", name: "BPJS Kesehatan", category: .bill, brand: "BPJS", sellPrice: nil),
    ] + (1...12).map { ProductOffer(code: "XTRA\($0)", name: "Extra \($0)", category: .pulsa, brand: "Axis", sellPrice: Rupiah(Int64(1_000 * $0))) }

    var conversation = Conversation(state: ConversationState(updatedAt: Date(timeIntervalSince1970: 1_790_000_000)))
    var now = Date(timeIntervalSince1970: 1_790_000_000)
    var customer = Customer(id: 42, firstName: "Budi", level: "member", balance: Rupiah(100_000)!, pin: .set)
    var pinAbove: Rupiah?
    /// The Telegram message the next input comes from.
    var messageID: Int64? = 500
    var products = FlowHarness.products
    var recent: [RecentPurchase] = []
    var hours = ShopHours()
    var language = Language.id
    var banks = [BankOption(code: "BCA", name: "BANK CENTRAL ASIA", isEWallet: false), BankOption(code: "DANA", name: "DANA", isEWallet: true)]

    var context: ConversationContext {
        ConversationContext(
            now: now, customer: customer, language: language, strings: Self.strings, products: products, recentPurchases: recent,
            depositOptions: [
                DepositOption(code: "QRISFAST", name: "QRIS Fast", minimum: Rupiah(1_000)!, maximum: Rupiah(2_000_000)!, fee: .zero, isQRIS: true),
                DepositOption(code: "QRIS", name: "QRIS (All Payment)", minimum: Rupiah(1_000)!, maximum: Rupiah(5_000_000)!, fee: Rupiah(700)!, isQRIS: true),
            ],
            banks: banks, hours: hours, pinAbove: pinAbove, messageID: messageID)
    }

    @discardableResult
    mutating func send(_ text: String) -> [Effect] { conversation.handle(.text(text), context: context) }

    @discardableResult
    mutating func input(_ input: Input) -> [Effect] { conversation.handle(input, context: context) }

    /// Presses the button whose title contains `title` in the last reply of `effects`.
    @discardableResult
    mutating func press(_ title: String, in effects: [Effect]) -> [Effect] {
        guard let button = Self.buttons(effects).first(where: { $0.title.contains(title) }) else {
            return [.send(Reply("NO BUTTON \(title) among \(Self.buttons(effects).map(\.title))"))]
        }
        return conversation.handle(.button(button.data), context: context)
    }

    static func buttons(_ effects: [Effect]) -> [Button] {
        effects.compactMap { if case .send(let reply) = $0 { return reply } else { return nil } }.last?.buttons.flatMap { $0 } ?? []
    }

    static func texts(_ effects: [Effect]) -> [String] {
        effects.compactMap { if case .send(let reply) = $0 { return reply.text } else { return nil } }
    }

    static func text(_ effects: [Effect]) -> String { texts(effects).joined(separator: "\n---\n") }

    var step: Step { conversation.state.step }
}
