import Money

/// Parses the owner commands: `/margin`, `/level`, `/tambahsaldo`, `/kurangisaldo`, `/laporan`,
/// `/broadcast`, `/sync`, `/flowix`, `/resend`, `/blokir`, `/buka`, `/pengguna`, `/karantina`, `/tutup`,
/// `/cutoff`, `/resetpin`, `/dashboard`.
/// Only ever given an admin's words (``CommandParser/parse(_:isAdmin:)``).
enum AdminCommandParser {
    /// Each owner command and the locale key of its usage text.
    static let usageKeys: [String: String] = [
        "margin": "admin.usage.margin", "level": "admin.usage.level", "tambahsaldo": "admin.usage.tambahsaldo",
        "kurangisaldo": "admin.usage.kurangisaldo", "laporan": "admin.usage.laporan", "broadcast": "admin.usage.broadcast",
        "sync": "admin.usage.sync", "flowix": "admin.usage.flowix", "resend": "admin.usage.resend",
        "blokir": "admin.usage.blokir", "buka": "admin.usage.buka", "pengguna": "admin.usage.pengguna",
        "karantina": "admin.usage.karantina", "quarantine": "admin.usage.karantina", "tutup": "admin.usage.tutup",
        "cutoff": "admin.usage.cutoff", "resetpin": "admin.usage.resetpin", "dashboard": "admin.usage.dashboard",
    ]
    static var names: Dictionary<String, String>.Keys { usageKeys.keys }
    /// The longest note a balance adjustment takes.
    static let maximumNote = 200

    /// `nil` when `name` is not an owner command at all.
    static func parse(name: String, words: [String]) -> Result<AdminCommand, AdminUsage>? {
        guard names.contains(name) else { return nil }
        let usage = AdminUsage(key: usageKeys[name] ?? "admin.usage.margin")
        func userID(_ word: String?) -> Int64? { word.flatMap { Int64($0) }.flatMap { $0 > 0 ? $0 : nil } }
        switch name {
        case "margin":
            guard let sub = words.first?.lowercased() else { return .success(.listMargins) }
            switch sub {
            case "set":
                guard words.count == 3 || words.count == 4,
                      let scope = scope(words[1]), let value = marginValue(words[2]) else { return .failure(usage) }
                var level: String?
                if words.count == 4 {
                    guard let parsed = self.level(words[3]) else { return .failure(usage) }
                    level = parsed
                }
                return .success(.setMargin(scope: scope, value: value, level: level))
            case "hapus", "delete":
                guard words.count == 2, let id = Int64(words[1]), id > 0 else { return .failure(usage) }
                return .success(.deleteMargin(id: id))
            default: return .failure(usage)
            }
        case "level":
            guard words.count == 2, let id = userID(words[0]), let level = level(words[1]) else { return .failure(usage) }
            return .success(.setLevel(userID: id, level: level))
        case "tambahsaldo", "kurangisaldo":
            guard words.count >= 2, let id = userID(words[0]), case .success(let amount) = AmountParser.parse(words[1]) else {
                return .failure(usage)
            }
            let note = words.count > 2 ? words.dropFirst(2).joined(separator: " ") : nil
            // The note goes into the customer's message: short enough that it always fits, and
            // plain text (a NUL would be cut off in the file and fail every replay's check).
            guard (note?.count ?? 0) <= maximumNote, !(note.map(hasControlCharacters) ?? false)
            else { return .failure(usage) }
            return .success(.adjust(userID: id, amount: amount, credit: name == "tambahsaldo", note: note))
        case "laporan":
            guard let word = words.first else { return .success(.report(.day)) }
            guard words.count == 1, let period = ReportPeriod(rawValue: word.lowercased()) else { return .failure(usage) }
            return .success(.report(period))
        case "broadcast":
            let message = words.joined(separator: " ")
            guard !message.isEmpty else { return .failure(usage) }
            return .success(.broadcast(message))
        case "sync": return words.isEmpty ? .success(.sync) : .failure(usage)
        case "dashboard": return words.isEmpty ? .success(.dashboard) : .failure(usage)
        case "resetpin":
            guard words.count == 1, let id = userID(words[0]) else { return .failure(usage) }
            return .success(.resetPIN(userID: id))
        case "karantina", "quarantine": return words.isEmpty ? .success(.quarantine) : .failure(usage)
        case "flowix": return words.isEmpty ? .success(.flowixStatus) : .failure(usage)
        case "resend":
            guard words.count == 1 else { return .failure(usage) }
            return .success(.resend(reference: words[0]))
        case "tutup":
            guard let first = words.first else { return .success(.listClosures) }
            guard let scope = ClosureScope(key: first) else { return .failure(usage) }
            var rest = Array(words.dropFirst())
            var until: ClockTime?
            // "sampai 21:00" before the reason or after it.
            let untilWords: Set<String> = ["sampai", "until", "hingga"]
            if let word = rest.first?.lowercased(), untilWords.contains(word) {
                guard rest.count >= 2, let time = ClockTime(rest[1]) else { return .failure(usage) }
                until = time
                rest.removeFirst(2)
            } else if rest.count >= 2, untilWords.contains(rest[rest.count - 2].lowercased()) {
                guard let time = ClockTime(rest[rest.count - 1]) else { return .failure(usage) }
                until = time
                rest.removeLast(2)
            }
            let reason = rest.joined(separator: " ")
            guard reason.count <= 200, !hasControlCharacters(reason) else { return .failure(usage) }
            return .success(.close(scope: scope, until: until, reason: reason.isEmpty ? nil : reason))
        case "cutoff":
            guard words.count == 2, case .category(let category)? = ClosureScope(key: words[0]) else { return .failure(usage) }
            if ["off", "mati", "tidak"].contains(words[1].lowercased()) { return .success(.setCutoff(category: category, window: nil)) }
            guard let window = CutoffWindow(setting: "\(category.rawValue)=\(words[1])") else { return .failure(usage) }
            return .success(.setCutoff(category: category, window: window))
        case "buka" where words.count == 1 && userID(words[0]) == nil:
            guard let scope = ClosureScope(key: words[0]) else { return .failure(AdminUsage(key: "admin.usage.buka")) }
            return .success(.reopen(scope: scope))
        case "blokir", "buka", "pengguna":
            guard words.count == 1, let id = userID(words[0]) else { return .failure(usage) }
            return .success(name == "blokir" ? .block(userID: id) : name == "buka" ? .unblock(userID: id) : .profile(userID: id))
        default: return .failure(usage)
        }
    }

    /// Whether `text` holds a control character (a NUL, an escape): never in a note or a reason.
    static func hasControlCharacters(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }

    static func level(_ word: String) -> String? {
        switch word.lowercased() {
        case "member", "anggota": return "member"
        case "reseller", "agen": return "reseller"
        default: return nil
        }
    }

    /// `all`/`semua`, `category:<name>`/`kategori:`, `brand:<name>`, `product:<code>`/`produk:`.
    static func scope(_ word: String) -> MarginScope? {
        let lower = word.lowercased()
        if lower == "all" || lower == "semua" { return .all }
        guard let colon = word.firstIndex(of: ":") else { return nil }
        let key = lower[..<colon], value = String(word[word.index(after: colon)...]).replacingOccurrences(of: "_", with: " ")
        guard !value.isEmpty else { return nil }
        switch key {
        case "category", "kategori": return .category(value)
        case "brand", "merek", "operator": return .brand(value)
        case "product", "produk": return .product(value.uppercased())
        default: return nil
        }
    }

    /// `500` (rupiah), `Rp500`, `2%` or `1,5%` (hundredths of a percent, at most 100 %).
    static func marginValue(_ word: String) -> MarginValue? {
        if word.hasSuffix("%") {
            let number = word.dropLast().replacingOccurrences(of: ",", with: ".")
            let parts = number.split(separator: ".", omittingEmptySubsequences: false)
            // At most 100 %: three digits are enough, and no product below can overflow.
            guard (1...2).contains(parts.count), (1...3).contains(parts[0].count), parts[0].allSatisfy({ $0.isASCII && $0.isNumber }),
                  let whole = Int64(parts[0]) else { return nil }
            var basisPoints = whole * 100
            if parts.count == 2 {
                let fraction = parts[1]
                guard (1...2).contains(fraction.count), fraction.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int64(fraction) else { return nil }
                basisPoints += fraction.count == 1 ? value * 10 : value
            }
            guard basisPoints <= 10_000 else { return nil }
            return .percent(basisPoints: basisPoints)
        }
        if word == "0" { return .rupiah(.zero) }
        guard case .success(let amount) = AmountParser.parse(word), amount.value <= 10_000_000 else { return nil }
        return .rupiah(amount)
    }
}

import Foundation
