import AsyncHTTPClient
import Foundation
import NIOCore

/// The lean fake Bot API (`../shared/bench/lean-bot-api.js`, Node) in its own process: it does
/// next to nothing per request, so what is measured is the bot, not the fake. One per bot under
/// test, so the two never share a server.
final class LeanBotAPI {
    /// What the fake measured for the last burst (milliseconds, from its own clock).
    struct BurstResult: Decodable {
        var done: Int
        var n: Int
        var p50: Double?
        var p99: Double?
        var ups: Double
        /// Bot API requests the fake has answered since it started, of any method.
        var calls: Int?
    }

    /// What the steady feeder (`Fakes/steady-bot-api.js`) measured (milliseconds).
    struct SteadyResult: Decodable {
        var sent: Int
        var done: Int
        var feeding: Bool
        /// Messages queued per second, as achieved.
        var rate: Double
        var p50: Double?
        var p90: Double?
        var p99: Double?
        var max: Double?
    }

    let process: Process
    let port: Int
    let token: String
    var baseURL: String { "http://127.0.0.1:\(port)" }

    private init(process: Process, port: Int, token: String) {
        self.process = process
        self.port = port
        self.token = token
    }

    /// Starts `node script 0 token` and reads the port it printed. With `steadyFeeder`, the
    /// lean fake runs unchanged inside that script, which adds the steady mode's feeder.
    static func start(script: String, token: String, log: URL, steadyFeeder: String? = nil) throws -> LeanBotAPI {
        guard FileManager.default.fileExists(atPath: script) else {
            throw BenchmarkError("the lean fake Bot API is missing at \(script) (pass --fake)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        if let steadyFeeder {
            process.arguments = ["LEAN_BOT_API=\(script)", "node", steadyFeeder, "0", token]
        } else {
            process.arguments = ["node", script, "0", token]
        }
        let output = Pipe()
        process.standardOutput = output
        FileManager.default.createFile(atPath: log.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw BenchmarkError("node did not start the lean fake; see \(log.path)") }
            line.append(chunk)
        }
        guard let text = String(data: line, encoding: .utf8),
              let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw BenchmarkError("the lean fake printed no port")
        }
        return LeanBotAPI(process: process, port: port, token: token)
    }

    /// Queues one `text` from each of `chats` chats numbered from `base`, timing their replies.
    func burst(chats: Int, base: Int, text: String = "/saldo") async throws {
        _ = try await control("burst", body: #"{"n":\#(chats),"text":"\#(text)","base":\#(base)}"#)
    }

    /// The latencies of the last burst so far, and the requests answered.
    func result() async throws -> BurstResult {
        struct Answer: Decodable { var result: BurstResult }
        return try JSONDecoder().decode(Answer.self, from: try await control("result", body: nil)).result
    }

    /// Queues `rate` messages a second for `seconds` from the chats `base..<base+chats` in turn,
    /// timing every reply (steady feeder only).
    func steady(rate: Double, seconds: Int, base: Int, chats: Int) async throws {
        _ = try await control("steady", body: #"{"rate":\#(rate),"seconds":\#(seconds),"base":\#(base),"chats":\#(chats),"text":"/saldo"}"#)
    }

    /// The latencies of the steady run so far.
    func steadyResult() async throws -> SteadyResult {
        struct Answer: Decodable { var result: SteadyResult }
        return try JSONDecoder().decode(Answer.self, from: try await control("steady-result", body: nil)).result
    }

    private func control(_ name: String, body: String?) async throws -> Data {
        var request = HTTPClientRequest(url: "\(baseURL)/_control/\(name)")
        if let body {
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        guard response.status == .ok else { throw BenchmarkError("the lean fake answered \(response.status) to \(name)") }
        return Data(bytes.readableBytesView)
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }
}
