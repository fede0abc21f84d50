import Foundation

/// The shop's own reference for an order, a payout or a transfer (`LKT-<chat>-<update>`,
/// `WD-<chat>-<update>`, `TF-<chat>-<update>`): made from the chat and the Telegram update that started it, so an
/// update delivered again makes the same reference, and Flowix refuses the duplicate. Made and
/// read here only; deposits carry the reference Flowix gives them.
public struct Reference: Hashable, Sendable, CustomStringConvertible {
    /// What a reference names, by its prefix.
    public enum Kind: String, Sendable, CaseIterable {
        case order = "LKT"
        case payout = "WD"
        case transfer = "TF"
    }

    public let kind: Kind
    /// The chat the update came from (negative for a group).
    public let chat: Int64
    /// The Telegram `update_id` that started it.
    public let update: Int64

    public init(_ kind: Kind, chat: Int64, update: Int64) {
        self.kind = kind
        self.chat = chat
        self.update = update
    }

    /// Reads `LKT-<chat>-<update>` or `WD-<chat>-<update>` exactly as ``description`` writes
    /// them (in any case); `nil` for anything else, `LKT-05-1` and `LKT-+5-1` included, so one
    /// record never answers to two spellings.
    public init?(_ text: String) {
        let upper = text.uppercased()
        guard let kind = Kind.allCases.first(where: { upper.hasPrefix($0.rawValue + "-") }) else { return nil }
        let rest = upper.dropFirst(kind.rawValue.count + 1)
        guard let dash = rest.lastIndex(of: "-"), dash != rest.startIndex,
              let chat = Int64(rest[..<dash]), let update = Int64(rest[rest.index(after: dash)...]), update >= 0
        else { return nil }
        self.init(kind, chat: chat, update: update)
        guard description == upper else { return nil }
    }

    /// The reference of the same update for another kind of record.
    public func `as`(_ kind: Kind) -> Reference { Reference(kind, chat: chat, update: update) }

    public var description: String { "\(kind.rawValue)-\(chat)-\(update)" }

    /// "cek LKT-123-45", "status trx lkt-123-45": the first word that starts like an order
    /// reference, in capitals, well formed or not (a mistyped one is looked up and not found).
    public static func orderMentioned(in text: String) -> String? {
        let prefix = Kind.order.rawValue + "-"
        return text.split(whereSeparator: \.isWhitespace).map { $0.trimmingCharacters(in: .punctuationCharacters).uppercased() }
            .first { $0.hasPrefix(prefix) && $0.count > prefix.count }
    }
}
