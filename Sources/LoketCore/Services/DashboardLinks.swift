import Foundation
import Ledger

/// One-time login links to the owner's dashboard, asked for with `/dashboard` in Telegram.
public struct DashboardLinks: Sendable {
    let ledger: Ledger
    /// The address the owner's browser uses (`LOKET_PUBLIC_URL`); `nil`: the dashboard is off.
    public let publicURL: String?
    let clock: @Sendable () -> Date

    /// How long a link may wait before it is used.
    public static let lifetime: TimeInterval = 10 * 60

    public init(ledger: Ledger, publicURL: String?, clock: @escaping @Sendable () -> Date) {
        self.ledger = ledger
        self.publicURL = publicURL
        self.clock = clock
    }

    /// A new link for `adminID`, valid once for ten minutes; `nil` when the dashboard is off.
    public func link(for adminID: Int64) async throws -> String? {
        guard let publicURL else { return nil }
        let token = Secret.random()
        try await ledger.dashboard.issueLink(tokenHash: Secret.hash(token), adminID: adminID,
                                             expiresAt: Int64(clock().addingTimeInterval(Self.lifetime).timeIntervalSince1970))
        return publicURL + "/dashboard/login?token=" + token
    }
}
