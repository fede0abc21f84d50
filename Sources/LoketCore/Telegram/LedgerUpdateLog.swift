import Ledger
import Telegram

/// The poller's offset, handled updates and in-flight marks, kept in the ledger's SQLite file.
public struct LedgerUpdateLog: UpdateLog {
    let ledger: Ledger

    public init(ledger: Ledger) { self.ledger = ledger }

    public func storedOffset() async throws -> Int64? { try await ledger.updates.offset() }
    public func storeOffset(_ offset: Int64) async throws { try await ledger.updates.storeOffset(offset) }

    public func triage(_ ids: [Int64]) async throws -> UpdateLogState {
        let (handled, interrupted) = try await ledger.updates.triage(among: ids)
        return UpdateLogState(handled: handled, interrupted: Dictionary(interrupted.map { ($0.updateID, $0.aloneAttempts) },
                                                                       uniquingKeysWith: max))
    }

    public func beginBatch(_ updates: [InFlightUpdate], storingOffset offset: Int64?) async throws {
        try await ledger.updates.beginBatch(updates.map {
            InFlightMark(updateID: $0.updateID, chatID: $0.chatID, userID: $0.userID, kind: $0.kind)
        }, storingOffset: offset)
    }

    public func markRetryAlone(_ updateID: Int64) async throws { try await ledger.updates.markRetryAlone(updateID) }
    public func undoRetryAlone(_ updateID: Int64) async throws { try await ledger.updates.undoRetryAlone(updateID) }

    public func storageProblem(_ error: any Error) -> String? { Ledger.storageProblem(error) }

    public func interruptedUpdates() async throws -> [InFlightUpdate] {
        try await ledger.updates.interrupted().map {
            InFlightUpdate(updateID: $0.updateID, chatID: $0.chatID, userID: $0.userID, kind: $0.kind, aloneAttempts: $0.aloneAttempts)
        }
    }
}
