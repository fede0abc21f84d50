import Crypto
import Foundation

/// The security headers of a webhook delivery, as received.
public struct WebhookHeaders: Sendable {
    public var signature: String?
    public var key: String?
    public var merchant: String?

    public init(signature: String?, key: String?, merchant: String?) {
        self.signature = signature
        self.key = key
        self.merchant = merchant
    }

    /// The three headers as `field` finds them by name (an HTTP request's header lookup, or a
    /// webhook delivered in memory).
    public init(field: (String) -> String?) {
        self.init(signature: field(Self.signatureName), key: field(Self.keyName), merchant: field(Self.merchantName))
    }

    public static let signatureName = "X-Flowix-Signature"
    public static let keyName = "X-Flowix-Key"
    public static let merchantName = "X-Flowix-Merchant"
    public static let eventName = "X-Flowix-Event"
}

/// Why a webhook delivery was refused, with the HTTP status to answer.
public enum WebhookRejection: Error, Sendable, Equatable, CustomStringConvertible {
    /// A security header is absent or empty.
    case missingHeader(String)
    /// `X-Flowix-Key` is not our API key.
    case wrongKey
    /// `X-Flowix-Merchant` is not our merchant id.
    case wrongMerchant
    /// The signature does not match the body.
    case badSignature
    /// Authentic, but not a readable event envelope.
    case malformedBody(String)

    /// 401 for missing credentials, 403 for wrong ones, 400 for an unreadable body.
    public var httpStatus: Int {
        switch self {
        case .missingHeader: return 401
        case .wrongKey, .wrongMerchant, .badSignature: return 403
        case .malformedBody: return 400
        }
    }

    public var description: String {
        switch self {
        case .missingHeader(let name): return "missing \(name)"
        case .wrongKey: return "X-Flowix-Key does not match"
        case .wrongMerchant: return "X-Flowix-Merchant does not match"
        case .badSignature: return "signature does not match the body"
        case .malformedBody(let reason): return "malformed event: \(reason)"
        }
    }
}

/// Checks that a webhook really comes from Flowix for our merchant, then parses it.
///
/// The signature is the hex HMAC-SHA256 of the raw body bytes with the webhook secret; it and
/// the key are compared in constant time. Nothing is parsed before the body is authenticated.
public struct WebhookVerifier: Sendable {
    private let credentials: FlowixCredentials
    private let secret: WebhookSecret

    public init(credentials: FlowixCredentials, secret: WebhookSecret) {
        self.credentials = credentials
        self.secret = secret
    }

    /// Verifies the headers and signature of `body` and returns the parsed event.
    public func verify(body: some DataProtocol, headers: WebhookHeaders) throws(WebhookRejection) -> WebhookEvent {
        guard let signature = headers.signature, !signature.isEmpty else { throw .missingHeader(WebhookHeaders.signatureName) }
        guard let key = headers.key, !key.isEmpty else { throw .missingHeader(WebhookHeaders.keyName) }
        guard let merchant = headers.merchant, !merchant.isEmpty else { throw .missingHeader(WebhookHeaders.merchantName) }
        guard Self.constantTimeEqual(key, credentials.apiKey) else { throw .wrongKey }
        guard Self.constantTimeEqual(merchant, credentials.merchantID) else { throw .wrongMerchant }
        guard secret.isValid(signature: signature.trimmingCharacters(in: .whitespaces), of: body) else { throw .badSignature }
        do {
            return try JSONDecoder().decode(WebhookEvent.self, from: Data(body))
        } catch {
            throw .malformedBody(FlowixDecoding.describe(error))
        }
    }

    /// Compares two strings without an early exit, so timing reveals nothing of the secret.
    static func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool {
        let a = SHA256.hash(data: Data(lhs.utf8)), b = SHA256.hash(data: Data(rhs.utf8))
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }
}
