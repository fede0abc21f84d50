import Ledger
import Telegram

/// The poller's offset, handled updates and in-flight marks, kept in the ledger's SQLite file.
public struct LedgerUpdateLog: UpdateLog {
    let ledger: Ledger

    public init(ledger: Ledger) { self.ledger = ledger }

    public func storedOffset() async throws -> Int64? { try await ledger.telegramOffset() }
    public func storeOffset(_ offset: Int64) async throws { try await ledger.storeTelegramOffset(offset) }

    public func triage(_ ids: [Int64]) async throws -> UpdateLogState {
        let (handled, interrupted) = try await ledger.updateTriage(among: ids)
        return UpdateLogState(handled: handled, interrupted: Dictionary(interrupted.map { ($0.updateID, $0.aloneAttempts) },
                                                                       uniquingKeysWith: max))
    }

    public func beginBatch(_ updates: [InFlightUpdate], storingOffset offset: Int64?) async throws {
        try await ledger.beginUpdateBatch(updates.map {
            InFlightMark(updateID: $0.updateID, chatID: $0.chatID, userID: $0.userID, kind: $0.kind)
        }, storingOffset: offset)
    }

    public func markRetryAlone(_ updateID: Int64) async throws { try await ledger.markRetryAlone(updateID) }
    public func undoRetryAlone(_ updateID: Int64) async throws { try await ledger.undoRetryAlone(updateID) }

    public func storageProblem(_ error: any Error) -> String? { Ledger.storageProblem(error) }

    public func interruptedUpdates() async throws -> [InFlightUpdate] {
        try await ledger.interruptedUpdates().map {
            InFlightUpdate(updateID: $0.updateID, chatID: $0.chatID, userID: $0.userID, kind: $0.kind, aloneAttempts: $0.aloneAttempts)
        }
    }
}
