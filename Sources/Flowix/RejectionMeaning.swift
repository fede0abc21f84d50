/// What a refusal from Flowix means for money, read from its HTTP status, its body `code` and
/// its message, since H2H suppliers say the same thing in several ways.
public enum RejectionMeaning: Sendable, Equatable {
    /// The reference is already in use: a transaction exists under it; ask its status.
    case duplicateReference
    /// Too many requests: nothing can be concluded; ask again later.
    case rateLimited
    /// A refusal that provably created nothing when it answers a first request: validation,
    /// an unknown or unavailable product, an insufficient Flowix balance, credentials.
    case refused
    /// Flowix does not know the reference (an answer of a status endpoint).
    case notFound
    /// A refusal whose meaning is not known: treat the outcome as unknown.
    case unclear
}

extension FlowixRejection {
    /// What this refusal means (``RejectionMeaning``).
    public var meaning: RejectionMeaning {
        let codes = Set([httpStatus] + (code.map { [$0] } ?? []))
        let text = message.lowercased()
        func mentions(_ words: [String]) -> Bool { words.contains { text.contains($0) } }
        if codes.contains(409) || mentions(Self.duplicateWords) { return .duplicateReference }
        if codes.contains(429) || mentions(Self.rateLimitWords) { return .rateLimited }
        // Credentials and permissions first: "API key tidak ditemukan" is not about the reference.
        if !codes.isDisjoint(with: [401, 403]) { return .refused }
        // "Not found" about the reference, not about a key, a merchant or the endpoint itself.
        if codes.contains(404) || mentions(Self.notFoundWords) {
            return mentions(Self.notAboutTheReference) ? .refused : .notFound
        }
        if !codes.isDisjoint(with: Self.refusalCodes) { return .refused }
        return .unclear
    }

    static let duplicateWords = ["sudah digunakan", "sudah dipakai", "sudah ada", "already used", "already exists", "duplicate", "duplikat"]
    static let rateLimitWords = ["too many", "rate limit", "terlalu banyak", "terlalu sering", "coba lagi nanti"]
    static let notFoundWords = ["tidak ditemukan", "not found"]
    static let notAboutTheReference = ["api key", "api_key", "apikey", "merchant", "whitelist", "ip address", "alamat ip", "token",
                                       "signature", "endpoint", "route", "url", "method", "halaman", "page"]
    /// Statuses (HTTP or body `code`) of a request refused as it stands.
    static let refusalCodes: Set<Int> = [400, 401, 402, 403, 405, 406, 410, 412, 413, 415, 422]
}
