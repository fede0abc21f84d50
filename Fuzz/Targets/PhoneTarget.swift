import Conversation

/// `phone`: ``PhoneNumber/parse(_:)`` and ``TargetValidator/validate(_:as:)`` for every kind of
/// destination (phone, PLN meter, BPJS, PDAM, game id). What is accepted has the documented
/// shape, and validating the normalised form again gives the same result.
public enum PhoneTarget: FuzzTarget {
    public static let name = "phone"
    public static let summary = "PhoneNumber.parse and TargetValidator for phone, PLN, BPJS, PDAM and game ids"

    static let kinds: [TargetKind] = [.phone, .plnMeter, .bpjs, .pdam, .gameID]

    public static func run(_ bytes: [UInt8]) {
        let text = bytes.text
        for typed in [text, "+62" + text, "0" + text, "(0812) " + text] {
            checkPhone(typed)
            for kind in kinds { checkTarget(typed, kind) }
        }
    }

    static func isDigits(_ text: String) -> Bool { !text.isEmpty && text.allSatisfy { $0.isASCII && $0.isNumber } }

    static func checkPhone(_ typed: String) {
        guard case .success(let phone) = PhoneNumber.parse(typed) else { return }
        let digits = phone.digits
        Fuzz.check(isDigits(digits) && digits.hasPrefix("08") && (10...13).contains(digits.count),
                   "\(typed.debugDescription) parsed as phone \(digits.debugDescription)")
        Fuzz.check(PhoneNumber.parse(digits) == .success(phone), "phone \(digits) does not parse as itself")
        _ = phone.operator
    }

    static func checkTarget(_ typed: String, _ kind: TargetKind) {
        guard case .success(let target) = TargetValidator.validate(typed, as: kind) else { return }
        let shaped: Bool
        switch kind {
        case .phone: shaped = isDigits(target) && target.hasPrefix("08") && (10...13).contains(target.count)
        case .plnMeter: shaped = isDigits(target) && (11...12).contains(target.count)
        case .bpjs: shaped = isDigits(target) && target.count == 13
        case .pdam: shaped = isDigits(target) && (5...20).contains(target.count)
        case .gameID:
            let parts = target.split(separator: "(", omittingEmptySubsequences: false)
            shaped = (parts.count == 1 && isDigits(target) && (5...20).contains(target.count))
                || (parts.count == 2 && isDigits(String(parts[0])) && (5...20).contains(parts[0].count) && parts[1].hasSuffix(")")
                    && isDigits(String(parts[1].dropLast())) && (1...6).contains(parts[1].count - 1))
        }
        Fuzz.check(shaped, "\(typed.debugDescription) accepted as \(kind) \(target.debugDescription)")
        let again = TargetValidator.validate(target, as: kind)
        Fuzz.check(again == .success(target), "\(kind) \(target.debugDescription) validates again as \(again)")
    }
}
