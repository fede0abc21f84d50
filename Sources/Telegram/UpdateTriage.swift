/// What the poller does with one fetched update: a pure decision from what the ``UpdateLog``
/// knows of it.
///
/// | the log says | step |
/// |---|---|
/// | handled (or quarantined) before | ``skip`` |
/// | no chat to answer in (a kind Loket does not take) | ``skip`` |
/// | Telegram's fields could not be read | ``quarantine(_:)`` `.unreadable` |
/// | in flight when a run died, not yet retried alone | ``retryAlone`` |
/// | in flight when a run died, and died again when retried alone | ``quarantine(_:)`` `.crashed` |
/// | new | ``handle`` |
///
/// An update that throws is retried ``maximumAttempts`` times in the same run, then
/// quarantined with `.failed` — unless the storage could not be written, which is not the
/// update's fault (``afterFailure(attempt:error:storageProblem:)``).
public enum UpdateStep: Sendable, Equatable {
    /// Already done, or nothing to do.
    case skip
    /// Handled with the rest of the batch, concurrently with other chats.
    case handle
    /// Interrupted by a dying run: handled before the rest, on its own, after a durable mark,
    /// so that if it kills the process again only it is blamed.
    case retryAlone
    /// Set aside: recorded, its sender told and the admins alerted; never handled again.
    case quarantine(QuarantineReason)

    /// How many times a handler that throws is tried before the update is quarantined.
    public static let maximumAttempts = 3

    /// The step for `update`.
    public static func triage(_ update: Update, _ state: UpdateLogState) -> UpdateStep {
        if state.handled.contains(update.updateID) { return .skip }
        if case .unreadable = update.kind { return .quarantine(.unreadable) }
        guard update.chatID != nil else { return .skip }
        switch state.interrupted[update.updateID] {
        case nil: return .handle
        case 0?: return .retryAlone
        case _?: return .quarantine(.crashed)
        }
    }

    /// After handling threw on `attempt` (counting from 1), with `storageProblem` when the error
    /// says the storage cannot be written.
    public static func afterFailure(attempt: Int, error: any Error, storageProblem: String?) -> FailureStep {
        if let storageProblem { return .waitForStorage(storageProblem) }
        return attempt < maximumAttempts ? .retry : .quarantine(.failed(attempts: attempt, error: String(describing: error)))
    }
}

/// What the poller does after a handler threw.
public enum FailureStep: Sendable, Equatable {
    /// Try the update again, after a short pause.
    case retry
    /// Set it aside.
    case quarantine(QuarantineReason)
    /// The storage cannot be written (the disk is full, it is read-only): stop this chat's lane
    /// without blaming the update; the batch is fetched again after a back-off, and nothing was
    /// committed, so nothing is applied twice.
    case waitForStorage(String)
}
