import Foundation

/// Whether the catalogue sync keeps failing, and when the admins must hear of it: a pure record
/// of sync results. While Flowix cannot be read, the shop sells at the last good prices, and a
/// price Flowix raised in the meantime is refused at placement (sell price below the latest
/// known cost); a long outage is still worth a person's look.
public struct CatalogueHealth: Sendable, Equatable {
    /// What a sync result asks for.
    public enum Action: Sendable, Equatable {
        case none
        /// The sync has failed since `since`, for longer than allowed: tell the admins, then
        /// call ``alertSent()``; asked again after every failed sync until then.
        case alert(since: Date)
    }

    /// How long the sync may keep failing before the admins are told.
    public let alertAfter: TimeInterval
    /// The first failure since the last full success.
    public private(set) var failingSince: Date?
    private var alerted = false

    public init(alertAfter: TimeInterval) {
        self.alertAfter = alertAfter
    }

    /// Records one sync: `failed` when any part of it (prepaid, postpaid, deposit methods,
    /// banks) could not be read.
    public mutating func record(failed: Bool, at now: Date) -> Action {
        guard failed else {
            (failingSince, alerted) = (nil, false)
            return .none
        }
        let since = failingSince ?? now
        failingSince = since
        guard !alerted, now.timeIntervalSince(since) >= alertAfter else { return .none }
        return .alert(since: since)
    }

    /// The alert for this outage is queued: no more until the sync has worked again.
    public mutating func alertSent() {
        alerted = true
    }
}
