import Money
import Testing
@testable import Conversation

@Suite("Parsing what customers type")
struct ParserTests {
    @Test("amounts", arguments: [
        ("50000", Int64(50_000)), ("50.000", 50_000), ("50,000", 50_000), ("Rp50.000", 50_000), ("Rp 50.000,-", 50_000),
        ("rp50000", 50_000), ("IDR 50.000", 50_000), ("50rb", 50_000), ("50 ribu", 50_000), ("50k", 50_000), ("50K", 50_000),
        ("1jt", 1_000_000), ("1,5jt", 1_500_000), ("1.5 juta", 1_500_000), ("2 juta", 2_000_000), ("1.250.000", 1_250_000),
        ("10.500", 10_500), ("50.000,00", 50_000), ("Rp. 25.000", 25_000), ("  100000  ", 100_000), ("2,5rb", 2_500),
        ("1.000.000.000", 1_000_000_000), ("750", 750),
    ])
    func amounts(text: String, expected: Int64) {
        #expect(AmountParser.parse(text) == .success(Rupiah(expected)!), "\(text)")
    }

    @Test("malformed amounts", arguments: [
        ("", AmountError.empty), ("   ", .empty), ("abc", .notANumber), ("0", .zero), ("Rp0", .zero), ("0rb", .zero),
        ("-5000", .negative), ("Rp -5.000", .negative), ("10.5", .fractional), ("50,5", .fractional), ("1,2345rb", .fractional),
        ("5.00.000", .notANumber), ("50.000.00.0", .notANumber), ("1,000.000", .notANumber), ("1e5", .notANumber),
        ("999999999999999", .tooLarge), ("2000000jt", .tooLarge), ("lima puluh", .notANumber), ("50rbu", .notANumber),
        ("12.34.56", .notANumber), ("💰", .notANumber),
    ])
    func malformedAmounts(text: String, expected: AmountError) {
        #expect(AmountParser.parse(text) == .failure(expected), "\(text)")
    }

    @Test("phone numbers", arguments: [
        ("081234567890", "081234567890", Operator?.some(.telkomsel)), ("0812-3456-7890", "081234567890", .telkomsel),
        ("+62 812 3456 7890", "081234567890", .telkomsel), ("6281234567890", "081234567890", .telkomsel),
        ("(0812) 3456 7890", "081234567890", .telkomsel), ("081512345678", "081512345678", .indosat),
        ("085712345678", "085712345678", .indosat), ("081712345678", "081712345678", .xl), ("087812345678", "087812345678", .xl),
        ("083112345678", "083112345678", .axis), ("089612345678", "089612345678", .tri),
        ("088112345678", "088112345678", .smartfren), ("0852.1234.5678", "085212345678", .telkomsel),
        ("81234567890", "081234567890", .telkomsel), ("080012345678", "080012345678", nil),
    ])
    func phones(text: String, digits: String, op: Operator?) throws {
        let phone = try PhoneNumber.parse(text).get()
        #expect(phone.digits == digits)
        #expect(phone.operator == op)
    }

    @Test("malformed phone numbers", arguments: [
        ("0812345", PhoneNumberError.wrongLength), ("08123456789012345", .wrongLength), ("0212345678", .notMobile),
        ("0812abc45678", .notANumber), ("", .notANumber), ("+1 555 0100 000", .notMobile), ("0812 3456 789o", .notANumber),
    ])
    func malformedPhones(text: String, expected: PhoneNumberError) {
        #expect(PhoneNumber.parse(text) == .failure(expected), "\(text)")
    }

    @Test("destinations by kind", arguments: [
        ("12345678901", TargetKind.plnMeter, "12345678901"), ("512345678901", .plnMeter, "512345678901"),
        ("5123-4567-8901", .plnMeter, "512345678901"), ("0001234567890", .bpjs, "0001234567890"),
        ("12345678", .gameID, "12345678"), ("12345678(1234)", .gameID, "12345678(1234)"),
        ("12345678 1234", .gameID, "12345678(1234)"), ("987654", .pdam, "987654"),
    ])
    func validTargets(text: String, kind: TargetKind, expected: String) {
        #expect(TargetValidator.validate(text, as: kind) == .success(expected))
    }

    @Test("malformed destinations", arguments: [
        ("1234", TargetKind.plnMeter), ("1234567890123", .plnMeter), ("12345", .bpjs), ("abc12345678", .bpjs),
        ("12a45678", .gameID), ("1234", .gameID), ("12345678(1234567)", .gameID), ("12", .pdam),
    ])
    func malformedTargets(text: String, kind: TargetKind) {
        #expect(TargetValidator.validate(text, as: kind) == .failure(.wrongShape(kind)))
    }

    @Test("commands", arguments: [
        ("/start", Command.menu), ("/menu@LoketBot", .menu), ("  /SALDO ", .balance), ("/riwayat", .history),
        ("/cek LKT-1", .lookup(reference: "LKT-1")), ("/cek", .lookup(reference: nil)), ("/harga tsel", .prices(keyword: "tsel")),
        ("/bahasa EN", .language("en")), ("/beli TSEL10 0812-3456-7890", .quickBuy(code: "TSEL10", target: "0812-3456-7890")),
        ("/tagihan PLNPOST 512345678901", .bill(code: "PLNPOST", number: "512345678901")), ("/tagihan", .bill(code: nil, number: nil)),
        ("/deposit 50rb", .deposit(amount: "50rb")), ("/deposit", .deposit(amount: nil)), ("/tarik", .withdraw), ("/batal", .cancel),
        ("/bantuan", .help), ("/apaini", .unknownCommand("apaini")), ("tf", .withdraw), ("WD", .withdraw), ("tarik", .withdraw),
        ("isi 50rb", .deposit(amount: "50rb")), ("topup 100.000", .deposit(amount: "100.000")), ("top up 20k", .deposit(amount: "20k")),
        ("isi saldo 75rb", .deposit(amount: "75rb")), ("batal", .cancel), ("cek saldo", .balance), ("Halo!", .menu),
        ("isi pulsa 10rb 081234567890", .text("isi pulsa 10rb 081234567890")),
    ])
    func commands(text: String, expected: Command) {
        #expect(CommandParser.parse(text, isAdmin: false) == expected, "\(text)")
    }

    @Test("owner commands", arguments: [
        ("/margin", AdminCommand.listMargins),
        ("/margin set semua 500", .setMargin(scope: .all, value: .rupiah(Rupiah(500)!), level: nil)),
        ("/margin set kategori:Pulsa 2% reseller", .setMargin(scope: .category("Pulsa"), value: .percent(basisPoints: 200), level: "reseller")),
        ("/margin set brand:Telkomsel 1,5% member", .setMargin(scope: .brand("Telkomsel"), value: .percent(basisPoints: 150), level: "member")),
        ("/margin set produk:tsel10 Rp1.000", .setMargin(scope: .product("TSEL10"), value: .rupiah(Rupiah(1_000)!), level: nil)),
        ("/margin set category:E-Money 0.25%", .setMargin(scope: .category("E-Money"), value: .percent(basisPoints: 25), level: nil)),
        ("/margin hapus 3", .deleteMargin(id: 3)),
        ("/level 12345 reseller", .setLevel(userID: 12345, level: "reseller")),
        ("/tambahsaldo 12345 50rb bonus lebaran", .adjust(userID: 12345, amount: Rupiah(50_000)!, credit: true, note: "bonus lebaran")),
        ("/kurangisaldo 12345 10000", .adjust(userID: 12345, amount: Rupiah(10_000)!, credit: false, note: nil)),
        ("/laporan minggu", .report(.week)), ("/laporan", .report(.day)), ("/broadcast Promo <b>hari ini</b>", .broadcast("Promo <b>hari ini</b>")), ("/broadcast Promo\n\nbaris dua ", .broadcast("Promo\n\nbaris dua")),
        ("/sync", .sync), ("/flowix", .flowixStatus), ("/resend LKT-9", .resend(reference: "LKT-9")),
        ("/blokir 77", .block(userID: 77)), ("/buka 77", .unblock(userID: 77)), ("/pengguna 77", .profile(userID: 77)),
        ("/karantina", .quarantine), ("/margin set semua 100%", .setMargin(scope: .all, value: .percent(basisPoints: 10_000), level: nil)),
    ])
    func ownerCommands(text: String, expected: AdminCommand) {
        #expect(CommandParser.parse(text, isAdmin: true) == .admin(.success(expected)), "\(text)")
        #expect(CommandParser.parse(text, isAdmin: false) == .adminOnly, "a customer's \(text)")
    }

    @Test("malformed owner commands show their usage", arguments: [
        ("/margin set semua", "admin.usage.margin"), ("/margin set planet:x 5", "admin.usage.margin"),
        ("/margin set semua 150%", "admin.usage.margin"), ("/margin set semua 5 vip", "admin.usage.margin"),
        ("/margin hapus x", "admin.usage.margin"), ("/level abc reseller", "admin.usage.level"), ("/level 5 raja", "admin.usage.level"),
        ("/tambahsaldo 5", "admin.usage.tambahsaldo"), ("/kurangisaldo -5 100", "admin.usage.kurangisaldo"),
        ("/tambahsaldo 5 0", "admin.usage.tambahsaldo"), ("/laporan tahun", "admin.usage.laporan"),
        // A note must fit in the customer's message.
        ("/tambahsaldo 5 1000 " + String(repeating: "x", count: 201), "admin.usage.tambahsaldo"),
        ("/tambahsaldo 5 1000 bonus\u{0}", "admin.usage.tambahsaldo"), ("/tutup toko libur\u{1B}[2J", "admin.usage.tutup"),
        ("/broadcast", "admin.usage.broadcast"), ("/resend", "admin.usage.resend"), ("/blokir budi", "admin.usage.blokir"),
        // Numbers too large for any margin are a usage message, never an arithmetic trap (issue #14).
        ("/margin set semua 9223372036854775807%", "admin.usage.margin"), ("/margin set semua 92233720368547758%", "admin.usage.margin"),
        ("/margin set semua " + String(repeating: "10", count: 40) + "%", "admin.usage.margin"),
        ("/margin set semua 1,999999999999999999999%", "admin.usage.margin"), ("/margin set semua +5%", "admin.usage.margin"),
        ("/margin set semua 9223372036854775807", "admin.usage.margin"), ("/margin hapus 99999999999999999999", "admin.usage.margin"),
        ("/tambahsaldo 99999999999999999999 5000", "admin.usage.tambahsaldo"), ("/tambahsaldo 5 9223372036854775807", "admin.usage.tambahsaldo"),
        ("/karantina semua", "admin.usage.karantina"),
    ])
    func malformedOwnerCommands(text: String, key: String) {
        #expect(CommandParser.parse(text, isAdmin: true) == .admin(.failure(AdminUsage(key: key))), "\(text)")
        #expect(CommandParser.parse(text, isAdmin: false) == .adminOnly, "a customer's \(text)")
    }

    /// The free-text requests of the first parser, read by the understanding layer: category,
    /// brand, amount and destination as typed.
    @Test("free-text requests", arguments: [
        ("pulsa 10rb 081234567890", Category?.some(.pulsa), String?.none, Int64?.some(10_000), String?.some("081234567890")),
        ("beli pulsa telkomsel 25 ribu ke 0812-3456-7890", .pulsa, "Telkomsel", 25_000, "0812-3456-7890"),
        ("token pln 50k 12345678901", .pln, nil, 50_000, "12345678901"),
        ("PULSA   XL 10000", .pulsa, "XL", 10_000, nil),
        ("dana 50rb 081234567890", .emoney, "DANA", 50_000, "081234567890"),
        ("diamond ml 12345678", .game, "Mobile Legends", nil, "12345678"),
        ("isi pulsa tsel 5k +62 812 3456 7890 ya kak 🙏", .pulsa, "Telkomsel", 5_000, "+6281234567890"),
    ])
    func freeText(text: String, category: Category?, brand: String?, amount: Int64?, target: String?) {
        let utterance = Utterance.read(text, vocabulary: FlowHarness.strings.vocabulary)
        #expect(utterance.category == category, "\(text)")
        #expect(utterance.brand == brand, "\(text)")
        #expect(utterance.amount == amount, "\(text)")
        #expect(utterance.destination(for: .phone) == target, "\(text)")
    }

    @Test("text that is not a product request", arguments: ["terima kasih", "apa kabar", "???", "ok"])
    func notRequests(text: String) {
        let utterance = Utterance.read(text, vocabulary: FlowHarness.strings.vocabulary)
        #expect(!utterance.namesProduct && utterance.amount == nil && utterance.destinationParts.isEmpty)
    }

    @Test("Indonesian number words", arguments: [
        ("sepuluh ribu", Int64(10_000)), ("dua puluh lima ribu", 25_000), ("lima puluh rb", 50_000), ("seratus ribu", 100_000),
        ("seratus rb", 100_000), ("sejuta", 1_000_000), ("setengah juta", 500_000), ("satu setengah juta", 1_500_000),
        ("dua puluh rebu", 20_000), ("seribu", 1_000), ("dua ratus lima puluh ribu", 250_000), ("sebelas ribu", 11_000),
        ("tiga belas ribu", 13_000), ("20 rebu", 20_000), ("Rp50.000", 50_000), ("rp 25.000", 25_000), ("1,5jt", 1_500_000),
    ])
    func numberWords(text: String, expected: Int64) {
        #expect(Utterance.read(text, vocabulary: FlowHarness.strings.vocabulary).amount == expected, "\(text)")
    }

    @Test("typos, repeats and slang are read as the shop's words", arguments: [
        ("plsa", "pulsa"), ("pulsaaa", "pulsa"), ("telkomel", "telkomsel"), ("indsat", "indosat"), ("tagiahn", "tagihan"),
        ("depositt", "deposit"), ("saldoo", "saldo"), ("riwayaat", "riwayat"), ("makasihhh", "makasih"), ("pls", "pulsa"),
        ("wd", "tarik"), ("depo", "deposit"), ("inet", "data"), ("pake", "pake"), ("kota", "kota"),
    ])
    func normalisation(typed: String, read: String) {
        #expect(Utterance.normalise(typed, vocabulary: FlowHarness.strings.vocabulary) == [read], "\(typed)")
    }

    @Test("edit distance counts a swap as one")
    func editDistance() {
        #expect(EditDistance.between("tagihan", "tagiahn", limit: 2) == 1)
        #expect(EditDistance.between("pulsa", "plsa", limit: 1) == 1)
        #expect(EditDistance.between("abc", "xyz", limit: 2) == nil)
        #expect(EditDistance.between("", "ab", limit: 2) == 2)
    }
}
