/// The kind of number a product is sent to, each with its own shape rule.
public enum TargetKind: String, Sendable, Codable {
    /// A mobile number (pulsa, data, e-money).
    case phone
    /// A PLN meter number (11 digits) or customer id (12 digits).
    case plnMeter
    /// A BPJS Kesehatan number (13 digits).
    case bpjs
    /// A PDAM customer number.
    case pdam
    /// A game account id, optionally with a zone: `12345678`, `12345678(1234)`, `12345678 1234`.
    case gameID
}

/// Why a target was not accepted; the conversation turns it into a friendly message.
public enum TargetError: Error, Sendable, Equatable {
    case phone(PhoneNumberError)
    case wrongShape(TargetKind)
}

/// Validates and normalises a destination for a product.
public enum TargetValidator {
    public static func validate(_ raw: String, as kind: TargetKind) -> Result<String, TargetError> {
        let compact = raw.filter { !($0.isWhitespace || $0 == "-" || $0 == ".") }
        func digits(_ range: ClosedRange<Int>) -> Result<String, TargetError> {
            guard compact.allSatisfy({ $0.isASCII && $0.isNumber }), range.contains(compact.count) else {
                return .failure(.wrongShape(kind))
            }
            return .success(compact)
        }
        switch kind {
        case .phone:
            return PhoneNumber.parse(raw).map(\.digits).mapError { .phone($0) }
        case .plnMeter: return digits(11...12)
        case .bpjs: return digits(13...13)
        case .pdam: return digits(5...20)
        case .gameID:
            let trimmed = raw.trimmingCharacters(in: .whitespaces)
            let parts = trimmed.split(whereSeparator: { $0 == "(" || $0 == ")" || $0 == " " || $0 == "|" || $0 == ":" })
            guard (1...2).contains(parts.count),
                  parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
                  (5...20).contains(parts[0].count), parts.count == 1 || (1...6).contains(parts[1].count) else {
                return .failure(.wrongShape(.gameID))
            }
            return .success(parts.count == 1 ? String(parts[0]) : "\(parts[0])(\(parts[1]))")
        }
    }
}

import Foundation
