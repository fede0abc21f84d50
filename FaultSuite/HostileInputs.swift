import Foundation

/// SplitMix64 (Steele, Lea & Flood, 2014): a tiny generator whose whole state is one `UInt64`,
/// so a printed seed reproduces a run's inputs exactly (unlike `SystemRandomNumberGenerator`).
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// What kind of hostile input one update carries (the summary counts them by these names).
enum HostileKind: String, CaseIterable, Sendable {
    case text, number, command, owner, purchase, reseller
    /// A sensible answer to the question on screen (an amount, an account or phone number), so flows reach their end.
    case answer
    /// Buttons: the latest one the bot sent to the chat, an older one, random bytes, a variation of a real one.
    case fresh, stale, bytes, mutated

    var isButton: Bool { [.fresh, .stale, .bytes, .mutated].contains(self) }
}

/// What a reply to an input must say.
enum HostileExpectation: Sendable {
    /// A customer's owner command: refused, never acted on.
    case refusal
    /// A customer's `/cek` of another customer's reference: not found, nothing shown.
    case notFound
    /// A customer's press of another customer's deposit button (`d:s:REF`, `d:c:REF`): nothing
    /// about that deposit may come back.
    case hidesDeposit(String)

    /// Any one of these in a reply will do (either language; a blocked account or a quarantined
    /// update are answered with their own text).
    var accepted: [String] {
        let common = ["diblokir oleh admin", "blocked by the shop's admin", "tidak bisa kami proses", "could not handle your last request"]
        switch self {
        case .refusal: return ["khusus admin toko", "for the shop's admins only"] + common
        case .notFound: return ["tidak ditemukan", "was not found"] + common
        case .hidesDeposit: return []
        }
    }
}

/// One update the hostile chat sends: a message or a button press.
struct HostileInput: Sendable {
    let chat: Int64
    let kind: HostileKind
    /// The message text, or `nil` for a button press.
    let text: String?
    /// The callback data of a button press.
    let data: String?
    let firstName: String
    var expectation: HostileExpectation?

    var isButton: Bool { data != nil }

    /// The input as a Swift literal (escaped, long ones shortened), for failure reports.
    var shown: String {
        let raw = text ?? data ?? ""
        var literal = ""
        for scalar in raw.unicodeScalars.prefix(160) {
            switch scalar {
            case "\\": literal += "\\\\"
            case "\"": literal += "\\\""
            case "\n": literal += "\\n"
            case "\t": literal += "\\t"
            case "\r": literal += "\\r"
            case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.properties.generalCategory == .format
                || scalar.properties.generalCategory == .lineSeparator || scalar.properties.generalCategory == .paragraphSeparator:
                literal += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            default: literal.unicodeScalars.append(scalar)
            }
        }
        let count = raw.unicodeScalars.count
        let tail = count > 160 ? "… (\(count) scalars, \(raw.utf8.count) bytes)" : ""
        return (isButton ? "button " : "") + "\"\(literal)\"" + tail
    }
}

/// What a chat's generator knows when it picks the next input: the messages the bot delivered
/// to this chat (with their buttons) and the references seen anywhere.
struct ChatView: Sendable {
    var messages: [(text: String, buttons: [String])] = []
    var refs: [String] = []
    /// The chat each reference was first delivered to.
    var owners: [String: Int64] = [:]
}

/// Produces one chat's hostile inputs from its own SplitMix64 stream, so a chat's sequence
/// depends on the seed and on what the bot answered, not on how the chats interleave.
struct HostileGenerator {
    let chat: Int64
    let isAdmin: Bool
    let customers: [Int64]
    let admin: Int64
    private var rng: SplitMix64
    private(set) var firstName: String
    /// At most a few broadcasts in a whole run (each one goes to every user at 30 messages/s).
    private var broadcastsLeft = 2
    /// A reseller with money: asks to withdraw now and then, so payouts happen too.
    var withdraws = false

    init(seed: UInt64, chat: Int64, isAdmin: Bool, customers: [Int64], admin: Int64) {
        self.chat = chat
        self.isAdmin = isAdmin
        self.customers = customers
        self.admin = admin
        // One independent stream per chat: the seed mixed with the chat id.
        var mixer = SplitMix64(seed: seed ^ (UInt64(bitPattern: chat) &* 0xD6E8_FEB8_6659_FD93))
        rng = SplitMix64(seed: mixer.next())
        firstName = ""
        firstName = pick(Self.names)
    }

    // MARK: Randomness

    mutating func chance(_ probability: Double) -> Bool {
        Double(rng.next() >> 11) / Double(UInt64(1) << 53) < probability
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }

    mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }

    mutating func digits(_ count: Int) -> String {
        String((0..<count).map { _ in Character(String(int(0...9))) })
    }

    /// Picks a kind by weight.
    mutating func weighted<T>(_ table: [(T, Int)]) -> T {
        var roll = int(0...(table.map(\.1).reduce(0, +) - 1))
        for (item, weight) in table {
            if roll < weight { return item }
            roll -= weight
        }
        return table[0].0
    }

    // MARK: The next input

    mutating func next(_ view: ChatView) -> HostileInput {
        if chance(0.02) { firstName = pick(Self.names) }
        let withButtons = view.messages.enumerated().filter { !$0.element.buttons.isEmpty }
        // A confirmation on screen: press Beli / Tarik / Bayar often, so money actually moves.
        if let last = withButtons.last, last.offset == view.messages.count - 1,
           let confirm = last.element.buttons.first(where: { $0.hasSuffix(":ok") }), chance(isAdmin ? 0.3 : 0.55) {
            return button(.fresh, confirm)
        }
        // A question on screen: answer it sensibly now and then; a choice on screen: pick one.
        if let last = view.messages.last {
            if let answer = answer(to: last.text), chance(0.6) { return message(.answer, answer) }
            let choices = last.buttons.filter { $0.contains(":o:") || $0.contains(":p:") }
            if !choices.isEmpty, chance(0.35) { return button(.fresh, pick(choices)) }
        }
        if withdraws, chance(0.08) { return message(.command, pick(["/tarik", "tarik saldo", "wd", "/tf"])) }
        let table: [(HostileKind, Int)] = isAdmin
            ? [(.owner, 58), (.command, 8), (.purchase, 7), (.reseller, 5), (.text, 7), (.number, 3), (.fresh, 8), (.stale, 2), (.bytes, 1), (.mutated, 1)]
            : [(.text, 13), (.number, 6), (.command, 17), (.owner, 9), (.purchase, 12), (.reseller, 10), (.fresh, 19), (.stale, 5), (.bytes, 4), (.mutated, 5)]
        var kind = weighted(table)
        if kind.isButton, kind != .bytes, withButtons.isEmpty { kind = .command }
        if kind == .stale, withButtons.count < 2 { kind = .fresh }
        switch kind {
        case .text, .answer: return message(.text, randomText())
        case .number: return message(.number, numberish())
        case .command: return customerCommand(view)
        case .owner: return ownerCommand(view)
        case .purchase: return message(.purchase, purchasePhrase())
        case .reseller: return message(.reseller, resellerFormat())
        case .fresh:
            let buttons = withButtons.last!.element.buttons
            return button(.fresh, pick(buttons))
        case .stale:
            let older = withButtons.dropLast()
            return button(.stale, pick(pick(Array(older)).element.buttons))
        case .bytes: return button(.bytes, randomBytes())
        case .mutated:
            let all = withButtons.flatMap(\.element.buttons)
            let data = mutate(pick(all), view)
            // Another customer's deposit: nothing about it may come back.
            let ref = data.hasPrefix("d:c:") || data.hasPrefix("d:s:") ? String(data.dropFirst(4)) : ""
            let foreign = !isAdmin && view.owners[ref].map { $0 != chat } == true
            return button(.mutated, data, expecting: foreign ? .hidesDeposit(ref) : nil)
        }
    }

    private func message(_ kind: HostileKind, _ text: String, expecting expectation: HostileExpectation? = nil) -> HostileInput {
        HostileInput(chat: chat, kind: kind, text: text, data: nil, firstName: firstName, expectation: expectation)
    }

    private func button(_ kind: HostileKind, _ data: String, expecting expectation: HostileExpectation? = nil) -> HostileInput {
        HostileInput(chat: chat, kind: kind, text: nil, data: data, firstName: firstName, expectation: expectation)
    }

    // MARK: Text

    static let names = ["Budi", "Siti Rahayu", "<b>Agus</b>", "Dewi & Co", "𝓑𝓾𝓭𝓲 🤖", "\u{202E}ﻣﺮﺣﺒﺎ", "{name} {balance}", "Ani\u{200B}\u{200D}",
                        "👨‍👩‍👧‍👦🇮🇩", "' OR 1=1; --", "Rina </code><i>", "Tono\u{0007}", String(repeating: "W", count: 64), "李小龍", "Ζωή"]

    static let words = ["pulsa", "saldo", "beli", "halo", "min", "ke", "rb", "k", "ok", "ya", "dong", "kak", "tolong", "gan", "/", ".", ",", "%", "&", "<",
                        ">", "\"", "'", "\\", "{name}", "{balance}", "<b>", "</b>", "<code>", "</code>", "<a href=\"x\">", "&amp;", "&lt;", "&#0;",
                        "&#xD800;", "${x}", "%@", "%n%s", "'; DROP TABLE users; --", "NULL", "null", "undefined", "NaN", "TSEL10", "LKT-1-1",
                        "DEP-", "/start", "/saldo", "m:menu", "x", "0:ok"]
    static let emoji = ["😀", "👍🏽", "👨‍👩‍👧‍👦", "🏳️‍🌈", "🇮🇩", "❤️", "🤖", "💰", "⚡️", "🧾", "✅", "✖️", "🫠", "🙏🏾", "1️⃣", "©︎"]
    static let rightToLeft = ["مرحبا بك", "שלום", "\u{202E}", "\u{202B}", "\u{202C}", "\u{200F}", "\u{2067}", "\u{2069}", "ﻣﺮﺣﺒﺎ", "۱۲۳", "١٢٣٤"]
    static let zeroWidth = ["\u{200B}", "\u{200C}", "\u{200D}", "\u{2060}", "\u{FEFF}", "\u{00AD}", "\u{034F}", "\u{180E}"]
    static let other = ["你好", "テスト", "한국어", "e\u{0301}\u{0301}\u{0301}", "Z̴̡̛̙a̷̢l̸g̵o̶", "０８１２", "\u{2028}", "\u{2029}", "\u{FFFD}",
                        "\u{FFFF}", "\u{E000}", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "𝟎𝟖𝟏𝟐", "Ⅻ", "½", "²³", "\u{00A0}", "\u{3000}", "  ", "\t", "\n", "\r\n"]

    /// One random Unicode scalar: any plane, no surrogates (impossible in a String) and no NUL.
    mutating func randomScalar() -> Character {
        while true {
            let value: UInt32 = switch int(0...9) {
            case 0...3: UInt32(int(0x20...0x7E))
            case 4: UInt32(int(0x01...0x1F))
            case 5: UInt32(int(0x7F...0x2FF))
            case 6...7: UInt32(int(0x300...0xFFFF))
            default: UInt32(int(0x1_0000...0x10_FFFF))
            }
            if let scalar = Unicode.Scalar(value), value != 0 { return Character(scalar) }
        }
    }

    mutating func controlCharacter() -> String {
        let value = chance(0.7) ? UInt32(int(1...0x1F)) : UInt32(int(0x7F...0x9F))
        return String(Character(Unicode.Scalar(value)!))
    }

    /// Random text: words, emoji, right-to-left, zero-width and control characters, any scalar;
    /// mostly short, sometimes long, now and then up to Telegram's 4,096.
    mutating func randomText() -> String {
        let length = switch int(0...99) {
        case 0..<70: int(1...40)
        case 70..<90: int(41...400)
        case 90..<96: int(401...4_000)
        default: 4_096
        }
        if chance(0.05) { return String(repeating: pick(["a", "😀", "\u{200B}", "<", "&", "9", "ﻣ"]), count: length) }
        var text = ""
        var scalars = 0
        while scalars < length {
            let piece: String = switch int(0...9) {
            case 0...2: pick(Self.words)
            case 3: pick(Self.emoji)
            case 4: pick(Self.rightToLeft)
            case 5: pick(Self.zeroWidth)
            case 6: controlCharacter()
            case 7: pick(Self.other)
            default: String((0..<int(1...6)).map { _ in randomScalar() })
            }
            text += piece + (chance(0.5) ? " " : "")
            scalars = text.unicodeScalars.count
        }
        var cut = String.UnicodeScalarView(text.unicodeScalars.prefix(length))
        if cut.isEmpty { cut.append("?") }
        return String(cut)
    }

    /// Numbers that parsers love to get wrong.
    mutating func numberish() -> String {
        let base = pick(["9223372036854775807", "9223372036854775808", "-9223372036854775808", "-1", "0", "-0", "1e400", "1E400", "-1e400",
                         "NaN", "inf", "∞", "0x7fffffffffffffff", "1_000", "00000000000000000000", digits(80), digits(20), digits(int(1...30)),
                         "1.5", "1,5", "99999999999999999999%", "١٢٣٤٥٦٧٨٩٠", "０８１２３４５６７８９０", "081234567890", "+6281234567890",
                         "999.999.999.999.999", "1.000.000.000.000", "1,000,000", "50.000,00", "50.000,50", "Rp 50.000,-", "Rp-1", "rp.0",
                         "999999999rb", "999999999jt", "1,999999jt", "0,0000001jt", "18446744073709551616", "-" + digits(40), "⁹²²³", "0" + digits(12)])
        return chance(0.2) ? base + pick(["rb", "k", "jt", " ribu", "%", " juta", ".-", ",-", "e10"]) : base
    }

    /// An amount as people (and attackers) type it.
    mutating func amount() -> String {
        chance(0.75)
            ? pick(["5rb", "10rb", "10 ribu", "25 ribu", "25k", "50k", "50.000", "100000", "20rb", "5000", "10000", "1jt", "1,5jt", "100rb"])
            : pick(["0", "-5rb", "9223372036854775807", "9223372036854775807rb", "1e400", digits(80), "999999999rb", "999999999jt",
                    "1.000.000.000.000.000", "0,5rb", "1,0001k", "-", "rb", "١٠ribu", "１０rb"])
    }

    /// A phone number; the suffix picks a sandbox outcome (0000 fails, 9999 stays processing,
    /// 5000 answers 500, 7777 answers slowly, 8888 an HTML page, 6666 incomplete).
    mutating func phone() -> String {
        let prefix = pick(["0811", "0812", "0813", "0821", "0852", "0814", "0856", "0857", "0817", "0818", "0859", "0877", "0831", "0838",
                           "0895", "0896", "0881", "0889", "0800", "0899"])
        let suffix = weighted([("0000", 12), ("9999", 6), ("5000", 8), ("7777", 2), ("8888", 2), ("6666", 2), ("1111", 3), ("", 65)])
        let middle = int(6...9) - suffix.count
        var number = prefix + digits(max(middle, 0) + (suffix.isEmpty ? 4 : 0)) + suffix
        if chance(0.1) { number = "+62" + number.dropFirst() }
        if chance(0.05) { number = "62" + number.dropFirst() }
        if chance(0.08) { number = number.prefix(4) + "-" + number.dropFirst(4).prefix(4) + "-" + number.dropFirst(8) }
        if chance(0.03) { number = "(" + number.prefix(4) + ") " + number.dropFirst(4) }
        return number
    }

    mutating func meter() -> String {
        let suffix = weighted([("0000", 10), ("9999", 5), ("5000", 5), ("", 80)])
        return digits(int(11...12) - suffix.count) + suffix
    }

    mutating func gameID() -> String {
        chance(0.6) ? digits(int(5...12)) : digits(int(5...12)) + "(" + digits(int(1...6)) + ")"
    }

    static let codes = ["TSEL5", "TSEL10", "TSEL25", "TSEL50", "ISAT10", "ISAT25", "XL10", "XL25", "AXIS10", "TRI10", "SMART10", "XLD6GB",
                        "DANA50", "OVO50", "GOPAY50", "ML5", "ML86", "FF70", "PLN20", "PLN50", "PLN100", "PLNPOST", "BPJSKES", "PDAMSBY"]

    mutating func target(for code: String) -> String {
        if chance(0.12) { return pick([digits(80), "", "😀", "0812😀34567890", "-1", "9223372036854775807", digits(int(1...9)), randomText()]) }
        if code.hasPrefix("PLN") { return meter() }
        if code.hasPrefix("ML") || code.hasPrefix("FF") { return gameID() }
        if code == "BPJSKES" { return digits(13) }
        if code == "PDAMSBY" { return digits(int(5...20)) }
        return phone()
    }

    mutating func purchasePhrase() -> String {
        let op = pick(["telkomsel", "tsel", "simpati", "indosat", "im3", "xl", "axis", "tri", "three", "smartfren", "byu", "as"])
        switch int(0...11) {
        case 0: return "pulsa \(amount()) \(phone())"
        case 1: return "beli pulsa \(op) \(amount()) ke \(phone())"
        case 2: return "token pln \(amount()) \(meter())"
        case 3: return "isi \(op) \(amount()) buat \(phone())"
        case 4: return "paket data \(op) \(phone())"
        case 5: return "dm ml \(pick(["5", "86", "0", "-1", digits(30)])) \(gameID())"
        case 6: return "diamond ff \(pick(["70", "5"])) \(gameID())"
        case 7: return "\(pick(["dana", "ovo", "gopay", "shopeepay", "linkaja"])) \(amount()) \(phone())"
        case 8: return phone()
        case 9: return "tolong isi pulsa \(amount()) ke nomor \(phone()) ya kak \(pick(Self.emoji))"
        case 10: return "\(pick(["isi", "topup", "depo", "top up", "deposit"])) \(amount())"
        default: return "\(pick(["pulsa", "token", "kuota", "game"])) \(amount()) \(pick([phone(), meter(), digits(80), randomText()]))"
        }
    }

    /// The reseller format `CODE.TARGET`, and the ways it goes wrong.
    mutating func resellerFormat() -> String {
        var code = chance(0.9) ? pick(Self.codes) : pick(["XXX", "TSEL", "tsel10", "TSEL10 ", "TSEL١٠", "😀", digits(20), "/TSEL10"])
        if chance(0.1) { code = code.lowercased() }
        let target = target(for: code.uppercased())
        switch int(0...9) {
        case 0: return "\(code) \(target)"
        case 1: return "\(code)..\(target)"
        case 2: return "\(code).\(target).\(digits(4))"
        case 3: return ".\(target)"
        case 4: return "\(code)."
        default: return "\(code).\(target)"
        }
    }

    /// A plausible answer to the bot's question in `prompt` (either language), or `nil` when it asks nothing.
    mutating func answer(to prompt: String) -> String? {
        let text = prompt.lowercased()
        func has(_ words: String...) -> Bool { words.contains { text.contains($0) } }
        if has("tarik berapa", "like to withdraw", "lebih kecil", "smaller amount", "minimal penarikan", "minimum withdrawal") {
            return pick(["10rb", "25rb", "50rb", "100rb", "15.000", "12500"])
        }
        if has("deposit berapa", "like to top up", "nominal deposit", "top-up amount") { return pick(["50rb", "100rb", "200rb", "25.000", "1jt"]) }
        if has("nomor rekening", "account number") {
            return digits(int(6...12)) + weighted([("1111", 10), ("0000", 10), ("7777", 2), ("", 78)])
        }
        if has("terdaftar di", "registered with", "nomor hp", "phone number") { return phone() }
        if has("meter") { return meter() }
        if has("bpjs") { return digits(13) }
        if has("nomor pelanggan", "customer number") { return digits(int(8...12)) }
        if has("id game", "game id") { return gameID() }
        return nil
    }

    // MARK: Commands

    mutating func commandName(_ name: String) -> String {
        var text = "/" + name
        if chance(0.05) { text = text.uppercased() }
        if chance(0.05) { text += pick(["@loket_bot", "@other_bot", "@"]) }
        return text
    }

    mutating func reference(_ view: ChatView) -> String {
        if !view.refs.isEmpty, chance(0.6) { return pick(view.refs) }
        return pick(["LKT-1-1", "LKT-\(chat)-\(digits(6))", "DEP-\(digits(8))", "WD-\(chat)-1", "'; DROP TABLE orders; --", digits(80),
                     "LKT-%", "LKT-_", "<b>x</b>", randomText()])
    }

    /// Another customer's reference in this chat's `/cek`: must not be shown.
    func isForeign(_ ref: String) -> Bool {
        guard !isAdmin, ref.hasPrefix("LKT-") || ref.hasPrefix("WD-") else { return false }
        let parts = ref.split(separator: "-")
        return parts.count >= 3 && Int64(parts[1]) != nil && Int64(parts[1]) != chat
    }

    static let customerCommands = ["start", "menu", "bantuan", "help", "batal", "cancel", "saldo", "balance", "riwayat", "history", "cek",
                                   "harga", "price", "bahasa", "language", "beli", "buy", "tagihan", "bill", "deposit", "topup", "isi",
                                   "tarik", "withdraw", "wd", "tf", "unknowncmd", "start@loket_bot", "saldo\u{200B}"]

    mutating func customerCommand(_ view: ChatView) -> HostileInput {
        let name = pick(Self.customerCommands)
        let head = commandName(name)
        var expectation: HostileExpectation?
        let args: String
        switch name {
        case "cek":
            let ref = reference(view)
            args = chance(0.9) ? ref : ""
        case "harga", "price":
            args = pick(["", "tsel", "pulsa", "PLN", "dana", randomText(), String(repeating: pick(["x", "<", "&", "é"]), count: 4_089)])
        case "bahasa", "language": args = pick(["id", "en", "xx", "", "ID", "EN", "en id", randomText()])
        case "beli", "buy":
            let code = pick(Self.codes)
            args = pick(["", code, "\(code) \(target(for: code))", "\(code) \(phone()) \(phone())", randomText()])
        case "tagihan", "bill":
            let code = pick(["PLNPOST", "BPJSKES", "PDAMSBY", "plnpost", "XXX", "TSEL10"])
            let number = pick([digits(12), digits(13), digits(8) + "1111", digits(int(1...30)), "-1", randomText()])
            args = pick(["", code, "\(code) \(number)", "\(code) \(number) \(number)"])
        case "deposit", "topup", "isi": args = chance(0.8) ? amount() : ""
        default: args = chance(0.15) ? randomText() : ""
        }
        let text = args.isEmpty ? head : head + " " + args
        if let (name, first) = Self.commandWords(of: text), name == "cek", let first, isForeign(first) { expectation = .notFound }
        return message(.command, text, expecting: expectation)
    }

    mutating func userID() -> String {
        switch int(0...19) {
        case 0..<13: return String(pick(customers))
        case 13: return String(admin)
        case 14, 15: return String(int(1...99_999_999))
        default: return pick(["0", "-1", "9223372036854775807", "9223372036854775808", digits(80), "1e400", "abc", "@budi", "７００１", "70001.0",
                              "0x1", "+70001"])
        }
    }

    mutating func adjustmentAmount() -> String {
        chance(0.8)
            ? pick(["10000", "50000", "50.000", "50rb", "100rb", "200rb", "1jt", "1,5jt", "250k", "Rp50.000", "5000", "1"])
            : pick(["0", "-1", "-50000", "9223372036854775807", "999999999999", "1000000000000", "1000000000001", digits(80), "1e400", "50rb,-",
                    "Rp", "NaN", "١٢٣", "50.5", "1,5", "999999999jt"])
    }

    mutating func marginValue() -> String {
        // A third are percentages whose whole part times 100 leaves Int64 (`9223372036854775807%` trapped
        // in AdminCommandParser.marginValue before 4a9df23): the scenario must find such a crash if it comes back.
        if chance(0.35) {
            return pick(["9223372036854775807%", "9223372036854775807,99%", "92233720368547759%", "1" + String(repeating: "0", count: 18) + "%",
                         "9" + digits(18) + "%", digits(int(17...19)) + "%", digits(int(17...19)) + ",5%"])
        }
        return pick(["500", "0", "2%", "1,5%", "1.5%", "100%", "100,01%", "101%", "0%", "0,01%", "92233720368547758%", "-1%", "1,555%",
                     "Rp500", "10000000", "10000001", "1e400", digits(80), "%", ",5%", "5,%", "١٠%", "１０%", "50rb", "1jt", "-500"])
    }

    mutating func ownerCommand(_ view: ChatView) -> HostileInput {
        var names = ["margin", "margin set", "margin set", "margin set", "margin set", "margin hapus", "level", "tambahsaldo", "tambahsaldo", "kurangisaldo", "laporan",
                     "sync", "flowix", "resend", "blokir", "buka", "buka", "pengguna", "karantina", "quarantine"]
        if !isAdmin || broadcastsLeft > 0 { names.append("broadcast") }
        let name = pick(names)
        let head = commandName(String(name.split(separator: " ")[0]))
        let sub = name.split(separator: " ").dropFirst().first.map { " " + $0 } ?? ""
        var args: [String]
        switch name {
        case "margin": args = chance(0.8) ? [] : [randomText()]
        case "margin set":
            let scope = pick(["semua", "all", "kategori:Pulsa", "kategori:x", "category:Games", "brand:Telkomsel", "brand:Mobile_Legends",
                              "produk:TSEL10", "product:tsel5", "operator:XL", "kategori:", "merek:😀", "produk:" + digits(80), ":", "semua:x"])
            args = [scope, marginValue()]
            if chance(0.4) { args.append(pick(["member", "reseller", "agen", "anggota", "x", "MEMBER"])) }
            if chance(0.05) { args.append(randomText()) }
        case "margin hapus": args = [pick([String(int(1...30)), "0", "-1", digits(80), "abc"])]
        case "level": args = [userID(), pick(["member", "reseller", "agen", "anggota", "admin", "RESELLER", ""])]
        case "tambahsaldo", "kurangisaldo":
            args = [userID(), adjustmentAmount()]
            if chance(0.3) { args.append(chance(0.5) ? "bonus promo" : randomText()) }
        case "laporan": args = [pick(["", "hari", "minggu", "bulan", "tahun", "HARI", randomText()])]
        case "broadcast":
            if isAdmin { broadcastsLeft -= 1 }
            args = [pick(["Promo hari ini", "<b>tebal</b> & <i>miring</i>", randomText(), "🎉 Diskon {balance} %s"])]
        case "sync", "flowix", "karantina", "quarantine": args = chance(0.85) ? [] : [randomText()]
        case "resend": args = [reference(view)]
        case "blokir", "buka", "pengguna":
            var id = userID()
            // The admin never blocks itself (nobody could unblock it), nor too many customers at once.
            if name == "blokir", isAdmin, id == String(admin) || chance(0.5) { id = String(int(1...99_999_999)) }
            args = [id]
        default: args = []
        }
        let text = ([head + sub] + args.filter { !$0.isEmpty }).joined(separator: " ")
        // Every owner command of the README, from a customer, must be refused — when the bot reads
        // it as one (a space followed by U+200D is one Character, so the words do not split there).
        let documented = Self.ownerCommands.contains(Self.commandName(of: text) ?? "")
        return message(.owner, text, expecting: isAdmin || !documented ? nil : .refusal)
    }

    static let ownerCommands: Set<String> = ["margin", "level", "tambahsaldo", "kurangisaldo", "laporan", "broadcast", "sync", "flowix", "resend",
                                             "blokir", "buka", "pengguna"]

    /// The command a message names, read as `CommandParser` reads it (words split at Characters
    /// that are a space, a newline or a tab; `@bot` dropped), with its first argument.
    static func commandName(of text: String) -> String? { commandWords(of: text)?.name }

    static func commandWords(of text: String) -> (name: String, first: String?)? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.hasPrefix("/") else { return nil }
        let words = trimmed.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).map(String.init)
        guard var name = words.first.map({ String($0.dropFirst()).lowercased() }) else { return nil }
        if let at = name.firstIndex(of: "@") { name = String(name[..<at]) }
        return (name, words.dropFirst().first)
    }

    // MARK: Buttons

    /// 1 to 64 random bytes (no NUL), made valid UTF-8 and kept within 64 bytes.
    mutating func randomBytes() -> String {
        let bytes = (0..<int(1...64)).map { _ in UInt8(int(1...255)) }
        var text = String(decoding: bytes, as: UTF8.self)
        while text.utf8.count > 64 { text.unicodeScalars.removeLast() }
        return text.isEmpty ? "\u{FFFD}" : text
    }

    /// A real button's data, changed: another generation, an index out of range, another
    /// customer's deposit, an unknown menu item, a byte more or less.
    mutating func mutate(_ data: String, _ view: ChatView) -> String {
        let parts = data.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let huge = pick(["9223372036854775807", "9223372036854775808", "-9223372036854775808", digits(40), "-1", "1e3", "", "０"])
        let roll = int(0...9)
        if roll <= 1, parts.count >= 2, let generation = Int(parts[0]) {
            return ([pick([String(generation &- 1), String(generation &+ 1), "0", huge])] + parts.dropFirst()).joined(separator: ":")
        }
        switch roll {
        case 2 where parts.count == 3:
            return [parts[0], parts[1], pick([huge, String(Int(parts[2]).map { $0 &+ 1 } ?? 0), "8", "99"])].joined(separator: ":")
        case 3:
            let deposits = view.refs.filter { $0.hasPrefix("DEP-") }
            let ref = deposits.isEmpty ? "DEP-" + digits(8) : pick(deposits)
            return pick(["d:c:", "d:s:"]) + ref
        case 4: return "m:" + pick(["", "MENU", "tarik ", "admin", "broadcast", "riwayat\u{0}".replacingOccurrences(of: "\u{0}", with: "\u{1}"), randomText()])
        case 5: return data + pick([":", "ok", "\u{200B}", ":ok", String(randomScalar())])
        case 6: return String(data.dropLast())
        case 7: return parts.reversed().joined(separator: ":")
        default: return pick(["x", "ok", ":ok", "0:ok", "-1:o:0", "1:p:-1", "d:c:", "d:s:", "m:menu", data.uppercased()])
        }
    }
}
