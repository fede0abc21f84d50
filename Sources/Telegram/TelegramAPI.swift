import AsyncHTTPClient
import Foundation

/// The Bot API methods Loket calls, as a value: one `@Sendable` closure per method.
///
/// ``live(token:baseURL:httpClient:requestTimeout:)`` speaks HTTP; ``init(transport:requestTimeout:)``
/// builds the same encoding and reading over any transport (the fake Bot API answers in
/// memory); a test may replace one closure to script one answer. The answer envelope
/// (`ok`, `result`, `error_code`, `description`, `parameters.retry_after`) is read whatever
/// the HTTP status, and failures are classified as ``TelegramError``.
public struct TelegramAPI: Sendable {
    public var getMe: @Sendable () async throws(TelegramError) -> User
    /// A long poll; `timeout` bounds the whole request, so it exceeds the poll's own timeout.
    public var getUpdates: @Sendable (_ request: GetUpdates, _ timeout: Duration) async throws(TelegramError) -> UpdateBatch
    public var deleteWebhook: @Sendable () async throws(TelegramError) -> Void
    public var sendMessage: @Sendable (SendMessage) async throws(TelegramError) -> MessageReference
    public var sendPhoto: @Sendable (SendPhoto) async throws(TelegramError) -> MessageReference
    public var editMessageText: @Sendable (EditMessageText) async throws(TelegramError) -> EditResult
    public var answerCallbackQuery: @Sendable (AnswerCallbackQuery) async throws(TelegramError) -> Void
    public var deleteMessage: @Sendable (DeleteMessage) async throws(TelegramError) -> Void
    public var setMyCommands: @Sendable (SetMyCommands) async throws(TelegramError) -> Void

    /// The methods over HTTP to `{baseURL}/bot{token}/{method}`.
    public static func live(token: String, baseURL: String = "https://api.telegram.org", httpClient: HTTPClient = .shared,
                            requestTimeout: Duration = .seconds(30)) -> TelegramAPI {
        TelegramAPI(transport: .http(token: token, baseURL: baseURL, httpClient: httpClient), requestTimeout: requestTimeout)
    }

    /// The methods encoded as the Bot API expects and carried by `transport`; `requestTimeout`
    /// bounds every call but a long poll.
    public init(transport: TelegramTransport, requestTimeout: Duration = .seconds(30)) {
        let call = TelegramCall(transport: transport, timeout: requestTimeout)
        getMe = { () async throws(TelegramError) in try await call.send(GetMe()) }
        getUpdates = { (request, timeout) async throws(TelegramError) in try await call.send(request, timeout: timeout) }
        deleteWebhook = { () async throws(TelegramError) in _ = try await call.send(DeleteWebhook()) }
        sendMessage = { (method) async throws(TelegramError) in try await call.send(method) }
        sendPhoto = { (method) async throws(TelegramError) in try await call.send(method) }
        editMessageText = { (method) async throws(TelegramError) in try await call.send(method) }
        answerCallbackQuery = { (method) async throws(TelegramError) in _ = try await call.send(method) }
        deleteMessage = { (method) async throws(TelegramError) in _ = try await call.send(method) }
        setMyCommands = { (method) async throws(TelegramError) in _ = try await call.send(method) }
    }
}

/// Encodes one method, hands it to the transport and reads the envelope.
struct TelegramCall: Sendable {
    let transport: TelegramTransport
    let timeout: Duration

    func send<Method: TelegramMethod>(_ method: Method, timeout: Duration? = nil) async throws(TelegramError) -> Method.Result {
        let request: TelegramRequest
        do {
            if let upload = method.upload {
                let boundary = "loket-" + UUID().uuidString
                request = TelegramRequest(method: Method.name, contentType: "multipart/form-data; boundary=\(boundary)",
                                          body: try Multipart.body(fields: Multipart.fields(of: method), upload: upload, boundary: boundary),
                                          timeout: timeout ?? self.timeout)
            } else {
                request = TelegramRequest(method: Method.name, contentType: "application/json",
                                          body: Array(try JSONEncoder().encode(method)), timeout: timeout ?? self.timeout)
            }
        } catch {
            throw .badRequest(code: 0, description: "the \(Method.name) parameters could not be encoded")
        }
        let answer = try await transport.exchange(request)
        return try Self.interpret(Method.Result.self, status: answer.status, body: answer.body, method: Method.name)
    }

    /// Reads an answer into a result or a classified error.
    static func interpret<Result: Decodable>(_ type: Result.Type, status: Int, body: Data, method: String) throws(TelegramError) -> Result {
        let envelope: Envelope<Result>
        do {
            envelope = try JSONDecoder().decode(Envelope<Result>.self, from: body)
        } catch {
            if status >= 500 { throw .serverError(status: status, description: "HTTP \(status) without a Bot API answer") }
            throw .invalidResponse("\(method): HTTP \(status), not a Bot API answer")
        }
        if envelope.ok {
            guard let result = envelope.result else { throw .invalidResponse("\(method): ok without a readable result") }
            return result
        }
        let code = envelope.errorCode ?? status
        let description = envelope.description ?? "no description"
        switch code {
        case 401: throw .unauthorized(description)
        case 409: throw .conflict(description)
        // A wait beyond an hour is not believed: a broken or hostile answer must not park the bot.
        case 429: throw .rateLimited(retryAfter: min(max(1, envelope.parameters?.retryAfter ?? 1), 3_600))
        case 403: throw .forbidden(description)
        case 400 where description.lowercased().contains("message is not modified"): throw .notModified
        case 500...: throw .serverError(status: code, description: description)
        default: throw .badRequest(code: code, description: description)
        }
    }

    struct Envelope<Result: Decodable>: Decodable {
        let ok: Bool
        let result: Result?
        let errorCode: Int?
        let description: String?
        let parameters: Parameters?

        struct Parameters: Decodable {
            let retryAfter: Int?
            enum CodingKeys: String, CodingKey { case retryAfter = "retry_after" }
        }

        enum CodingKeys: String, CodingKey { case ok, result, description, parameters, errorCode = "error_code" }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            ok = try container.decode(Bool.self, forKey: .ok)
            result = ok ? try container.decodeIfPresent(Result.self, forKey: .result) : nil
            errorCode = try? container.decodeIfPresent(Int.self, forKey: .errorCode)
            description = try? container.decodeIfPresent(String.self, forKey: .description)
            parameters = try? container.decodeIfPresent(Parameters.self, forKey: .parameters)
        }
    }
}
