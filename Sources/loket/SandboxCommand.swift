import ArgumentParser
import Flowix
import FlowixSandbox
import Foundation
import Money
import UnixSignals

/// `loket sandbox`: serves the Flowix sandbox on loopback until interrupted.
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Run a local Flowix sandbox (the same API, with test scenarios) until Ctrl-C.")

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one).")
    var port = 8090

    @Option(help: "URL the sandbox POSTs signed webhooks to.")
    var webhookURL: String?

    @Option(help: "Seconds a transaction stays processing before it settles.")
    var settleAfter: Int = 3

    func run() async throws {
        let configuration = SandboxConfiguration(webhookURL: webhookURL, settlementDelay: .seconds(settleAfter))
        let server = try await SandboxServer.start(sandbox: FlowixSandbox(configuration: configuration), host: host, port: port)
        print("""
            Flowix sandbox listening on http://\(host):\(server.port)\(SandboxServer.pathPrefix)
              FLOWIX_BASE_URL=http://\(host):\(server.port)\(SandboxServer.pathPrefix)
              FLOWIX_API_KEY=\(configuration.credentials.apiKey)
              FLOWIX_MERCHANT_ID=\(configuration.credentials.merchantID)
              FLOWIX_WEBHOOK_SECRET=\(configuration.webhookSecret)
            Webhooks: \(webhookURL ?? "recorded, not sent (use --webhook-url)")
            Targets ending in 0000 fail, 9999 stay processing, 5000 answer HTTP 500, 7777 answer slowly,
            8888 answer with an HTML page; see Sources/FlowixSandbox/README.md. Ctrl-C stops.
            """)
        await waitForInterrupt()
        await server.stop()
    }
}

/// Suspends until SIGINT or SIGTERM arrives.
func waitForInterrupt() async {
    for await _ in await UnixSignalsSequence(trapping: [.sigint, .sigterm]) { return }
}
