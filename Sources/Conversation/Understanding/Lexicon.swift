/// The words Loket's requests are made of, after slang is read (``Vocabulary``): what each one
/// says about the category, brand, intent or amount of a request.
enum Lexicon {
    static let categories: [String: Category] = [
        "pulsa": .pulsa, "data": .data, "paket": .data, "kuota": .data, "token": .pln, "emoney": .emoney,
        "game": .game, "games": .game, "diamond": .game, "diamonds": .game, "dm": .game, "voucher": .game, "uc": .game,
    ]
    /// Brands that are not operators, with the category they sell in.
    static let brands: [String: (brand: String, category: Category)] = [
        "dana": ("DANA", .emoney), "ovo": ("OVO", .emoney), "gopay": ("GoPay", .emoney), "shopeepay": ("ShopeePay", .emoney),
        "linkaja": ("LinkAja", .emoney), "ml": ("Mobile Legends", .game), "mlbb": ("Mobile Legends", .game),
        "ff": ("Free Fire", .game), "freefire": ("Free Fire", .game), "pubg": ("PUBG", .game),
    ]
    /// Two-word names, read as one word.
    static let pairs: [String: String] = [
        "mobile legends": "ml", "mobile legend": "ml", "free fire": "ff", "shopee pay": "shopeepay", "link aja": "linkaja",
        "terima kasih": "makasih", "thank you": "makasih", "top up": "isi", "tambah saldo": "isi saldo", "go pay": "gopay",
        "pasca bayar": "pascabayar", "e money": "emoney", "how to": "gimana", "voucher pulsa": "pulsa", "pulsa data": "data",
        "paket data": "data", "paket internet": "data", "pulsa listrik": "token", "pulsa pln": "token",
        "voucher game": "game", "gak jadi": "batal", "ga jadi": "batal", "nggak jadi": "batal", "ngga jadi": "batal",
        "tidak jadi": "batal", "gk jadi": "batal", "g jadi": "batal", "ndak jadi": "batal",
        "gak masuk": "belum", "ga masuk": "belum", "gk masuk": "belum", "tidak masuk": "belum", "nggak masuk": "belum",
        "salah nomor": "salah", "salah no": "salah", "salah kirim": "salah", "sudah masuk": "makasih", "udah masuk": "makasih",
        "sdh masuk": "makasih", "masih proses": "pending", "tokennya mana": "belum", "token mana": "belum",
        "pulsanya mana": "belum", "sn mana": "belum", "snnya mana": "belum", "kok belum": "belum", "belum pernah": "",
    ]
    static let plnWords: Set<String> = ["pln", "listrik"]
    /// Words that make a request a bill on their own.
    static let billWords: Set<String> = ["tagihan", "pascabayar", "iuran", "postpaid", "pasca"]
    /// "bayar": a bill when nothing else is named, or with PLN ("bayar listrik").
    static let payWords: Set<String> = ["bayar"]
    /// Words that take back the word after them ("bukan xl", "jangan token").
    static let negations: Set<String> = ["bukan", "jangan", "bkn"]
    /// Bills named by what they are for.
    static let billBrands: [String: String] = ["bpjs": "BPJS", "pdam": "PDAM", "air": "PDAM"]
    static let units: [String: Int64] = ["rb": 1_000, "ribu": 1_000, "k": 1_000, "jt": 1_000_000, "juta": 1_000_000]
    static let sizeUnits: Set<String> = ["gb"]
    /// Words that put the means of payment after them ("… pakai dana").
    static let paymentWords: Set<String> = ["pakai", "pake", "pakek", "lewat", "dari", "dgn", "dengan", "via"]
    /// Words that put a destination or a bank after them.
    static let connectors: Set<String> = ["ke", "to", "via", "kerekening", "rekening", "rek", "akun"]

    static let cues: [String: RequestCue] = [
        "deposit": .deposit, "isi": .fill, "tambah": .fill, "saldo": .balance, "tarik": .withdraw, "riwayat": .history,
        "transaksi": .transaction, "harga": .price, "berapa": .howMuch, "bantuan": .help, "help": .help, "cara": .help,
        "gimana": .help, "panduan": .help, "tutorial": .help, "bingung": .help, "halo": .greeting,
        "assalamualaikum": .greeting, "salam": .greeting, "pagi": .greeting, "siang": .greeting, "sore": .greeting,
        "malam": .greeting, "selamat": .greeting, "p": .greeting, "ping": .greeting, "tes": .greeting, "test": .greeting,
        "makasih": .thanks, "menu": .menu, "start": .menu, "mulai": .menu, "batal": .cancel, "cancel": .cancel,
        "belum": .complaint, "blm": .complaint, "gagal": .complaint, "status": .complaint, "sn": .complaint,
        "refund": .complaint, "pending": .complaint, "nyangkut": .complaint, "komplain": .complaint, "complain": .complaint,
        "error": .complaint, "salah": .complaint, "tarif": .price,
    ]

    /// Words that call the shop's attention ("min?", "kak").
    static let calls: Set<String> = ["min", "mimin", "admin", "kak", "kakak", "ka", "gan", "agan", "bang", "sis", "om"]

    /// The words a typo may be corrected into: what names a category, a bill or a request, four
    /// letters or more; never a number word, a unit, slang, or a word that cancels or complains.
    static let correctable: [String] = Set(categories.keys).union(plnWords).union(billWords).union(payWords).union(billBrands.keys)
        .union(["deposit", "saldo", "tarik", "riwayat", "transaksi", "harga", "bantuan", "makasih"])
        .filter { $0.count >= 4 }.sorted()
    /// Brands and operators a typo of five letters or more may be corrected into.
    static let correctableBrands: [String] = Set(brands.keys).union(Operator.aliases.keys).filter { $0.count >= 4 }.sorted()

    /// Every word this table knows, for the typo corrector.
    static let known: Set<String> = Set(categories.keys).union(brands.keys).union(Operator.aliases.keys).union(plnWords)
        .union(billWords).union(payWords).union(negations).union(billBrands.keys).union(units.keys).union(sizeUnits).union(connectors).union(cues.keys)
        .union(NumberWords.words)
}

/// What a word asks for, when it is not a product word.
public enum RequestCue: Sendable {
    case deposit, fill, balance, withdraw, history, transaction, price, howMuch, help, greeting, thanks, menu, cancel
    /// "belum masuk", "gagal", "status", "refund": a question about an order already made.
    case complaint
}
