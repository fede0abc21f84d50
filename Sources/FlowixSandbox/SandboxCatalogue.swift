import Flowix
import Money

/// The products, deposit methods and banks the sandbox offers by default: enough of a real
/// PPOB catalogue to exercise every flow of the bot.
public enum SandboxCatalogue {
    public static let products: [Product] = prepaid + postpaid

    static func product(_ code: String, _ name: String, _ category: String, _ brand: String, _ type: String,
                        _ price: Int64?, status: String = "available") -> Product {
        Product(code: code, name: name, category: category, brand: brand, type: type,
                price: price.flatMap { Rupiah($0) }, status: status)
    }

    static let prepaid: [Product] = [
        product("TSEL5", "Telkomsel 5.000", "Pulsa", "Telkomsel", "pulsa", 5_450),
        product("TSEL10", "Telkomsel 10.000", "Pulsa", "Telkomsel", "pulsa", 10_500),
        product("TSEL25", "Telkomsel 25.000", "Pulsa", "Telkomsel", "pulsa", 24_900),
        product("TSEL50", "Telkomsel 50.000", "Pulsa", "Telkomsel", "pulsa", 49_750),
        product("ISAT10", "Indosat 10.000", "Pulsa", "Indosat", "pulsa", 10_850),
        product("ISAT25", "Indosat 25.000", "Pulsa", "Indosat", "pulsa", 25_050),
        product("XL10", "XL 10.000", "Pulsa", "XL", "pulsa", 10_700),
        product("XL25", "XL 25.000", "Pulsa", "XL", "pulsa", 24_950),
        product("AXIS10", "Axis 10.000", "Pulsa", "Axis", "pulsa", 10_800),
        product("TRI10", "Tri 10.000", "Pulsa", "Tri", "pulsa", 10_400),
        product("SMART10", "Smartfren 10.000", "Pulsa", "Smartfren", "pulsa", 10_300),
        product("TSELD5GB", "Telkomsel Data 5GB 30 Hari", "Data", "Telkomsel", "data", 52_000),
        product("ISATD10GB", "Indosat Freedom 10GB", "Data", "Indosat", "data", 61_500),
        product("XLD6GB", "XL Xtra Combo 6GB", "Data", "XL", "data", 48_000, status: "empty"),
        product("DANA50", "Saldo DANA 50.000", "E-Money", "DANA", "emoney", 50_900),
        product("OVO50", "Saldo OVO 50.000", "E-Money", "OVO", "emoney", 51_000),
        product("GOPAY50", "Saldo GoPay 50.000", "E-Money", "GoPay", "emoney", 50_950),
        product("ML5", "Mobile Legends 5 Diamond", "Games", "Mobile Legends", "game", 1_500),
        product("ML86", "Mobile Legends 86 Diamond", "Games", "Mobile Legends", "game", 19_900),
        product("FF70", "Free Fire 70 Diamond", "Games", "Free Fire", "game", 9_600),
        product("PLN20", "Token PLN 20.000", "PLN", "PLN", "pln", 20_200),
        product("PLN50", "Token PLN 50.000", "PLN", "PLN", "pln", 50_200),
        product("PLN100", "Token PLN 100.000", "PLN", "PLN", "pln", 100_200),
    ]

    static let postpaid: [Product] = [
        product("PLNPOST", "PLN Pascabayar", "Tagihan", "PLN", "pln_postpaid", nil),
        product("BPJSKES", "BPJS Kesehatan", "Tagihan", "BPJS", "bpjs", nil),
        product("PDAMSBY", "PDAM Kota Surabaya", "Tagihan", "PDAM", "pdam", nil),
    ]

    /// The admin fee Flowix adds to a bill of each postpaid product.
    static func adminFee(for code: String) -> Rupiah {
        switch code {
        case "PDAMSBY": return Rupiah(2_000)!
        default: return Rupiah(2_500)!
        }
    }

    struct DepositMethodInfo: Sendable {
        let code: String, name: String, type: String
        let minAmount: Rupiah, maxAmount: Rupiah, fee: Rupiah
        /// Hundredths of a percent.
        let feeBasisPoints: Int64
    }

    static let depositMethods: [DepositMethodInfo] = [
        DepositMethodInfo(code: "QRIS", name: "QRIS (All Payment)", type: "qris",
                          minAmount: Rupiah(1_000)!, maxAmount: Rupiah(5_000_000)!, fee: Rupiah(700)!, feeBasisPoints: 70),
        DepositMethodInfo(code: "QRISFAST", name: "QRIS Fast", type: "qris",
                          minAmount: Rupiah(1_000)!, maxAmount: Rupiah(2_000_000)!, fee: Rupiah(0)!, feeBasisPoints: 50),
    ]

    static let banks: [(code: String, name: String, type: String)] = [
        ("BCA", "BANK CENTRAL ASIA", "bank"),
        ("BNI", "BANK NEGARA INDONESIA", "bank"),
        ("BRI", "BANK RAKYAT INDONESIA", "bank"),
        ("MANDIRI", "BANK MANDIRI", "bank"),
        ("DANA", "DANA", "ewallet"),
        ("OVO", "OVO", "ewallet"),
        ("GOPAY", "GOPAY", "ewallet"),
        ("SHOPEEPAY", "SHOPEEPAY", "ewallet"),
    ]

    static let names = ["BUDI SANTOSO", "SITI AMINAH", "AGUS SETIAWAN", "DEWI LESTARI", "RUDI HARTONO",
                        "NUR HIDAYAH", "EKO PRASETYO", "RINA WATI"]
}
