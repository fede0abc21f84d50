import Foundation

/// A token bucket: `capacity` calls at once, refilled at `perSecond`; pure, time given.
struct TokenBucket: Sendable, Equatable {
    let capacity: Double
    let perSecond: Double
    private(set) var tokens: Double
    private(set) var last: Date

    init(capacity: Double, perSecond: Double, now: Date) {
        self.capacity = capacity
        self.perSecond = perSecond
        tokens = capacity
        last = now
    }

    /// Takes a token at `now`: `nil` when one was free, else the seconds until one is.
    mutating func take(at now: Date) -> TimeInterval? {
        tokens = min(capacity, tokens + max(0, now.timeIntervalSince(last)) * perSecond)
        last = max(last, now)
        guard tokens >= 1 else { return (1 - tokens) / perSecond }
        tokens -= 1
        return nil
    }
}

/// The calls to Flowix a customer's message or button may start without moving money (bill
/// checks, account inquiries, deposit status checks): a bucket per customer, and one for the
/// whole shop so it stays under Flowix's own limit. Admins are exempt from their own bucket.
actor LookupLimits {
    struct Settings: Sendable {
        /// Per customer: this many at once, then `perMinute` a minute.
        var burst = 3
        var perMinute = 6
        /// The whole shop: this many a second.
        var shopPerSecond = 10
    }

    let settings: Settings
    private var customers: [Int64: TokenBucket] = [:]
    private var shop: TokenBucket?

    init(settings: Settings) {
        self.settings = settings
    }

    /// `nil` when the lookup may go ahead, else the seconds to wait (rounded up).
    func allow(userID: Int64, isAdmin: Bool, now: Date) -> Int? {
        var shop = self.shop ?? TokenBucket(capacity: Double(settings.shopPerSecond), perSecond: Double(settings.shopPerSecond), now: now)
        if !isAdmin {
            var bucket = customers[userID]
                ?? TokenBucket(capacity: Double(settings.burst), perSecond: Double(settings.perMinute) / 60, now: now)
            // Peek at the shop first, so a refused customer does not spend the shop's token.
            var trial = shop
            if let wait = trial.take(at: now) { return Self.seconds(wait) }
            if let wait = bucket.take(at: now) {
                customers[userID] = bucket
                return Self.seconds(wait)
            }
            customers[userID] = bucket
            if customers.count > 10_000 { customers = customers.filter { now.timeIntervalSince($0.value.last) < 600 } }
        }
        if let wait = shop.take(at: now) {
            self.shop = shop
            return Self.seconds(wait)
        }
        self.shop = shop
        return nil
    }

    static func seconds(_ wait: TimeInterval) -> Int { max(1, Int(wait.rounded(.up))) }
}
