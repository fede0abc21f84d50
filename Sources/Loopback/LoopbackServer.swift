import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// A Hummingbird router served over real HTTP, started and stopped from code: the sandbox
/// runs in one, and tests use it for webhook receivers and other fake peers.
public final class LoopbackServer: Sendable {
    /// The port the server listens on.
    public let port: Int
    private let serviceGroup: ServiceGroup
    private let task: Task<Void, any Error>

    private init(port: Int, serviceGroup: ServiceGroup, task: Task<Void, any Error>) {
        self.port = port
        self.serviceGroup = serviceGroup
        self.task = task
    }

    /// Starts serving `router` on `host:port` (port 0 picks a free one) and returns once it listens.
    public static func start<Context: RequestContext>(
        router: Router<Context>, host: String = "127.0.0.1", port: Int = 0, name: String,
        logger: Logger = Logger(label: "loket.loopback")
    ) async throws -> LoopbackServer where Context: InitializableFromSource<ApplicationRequestContextSource> {
        let (portStream, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: name),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let task = Task {
            defer { portContinuation.finish() }
            try await group.run()
        }
        var bound: Int?
        for await value in portStream { bound = value }
        guard let bound, bound > 0 else {
            await group.triggerGracefulShutdown()
            let failure = await task.result
            throw LoopbackServerError(name: name, underlying: failure.failure.map { "\($0)" } ?? "no port")
        }
        return LoopbackServer(port: bound, serviceGroup: group, task: task)
    }

    /// Stops accepting requests, lets requests in flight finish and waits for the server to end.
    public func stop() async {
        await serviceGroup.triggerGracefulShutdown()
        _ = try? await task.value
    }
}

/// A server that could not start listening (the port is taken, the host is wrong).
public struct LoopbackServerError: Error, CustomStringConvertible {
    public let name: String
    public let underlying: String
    public var description: String { "\(name) did not start listening: \(underlying)" }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
