/// Formats rupiah the way Indonesians write it: `Rp10.500`, `Rp1.250.000`.
public enum RupiahFormat {
    /// `Rp` followed by the amount with `.` between groups of three digits.
    public static func indonesian(_ amount: Rupiah) -> String {
        "Rp" + grouped(amount.value, separator: ".")
    }

    /// The same amount with `,` between groups, for English text: `Rp10,500`.
    public static func english(_ amount: Rupiah) -> String {
        "Rp" + grouped(amount.value, separator: ",")
    }

    static func grouped(_ value: Int64, separator: Character) -> String {
        let digits = Array(String(value))
        var result = ""
        result.reserveCapacity(digits.count + digits.count / 3)
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result.append(separator) }
            result.append(digit)
        }
        return result
    }
}
