import FakeTelegram
import Flowix
import FlowixSandbox
import Foundation
import GRDB
import Ledger
import Money

/// Issue #15, "Settlement you can prove": the ways Flowix can seem to say "failed" without
/// saying it, and what Flowix charges when it differs from what was held. The rules:
///
/// - once a create may have reached Flowix, the only road to a refund is Flowix saying, for that
///   reference, that it failed: status `failed`, or "not found" persisting past the grace period
///   (`LOKET_NOT_FOUND_GRACE_SECONDS`);
/// - a refusal of a resend is never a refund by itself: "reference already used" (HTTP 409, body
///   code 409, or the message) means it exists; a rate limit means ask again later;
/// - a status the reference does not list (`error`) is unknown, not failed;
/// - capture books what Flowix charged; a difference is journalled and alerts the admins once.
///
/// The scenarios that depend on the grace period read it from the bot's environment (World
/// passes the suite's own environment through), and refuse to run with the 600 s default.
extension Scenarios {
    static let settlement: [Scenario] = [
        SettlementScenarios.resendRefused(.bodyInHTTP200, "\"Ref ID sudah digunakan\" in an HTTP 200 body"),
        SettlementScenarios.resendRefused(.http409, "HTTP 409 (message without a hint)"),
        SettlementScenarios.resendRefused(.bodyCode409, "body code 409 in an HTTP 200 (message without a hint)"),
        SettlementScenarios.resendRefused(.bodyInHTTP400, "\"Ref ID sudah digunakan\" with HTTP 400 and body code 400"),
        SettlementScenarios.resendRateLimited(.http429, "HTTP 429"),
        SettlementScenarios.resendRateLimited(.bodyCode429, "body code 429 in an HTTP 200"),
        SettlementScenarios.unknownStatus,
        SettlementScenarios.notFoundWhileResendsAreUnknown,
        SettlementScenarios.notFoundPastGraceResendsRefused,
        SettlementScenarios.priceChanged,
        SettlementScenarios.priceChangedByStatus,
        SettlementScenarios.payoutFeeDiffers,
        SettlementScenarios.payoutStatusLags,
        SettlementScenarios.firstCreateRefused,
    ]
}

enum SettlementScenarios {
    static let customer = Scenarios.customer
    static let price = Scenarios.price
    static let flowixStart: Int64 = 5_000_000
    /// How long `loket run` waits for a Flowix answer (`LoketRuntime.Tuning.flowixTimeout`).
    static let botTimeout: TimeInterval = 15
    /// The slow (…7777) answer comes after the bot gave up waiting.
    static let slowAnswer: TimeInterval = 20
    /// How many status checks of a resend scenario say "not found": enough to provoke a resend
    /// after the timeout, too few (two passes, about 4 s) for the grace period to be over.
    static let lagChecks = 2

    /// The suite's usual sandbox with a slow answer longer than the bot's timeout.
    static func timingOut(lag: StatusLag = .none, duplicate: DuplicateRefusal? = nil) -> SandboxConfiguration {
        var configuration = SandboxConfiguration(settlementDelay: nil, slowAnswerDelay: .seconds(slowAnswer),
                                                 webhookRetryDelays: [.milliseconds(200), .seconds(1), .seconds(2)])
        configuration.statusLag = lag
        configuration.duplicateRefusal = duplicate
        return configuration
    }

    // MARK: Scenarios

    /// A create times out after Flowix took it; the status endpoint does not know it yet; the
    /// reconciler resends it and the resend is refused as a duplicate — no refund; the original
    /// completes; charged once everywhere.
    static func resendRefused(_ refusal: DuplicateRefusal, _ how: String) -> Scenario {
        Scenario(name: "settlement: a resend refused as a duplicate, \(how), is no refund",
                 injected: "/transaction/create (…7777) recorded at once but answered after \(Int(slowAnswer)) s (the bot times out at \(Int(botTimeout)) s); "
                     + "/transaction/status says \"not found\" to the first \(lagChecks) checks; every resend under the same ref_id refused with \(how); then Flowix completes the original",
                 sandbox: timingOut(lag: .checks(lagChecks), duplicate: refusal)) { world in
            try await world.fund(customer, 50_000)
            try await Scenarios.buy(world, target: "081234567777")
            let (ref, created) = try await create(world, target: "081234567777")
            try await expectHeld(world, refs: [ref], wallet: 50_000 - price, until: created.addingTimeInterval(slowAnswer + 3),
                                 "while the create timed out, the status endpoint lagged and resends were refused")
            let refused = await world.flowix.exchanges(path: "/transaction/create", refID: ref).filter { $0.fault == .duplicateRefusal }.count
            try world.expect(refused >= 1, "the bot never sent the order again, so no resend was refused: nothing was tested")
            let notFound = await faults(world, .statusLag, ref)
            await world.flowix.settle(refID: ref, as: .success)
            try await expectSucceededOnce(world, ref: ref, charged: price)
            try world.checkInvariants()
            _ = try await world.checkMoneyModel()
            return "\(refused) resend(s) refused and \(notFound) \"not found\" answer(s) moved no money; the original completed: one charge at Flowix, wallet = 50.000 − price, one \"Berhasil\"\n"
                + "               Flowix saw: \(await timeline(world, ref: ref, since: created))"
        }
    }

    /// The resend is rate-limited: no refund, settles later.
    static func resendRateLimited(_ answer: RateLimitAnswer, _ how: String) -> Scenario {
        Scenario(name: "settlement: a resend answered with a rate limit, \(how), is no refund",
                 injected: "/transaction/create (…7777) recorded at once but answered after \(Int(slowAnswer)) s (the bot times out at \(Int(botTimeout)) s); "
                     + "/transaction/status says \"not found\" to the first \(lagChecks) checks; the next 3 creates after the first rate-limited with \(how); then Flowix completes the original",
                 sandbox: timingOut(lag: .checks(lagChecks))) { world in
            try await world.fund(customer, 50_000)
            try await Scenarios.buy(world, target: "081234567777")
            let (ref, created) = try await create(world, target: "081234567777")
            await world.flowix.rateLimit(next: 3, paths: ["/transaction/create"], answer: answer)
            try await expectHeld(world, refs: [ref], wallet: 50_000 - price, until: created.addingTimeInterval(slowAnswer + 3),
                                 "while resends were rate-limited")
            let limited = await faults(world, .rateLimited, ref, path: "/transaction/create")
            try world.expect(limited >= 1, "the bot never sent the order again, so no resend was rate-limited: nothing was tested")
            await world.flowix.settle(refID: ref, as: .success)
            try await expectSucceededOnce(world, ref: ref, charged: price)
            try world.checkInvariants()
            _ = try await world.checkMoneyModel()
            return "\(limited) rate-limited resend(s) moved no money; settled later: one charge at Flowix, wallet = 50.000 − price, one \"Berhasil\"\n"
                + "               Flowix saw: \(await timeline(world, ref: ref, since: created))"
        }
    }

    /// `error` from the status endpoint and from a webhook: unknown, the money stays held; then
    /// Flowix says success for one and failed for the other.
    static let unknownStatus = Scenario(
        name: "settlement: status \"error\" (not in the reference) keeps the money held",
        injected: "order A (…5000: HTTP 500 after create, so the reconciler asks /transaction/status) whose status reads \"error\"; "
            + "order B (…9999, processing) sent a signed webhook with status \"error\" and whose status reads \"error\"; 10 s later Flowix says success for A, failed for B"
    ) { world in
        try await world.fund(customer, 50_000)
        try await Scenarios.buy(world, target: "081234565000")
        let (a, _) = try await create(world, target: "081234565000")
        await world.flowix.reportStatus("error", for: a)
        try await Scenarios.buy(world, target: "081234569999")
        let (b, _) = try await create(world, target: "081234569999")
        await world.flowix.reportStatus("error", for: b)
        try await world.until("order B is processing") { try await world.ledger().orders.order(refID: b)?.status == .processing }
        await world.flowix.sendStatusWebhook(refID: b, status: "error")
        try await world.until("the \"error\" webhook was acknowledged") {
            await world.flowix.webhookDeliveries().contains { $0.refID == b && $0.delivered && String(decoding: $0.body, as: UTF8.self).contains(#""status":"error""#) }
        }
        try await expectHeld(world, refs: [a, b], wallet: 50_000 - 2 * price, until: Date().addingTimeInterval(10),
                             "after \"error\" from the status endpoint and a webhook")
        let asked = await faults(world, .reportedStatus, a)
        try world.expect(asked >= 1, "the bot never asked /transaction/status about order A, so it never read \"error\" there: nothing was tested")
        await world.flowix.reportStatus(nil, for: a)
        await world.flowix.reportStatus(nil, for: b)
        await world.flowix.settle(refID: a, as: .success)
        await world.flowix.settle(refID: b, as: .failed)
        try await world.api.waitForMessage("Berhasil", to: customer, timeout: .seconds(30))
        try await world.api.waitForMessage("dikembalikan", to: customer, timeout: .seconds(30))
        try await Task.sleep(for: .seconds(3))
        let successes = await texts(world, customer, containing: "Berhasil").count
        let failures = await texts(world, customer, containing: "❌")
        try world.expect(successes == 1 && failures.count == 1, "\(successes) success and \(failures.count) failure message(s), not one each")
        try world.expect(failures.first?.contains(b) == true, "the failure message is not about order B")
        try await expectStatus(world, a, .success)
        try await expectStatus(world, b, .failed)
        try world.expect(try await world.balance(customer) == 50_000 - price, "wallet is not 50.000 − price (A captured, B refunded once)")
        try world.expect(await world.flowix.balance.value == flowixStart - price, "Flowix did not charge exactly once")
        try world.checkInvariants()
        _ = try await world.checkMoneyModel()
        return "\(asked) \"error\" status answer(s) and an \"error\" webhook left both held; then A captured, B refunded once"
    }

    /// The create never reached Flowix: "not found" persists; refunded exactly once, and only
    /// after the grace period. Either every create is dropped (each resend's outcome is unknown
    /// too), or only the first, after which Flowix's balance has run out and every resend is
    /// refused "Saldo tidak mencukupi." (HTTP 400) — a resend's refusal, so no refund by itself.
    static let notFoundPastGraceResendsRefused = notFoundPastGrace(resendsRefused: true)

    /// "Not found" while every resend ends with its outcome unknown (HTTP 500): each resend may
    /// yet be created, so the grace period starts over after it; after three resends
    /// (`SettlementPolicy.maxResends`) the bot only asks, and refunds once "not found" has lasted
    /// a full grace period after the last resend — never sooner, and exactly once.
    static let notFoundWhileResendsAreUnknown = Scenario(
        name: "settlement: \"not found\" while every resend's outcome is unknown refunds only a grace period after the last resend",
        injected: "every /transaction/create answered HTTP 500 without creating anything; /transaction/status honestly \"not found\""
    ) { world in
        let grace = try shortGrace(world)
        await world.flowix.dropCreates(paths: ["/transaction/create"], answer: .serverError)
        try await world.fund(customer, 50_000)
        try await Scenarios.buy(world, target: "081234567890")
        let (ref, created) = try await create(world, target: "081234567890")
        func creates() async -> [RecordedRequest] {
            await world.flowix.requests.filter { $0.path == "/transaction/create" && $0.bodyFields["ref_id"] == ref }
        }
        try await world.until("the first create and three resends reached Flowix", timeout: .seconds(Double(4 * grace) + 60)) {
            try await expectHeld(world, refs: [ref], wallet: 50_000 - price, until: Date(), "while it was being sent again")
            return await creates().count >= 4
        }
        let lastResend = await creates()[3].receivedAt
        // Whole-second clocks may round the grace down by up to a second.
        try await expectHeld(world, refs: [ref], wallet: 50_000 - price, until: lastResend.addingTimeInterval(TimeInterval(grace) - 1),
                             "within the \(grace) s grace period after the last resend")
        let refundedAt = try await refund(world, ref: ref, graceAfter: lastResend, "the last resend", grace: grace, created: created)
        try await Task.sleep(for: .seconds(4))
        let sent = await creates().count
        try world.expect(sent == 4, "\(sent) creates: the first and three resends, no more, were expected")
        let failures = await texts(world, customer, containing: "❌").count
        try world.expect(failures == 1, "\(failures) refund messages, not one")
        try world.expect(try await world.balance(customer) == 50_000, "wallet is not back at 50.000")
        try world.expect(await world.flowix.outcomes()[ref] == nil, "Flowix has \(ref)")
        try world.checkInvariants()
        _ = try await world.checkMoneyModel()
        return "held through the first create and three resends (all HTTP 500) and \(String(format: "%.1f", refundedAt.timeIntervalSince(lastResend))) s "
            + "after the last (grace \(grace) s); refunded once; no fourth resend"
    }

    static func notFoundPastGrace(resendsRefused: Bool) -> Scenario {
        Scenario(
            name: "settlement: \"not found\" past the grace period refunds once, and only then"
                + (resendsRefused ? ", resends refused as short of balance" : ""),
            injected: resendsRefused
                ? "the first /transaction/create dropped (HTTP 500, nothing created), then Flowix's balance set to 0 so every resend is refused "
                    + "HTTP 400 \"Saldo tidak mencukupi.\"; /transaction/status honestly says \"not found\" for good"
                : "every /transaction/create dropped (HTTP 500, nothing created), so /transaction/status honestly says \"not found\" for good"
        ) { world in
            let grace = try shortGrace(world)
            await world.flowix.dropCreates(next: resendsRefused ? 1 : nil, paths: ["/transaction/create"], answer: .serverError)
            try await world.fund(customer, 50_000)
            try await Scenarios.buy(world, target: "081234567890")
            let (ref, created) = try await create(world, target: "081234567890")
            if resendsRefused { await world.flowix.setBalance(.zero) }
            try await world.until("the bot asked /transaction/status", timeout: .seconds(30)) {
                await !world.flowix.exchanges(path: "/transaction/status", refID: ref).isEmpty
            }
            let firstNotFound = await world.flowix.exchanges(path: "/transaction/status", refID: ref)[0].answeredAt
            // Whole-second clocks may round the grace down by up to a second.
            try await expectHeld(world, refs: [ref], wallet: 50_000 - price, until: firstNotFound.addingTimeInterval(TimeInterval(grace) - 1),
                                 "within the \(grace) s grace period after the first \"not found\"")
            let refundedAt = try await refund(world, ref: ref, graceAfter: firstNotFound, "the first \"not found\"", grace: grace, created: created)
            let checks = await world.flowix.exchanges(path: "/transaction/status", refID: ref)
                .filter { $0.httpStatus == 404 && $0.answeredAt <= refundedAt }.count
            try world.expect(checks >= 2, "refunded after \(checks) \"not found\" answer(s); several checks are needed")
            let creates = await world.flowix.requests.filter { $0.path == "/transaction/create" && $0.bodyFields["ref_id"] == ref }.count
            try await Task.sleep(for: .seconds(4))
            let failures = await texts(world, customer, containing: "❌").count
            try world.expect(failures == 1, "\(failures) refund messages, not one")
            try world.expect(try await world.balance(customer) == 50_000, "wallet is not back at 50.000")
            let atFlowix = await world.flowix.outcomes()[ref]
            try world.expect(atFlowix == nil, "Flowix has \(ref) (\(atFlowix?.status ?? ""))")
            try world.checkInvariants()
            _ = try await world.checkMoneyModel()
            let after = refundedAt.timeIntervalSince(firstNotFound)
            return "held through the grace period (\(creates) create(s), none applied); refunded \(String(format: "%.1f", after)) s after the first \"not found\", "
                + "after \(checks) checks; one refund message"
        }
    }

    /// Flowix charges more than the price the sale was quoted at: told by the create answer
    /// (then a webhook without a price settles it), or by the status endpoint (no webhooks).
    static let priceChanged = priceChanged(webhooks: true)
    static let priceChangedByStatus = priceChanged(webhooks: false)

    static func priceChanged(webhooks: Bool) -> Scenario {
        Scenario(
            name: "settlement: Flowix charges more than quoted" + (webhooks ? "" : ", learnt from /transaction/status"),
            injected: "TSEL10 charged Rp11.200 (price in the /transaction/create answer and in /transaction/status) while /services still lists Rp10.500, "
                + "the price the customer was quoted; " + (webhooks ? "settled by the usual webhook (which carries no price)" : "webhooks off: the reconciler's status check settles it")
        ) { world in
            let charged: Int64 = 11_200
            await world.flowix.setChargedPrice(Rupiah(charged)!, for: "TSEL10")
            if !webhooks { await world.flowix.setWebhookURL(nil) }
            try await world.fund(customer, 50_000)
            try await Scenarios.buy(world, target: "081234567890")
            let (ref, _) = try await create(world, target: "081234567890")
            try await world.until("the order is processing") { try await world.ledger().orders.order(refID: ref)?.status == .processing }
            await world.flowix.settle(refID: ref, as: .success)
            try await expectSucceededOnce(world, ref: ref, charged: charged)
            let order = try await world.ledger().orders.order(refID: ref)
            try world.expect(order?.finalCost?.value == charged, "captured at \(order?.finalCost.map(\.description) ?? "nothing"), not the \(charged) Flowix charged")
            let cost = try flowixCost(world, ref: ref)
            try world.expect(cost == charged, "the journal books \(cost) as Flowix's cost for \(ref), not \(charged)")
            let alerts = try await expectOneAlert(world)
            try world.checkInvariants()
            _ = try await world.checkMoneyModel()
            return "captured at Flowix's 11.200 (journal cost 11.200, margin −700), the customer paid the quoted price; \(alerts) admin alert"
        }
    }

    /// A payout whose fee at Flowix differs from ours.
    static let payoutFeeDiffers = Scenario(
        name: "settlement: a payout fee that differs from ours",
        injected: "Flowix charges a Rp3.000 fee (fee and total_deduction in /payout/status, fee in the webhook) where the bot holds Rp2.500"
    ) { world in
        await world.flowix.setPayoutFee(Rupiah(3_000)!)
        try await Scenarios.requestPayout(world, account: "1234567890")
        let ref = try await payoutRef(world)
        try await world.until("the payout is processing") { try await world.ledger().payouts.payout(refID: ref)?.status == .processing }
        await world.flowix.settleDue()
        try await world.api.waitForMessage("berhasil", to: customer, timeout: .seconds(30))
        try await Task.sleep(for: .seconds(2))
        let notices = await texts(world, customer, containing: "berhasil").count
        try world.expect(notices == 1, "\(notices) success messages")
        let payout = try await world.ledger().payouts.payout(refID: ref)
        try world.expect(payout?.status == .success, "the payout is \(payout?.status.rawValue ?? "missing")")
        try world.expect(payout?.flowixFee?.value == 3_000, "captured with fee \(payout?.flowixFee.map(\.description) ?? "nothing"), not Flowix's 3.000")
        let cost = try flowixCost(world, ref: ref)
        try world.expect(cost == 3_000, "the journal books \(cost) as Flowix's cost for \(ref), not 3.000")
        try world.expect(try await world.balance(customer) == 200_000 - 102_500, "wallet is not 200.000 − (100.000 + our 2.500)")
        try world.expect(await world.flowix.balance.value == flowixStart - 103_000, "Flowix did not take 103.000 once")
        let alerts = try await expectOneAlert(world)
        try world.checkInvariants()
        _ = try await world.checkMoneyModel()
        return "captured with Flowix's 3.000 fee (journal cost 3.000), the customer paid 100.000 + 2.500; \(alerts) admin alert"
    }

    /// A payout whose status endpoint does not know it for a while (less than the grace).
    static let payoutStatusLags = Scenario(
        name: "settlement: a payout the status endpoint does not know for a while is no refund",
        injected: "/payout/create (account …5000) created then answered HTTP 500; /payout/status says \"not found\" for (grace − 2) s; then Flowix pays it out"
    ) { world in
        let period = grace(world)
        let lag = TimeInterval(max(3, min(period - 2, 20)))
        await world.flowix.setStatusLag(.after(.seconds(lag)))
        try await Scenarios.requestPayout(world, account: "1234565000")
        let ref = try await payoutRef(world)
        let created = await world.flowix.requests.first { $0.path == "/payout/create" }?.receivedAt ?? Date()
        try await expectHeld(world, refs: [ref], wallet: 200_000 - 102_500, until: created.addingTimeInterval(lag + 5), payout: true,
                             "while /payout/status said \"not found\"")
        let notFound = await faults(world, .statusLag, ref, path: "/payout/status")
        try world.expect(notFound >= 1, "the bot never asked /payout/status during the lag: nothing was tested")
        await world.flowix.settleDue()
        try await world.api.waitForMessage("berhasil", to: customer, timeout: .seconds(30))
        try await Task.sleep(for: .seconds(2))
        try world.expect(await texts(world, customer, containing: "berhasil").count == 1, "not exactly one success message")
        try world.expect(await texts(world, customer, containing: "❌").isEmpty, "a failure message was sent")
        try world.expect(try await world.balance(customer) == 200_000 - 102_500, "wallet is not 200.000 − 102.500")
        try world.expect(await world.flowix.balance.value == flowixStart - 102_500, "Flowix paid out other than once")
        try world.checkInvariants()
        _ = try await world.checkMoneyModel()
        return "\(notFound) \"not found\" answer(s) over \(Int(lag)) s (grace \(period) s) moved no money; paid out once"
    }

    /// The other side of the rule: a first create refused in a way that provably created
    /// nothing is refunded at once, without waiting for any grace period.
    static let firstCreateRefused = Scenario(
        name: "settlement: a first create refused as short of Flowix balance refunds at once",
        injected: "the Flowix balance set to Rp1.000, so /transaction/create answers HTTP 400 \"Saldo tidak mencukupi.\" without creating anything"
    ) { world in
        await world.flowix.setBalance(Rupiah(1_000)!)
        try await world.fund(customer, 50_000)
        try await Scenarios.buy(world, target: "081234567890")
        let (ref, created) = try await create(world, target: "081234567890")
        try await world.until("the refund right after the refusal", timeout: .seconds(4)) {
            try await world.ledger().orders.order(refID: ref)?.status == .failed
        }
        let after = Date().timeIntervalSince(created)
        try await Task.sleep(for: .seconds(3))
        let failures = await texts(world, customer, containing: "❌").count
        try world.expect(failures == 1, "\(failures) refusal messages, not one")
        try world.expect(try await world.balance(customer) == 50_000, "wallet is not back at 50.000")
        try world.expect(await world.flowix.outcomes()[ref] == nil, "Flowix has \(ref)")
        try world.checkInvariants()
        _ = try await world.checkMoneyModel()
        return "refused and refunded \(String(format: "%.1f", after)) s after the create, once, nothing at Flowix"
    }

    // MARK: Helpers

    /// `LOKET_NOT_FOUND_GRACE_SECONDS` as the bot under test has it (600 when unset).
    static func grace(_ world: World) -> Int {
        Int(world.bot.environment["LOKET_NOT_FOUND_GRACE_SECONDS"] ?? "") ?? 600
    }

    /// The grace period, refusing to wait the production default.
    static func shortGrace(_ world: World) throws -> Int {
        let period = grace(world)
        guard period <= 60 else {
            throw SuiteFailure("the bot's not-found grace period is \(period) s; run with LOKET_NOT_FOUND_GRACE_SECONDS=6 "
                + "(World passes the suite's environment to the bot) or set it in World's environment")
        }
        return period
    }

    /// When the order `ref` was seen refunded, waiting at most a grace period and 30 s after
    /// `start` (the moment the grace period runs from, called `what`); fails with Flowix's timeline.
    static func refund(_ world: World, ref: String, graceAfter start: Date, _ what: String, grace: Int, created: Date) async throws -> Date {
        var refundedAt = Date()
        do {
            try await world.until("the refund a grace period after \(what)", timeout: .seconds(Double(grace) + 30)) {
                refundedAt = Date()
                return try await world.ledger().orders.order(refID: ref)?.status == .failed
            }
        } catch {
            let checks = await world.flowix.exchanges(path: "/transaction/status", refID: ref).count
            throw SuiteFailure("no refund \(Int(Date().timeIntervalSince(start))) s after \(what) (grace \(grace) s, \(checks) checks); "
                + "Flowix saw: \(await timeline(world, ref: ref, since: created, last: 10))")
        }
        return refundedAt
    }

    /// The reference and arrival time of the first create for `target`, once it reached Flowix.
    static func create(_ world: World, target: String) async throws -> (ref: String, at: Date) {
        func first() async -> RecordedRequest? {
            await world.flowix.requests.first { $0.path == "/transaction/create" && $0.bodyFields["target"] == target }
        }
        try await world.until("the create for \(target) reached Flowix", timeout: .seconds(30)) { await first() != nil }
        let request = await first()!
        return (request.bodyFields["ref_id"] ?? "", request.receivedAt)
    }

    /// The reference of the first payout create.
    static func payoutRef(_ world: World) async throws -> String {
        try await world.until("the payout reached Flowix", timeout: .seconds(30)) { await world.flowix.requests.contains { $0.path == "/payout/create" } }
        return await world.flowix.requests.first { $0.path == "/payout/create" }?.bodyFields["ref_id"] ?? ""
    }

    /// Until `deadline`, checks every quarter second that nothing was refunded: no failure
    /// message to the customer, no record failed, the wallet unchanged.
    static func expectHeld(_ world: World, refs: [String], wallet: Int64, until deadline: Date, payout: Bool = false,
                           _ what: String) async throws {
        repeat {
            let failures = await texts(world, customer, containing: "❌")
            try world.expect(failures.isEmpty, "refunded \(what): the customer was told \"\(failures.first?.prefix(100) ?? "")\"")
            for ref in refs {
                let status: ProgressStatus?
                if payout { status = try await world.ledger().payouts.payout(refID: ref)?.status } else { status = try await world.ledger().orders.order(refID: ref)?.status }
                try world.expect(status != .failed, "refunded \(what): \(ref) is failed")
            }
            let balance = try await world.balance(customer)
            try world.expect(balance == wallet, "\(what): the wallet is \(balance), not \(wallet)")
            try await Task.sleep(for: .milliseconds(250))
        } while Date() < deadline
    }

    /// Waits for the success message of `ref` and checks it came once, the order is `success`,
    /// the customer paid the quoted price and Flowix took `charged` once.
    static func expectSucceededOnce(_ world: World, ref: String, charged: Int64) async throws {
        try await world.api.waitForMessage("Berhasil", to: customer, timeout: .seconds(30))
        try await Task.sleep(for: .seconds(3))
        let successes = await texts(world, customer, containing: "Berhasil").count
        try world.expect(successes == 1, "\(successes) success messages")
        let failures = await texts(world, customer, containing: "❌")
        try world.expect(failures.isEmpty, "the customer was also told \"\(failures.first?.prefix(100) ?? "")\"")
        try await expectStatus(world, ref, .success)
        try world.expect(try await world.balance(customer) == 50_000 - price, "wallet is not 50.000 − price")
        let flowix = await world.flowix.balance.value
        try world.expect(flowix == flowixStart - charged, "Flowix's balance is \(flowix), not 5.000.000 − \(charged) (charged once)")
    }

    static func expectStatus(_ world: World, _ ref: String, _ status: ProgressStatus) async throws {
        let actual = try await world.ledger().orders.order(refID: ref)?.status
        try world.expect(actual == status, "\(ref) is \(actual?.rawValue ?? "missing") in the books, not \(status.rawValue)")
    }

    /// Waits for the admins' alert about a charge difference (a message containing "berbeda")
    /// and checks there is exactly one a little later.
    static func expectOneAlert(_ world: World) async throws -> Int {
        try await world.until("the admins' alert about the difference") { await !alerts(world).isEmpty }
        try await Task.sleep(for: .seconds(3))
        let count = await alerts(world).count
        try world.expect(count == 1, "\(count) admin alerts about the difference, not one")
        return count
    }

    static func alerts(_ world: World) async -> [String] {
        await texts(world, World.admin, containing: "berbeda")
    }

    /// The texts delivered to `chat` that contain `text` (case-insensitive).
    static func texts(_ world: World, _ chat: Int64, containing text: String) async -> [String] {
        await world.api.delivered(to: chat).compactMap(\.text).filter { $0.localizedCaseInsensitiveContains(text) }
    }

    /// How many answers about `ref` (on `path`, if given) the `fault` knob produced.
    static func faults(_ world: World, _ fault: SandboxFault, _ ref: String, path: String? = nil) async -> Int {
        await world.flowix.exchanges.filter { $0.fault == fault && $0.refID == ref && (path == nil || $0.request.path == path) }.count
    }

    /// What Flowix answered about `ref`, in order: seconds since `start` (when the answer was
    /// decided), endpoint, HTTP status, and the knob or the status it reported.
    static func timeline(_ world: World, ref: String, since start: Date, last: Int = .max) async -> String {
        await world.flowix.exchanges.filter { $0.refID == ref }.suffix(last).map { exchange in
            let endpoint = exchange.request.path.split(separator: "/").joined(separator: " ")
            let what = exchange.fault?.rawValue ?? exchange.status ?? (exchange.success == true ? "ok" : exchange.message ?? "refused")
            return String(format: "%.1f s ", exchange.answeredAt.timeIntervalSince(start)) + "\(endpoint) \(exchange.httpStatus) \(what)"
        }.joined(separator: "; ")
    }

    /// What the journal books as Flowix's cost under `ref`.
    static func flowixCost(_ world: World, ref: String) throws -> Int64 {
        var configuration = Configuration()
        configuration.readonly = true
        return try DatabaseQueue(path: world.databasePath, configuration: configuration).read { db in
            try Int64.fetchOne(db, sql: """
                SELECT COALESCE(SUM(e.amount), 0) FROM journal_entries e
                JOIN journal_transactions t ON t.id = e.transaction_id JOIN accounts a ON a.id = e.account_id
                WHERE t.reference = ? AND a.code = ?
                """, arguments: [ref, SystemAccount.flowixCost.code]) ?? 0
        }
    }
}
