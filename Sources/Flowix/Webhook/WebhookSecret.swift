@preconcurrency import Crypto
import Foundation

/// The secret Flowix signs webhooks with. Printing it never shows the secret.
public struct WebhookSecret: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    let key: SymmetricKey

    public init(_ secret: String) {
        key = SymmetricKey(data: Data(secret.utf8))
    }

    /// The lowercase hex HMAC-SHA256 of `body`, as Flowix puts in `X-Flowix-Signature`.
    public func signature(of body: some DataProtocol) -> String {
        HMAC<SHA256>.authenticationCode(for: body, using: key)
            .map { String(format: "%02x", $0) }.joined()
    }

    /// Whether `hexSignature` is the HMAC of `body`, compared in constant time.
    public func isValid(signature hexSignature: String, of body: some DataProtocol) -> Bool {
        guard let code = Self.bytes(fromHex: hexSignature), code.count == SHA256.byteCount else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(code, authenticating: body, using: key)
    }

    static func bytes(fromHex text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0, !digits.isEmpty else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = nibble(digits[index]), let low = nibble(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return digit - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    public var description: String { "WebhookSecret(<redacted>)" }
    public var debugDescription: String { description }
}
