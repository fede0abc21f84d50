import GRDB

/// A customer's standing with the shop, which decides their prices and rights.
public enum UserLevel: String, Sendable, Codable, CaseIterable {
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
}
