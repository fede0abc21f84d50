import Foundation
import Money

// Decoding helpers for the loose shapes a PHP API sends. Each accepts the documented type and
// its string spelling, and rejects anything else with a `DecodingError` (never a silent default).

extension KeyedDecodingContainer {
    /// A boolean sent as `true`, `"true"`, `1` or `"1"` (and the false spellings).
    func decodeLenientBool(forKey key: Key) throws -> Bool {
        if let value = try? decode(Bool.self, forKey: key) { return value }
        if let number = try? decode(Int.self, forKey: key), number == 0 || number == 1 { return number == 1 }
        if let text = try? decode(String.self, forKey: key) {
            switch text.lowercased() {
            case "true", "1": return true
            case "false", "0": return false
            default: break
            }
        }
        throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "expected a boolean")
    }

    /// An integer sent as a number or a string of digits; `nil` when absent or null.
    func decodeLenientIntIfPresent(forKey key: Key) throws -> Int? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        if let value = try? decode(Int.self, forKey: key) { return value }
        if let text = try? decode(String.self, forKey: key), let value = Int(text.trimmingCharacters(in: .whitespaces)) {
            return value
        }
        throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "expected an integer")
    }

    /// An identifier that may arrive as a number (`105`) or a string (`"105"`).
    func decodeIdentifierIfPresent(forKey key: Key) throws -> String? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        if let text = try? decode(String.self, forKey: key) { return text }
        if let number = try? decode(Int64.self, forKey: key) { return String(number) }
        throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "expected an identifier")
    }

    /// A string that is present but may be `null` or empty; empty becomes `nil`.
    func decodeNonEmptyStringIfPresent(forKey key: Key) throws -> String? {
        guard let text = try decodeIfPresent(String.self, forKey: key) else { return nil }
        return text.isEmpty ? nil : text
    }
}

/// Coding keys for references, which the Flowix reference spells both `ref_id` and `reff_id`.
enum ReferenceKey: String, CodingKey {
    case refID = "ref_id"
    case reffID = "reff_id"
}

extension Decoder {
    /// The reference of a payload, from `ref_id` or `reff_id`; a missing or empty one is an error.
    func decodeReference() throws -> String {
        let container = try container(keyedBy: ReferenceKey.self)
        let reference = try container.decodeIdentifierIfPresent(forKey: .refID)
            ?? container.decodeIdentifierIfPresent(forKey: .reffID)
        guard let reference, !reference.isEmpty else {
            throw DecodingError.keyNotFound(ReferenceKey.refID, .init(
                codingPath: codingPath, debugDescription: "neither ref_id nor reff_id is present"))
        }
        return reference
    }
}
