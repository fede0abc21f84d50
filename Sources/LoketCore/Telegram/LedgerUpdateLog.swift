import Ledger
import Telegram

/// The poller's offset and handled update ids, kept in the ledger's SQLite file.
public struct LedgerUpdateLog: UpdateLog {
    let ledger: Ledger

    public init(ledger: Ledger) { self.ledger = ledger }

    public func storedOffset() async throws -> Int64? { try await ledger.telegramOffset() }
    public func storeOffset(_ offset: Int64) async throws { try await ledger.storeTelegramOffset(offset) }
    public func handledUpdates(among ids: [Int64]) async throws -> Set<Int64> { try await ledger.handledUpdates(among: ids) }
}
