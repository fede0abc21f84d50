import Hummingbird
import Logging
import Loopback
import NIOCore

/// A ``FlowixSandbox`` served over real HTTP on loopback, under the Flowix paths
/// (`/api/v1/account`, `/api/v1/transaction/create`, …).
public final class SandboxServer: Sendable {
    public let sandbox: FlowixSandbox
    private let server: LoopbackServer

    /// The port the server listens on.
    public var port: Int { server.port }

    /// The base URL a live ``Flowix/FlowixAPI`` should use.
    public var baseURL: String { "http://127.0.0.1:\(port)\(Self.pathPrefix)" }

    /// The path every endpoint lives under.
    public static let pathPrefix = "/api/v1"

    private init(sandbox: FlowixSandbox, server: LoopbackServer) {
        self.sandbox = sandbox
        self.server = server
    }

    /// Starts a server on `host:port` (port 0 picks a free one) and returns once it listens.
    public static func start(sandbox: FlowixSandbox, host: String = "127.0.0.1", port: Int = 0,
                             logger: Logger = Logger(label: "loket.sandbox")) async throws -> SandboxServer {
        let router = Router()
        router.on("\(pathPrefix)/**", method: .get) { request, _ in try await respond(request, sandbox) }
        router.on("\(pathPrefix)/**", method: .post) { request, _ in try await respond(request, sandbox) }
        let server = try await LoopbackServer.start(router: router, host: host, port: port, name: "FlowixSandbox", logger: logger)
        return SandboxServer(sandbox: sandbox, server: server)
    }

    /// Stops accepting requests and waits for the server to finish.
    public func stop() async { await server.stop() }

    private static func respond(_ request: Request, _ sandbox: FlowixSandbox) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 1 << 20)
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        var query: [String: String] = [:]
        for (name, value) in request.uri.queryParameters { query[String(name)] = String(value) }
        let path = String(request.uri.path.dropFirst(pathPrefix.count))
        let recorded = RecordedRequest(method: request.method.rawValue, path: path, headers: headers,
                                       query: query, body: Array(body.readableBytesView))
        let reply = await sandbox.handle(recorded)
        if let delay = reply.delay { try await Task.sleep(for: delay) }
        await sandbox.recordAnswer(to: recorded)
        return Response(
            status: .init(code: reply.status),
            headers: [.contentType: reply.contentType],
            body: .init(byteBuffer: ByteBuffer(bytes: reply.body)))
    }
}
