import Foundation
import Testing
@testable import Flowix

/// Test vectors signed by Node.js exactly as the reference's example does it.
@Suite("Webhook verification")
struct WebhookVerifierTests {
    struct Vector: Decodable {
        let secret: String, apiKey: String, merchantId: String, body: String, signature: String
    }

    let vector: Vector
    let verifier: WebhookVerifier

    init() throws {
        vector = try JSONDecoder().decode(Vector.self, from: Fixture.data("webhook-vector"))
        verifier = WebhookVerifier(credentials: FlowixCredentials(apiKey: vector.apiKey, merchantID: vector.merchantId),
                                   secret: WebhookSecret(vector.secret))
    }

    var goodHeaders: WebhookHeaders { WebhookHeaders(signature: vector.signature, key: vector.apiKey, merchant: vector.merchantId) }

    @Test func nodeSignedBodyVerifies() throws {
        let event = try verifier.verify(body: Data(vector.body.utf8), headers: goodHeaders)
        #expect(event.type == "transaction.status")
        guard case .transaction(let update) = event.payload else {
            Issue.record("expected a transaction update")
            return
        }
        #expect(update.refID == "TRX-12345")
    }

    @Test func ourSignatureMatchesNodes() {
        #expect(WebhookSecret(vector.secret).signature(of: Data(vector.body.utf8)) == vector.signature)
    }

    @Test func uppercaseHexVerifies() throws {
        var headers = goodHeaders
        headers.signature = vector.signature.uppercased()
        _ = try verifier.verify(body: Data(vector.body.utf8), headers: headers)
    }

    @Test func everyChangedByteIsCaught() {
        let body = Array(vector.body.utf8)
        for index in stride(from: 0, to: body.count, by: 7) {
            var tampered = body
            tampered[index] ^= 0x01
            #expect(throws: WebhookRejection.badSignature) { try verifier.verify(body: tampered, headers: goodHeaders) }
        }
    }

    @Test func wrongSecretFails() {
        let other = WebhookVerifier(credentials: FlowixCredentials(apiKey: vector.apiKey, merchantID: vector.merchantId),
                                    secret: WebhookSecret("whsec_OTHER"))
        #expect(throws: WebhookRejection.badSignature) { try other.verify(body: Data(vector.body.utf8), headers: goodHeaders) }
    }

    @Test("truncated, empty, non-hex or extended signatures fail", arguments: [
        "truncated", "empty", "nonhex", "extended", "odd",
    ])
    func malformedSignaturesFail(kind: String) {
        var headers = goodHeaders
        switch kind {
        case "truncated": headers.signature = String(vector.signature.dropLast(2))
        case "empty": headers.signature = ""
        case "nonhex": headers.signature = String(repeating: "z", count: 64)
        case "extended": headers.signature = vector.signature + "00"
        default: headers.signature = String(vector.signature.dropLast())
        }
        #expect(throws: WebhookRejection.self) { try verifier.verify(body: Data(vector.body.utf8), headers: headers) }
    }

    @Test func missingHeadersAre401() {
        let body = Data(vector.body.utf8)
        for headers in [
            WebhookHeaders(signature: nil, key: vector.apiKey, merchant: vector.merchantId),
            WebhookHeaders(signature: vector.signature, key: nil, merchant: vector.merchantId),
            WebhookHeaders(signature: vector.signature, key: vector.apiKey, merchant: nil),
        ] {
            do {
                _ = try verifier.verify(body: body, headers: headers)
                Issue.record("accepted a webhook with a missing header")
            } catch {
                #expect(error.httpStatus == 401)
            }
        }
    }

    @Test func wrongKeyOrMerchantAre403() {
        let body = Data(vector.body.utf8)
        #expect(throws: WebhookRejection.wrongKey) {
            try verifier.verify(body: body, headers: WebhookHeaders(signature: vector.signature, key: "sk-other", merchant: vector.merchantId))
        }
        #expect(throws: WebhookRejection.wrongMerchant) {
            try verifier.verify(body: body, headers: WebhookHeaders(signature: vector.signature, key: vector.apiKey, merchant: "MID-OTHER"))
        }
        #expect(WebhookRejection.wrongKey.httpStatus == 403)
    }

    @Test func authenticButMalformedBodyIs400() {
        let secret = WebhookSecret(vector.secret)
        for body in ["not json", #"{"event":"transaction.status","data":{}}"#, #"{"id":"e1","event":"deposit.status","data":{"status":"success"}}"#] {
            let headers = WebhookHeaders(signature: secret.signature(of: Data(body.utf8)), key: vector.apiKey, merchant: vector.merchantId)
            do {
                _ = try verifier.verify(body: Data(body.utf8), headers: headers)
                Issue.record("accepted \(body)")
            } catch {
                #expect(error.httpStatus == 400)
            }
        }
    }

    @Test func unknownEventTypeIsReportedNotFatal() throws {
        let body = #"{"id":"evt_1","event":"account.updated","timestamp":"1698223000","data":{"anything":1}}"#
        let secret = WebhookSecret(vector.secret)
        let event = try verifier.verify(body: Data(body.utf8), headers: WebhookHeaders(
            signature: secret.signature(of: Data(body.utf8)), key: vector.apiKey, merchant: vector.merchantId))
        #expect(event.type == "account.updated")
        #expect(event.payload == .unknown)
        #expect(event.timestamp == 1_698_223_000)
    }

    @Test func secretsDoNotPrint() {
        #expect(!"\(WebhookSecret("whsec_topsecret"))".contains("topsecret"))
        #expect(!"\(FlowixCredentials(apiKey: "sk-topsecret", merchantID: "MID-1"))".contains("topsecret"))
    }
}
