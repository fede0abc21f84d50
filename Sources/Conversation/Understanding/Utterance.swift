/// What one free-text message says, slot by slot, independent of word order: the words that
/// ask for something (``Lexicon/Cue``), the product it names, an amount, a data size, a
/// destination and a bank. Read by ``Utterance/read(_:vocabulary:banks:catalogue:)``; decided on by the
/// conversation.
public struct Utterance: Sendable {
    /// The words after normalisation, slang and typo correction.
    public internal(set) var words: [String] = []
    public internal(set) var cues: Set<RequestCue> = []
    public internal(set) var category: Category?
    public internal(set) var brand: String?
    /// `pln` or `listrik`: a PLN token or the PLN bill, depending on the rest.
    public internal(set) var mentionsPLN = false
    /// A bill word (`tagihan`, `iuran`, …).
    public internal(set) var mentionsBill = false
    /// `bayar`: a bill unless a product is named.
    public internal(set) var mentionsPay = false
    /// `BPJS` or `PDAM` when named.
    public internal(set) var billBrand: String?
    /// An amount with a unit, separators or a currency (`50rb`, `Rp50.000`, `lima puluh ribu`).
    public internal(set) var amount: Int64?
    /// A small number without a unit (`tsel 20`, `ml 86`): thousands, or a count of diamonds.
    public internal(set) var bareNumber: Int64?
    /// A data size in GB (`10gb`, `10 gb`, `10 giga`).
    public internal(set) var sizeGB: Int64?
    /// The digits that make up a destination, as typed, in order.
    public internal(set) var destinationParts: [String] = []
    /// The bank or e-wallet code named, and whether it came after `ke`/`to`/`via`.
    public internal(set) var bank: (code: String, afterConnector: Bool)?
    /// Every amount typed, in order, when there was more than one ("10rb sama 20rb").
    public internal(set) var amountsTyped: [Int64] = []
    /// A slot was typed twice with different values, or an explicit amount and a bare number
    /// both: never a single product.
    public internal(set) var conflicting = false
    /// Whether the word just read was part of the destination (while reading).
    var continuesDestination = false
    /// Words that meant nothing here.
    public internal(set) var unknown: [String] = []

    /// Whether a product was named at all.
    public var namesProduct: Bool { category != nil || brand != nil || mentionsPLN || sizeGB != nil }

    /// The destination for a kind of target: a game id keeps its zone apart, anything else is
    /// one run of digits.
    public func destination(for kind: TargetKind?) -> String? {
        guard !destinationParts.isEmpty else { return nil }
        return kind == .gameID ? destinationParts.joined(separator: " ") : destinationParts.joined()
    }

    /// The destination read as a mobile number, when it is one.
    public var phone: PhoneNumber? {
        destination(for: .phone).flatMap { try? PhoneNumber.parse($0).get() }
    }
}
