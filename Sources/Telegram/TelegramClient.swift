import AsyncHTTPClient
import Foundation
import Logging
import NIOCore

/// A typed Bot API client: requests go to `{baseURL}/bot{token}/{method}`.
///
/// The answer envelope (`ok`, `result`, `error_code`, `description`, `parameters.retry_after`)
/// is read whatever the HTTP status, and failures are classified as ``TelegramError``. The
/// token never appears in an error or a log line.
public struct TelegramClient: Sendable {
    private let token: String
    private let baseURL: String
    private let httpClient: HTTPClient
    private let logger: Logger
    /// The default time one request may take (long polls add their own timeout).
    public let requestTimeout: Duration

    public init(token: String, baseURL: String = "https://api.telegram.org", httpClient: HTTPClient = .shared,
                requestTimeout: Duration = .seconds(30), logger: Logger = Logger(label: "loket.telegram")) {
        self.token = token
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.httpClient = httpClient
        self.requestTimeout = requestTimeout
        self.logger = logger
    }

    /// An HTTP client sized for a bot: enough connections to the Bot API for a burst of replies
    /// to many chats at once (the shared client allows only a few per host).
    public static func makeHTTPClient(connections: Int = 64) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
        configuration.timeout = .init(connect: .seconds(10))
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Calls `method` and returns its result.
    public func send<Method: TelegramMethod>(_ method: Method, timeout: Duration? = nil) async throws(TelegramError) -> Method.Result {
        var request = HTTPClientRequest(url: "\(baseURL)/bot\(token)/\(Method.name)")
        request.method = .POST
        do {
            if let upload = method.upload {
                let boundary = "loket-" + UUID().uuidString
                request.headers.add(name: "Content-Type", value: "multipart/form-data; boundary=\(boundary)")
                request.body = .bytes(ByteBuffer(bytes: try Multipart.body(fields: Multipart.fields(of: method), upload: upload, boundary: boundary)))
            } else {
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(method)))
            }
        } catch {
            throw .badRequest(code: 0, description: "the \(Method.name) parameters could not be encoded")
        }
        let status: Int
        let body: Data
        do {
            let response = try await httpClient.execute(request, timeout: .init(timeout ?? requestTimeout))
            status = Int(response.status.code)
            body = Data(try await response.body.collect(upTo: 16 * 1024 * 1024).readableBytesView)
        } catch {
            throw .network(redacted(String(describing: error)))
        }
        return try Self.interpret(Method.Result.self, status: status, body: body, method: Method.name)
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

    private func redacted(_ text: String) -> String {
        token.isEmpty ? text : text.replacingOccurrences(of: token, with: "<token>")
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

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
