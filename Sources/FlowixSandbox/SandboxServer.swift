import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// A ``FlowixSandbox`` served over real HTTP on loopback, under the Flowix paths
/// (`/api/v1/account`, `/api/v1/transaction/create`, …).
public final class SandboxServer: Sendable {
    public let sandbox: FlowixSandbox
    /// The port the server listens on.
    public let port: Int
    private let serviceGroup: ServiceGroup
    private let task: Task<Void, any Error>

    /// The base URL a ``Flowix/FlowixClient`` should use.
    public var baseURL: String { "http://127.0.0.1:\(port)/api/v1" }

    /// The path every endpoint lives under.
    public static let pathPrefix = "/api/v1"

    private init(sandbox: FlowixSandbox, port: Int, serviceGroup: ServiceGroup, task: Task<Void, any Error>) {
        self.sandbox = sandbox
        self.port = port
        self.serviceGroup = serviceGroup
        self.task = task
    }

    /// Starts a server on `host:port` (port 0 picks a free one) and returns once it listens.
    public static func start(sandbox: FlowixSandbox, host: String = "127.0.0.1", port: Int = 0,
                             logger: Logger = Logger(label: "loket.sandbox")) async throws -> SandboxServer {
        let router = Router()
        router.on("\(pathPrefix)/**", method: .get) { request, context in try await respond(request, context, sandbox) }
        router.on("\(pathPrefix)/**", method: .post) { request, context in try await respond(request, context, sandbox) }
        let (portStream, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "FlowixSandbox"),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let task = Task { try await group.run() }
        var bound: Int?
        for await value in portStream { bound = value }
        guard let bound, bound > 0 else {
            task.cancel()
            _ = try await task.value
            throw SandboxServerError.didNotStart
        }
        return SandboxServer(sandbox: sandbox, port: bound, serviceGroup: group, task: task)
    }

    /// Stops accepting requests and waits for the server to finish.
    public func stop() async {
        await serviceGroup.triggerGracefulShutdown()
        _ = try? await task.value
    }

    private static func respond(_ request: Request, _ context: BasicRequestContext, _ sandbox: FlowixSandbox) async throws -> Response {
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
        return Response(
            status: .init(code: reply.status),
            headers: [.contentType: reply.contentType],
            body: .init(byteBuffer: ByteBuffer(bytes: reply.body)))
    }
}

/// Why the sandbox server could not start.
public enum SandboxServerError: Error, CustomStringConvertible {
    case didNotStart
    public var description: String { "the Flowix sandbox server did not start listening" }
}
