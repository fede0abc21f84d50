import Crypto
import _CryptoExtras
import Foundation

/// Hashes transaction PINs with PBKDF2-HMAC-SHA256 and a random 16-byte salt per PIN. A PIN
/// has only a million values, so the work factor is what stands between a copied database
/// file and every customer's PIN: at the default 210,000 rounds (the least swift-crypto
/// accepts without "unsafe") trying them all costs hours of CPU per customer.
public struct PINHasher: Sendable {
    /// The work factor for new PINs; a stored PIN keeps the one it was made with.
    public let rounds: Int

    public static let standardRounds = 210_000

    public init(rounds: Int = PINHasher.standardRounds) {
        self.rounds = rounds
    }

    /// A new salted hash of `pin`.
    public func hash(_ pin: String) throws -> (hash: [UInt8], salt: [UInt8]) {
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return (try Self.derive(pin, salt: salt, rounds: rounds), salt)
    }

    /// Whether `pin` is the one hashed, compared in constant time.
    public func matches(_ pin: String, hash: [UInt8], salt: [UInt8], rounds: Int) throws -> Bool {
        Secret.equal(try Self.derive(pin, salt: salt, rounds: rounds), hash)
    }

    private static func derive(_ pin: String, salt: [UInt8], rounds: Int) throws -> [UInt8] {
        let key = try KDF.Insecure.PBKDF2.deriveKey(from: Array(pin.utf8), salt: salt, using: .sha256, outputByteCount: 32,
                                                     unsafeUncheckedRounds: rounds)
        return key.withUnsafeBytes { Array($0) }
    }
}
