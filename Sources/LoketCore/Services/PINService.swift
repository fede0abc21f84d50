import Conversation
import Foundation
import Ledger
import Logging

/// Transaction PINs: checks one (three wrong tries lock PIN-protected actions for 15 minutes,
/// durably), sets one, and resets one for an admin. A PIN never reaches a log or an error.
public struct PINService: Sendable {
    let ledger: Ledger
    let hasher: PINHasher
    let logger: Logger

    /// Wrong tries in a row that lock the PIN.
    public static let triesBeforeLock = 3
    /// How long a lock lasts.
    public static let lockDuration: TimeInterval = 15 * 60

    public init(ledger: Ledger, hasher: PINHasher = PINHasher(), logger: Logger = Logger(label: "loket.pin")) {
        self.ledger = ledger
        self.hasher = hasher
        self.logger = logger
    }

    /// Whether `pin` is the user's, given in update `updateID` at `now`. A locked PIN is not
    /// checked at all; a wrong one counts once per update (a redelivery does not count again).
    public func verify(_ pin: String, userID: Int64, updateID: Int64, now: Date) async throws -> PINVerdict {
        guard let stored = try await ledger.pins.pin(userID: userID) else { return .notSet }
        let seconds = Int64(now.timeIntervalSince1970)
        if let until = stored.lockedUntil, until > seconds { return .locked(until: Date(timeIntervalSince1970: TimeInterval(until))) }
        if try hasher.matches(pin, hash: stored.hash, salt: stored.salt, rounds: stored.rounds) {
            if stored.failures > 0 { try await ledger.pins.accepted(userID: userID) }
            return .accepted
        }
        let lockUntil = seconds + Int64(Self.lockDuration)
        guard let after = try await ledger.pins.failed(userID: userID, updateID: updateID, lockAfter: Self.triesBeforeLock, lockUntil: lockUntil)
        else { return .notSet }
        if let until = after.lockedUntil, until > seconds {
            logger.warning("PIN locked after wrong tries", metadata: ["user": "\(userID)"])
            return .locked(until: Date(timeIntervalSince1970: TimeInterval(until)))
        }
        return .wrong(remaining: max(1, Self.triesBeforeLock - after.failures))
    }

    /// Stores `pin` as the user's new PIN.
    public func set(_ pin: String, userID: Int64) async throws {
        let (hash, salt) = try hasher.hash(pin)
        try await ledger.pins.set(userID: userID, hash: hash, salt: salt, rounds: hasher.rounds)
        logger.info("PIN set", metadata: ["user": "\(userID)"])
    }

    /// The user's PIN state for a conversation at `now`.
    static func state(hasPIN: Bool, lockedUntil: Int64?, now: Date) -> PINState {
        guard hasPIN else { return .none }
        if let until = lockedUntil, until > Int64(now.timeIntervalSince1970) { return .locked(until: Date(timeIntervalSince1970: TimeInterval(until))) }
        return .set
    }
}
