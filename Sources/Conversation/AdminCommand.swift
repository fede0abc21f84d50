import Money

/// What a margin rule applies to, most specific last.
public enum MarginScope: Sendable, Equatable, Codable {
    case all
    case category(String)
    case brand(String)
    case product(String)
}

/// A margin: a fixed amount or a percentage (in hundredths of a percent).
public enum MarginValue: Sendable, Equatable, Codable {
    case rupiah(Rupiah)
    case percent(basisPoints: Int64)
}

/// The period of a `/laporan`.
public enum ReportPeriod: String, Sendable, Equatable, Codable {
    case day = "hari"
    case week = "minggu"
    case month = "bulan"
}

/// An owner command, parsed and checked for shape; the services carry it out.
public enum AdminCommand: Sendable, Equatable {
    case listMargins
    /// `level` is `member` or `reseller`; `nil` sets both.
    case setMargin(scope: MarginScope, value: MarginValue, level: String?)
    case deleteMargin(id: Int64)
    case setLevel(userID: Int64, level: String)
    case adjust(userID: Int64, amount: Rupiah, credit: Bool, note: String?)
    case report(ReportPeriod)
    case broadcast(String)
    case sync
    case flowixStatus
    case resend(reference: String)
    case block(userID: Int64)
    case unblock(userID: Int64)
    case profile(userID: Int64)
    /// `/karantina`: how many updates were set aside, and the latest few.
    case quarantine
    /// `/tutup toko|kategori:…|brand:…|produk:… [sampai HH:MM] [alasan]`: stop selling until
    /// then (WIB) or until `/buka`.
    case close(scope: ClosureScope, until: ClockTime?, reason: String?)
    /// `/buka toko|kategori:…|brand:…|produk:…`: sell again.
    case reopen(scope: ClosureScope)
    /// `/tutup` alone: what is closed now, and the daily cut-offs.
    case listClosures
    /// `/cutoff kategori:X HH:MM-HH:MM` or `/cutoff kategori:X off`: the category's daily
    /// cut-off window in WIB, set by the owner over `LOKET_CUTOFFS`.
    case setCutoff(category: Category, window: CutoffWindow?)
    /// `/resetpin <user_id>`: remove a customer's PIN (and its lock); they are told to set a new one.
    case resetPIN(userID: Int64)
    /// `/dashboard`: a one-time link that signs this admin in to the dashboard in a browser.
    case dashboard
}
