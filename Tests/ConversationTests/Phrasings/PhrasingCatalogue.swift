import Conversation
import Money

/// A catalogue like a real shop's, for the phrasing table: several denominations per operator
/// and e-wallet, data by size, games, PLN tokens and three bills. There is no XL 50.000, no
/// Axis 5.000 and no DANA 25.000, on purpose.
enum PhrasingCatalogue {
    static func offer(_ code: String, _ name: String, _ category: Category, _ brand: String, _ price: Int64?,
                      available: Bool = true) -> ProductOffer {
        ProductOffer(code: code, name: name, category: category, brand: brand, sellPrice: price.flatMap { Rupiah($0) },
                     isAvailable: available)
    }

    static let products: [ProductOffer] = [
        offer("TSEL5", "Telkomsel 5.000", .pulsa, "Telkomsel", 5_900),
        offer("TSEL10", "Telkomsel 10.000", .pulsa, "Telkomsel", 10_950),
        offer("TSEL20", "Telkomsel 20.000", .pulsa, "Telkomsel", 20_650),
        offer("TSEL25", "Telkomsel 25.000", .pulsa, "Telkomsel", 25_350),
        offer("TSEL50", "Telkomsel 50.000", .pulsa, "Telkomsel", 50_250),
        offer("TSEL100", "Telkomsel 100.000", .pulsa, "Telkomsel", 99_500),
        offer("ISAT5", "Indosat 5.000", .pulsa, "Indosat", 6_100),
        offer("ISAT10", "Indosat 10.000", .pulsa, "Indosat", 11_300),
        offer("ISAT25", "Indosat 25.000", .pulsa, "Indosat", 25_400),
        offer("ISAT50", "Indosat 50.000", .pulsa, "Indosat", 50_300),
        offer("XL5", "XL 5.000", .pulsa, "XL", 6_000),
        offer("XL10", "XL 10.000", .pulsa, "XL", 11_150),
        offer("XL25", "XL 25.000", .pulsa, "XL", 25_300),
        offer("AXIS10", "Axis 10.000", .pulsa, "Axis", 11_000),
        offer("AXIS25", "Axis 25.000", .pulsa, "Axis", 25_200),
        offer("TRI10", "Tri 10.000", .pulsa, "Tri", 10_700),
        offer("TRI20", "Tri 20.000", .pulsa, "Tri", 20_500),
        offer("SMART10", "Smartfren 10.000", .pulsa, "Smartfren", 10_600),
        offer("SMART20", "Smartfren 20.000", .pulsa, "Smartfren", 20_400),
        offer("TSELD5GB", "Telkomsel Data 5GB 30 Hari", .data, "Telkomsel", 52_500),
        offer("TSELD10GB", "Telkomsel Data 10GB 30 Hari", .data, "Telkomsel", 85_000),
        offer("ISATD10GB", "Indosat Freedom 10GB", .data, "Indosat", 61_500),
        offer("XLD6GB", "XL Xtra Combo 6GB", .data, "XL", 48_500, available: false),
        offer("XLD10GB", "XL Xtra Combo 10GB", .data, "XL", 66_000),
        offer("TRID3GB", "Tri AlwaysOn 3GB", .data, "Tri", 20_000),
        offer("DANA20", "Saldo DANA 20.000", .emoney, "DANA", 20_900),
        offer("DANA50", "Saldo DANA 50.000", .emoney, "DANA", 51_000),
        offer("DANA100", "Saldo DANA 100.000", .emoney, "DANA", 101_000),
        offer("OVO20", "Saldo OVO 20.000", .emoney, "OVO", 21_000),
        offer("OVO50", "Saldo OVO 50.000", .emoney, "OVO", 51_100),
        offer("GOPAY25", "Saldo GoPay 25.000", .emoney, "GoPay", 26_000),
        offer("GOPAY50", "Saldo GoPay 50.000", .emoney, "GoPay", 51_050),
        offer("SHOPEE50", "Saldo ShopeePay 50.000", .emoney, "ShopeePay", 51_200),
        offer("ML5", "Mobile Legends 5 Diamond", .game, "Mobile Legends", 1_600),
        offer("ML86", "Mobile Legends 86 Diamond", .game, "Mobile Legends", 20_400),
        offer("ML172", "Mobile Legends 172 Diamond", .game, "Mobile Legends", 40_500),
        offer("FF70", "Free Fire 70 Diamond", .game, "Free Fire", 9_900),
        offer("FF140", "Free Fire 140 Diamond", .game, "Free Fire", 19_500),
        offer("PUBG60", "PUBG Mobile 60 UC", .game, "PUBG", 15_000),
        offer("GI60", "Genshin Impact 60 Genesis Crystal", .game, "Genshin Impact", 16_000),
        offer("GI330", "Genshin Impact 330 Genesis Crystal", .game, "Genshin Impact", 79_000),
        offer("PLN20", "Token PLN 20.000", .pln, "PLN", 20_700),
        offer("PLN50", "Token PLN 50.000", .pln, "PLN", 50_700),
        offer("PLN100", "Token PLN 100.000", .pln, "PLN", 100_700),
        offer("PLN200", "Token PLN 200.000", .pln, "PLN", 200_700),
        offer("PLNPOST", "PLN Pascabayar", .bill, "PLN", nil),
        offer("BPJSKES", "BPJS Kesehatan", .bill, "BPJS", nil),
        offer("PDAMSBY", "PDAM Kota Surabaya", .bill, "PDAM", nil),
    ]

    static let banks: [BankOption] = [
        BankOption(code: "BCA", name: "BANK CENTRAL ASIA", isEWallet: false),
        BankOption(code: "BRI", name: "BANK RAKYAT INDONESIA", isEWallet: false),
        BankOption(code: "BNI", name: "BANK NEGARA INDONESIA", isEWallet: false),
        BankOption(code: "MANDIRI", name: "BANK MANDIRI", isEWallet: false),
        BankOption(code: "DANA", name: "DANA", isEWallet: true),
        BankOption(code: "OVO", name: "OVO", isEWallet: true),
        BankOption(code: "GOPAY", name: "GOPAY", isEWallet: true),
    ]
}
