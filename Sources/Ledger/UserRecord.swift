import GRDB

/// A customer's standing with the shop, which decides their prices and rights.
public enum UserLevel: String, Sendable, Codable, CaseIterable, DatabaseValueConvertible {
    case member
    case reseller
}

/// A Telegram user known to the bot.
public struct UserRecord: Sendable, Equatable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "users"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    /// The Telegram user id.
    public var id: Int64
    public var name: String
    public var username: String?
    public var level: UserLevel
    /// `id` or `en`.
    public var language: String
    /// Blocked by an admin (`/blokir`).
    public var isBlocked: Bool
    /// `false` once Telegram said the user blocked the bot.
    public var isReachable: Bool
    public var createdAt: Int64

    public init(id: Int64, name: String, username: String? = nil, level: UserLevel = .member, language: String = "id",
                isBlocked: Bool = false, isReachable: Bool = true, createdAt: Int64) {
        self.id = id
        self.name = name
        self.username = username
        self.level = level
        self.language = language
        self.isBlocked = isBlocked
        self.isReachable = isReachable
        self.createdAt = createdAt
    }

    /// Read column by column: every update reads its customer, and decoding through `Codable`
    /// with snake-case keys was a visible share of that. A level this version does not know is
    /// an error, never a guess.
    public init(row: Row) throws {
        id = try row.decode(forColumn: "id")
        name = try row.decode(forColumn: "name")
        username = try row.decode(forColumn: "username")
        level = try row.decode(forColumn: "level")
        language = try row.decode(forColumn: "language")
        isBlocked = try row.decode(forColumn: "is_blocked")
        isReachable = try row.decode(forColumn: "is_reachable")
        createdAt = try row.decode(forColumn: "created_at")
    }
}
