import Foundation
import GRDB

/// An update marked in flight before it was handled (`telegram_inflight`).
public struct InFlightMark: Sendable, Equatable, FetchableRecord {
    public var updateID: Int64
    public var chatID: Int64?
    public var userID: Int64?
    /// What it carried (`command /margin`, `text`, `button`), never its content.
    public var kind: String
    /// How many times it was retried on its own after a run died with it in flight.
    public var aloneAttempts: Int

    public init(updateID: Int64, chatID: Int64?, userID: Int64?, kind: String, aloneAttempts: Int = 0) {
        self.updateID = updateID
        self.chatID = chatID
        self.userID = userID
        self.kind = kind
        self.aloneAttempts = aloneAttempts
    }

    public init(row: Row) {
        self.init(updateID: row["update_id"], chatID: row["chat_id"], userID: row["user_id"], kind: row["kind"],
                  aloneAttempts: row["alone_attempts"])
    }

    /// `[[update_id, chat_id, user_id, kind], …]`, for one `json_each` insert.
    static func json(_ marks: [InFlightMark]) -> String {
        var json = "["
        for (index, mark) in marks.enumerated() {
            if index > 0 { json += "," }
            json += "[\(mark.updateID),\(mark.chatID.map(String.init) ?? "null"),\(mark.userID.map(String.init) ?? "null"),\""
            for scalar in mark.kind.unicodeScalars {
                switch scalar {
                case "\"": json += "\\\""
                case "\\": json += "\\\\"
                case _ where scalar.value < 0x20: json += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                    + String(scalar.value, radix: 16)
                default: json.unicodeScalars.append(scalar)
                }
            }
            json += "\"]"
        }
        return json + "]"
    }
}

/// An update set aside because it could not be handled (`quarantined_updates`).
public struct QuarantinedUpdate: Sendable, Equatable, FetchableRecord {
    public var updateID: Int64
    public var chatID: Int64?
    public var userID: Int64?
    public var kind: String
    /// `failed`, `crashed` or `unreadable`.
    public var reason: String
    /// The last error, or what happened; never the customer's text.
    public var detail: String
    /// Unix time.
    public var quarantinedAt: Int64

    public init(updateID: Int64, chatID: Int64?, userID: Int64?, kind: String, reason: String, detail: String, quarantinedAt: Int64 = 0) {
        self.updateID = updateID
        self.chatID = chatID
        self.userID = userID
        self.kind = kind
        self.reason = reason
        self.detail = detail
        self.quarantinedAt = quarantinedAt
    }

    public init(row: Row) {
        self.init(updateID: row["update_id"], chatID: row["chat_id"], userID: row["user_id"], kind: row["kind"],
                  reason: row["reason"], detail: row["detail"], quarantinedAt: row["quarantined_at"])
    }
}

