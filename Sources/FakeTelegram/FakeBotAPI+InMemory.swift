import Foundation
import Telegram

extension FakeBotAPI {
    /// The Bot API answered by this fake in memory: the same encoding, validation, faults and
    /// records as over HTTP, without a socket. `token` is the one the bot presents (by default
    /// the right one).
    public nonisolated func api(token: String? = nil, requestTimeout: Duration = .seconds(30)) -> TelegramAPI {
        TelegramAPI(transport: transport(token: token ?? self.token), requestTimeout: requestTimeout)
    }

    /// Carries calls made with `token` into the fake as its HTTP server would.
    public nonisolated func transport(token: String) -> TelegramTransport {
        TelegramTransport { [self] (request: TelegramRequest) async throws(TelegramError) -> TelegramAnswer in
            guard let (parameters, file) = Self.parameters(contentType: request.contentType, body: request.body, query: [:]) else {
                return TelegramAnswer(status: 400, body: Data(Self.invalidJSONAnswer.utf8))
            }
            let (status, answer) = await answer(token: token, method: request.method, parameters: parameters, file: file)
            return TelegramAnswer(status: status, body: Data(answer.utf8))
        }
    }

    static let invalidJSONAnswer = #"{"ok":false,"error_code":400,"description":"Bad Request: invalid JSON"}"#

    /// A request's parameters as text (objects and arrays as JSON) and its uploaded file, from
    /// the query string and a JSON, form or multipart body; `nil` when a JSON body is invalid.
    static func parameters(contentType: String, body bytes: [UInt8], query: [String: String]) -> ([String: String], [UInt8]?)? {
        var parameters = query
        var file: [UInt8]?
        if contentType.hasPrefix("multipart/form-data"), let boundary = contentType.components(separatedBy: "boundary=").last {
            for part in MultipartReader.parts(bytes, boundary: boundary) {
                if part.filename != nil { file = part.body } else { parameters[part.name] = String(decoding: part.body, as: UTF8.self) }
            }
        } else if contentType.hasPrefix("application/x-www-form-urlencoded") {
            for (name, value) in FormURLEncoding.pairs(String(decoding: bytes, as: UTF8.self)) { parameters[name] = value }
        } else if !bytes.isEmpty {
            guard let object = try? JSONDecoder().decode([String: JSONNode].self, from: Data(bytes)) else { return nil }
            for (name, value) in object { parameters[name] = value.parameterText }
        }
        return (parameters, file)
    }
}
