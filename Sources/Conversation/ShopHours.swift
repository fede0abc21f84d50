import Foundation

/// What the owner closes with `/tutup`: the whole shop, a category, a brand or one product.
public enum ClosureScope: Sendable, Hashable {
    case shop
    case category(Category)
    case brand(String)
    case product(String)

    /// How it is stored and typed: `toko`, `kategori:pulsa`, `brand:Telkomsel`, `produk:TSEL10`.
    public var key: String {
        switch self {
        case .shop: "toko"
        case .category(let category): "kategori:" + category.rawValue
        case .brand(let brand): "brand:" + brand
        case .product(let code): "produk:" + code
        }
    }

    /// The scope a stored or typed key names; `nil` for anything else.
    public init?(key: String) {
        let lower = key.lowercased()
        if ["toko", "shop", "semua", "all"].contains(lower) {
            self = .shop
            return
        }
        guard let colon = key.firstIndex(of: ":") else { return nil }
        // Split the key as typed: an index of `key` means nothing in its lowercased copy.
        let kind = key[..<colon].lowercased(), value = String(key[key.index(after: colon)...])
        guard !value.isEmpty, value.count <= 64 else { return nil }
        switch kind {
        case "kategori", "category":
            guard let category = Category.named(value) else { return nil }
            self = .category(category)
        // One brand however it is typed: "Telkomsel", "telkomsel" and "TELKOMSEL" are one closure.
        case "brand", "merek", "operator": self = .brand(value.replacingOccurrences(of: "_", with: " ").lowercased())
        case "produk", "product": self = .product(value.uppercased())
        default: return nil
        }
    }

    /// Whether the closure applies to `product`.
    public func covers(_ product: ProductOffer) -> Bool {
        switch self {
        case .shop: true
        case .category(let category): product.category == category
        case .brand(let brand): product.brand.caseInsensitiveCompare(brand) == .orderedSame
        case .product(let code): product.code.caseInsensitiveCompare(code) == .orderedSame
        }
    }
}

extension Category {
    /// A category by the names an owner types: `pulsa`, `data`/`paket`, `emoney`/`e-money`/
    /// `ewallet`, `game`, `pln`/`token`, `tagihan`/`bill`/`pascabayar`.
    public static func named(_ name: String) -> Category? {
        switch name.lowercased().replacingOccurrences(of: " ", with: "") {
        case "pulsa": .pulsa
        case "data", "paket", "paketdata", "kuota": .data
        case "emoney", "e-money", "ewallet", "e-wallet": .emoney
        case "game", "games": .game
        case "pln", "token", "tokenpln": .pln
        case "bill", "bills", "tagihan", "pascabayar": .bill
        default: nil
        }
    }
}

/// One closure: why, and until when (`nil`: until the owner opens it again).
public struct ShopClosure: Sendable, Equatable {
    public var scope: ClosureScope
    public var reason: String?
    public var until: Date?

    public init(scope: ClosureScope, reason: String?, until: Date?) {
        self.scope = scope
        self.reason = reason
        self.until = until
    }
}

/// A daily window in WIB when a category does not sell: billers close their books around
/// midnight, so postpaid bills stop from 23:30 to 00:30 by default.
public struct CutoffWindow: Sendable, Equatable {
    public var category: Category
    /// Minutes after midnight WIB; a window whose end comes before its start runs past midnight.
    public var start: Int
    public var end: Int

    public init?(category: Category, start: Int, end: Int) {
        guard (0..<1_440).contains(start), (0..<1_440).contains(end), start != end else { return nil }
        self.category = category
        self.start = start
        self.end = end
    }

    /// `tagihan=23:30-00:30`; `nil` when it does not read so.
    public init?(setting: String) {
        let parts = setting.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let category = Category.named(parts[0]) else { return nil }
        let times = parts[1].split(separator: "-").map { ClockTime(String($0).trimmingCharacters(in: .whitespaces)) }
        guard times.count == 2, let start = times[0], let end = times[1] else { return nil }
        self.init(category: category, start: start.minutes, end: end.minutes)
    }

    /// `23:30-00:30`, as stored and typed.
    public var setting: String { "\(ShopHours.time(minutes: start))-\(ShopHours.time(minutes: end))" }

    /// The minute of the day in WIB at `date`.
    public static func minuteOfDay(_ date: Date) -> Int {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down)) + 7 * 3_600
        return Int(((seconds % 86_400) + 86_400) % 86_400 / 60)
    }

    /// Whether `date` falls in the window, and if so when it ends.
    func reopening(after date: Date) -> Date? {
        let minute = Self.minuteOfDay(date)
        let inside = start < end ? (start..<end).contains(minute) : (minute >= start || minute < end)
        guard inside else { return nil }
        let wait = ((end - minute) + 1_440) % 1_440
        let startOfMinute = date.timeIntervalSince1970 - date.timeIntervalSince1970.truncatingRemainder(dividingBy: 60)
        return Date(timeIntervalSince1970: startOfMinute + TimeInterval(wait * 60))
    }
}

/// A time of day, `HH:MM`, as an owner types it.
public struct ClockTime: Sendable, Equatable {
    public let hour: Int
    public let minute: Int
    public var minutes: Int { hour * 60 + minute }

    public init?(_ text: String) {
        let parts = text.replacingOccurrences(of: ".", with: ":").split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
              let hour = Int(parts[0]), let minute = Int(parts[1]), (0..<24).contains(hour), (0..<60).contains(minute) else { return nil }
        self.hour = hour
        self.minute = minute
    }

    /// The next moment it is this time in WIB, after `now` (today or tomorrow).
    public func next(after now: Date) -> Date {
        let minute = CutoffWindow.minuteOfDay(now)
        let wait = ((minutes - minute) + 1_440) % 1_440
        let startOfMinute = now.timeIntervalSince1970 - now.timeIntervalSince1970.truncatingRemainder(dividingBy: 60)
        return Date(timeIntervalSince1970: startOfMinute + TimeInterval((wait == 0 ? 1_440 : wait) * 60))
    }
}

/// When the shop sells: the owner's closures and the daily cut-off windows. Customers are
/// refused before any money moves; admins are never refused.
public struct ShopHours: Sendable, Equatable {
    public var closures: [ShopClosure]
    public var cutoffs: [CutoffWindow]

    public init(closures: [ShopClosure] = [], cutoffs: [CutoffWindow] = []) {
        self.closures = closures
        self.cutoffs = cutoffs
    }

    /// Why a product cannot be sold now.
    public enum Refusal: Sendable, Equatable {
        case closed(ShopClosure)
        case cutoff(Category, reopensAt: Date)
    }

    /// Why `product` cannot be sold at `now`, if it cannot: the shop closed first, then the
    /// narrower closures, then a cut-off window. A closure whose time has passed is over.
    public func refusal(for product: ProductOffer, at now: Date) -> Refusal? {
        // Every closure and cut-off that applies; the customer is told the one that ends last
        // (a closure with no end first), so "open again at" is never too early.
        let applying = closures.filter { closure in (closure.until.map { $0 > now } ?? true) && closure.scope.covers(product) }
            .map(Refusal.closed)
            + cutoffs.filter { $0.category == product.category }.compactMap { window in
                window.reopening(after: now).map { Refusal.cutoff(window.category, reopensAt: $0) }
            }
        return applying.max { Self.ends($0) < Self.ends($1) }
    }

    private static func ends(_ refusal: Refusal) -> Date {
        switch refusal {
        case .closed(let closure): closure.until ?? .distantFuture
        case .cutoff(_, let reopens): reopens
        }
    }
}

extension ShopHours.Refusal {
    /// What a customer is told, from the locale: why, until when, and that deposits and
    /// `/saldo` still work.
    public func text(product: String, strings: LocaleStrings, _ language: Language) -> String {
        var lines: [String] = []
        switch self {
        case .closed(let closure):
            lines.append(closure.scope == .shop ? strings.text("closed.shop", language) : strings.text("closed.scope", language, ["product": product]))
            if let until = closure.until { lines.append(strings.text("closed.until", language, ["time": ShopHours.time(until)])) }
            if let reason = closure.reason { lines.append(strings.text("closed.reason", language, ["reason": reason])) }
        case .cutoff(_, let reopens):
            lines.append(strings.text("closed.cutoff", language, ["product": product, "time": ShopHours.time(reopens)]))
        }
        lines.append(strings.text("closed.stillOpen", language))
        return lines.joined(separator: "\n")
    }
}

extension ShopHours {
    /// `21:00`: the time of day of `date` in WIB.
    public static func time(_ date: Date) -> String { time(minutes: CutoffWindow.minuteOfDay(date)) }

    /// `23:30`: minutes after midnight as a time of day.
    public static func time(minutes: Int) -> String { String(format: "%02d:%02d", minutes / 60, minutes % 60) }
}
