import Foundation

/// The real `loket run` binary as a child process, which the fault suite and the simulation
/// start, kill with SIGKILL and restart.
public final class BotProcess: @unchecked Sendable {
    public let executable: URL
    public let environment: [String: String]
    public let logFile: URL
    private var process: Process?
    /// The port its HTTP server listens on, once started.
    public private(set) var port = 0

    /// The running bot's process id (for reading `/proc/<pid>/…`); `nil` before it was started
    /// or once it ended.
    public var processID: Int32? {
        guard let process, isAlive(process) else { return nil }
        return process.processIdentifier
    }

    public init(executable: URL, environment: [String: String], logFile: URL) {
        self.executable = executable
        self.environment = environment
        self.logFile = logFile
    }

    /// Starts the bot and waits until its HTTP server listens.
    public func start() async throws {
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
            guard isAlive(process) else { throw BotProcessFailure("loket run exited at start: \(text.suffix(500))") }
            try await Task.sleep(for: .milliseconds(20))
        }
        kill9()
        throw BotProcessFailure("loket run did not start listening")
    }

    /// `kill -9`: no chance to finish anything.
    public func kill9() {
        guard let process, isAlive(process) else { return }
        kill(process.processIdentifier, SIGKILL)
        waitUntilGone(process, timeout: .seconds(10))
    }

    /// SIGTERM and wait, as systemd stops it.
    public func stop() {
        guard let process, isAlive(process) else { return }
        process.terminate()
        waitUntilGone(process, timeout: .seconds(20))
        if isAlive(process) { kill9() }
    }

    /// Waits for the process to end on its own; `nil` if it is still running after `timeout`.
    public func waitForExit(timeout: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while let process, isAlive(process) {
            guard ContinuousClock.now < deadline else { return nil }
            try? await Task.sleep(for: .milliseconds(50))
        }
        guard let process else { return nil }
        return process.isRunning ? Self.exitStatus(process.processIdentifier).map { $0.signal ?? $0.code } ?? -1 : process.terminationStatus
    }

    /// How the current run ended on its own (`exit 1`, `signal 4`); `nil` while it runs or
    /// before it was started.
    public var ended: String? {
        guard let process, !isAlive(process) else { return nil }
        if process.isRunning {
            // Foundation has not seen the end (yet): the kernel's word for it.
            guard let status = Self.exitStatus(process.processIdentifier) else { return "ended (status not seen)" }
            return status.signal.map { "signal \($0)" } ?? "exit \(status.code)"
        }
        switch process.terminationReason {
        case .exit: return "exit \(process.terminationStatus)"
        case .uncaughtSignal: return "signal \(process.terminationStatus)"
        @unknown default: return "status \(process.terminationStatus)"
        }
    }

    /// Whether the child still runs. Foundation on Linux can miss a child's end (its `isRunning`
    /// stays true, `waitUntilExit()` never returns, the child lingers as a zombie), so /proc
    /// has the last word: gone or a zombie is not running.
    private func isAlive(_ process: Process) -> Bool {
        guard process.isRunning else { return false }
        guard let fields = Self.statFields(process.processIdentifier) else { return false }
        return fields.first != "Z"
    }

    private func waitUntilGone(_ process: Process, timeout: Duration) {
        let deadline = ContinuousClock.now + timeout
        while isAlive(process), ContinuousClock.now < deadline { usleep(20_000) }
    }

    /// The fields of `/proc/<pid>/stat` from the state on (field 3 onwards).
    private static func statFields(_ pid: Int32) -> [Substring]? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return nil }
        return stat[stat.index(after: close)...].split(separator: " ")
    }

    /// A zombie's exit status as `waitpid` reports it (`exit_code`, field 52 of `/proc/<pid>/stat`).
    private static func exitStatus(_ pid: Int32) -> (code: Int32, signal: Int32?)? {
        guard let fields = statFields(pid), fields.first == "Z", fields.count > 49, let raw = Int32(fields[49]) else { return nil }
        return raw & 0x7F != 0 ? (0, raw & 0x7F) : ((raw >> 8) & 0xFF, nil)
    }

    public var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }
}

/// The bot did not start.
public struct BotProcessFailure: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
