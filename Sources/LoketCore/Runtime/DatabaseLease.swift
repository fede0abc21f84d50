#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging

/// The right to run the bot on one database file: an exclusive `flock` on `<database>.lock`,
/// held for as long as `loket run` runs and let go by the kernel when the process ends, however
/// it ends. A second instance on the same file (two overlapping deploys) waits for the first to
/// stop instead of polling Telegram and settling money beside it.
public final class DatabaseLease: Sendable {
    private let descriptor: Int32

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Takes the lease at once, or `nil` when another process holds it.
    public static func take(databasePath: String) throws -> DatabaseLease? {
        let descriptor = open(databasePath + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw LeaseError(description: "cannot open \(databasePath).lock (errno \(errno))") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            return nil
        }
        return DatabaseLease(descriptor: descriptor)
    }

    /// Takes the lease, waiting (and saying so once) while another instance holds it.
    public static func acquire(databasePath: String, retryEvery interval: Duration = .seconds(2), logger: Logger) async throws -> DatabaseLease {
        var announced = false
        while true {
            if let lease = try take(databasePath: databasePath) {
                if announced { logger.info("the other instance stopped; taking over", metadata: ["database": "\(databasePath)"]) }
                return lease
            }
            if !announced {
                logger.error("another loket run is using this database; waiting for it to stop", metadata: ["database": "\(databasePath)"])
                announced = true
            }
            try await Task.sleep(for: interval)
        }
    }
}

/// The lock file could not be opened.
public struct LeaseError: Error, CustomStringConvertible {
    public let description: String
}
