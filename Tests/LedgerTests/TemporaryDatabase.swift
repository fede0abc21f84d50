import Foundation
import Ledger

/// A fresh database file in its own temporary folder, removed when the value goes away.
final class TemporaryDatabase {
    let folder: URL
    var path: String { folder.appendingPathComponent("loket.sqlite").path }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("loket-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    func open(clock: @escaping @Sendable () -> Date = { Date() }) throws -> Ledger {
        try Ledger(path: path, clock: clock)
    }
}
