/// How customers type, kept as data (`locales/vocabulary.yaml`): slang read as another word,
/// everyday words never corrected, and the names people use for banks and e-wallets.
public struct Vocabulary: Sendable {
    /// A typed word and the words read instead; an empty list drops the word.
    public let slang: [String: [String]]
    /// Everyday words that are never corrected into a shop word.
    public let common: Set<String>
    /// The name customers use for a bank or e-wallet, by Flowix bank code.
    public let bankNames: [String: String]

    public init(slang: [String: String] = [:], common: Set<String> = [], bankNames: [String: String] = [:]) {
        self.slang = slang.mapValues { $0.split(separator: " ").map(String.init) }
        self.common = common
        self.bankNames = bankNames
    }

    /// The name for a bank button: the one people use, or Flowix's own in title case
    /// (`BANK CENTRAL ASIA` → `Bank Central Asia`) for a code the file does not list.
    public func bankName(code: String, flowixName: String) -> String {
        if let known = bankNames[code.uppercased()] { return known }
        guard flowixName == flowixName.uppercased() else { return flowixName }
        return flowixName.split(separator: " ").map { word in
            word.count <= 3 ? String(word) : word.prefix(1) + word.dropFirst().lowercased()
        }.joined(separator: " ")
    }
}
