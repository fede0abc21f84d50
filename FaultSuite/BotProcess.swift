import Foundation

/// The real `loket run` binary as a child process, which the suite starts, kills with
/// SIGKILL and restarts.
final class BotProcess: @unchecked Sendable {
    let executable: URL
    let environment: [String: String]
    let logFile: URL
    private var process: Process?
    private(set) var port = 0

    init(executable: URL, environment: [String: String], logFile: URL) {
        self.executable = executable
        self.environment = environment
        self.logFile = logFile
    }

    /// Starts the bot and waits until its HTTP server listens.
    func start() async throws {
        FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let log = try FileHandle(forWritingTo: logFile)
        let process = Process()
        process.executableURL = executable
        process.arguments = ["run"]
        process.environment = environment
        process.standardError = log
        process.standardOutput = log
        try process.run()
        self.process = process
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let text = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
            if let range = text.range(of: #"listening on 127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                port = Int(text[range].split(separator: ":").last ?? "") ?? 0
                return
            }
            guard process.isRunning else { throw SuiteFailure("loket run exited at start: \(text.suffix(500))") }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw SuiteFailure("loket run did not start listening")
    }

    /// `kill -9`: no chance to finish anything.
    func kill9() {
        guard let process, process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM and wait, as systemd stops it.
    func stop() {
        guard let process, process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    /// Waits for the process to end on its own; `nil` if it is still running after `timeout`.
    func waitForExit(timeout: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while let process, process.isRunning {
            guard ContinuousClock.now < deadline else { return nil }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return process?.terminationStatus
    }

    var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }
}

struct SuiteFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
