import Foundation

/// Reads a Flowix answer (HTTP status and body) into a payload or a ``FlowixError``.
///
/// - a 5xx status is an unknown outcome, whatever the body says;
/// - `success: false` with any other status is a rejection, keeping Flowix's code and message;
/// - a body that is not the documented envelope (HTML, truncated, empty), or `success: true`
///   with a missing or malformed field, is an unknown outcome: the request may have taken effect.
enum FlowixResponse {
    static func decode<Payload: Decodable>(_ type: Payload.Type, status: Int, body: Data,
                                           redacting secret: String) throws(FlowixError) -> Payload {
        try checkEnvelope(status: status, body: body, redacting: secret)
        do {
            return try JSONDecoder().decode(DataEnvelope<Payload>.self, from: body).data
        } catch {
            throw .outcomeUnknown(.invalidResponse(status: status, reason: redact(FlowixDecoding.describe(error), secret)))
        }
    }

    static func checkEnvelope(status: Int, body: Data, redacting secret: String) throws(FlowixError) {
        if status >= 500 { throw .outcomeUnknown(.serverError(status: status)) }
        let head: EnvelopeHead
        do {
            head = try JSONDecoder().decode(EnvelopeHead.self, from: body)
        } catch {
            throw .outcomeUnknown(.invalidResponse(status: status, reason: describeUnreadable(body)))
        }
        if !head.success {
            let message = head.message.map { redact($0, secret) } ?? "no message"
            throw .rejected(FlowixRejection(httpStatus: status, code: head.code, message: message))
        }
        guard (200..<300).contains(status) else {
            throw .outcomeUnknown(.invalidResponse(status: status, reason: "success: true with HTTP \(status)"))
        }
    }

    static func describeUnreadable(_ bytes: Data) -> String {
        if bytes.isEmpty { return "empty body" }
        let start = bytes.prefix(64).drop(while: { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 })
        if start.first == UInt8(ascii: "<") { return "an HTML page instead of JSON" }
        return "not the documented JSON envelope (\(bytes.count) bytes)"
    }

    /// Removes the API key from text Flowix sent back, in case it echoes our request. Keys
    /// shorter than eight characters are not real keys and would mangle ordinary words.
    static func redact(_ text: String, _ secret: String) -> String {
        guard secret.count >= 8 else { return text }
        return text.replacingOccurrences(of: secret, with: "<redacted>")
    }
}
