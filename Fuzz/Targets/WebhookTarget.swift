#if DEBUG || FUZZING
@testable import Flowix
#else
import Flowix
#endif
import Foundation

/// `webhook`: a webhook delivery with an arbitrary body, checked by ``WebhookVerifier`` with
/// the right headers, a wrong signature, missing and wrong credentials, and the body itself as
/// the signature; then parsed as a ``WebhookEvent``. An authentic body is an event or a 400,
/// never a signature failure; anything else is refused with 401/403 before it is parsed.
public enum WebhookTarget: FuzzTarget {
    public static let name = "webhook"
    public static let summary = "WebhookVerifier with good, bad and missing headers, then WebhookEvent parsing"

    static let credentials = FlowixCredentials(apiKey: "sk-fuzz-key", merchantID: "MID-FUZZ")
    static let secret = WebhookSecret("whsec_fuzz")
    static let verifier = WebhookVerifier(credentials: credentials, secret: secret)

    public static func run(_ bytes: [UInt8]) {
        let body = Data(bytes)
        let signature = secret.signature(of: body)
        let direct = try? JSONDecoder().decode(WebhookEvent.self, from: body)
        direct.map(check)

        // Authentic: an event (the same one), or a malformed body.
        for good in [signature, signature.uppercased(), " \(signature) "] {
            do {
                let event = try verifier.verify(body: body, headers: headers(good))
                Fuzz.check(event == direct, "verified event \(event) differs from the parsed one")
            } catch {
                guard case .malformedBody = error else { Fuzz.fail("authentic body refused: \(error)") }
                Fuzz.check(direct == nil && error.httpStatus == 400, "authentic body refused as \(error) but parses")
            }
        }
        // Forged or incomplete deliveries are refused before the body is read.
        var flipped = Array(signature.utf8)
        flipped[0] = flipped[0] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
        let text = bytes.text
        let forged: [(WebhookHeaders, WebhookRejection)] = [
            (headers(String(decoding: flipped, as: UTF8.self)), .badSignature),
            (headers(String(signature.dropLast())), .badSignature),
            (headers(text), text.isEmpty ? .missingHeader(WebhookHeaders.signatureName) : .badSignature),
            (headers(signature, key: "x" + text), .wrongKey),
            (headers(signature, merchant: "x" + text), .wrongMerchant),
            (headers(nil), .missingHeader(WebhookHeaders.signatureName)),
            (headers(""), .missingHeader(WebhookHeaders.signatureName)),
            (headers(signature, key: nil), .missingHeader(WebhookHeaders.keyName)),
            (headers(signature, merchant: ""), .missingHeader(WebhookHeaders.merchantName)),
        ]
        for (headers, expected) in forged {
            do {
                let event = try verifier.verify(body: body, headers: headers)
                // Only possible if the fuzzer typed the HMAC of its own body.
                Fuzz.check(headers.signature?.lowercased().contains(signature) == true, "forged delivery accepted: \(event)")
            } catch {
                Fuzz.check(error == expected, "expected \(expected), got \(error)")
                Fuzz.check([401, 403].contains(error.httpStatus), "\(error) answered with HTTP \(error.httpStatus)")
            }
        }
        #if DEBUG || FUZZING
        if let decoded = WebhookSecret.bytes(fromHex: text) {
            Fuzz.check(decoded.count * 2 == text.utf8.count, "hex \(text.debugDescription) decoded to \(decoded.count) bytes")
        }
        #endif
    }

    static func headers(_ signature: String?, key: String? = credentials.apiKey, merchant: String? = credentials.merchantID) -> WebhookHeaders {
        WebhookHeaders(signature: signature, key: key, merchant: merchant)
    }

    static func check(_ event: WebhookEvent) {
        Fuzz.check(!event.id.isEmpty, "event without an id")
        switch event.payload {
        case .transaction(let update):
            Fuzz.check(!update.refID.isEmpty && event.type == "transaction.status", "transaction event \(event)")
            FlowixResponsesTarget.checkStatus(update.status)
        case .deposit(let update):
            Fuzz.check(!update.refID.isEmpty && event.type == "deposit.status", "deposit event \(event)")
            FlowixResponsesTarget.checkStatus(update.status)
        case .payout(let update):
            Fuzz.check(!update.refID.isEmpty && event.type == "payout.status", "payout event \(event)")
            FlowixResponsesTarget.checkStatus(update.status)
        case .unknown: break
        }
    }
}
