import Foundation
import Testing
@testable import LoketCore

/// Issue #22: one customer in a loop cannot make the shop hammer Flowix.
@Suite("Lookup limits", .serialized)
struct LookupLimitTests {
    @Test func aTokenBucketRefillsAtItsRate() {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        var bucket = TokenBucket(capacity: 3, perSecond: 0.1, now: start)
        #expect(bucket.take(at: start) == nil && bucket.take(at: start) == nil && bucket.take(at: start) == nil)
        #expect(bucket.take(at: start) == 10, "empty: one token in ten seconds")
        #expect(bucket.take(at: start.addingTimeInterval(10)) == nil)
        #expect(bucket.take(at: start.addingTimeInterval(-3_600)) != nil, "a clock going back grants nothing")
    }

    @Test func customersHaveTheirOwnBucketAdminsNoneAndTheShopOne() async {
        let limits = LookupLimits(settings: .init(burst: 2, perMinute: 6, shopPerSecond: 5))
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(await limits.allow(userID: 1, isAdmin: false, now: now) == nil)
        #expect(await limits.allow(userID: 1, isAdmin: false, now: now) == nil)
        #expect(await limits.allow(userID: 1, isAdmin: false, now: now) == 10)
        #expect(await limits.allow(userID: 2, isAdmin: false, now: now) == nil, "another customer is not held back")
        #expect(await limits.allow(userID: 9, isAdmin: true, now: now) == nil, "admins skip their own bucket")
        #expect(await limits.allow(userID: 9, isAdmin: true, now: now) == nil)
        #expect(await limits.allow(userID: 3, isAdmin: false, now: now) == 1, "the shop's five a second are spent")
        #expect(await limits.allow(userID: 3, isAdmin: false, now: now.addingTimeInterval(1)) == nil)
    }

    @Test func thirtyBillChecksInARowReachFlowixOnlyAsOftenAsAllowed() async throws {
        let bot = try await BotHarness()
        try await bot.start()
        let customer: Int64 = 7_301
        try await bot.say("/start", from: customer)
        for _ in 0..<30 { await bot.api.pushMessage(chatID: customer, text: "/tagihan PLNPOST 512345678901") }
        try await waitUntil("30 answers", timeout: .seconds(30)) { await bot.api.delivered(to: customer).count >= 31 + 3 }
        try await Task.sleep(for: .milliseconds(500))
        let checks = await bot.flowix.requests.filter { $0.path == "/bill/check" }.count
        #expect((3...4).contains(checks), "\(checks) bill checks reached Flowix for 30 requests")
        #expect(await bot.api.delivered(to: customer).contains { $0.text?.contains("Terlalu sering dicek") == true })
        for _ in 0..<5 { try await bot.say("/tagihan PLNPOST 512345678901", from: BotHarness.admin, expecting: 2) }
        let afterAdmin = await bot.flowix.requests.filter { $0.path == "/bill/check" }.count
        #expect(afterAdmin == checks + 5, "the admin is not limited")
        await bot.stop()
        bot.cleanUp()
    }
}
