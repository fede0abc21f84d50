import Foundation

/// The outer shape of every Flowix answer: `success`, `code`, `message`, `data`, `meta`.
/// `code` and `meta` are optional because the status endpoints omit them.
struct EnvelopeHead: Decodable {
    let success: Bool
    let code: Int?
    let message: String?

    enum CodingKeys: String, CodingKey { case success, code, message }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        success = try c.decodeLenientBool(forKey: .success)
        code = try? c.decodeLenientIntIfPresent(forKey: .code)
        message = try? c.decodeIfPresent(String.self, forKey: .message)
    }
}

/// The `data` member of a successful answer.
struct DataEnvelope<Payload: Decodable>: Decodable {
    let data: Payload
}

/// Turns decoding errors into short, secret-free explanations.
enum FlowixDecoding {
    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return String(describing: type(of: error)) }
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
            return keys.isEmpty ? "the body" : keys.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = path(context)
            return "missing field \(parent == "the body" ? "" : parent + ".")\(key.stringValue)"
        case .valueNotFound(_, let context):
            return "\(path(context)) is null"
        case .typeMismatch(_, let context):
            return "\(path(context)) has the wrong type"
        case .dataCorrupted(let context):
            return "\(path(context)): \(context.debugDescription)"
        @unknown default:
            return "undecodable"
        }
    }
}
