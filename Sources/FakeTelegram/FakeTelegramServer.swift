import Foundation
import Hummingbird
import Loopback
import NIOCore
import Telegram

/// A ``FakeBotAPI`` behind a real HTTP server on loopback, at `/bot{token}/{method}`.
public final class FakeTelegramServer: Sendable {
    public let api: FakeBotAPI
    private let server: LoopbackServer

    /// The base URL to give a live ``Telegram/TelegramAPI`` (like `https://api.telegram.org`).
    public var baseURL: String { "http://127.0.0.1:\(server.port)" }

    /// The port it listens on.
    public var port: Int { server.port }

    private init(api: FakeBotAPI, server: LoopbackServer) {
        self.api = api
        self.server = server
    }

    /// Serves `api` on loopback; `port` 0 picks a free port (give the old port to come back after a cut).
    public static func start(api: FakeBotAPI = FakeBotAPI(), port: Int = 0) async throws -> FakeTelegramServer {
        let router = Router()
        let handler: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, context in
            var request = request
            let segments = request.uri.path.split(separator: "/")
            guard segments.count == 2, segments[0].hasPrefix("bot") else { return Response(status: .notFound) }
            let body = try await request.collectBody(upTo: 20 << 20)
            var query: [String: String] = [:]
            for (name, value) in request.uri.queryParameters { query[String(name)] = String(value) }
            guard let (parameters, file) = FakeBotAPI.parameters(contentType: request.headers[.contentType] ?? "",
                                                                 body: Array(body.readableBytesView), query: query) else {
                return Self.json(400, FakeBotAPI.invalidJSONAnswer)
            }
            let (status, answer) = await api.answer(token: String(segments[0].dropFirst(3)), method: String(segments[1]),
                                                    parameters: parameters, file: file)
            return Self.json(status, answer)
        }
        router.post("/**", use: handler)
        router.get("/**", use: handler)
        let server = try await LoopbackServer.start(router: router, port: port, name: "fake Telegram Bot API")
        return FakeTelegramServer(api: api, server: server)
    }

    public func stop() async {
        await api.releasePolls()
        await server.stop()
    }

    private static func json(_ status: Int, _ body: String) -> Response {
        Response(status: .init(code: status), headers: [.contentType: "application/json"],
                 body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}

/// Reads an `application/x-www-form-urlencoded` body, as aiohttp and curl send it.
enum FormURLEncoding {
    static func pairs(_ body: String) -> [(String, String)] {
        body.split(separator: "&").compactMap { pair in
            let halves = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String? { text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding }
            guard let name = decode(halves[0]), let value = decode(halves.count == 2 ? halves[1] : "") else { return nil }
            return (name, value)
        }
    }
}

/// Splits a multipart/form-data body into its parts.
enum MultipartReader {
    struct Part {
        let name: String
        let filename: String?
        let body: [UInt8]
    }

    static func parts(_ bytes: [UInt8], boundary: String) -> [Part] {
        let delimiter = Array("--\(boundary)".utf8)
        var parts: [Part] = []
        var positions: [Int] = []
        var index = 0
        while index + delimiter.count <= bytes.count {
            if bytes[index..<index + delimiter.count].elementsEqual(delimiter) {
                positions.append(index)
                index += delimiter.count
            } else {
                index += 1
            }
        }
        for (start, end) in zip(positions, positions.dropFirst()) {
            let section = Array(bytes[(start + delimiter.count)..<end])
            guard let split = find([13, 10, 13, 10], in: section) else { continue }
            let head = String(decoding: section[..<split], as: UTF8.self)
            var body = Array(section[(split + 4)...])
            if body.suffix(2) == [13, 10] { body.removeLast(2) }
            guard let name = attribute("name", in: head) else { continue }
            parts.append(Part(name: name, filename: attribute("filename", in: head), body: body))
        }
        return parts
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for index in 0...(haystack.count - needle.count) where haystack[index..<index + needle.count].elementsEqual(needle) {
            return index
        }
        return nil
    }

    private static func attribute(_ name: String, in head: String) -> String? {
        guard let range = head.range(of: "\(name)=\"") else { return nil }
        let rest = head[range.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end])
    }
}
