/// A Telegram user or bot (`User`).
public struct User: Sendable, Codable, Equatable {
    public var id: Int64
    public var isBot: Bool
    public var firstName: String
    public var lastName: String?
    public var username: String?
    public var languageCode: String?

    enum CodingKeys: String, CodingKey {
        case id, username
        case isBot = "is_bot", firstName = "first_name", lastName = "last_name", languageCode = "language_code"
    }

    public init(id: Int64, isBot: Bool = false, firstName: String, lastName: String? = nil, username: String? = nil,
                languageCode: String? = nil) {
        self.id = id
        self.isBot = isBot
        self.firstName = firstName
        self.lastName = lastName
        self.username = username
        self.languageCode = languageCode
    }

    /// First and last name together.
    public var fullName: String { [firstName, lastName].compactMap { $0 }.joined(separator: " ") }
}

/// A chat (`Chat`).
public struct Chat: Sendable, Codable, Equatable {
    public var id: Int64
    /// `private`, `group`, `supergroup` or `channel`.
    public var type: String
    public var title: String?
    public var username: String?

    public init(id: Int64, type: String = "private", title: String? = nil, username: String? = nil) {
        self.id = id
        self.type = type
        self.title = title
        self.username = username
    }

    /// `true` for one-to-one chats with a user.
    public var isPrivate: Bool { type == "private" }
}
