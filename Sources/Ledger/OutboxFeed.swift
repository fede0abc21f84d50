import GRDB
import Synchronization

/// Hands outbox rows to one subscriber as soon as the transaction that queued them commits,
/// in commit order, so the sender does not re-read the table for every reply.
///
/// Rows are collected while a write transaction runs and delivered from GRDB's after-commit
/// hook, on the serial writer queue; a rolled-back transaction delivers nothing.
final class OutboxFeed: Sendable {
    private struct State {
        var subscriber: (@Sendable ([OutboxRow]) -> Void)?
        var uncommitted: [OutboxRow] = []
        var deliveredThrough: Int64 = 0
    }

    private let state = Mutex(State())

    /// From now on, committed rows go to `subscriber`; rows up to `lastQueued` are older.
    func subscribe(_ subscriber: @escaping @Sendable ([OutboxRow]) -> Void, lastQueued: Int64) {
        state.withLock {
            $0.subscriber = subscriber
            $0.deliveredThrough = lastQueued
        }
    }

    /// The highest id queued through this feed that was delivered (or queued before the
    /// subscription); read it on the writer connection for a value ordered with the deliveries.
    var deliveredThrough: Int64 { state.withLock { $0.deliveredThrough } }

    /// `row` was inserted by the write transaction running on `db`.
    func queued(_ row: OutboxRow, in db: Database) {
        let isFirstOfTransaction = state.withLock { state -> Bool in
            guard state.subscriber != nil else { return false }
            state.uncommitted.append(row)
            return state.uncommitted.count == 1
        }
        guard isFirstOfTransaction else { return }
        db.afterNextTransaction { _ in
            let (subscriber, rows) = self.state.withLock { state in
                defer { state.uncommitted.removeAll() }
                state.deliveredThrough = max(state.deliveredThrough, state.uncommitted.last?.id ?? 0)
                return (state.subscriber, state.uncommitted)
            }
            subscriber?(rows)
        } onRollback: { _ in
            self.state.withLock { $0.uncommitted.removeAll() }
        }
    }
}
