import FakeTelegram
import Flowix
import FlowixSandbox
import Foundation
import Ledger
import Money

/// One fault and what must still hold after it.
struct Scenario: Sendable {
    let name: String
    let injected: String
    var sandbox = SandboxConfiguration(settlementDelay: nil, slowAnswerDelay: .seconds(3), webhookRetryDelays: [.milliseconds(200), .seconds(1), .seconds(2)])
    /// Runs alone, after the others: it measures time or memory, which other scenarios running
    /// beside it would disturb.
    var exclusive = false
    let run: @Sendable (World) async throws -> String
}

enum Scenarios {
    static let customer: Int64 = 5_001
    static let price: Int64 = 10_500

    /// Buys TSEL10 for `target` up to the confirmation and presses Beli.
    static func buy(_ world: World, target: String, user: Int64 = customer) async throws {
        let before = await world.api.delivered(to: user).count
        await world.api.pushMessage(chatID: user, text: "TSEL10.\(target)")
        try await world.until("the confirmation for \(target)") {
            await world.api.delivered(to: user).dropFirst(before).contains { FakeBotAPI.button("✅ Beli", in: $0) != nil }
        }
        await world.api.pushCallback(chatID: user, data: try await lastButton(world, "✅ Beli", user))
    }

    static func lastButton(_ world: World, _ title: String, _ user: Int64) async throws -> String {
        guard let data = await world.api.delivered(to: user).reversed().lazy.compactMap({ FakeBotAPI.button(title, in: $0) }).first else {
            throw SuiteFailure("no \(title) button")
        }
        return data
    }

    /// Kills the bot after Flowix's answer to `path` reached it and before it could record it:
    /// the suite holds the database's write lock while Flowix answers, waits for the bot to log
    /// `answerLine` for `refID`, kills it, then lets go of the lock. Checks the record is still
    /// `pending` on disk (`statusOnDisk`) and restarts the bot.
    static func killBetweenAnswerAndRecord(_ world: World, path: String, answerLine: String, refID: String,
                                           statusOnDisk: () async throws -> ProgressStatus?) async throws {
        let lock = try world.lockDatabase()
        do {
            try await world.until("Flowix answered \(path)") { await world.flowix.answered.contains { $0.path == path } }
            try await world.until("the bot read the answer") {
                world.bot.log.split(separator: "\n").contains { $0.contains(answerLine) && $0.contains(refID) }
            }
            world.bot.kill9()
        } catch {
            try lock.release()
            throw error
        }
        try lock.release()
        let onDisk = try await statusOnDisk()
        try world.expect(onDisk == .pending, "the answer was recorded before the kill (status \(String(describing: onDisk)))")
        try await world.startBot()
    }

    /// Settles the purchase of ``buy(_:target:user:)`` and checks it succeeded and was charged
    /// once, at Flowix and in the wallet funded with Rp50.000.
    static func expectBoughtOnce(_ world: World) async throws {
        await world.flowix.settleDue()
        try await world.api.waitForMessage("Berhasil", to: customer, timeout: .seconds(30))
        try world.expect(await world.flowix.balance.value == 5_000_000 - price, "Flowix charged more than once")
        try world.expect(try await world.balance(customer) == 50_000 - price, "wallet is not 50.000 − price")
        try world.checkInvariants()
    }

    /// A reseller with Rp200.000 withdraws Rp100.000 to `account` (…7777 answers slowly; fee
    /// Rp2.500), up to pressing Tarik and typing the PIN; with `reachingFlowix`, until the request
    /// reached Flowix.
    static func requestPayout(_ world: World, account: String = "1234567777", reachingFlowix: Bool = true) async throws {
        try await world.fund(customer, 200_000)
        try await world.api.say("/level \(customer) reseller", from: World.admin)
        try await PINAndTransferScenarios.setPIN(world, customer)
        try await world.api.say("/tarik", from: customer)
        try await world.api.press("BCA", in: customer)
        try await world.api.say(account, from: customer, expecting: 2)
        try await world.api.say("100rb", from: customer)
        try await world.api.press("Tarik", in: customer)
        // The PIN's message is the update that places the payout (its reference is WD-<chat>-<that update>).
        await world.api.pushMessage(chatID: customer, text: PINAndTransferScenarios.pin)
        if reachingFlowix {
            try await world.until("the payout reached Flowix") { await world.flowix.requests.contains { $0.path == "/payout/create" } }
        }
    }

    /// Settles the payout of ``requestPayout(_:)`` and checks it was paid out, and charged, once.
    static func expectPaidOutOnce(_ world: World) async throws {
        await world.flowix.settleDue()
        try await world.api.waitForMessage("berhasil", to: customer, timeout: .seconds(30))
        try world.expect(try await world.balance(customer) == 200_000 - 102_500, "wallet is not 200.000 − 102.500")
        try world.expect(await world.flowix.balance.value == 5_000_000 - 102_500, "Flowix paid out more than once")
        try world.checkInvariants()
    }

    static func createRequests(_ world: World) async -> Int {
        await world.flowix.requests.filter { $0.path == "/transaction/create" }.count
    }

    static var all: [Scenario] { [
        Scenario(name: "kill -9 while /transaction/create is in flight",
                 injected: "a slow Flowix answer (target …7777) and SIGKILL while waiting for it; restart") { world in
            try await world.fund(customer, 50_000)
            try await buy(world, target: "081234567777")
            try await world.until("the create call reached Flowix") { await createRequests(world) >= 1 }
            world.bot.kill9()
            try await world.startBot()
            try await expectBoughtOnce(world)
            return "one charge at Flowix, wallet = 50.000 − price, success message delivered, loket check ok"
        },
        Scenario(name: "kill -9 after Flowix answered a purchase, before the bot recorded it",
                 injected: "the database write-locked while Flowix answers /transaction/create (…7777); SIGKILL once the bot has read the answer; restart") { world in
            try await world.fund(customer, 50_000)
            try await buy(world, target: "081234567777")
            let ref = "LKT-\(customer)-\(await lastUpdate(world))"
            try await world.until("the create call reached Flowix") { await createRequests(world) >= 1 }
            try await killBetweenAnswerAndRecord(world, path: "/transaction/create", answerLine: "Flowix answered", refID: ref) {
                try await world.ledger().orders.order(refID: ref)?.status
            }
            try await expectBoughtOnce(world)
            return "the order was still pending on disk after the kill; the reconciler found Flowix's transaction under the same ref, one charge, success delivered"
        },
        Scenario(name: "kill -9 right after the hold commits",
                 injected: "SIGKILL as soon as the order and hold exist, before or during the Flowix call; restart") { world in
            try await world.fund(customer, 50_000)
            try await buy(world, target: "081234567890")
            try await world.until("the hold committed") { try await world.ledger().orders.order(refID: "LKT-\(customer)-\(await lastUpdate(world))") != nil }
            world.bot.kill9()
            try await world.startBot()
            // Killed after the update committed but before its send began, only the reconciler
            // sends it: once it is older than twice the Flowix timeout (15 s) plus a second.
            try await world.until("Flowix has the order", timeout: .seconds(45)) { await createRequests(world) >= 1 }
            try await expectBoughtOnce(world)
            return "the reconciler sent the saved order once (same ref_id), wallet charged once, loket check ok"
        },
        Scenario(name: "kill -9 while a webhook is applied",
                 injected: "SIGKILL the moment Flowix settles and posts the webhook; the webhook retries hit a dead bot; restart") { world in
            try await world.fund(customer, 50_000)
            try await buy(world, target: "081200000000")
            try await world.until("the order is processing") { try await world.ledger().orders.all(in: [.processing], updatedBefore: Date().addingTimeInterval(60)).count == 1 }
            await world.flowix.settleDue()
            world.bot.kill9()
            try await world.startBot()
            try await world.api.waitForMessage("dikembalikan", to: customer, timeout: .seconds(30))
            try await Task.sleep(for: .seconds(3))
            let refunds = await world.api.delivered(to: customer).filter { $0.text?.contains("dikembalikan") == true }.count
            try world.expect(refunds == 1, "\(refunds) refund messages")
            try world.expect(try await world.balance(customer) == 50_000, "the refund is not exactly the price")
            try world.checkInvariants()
            return "refunded exactly once (webhook retry or reconciler), one refund message, loket check ok"
        },
        Scenario(name: "kill -9 while the outbox is sending",
                 injected: "a broadcast to 120 users at the default 30 messages/s, SIGKILL after about 40 went out; restart") { world in
            try await world.api.say("/start", from: World.admin)
            for user in 1...120 { try await world.ledger().users.register(id: Int64(30_000 + user), name: "U\(user)", username: nil) }
            try await world.api.say("/broadcast Promo hari ini", from: World.admin)
            try await world.until("some messages went out") { await world.api.deliveredMessages().filter { $0.text == "Promo hari ini" }.count >= 40 }
            world.bot.kill9()
            try await world.startBot()
            try await world.until("every user got the broadcast", timeout: .seconds(30)) {
                Set(await world.api.deliveredMessages().filter { $0.text == "Promo hari ini" }.compactMap(\.chatID)).count == 121
            }
            let copies = await world.api.deliveredMessages().filter { $0.text == "Promo hari ini" }.count
            return "all 121 recipients got it after the restart (\(copies - 121) duplicate(s), none missing)"
        },
        Scenario(name: "kill -9 during a payout",
                 injected: "SIGKILL while /payout/create waits on a slow Flowix (account …7777); restart") { world in
            try await requestPayout(world)
            world.bot.kill9()
            try await world.startBot()
            try await expectPaidOutOnce(world)
            return "paid out once, wallet − (amount + fee), loket check ok"
        },
        Scenario(name: "kill -9 right after a payout's hold commits",
                 injected: "SIGKILL as soon as the payout and its hold exist, before or during the Flowix call; restart") { world in
            try await requestPayout(world, account: "1234567890", reachingFlowix: false)
            let ref = "WD-\(customer)-\(await lastUpdate(world))"
            try await world.until("the payout hold committed") { try await world.ledger().payouts.payout(refID: ref) != nil }
            world.bot.kill9()
            try await world.startBot()
            // Killed after the update committed but before its send began, only the reconciler
            // sends it: once it is older than twice the Flowix timeout (15 s) plus a second.
            try await world.until("Flowix has the payout", timeout: .seconds(45)) { await world.flowix.requests.contains { $0.path == "/payout/create" } }
            try await expectPaidOutOnce(world)
            return "the saved payout reached Flowix once under its ref, paid out once, wallet − (amount + fee), loket check ok"
        },
        Scenario(name: "kill -9 while a payout's webhook is applied",
                 injected: "SIGKILL the moment Flowix settles the payout and posts the webhook; its retries hit a dead bot; restart") { world in
            try await requestPayout(world, account: "1234567890")
            let ref = "WD-\(customer)-\(await lastUpdate(world))"
            try await world.until("the payout is processing") { try await world.ledger().payouts.payout(refID: ref)?.status == .processing }
            await world.flowix.settleDue()
            world.bot.kill9()
            try await world.startBot()
            try await world.api.waitForMessage("berhasil", to: customer, timeout: .seconds(30))
            try await Task.sleep(for: .seconds(3))
            let notices = await world.api.delivered(to: customer).filter { $0.text?.contains("berhasil") == true }.count
            try world.expect(notices == 1, "\(notices) success messages")
            try world.expect(try await world.balance(customer) == 200_000 - 102_500, "wallet is not 200.000 − 102.500")
            try world.expect(await world.flowix.balance.value == 5_000_000 - 102_500, "Flowix paid out more than once")
            try world.checkInvariants()
            return "captured exactly once (webhook retry or reconciler), one success message, loket check ok"
        },
        Scenario(name: "kill -9 after Flowix answered a payout, before the bot recorded it",
                 injected: "the database write-locked while Flowix answers /payout/create (account …7777); SIGKILL once the bot has read the answer; restart") { world in
            try await requestPayout(world)
            let ref = await world.flowix.requests.last { $0.path == "/payout/create" }?.bodyFields["ref_id"] ?? ""
            try await killBetweenAnswerAndRecord(world, path: "/payout/create", answerLine: "Flowix answered the payout", refID: ref) {
                try await world.ledger().payouts.payout(refID: ref)?.status
            }
            try await expectPaidOutOnce(world)
            return "the payout was still pending on disk after the kill; resolved through /payout/status, paid out once, loket check ok"
        },
        Scenario(name: "updates re-delivered after a crash, and a double tap",
                 injected: "30 updates pushed, SIGKILL mid-batch, restart; Beli pressed twice in a row") { world in
            try await world.fund(customer, 50_000)
            try await world.api.say("TSEL10.081234567890", from: customer)
            let beli = try await lastButton(world, "✅ Beli", customer)
            await world.api.pushCallback(chatID: customer, data: beli)
            await world.api.pushCallback(chatID: customer, data: beli)
            for index in 0..<30 { await world.api.pushMessage(chatID: Int64(40_000 + index), text: "/saldo") }
            try await Task.sleep(for: .milliseconds(150))
            world.bot.kill9()
            try await world.startBot()
            try await world.until("every chat answered") {
                var answered = 0
                for index in 0..<30 where !(await world.api.delivered(to: Int64(40_000 + index)).isEmpty) { answered += 1 }
                return answered == 30
            }
            try await world.until("the order reached Flowix") { await createRequests(world) >= 1 }
            await world.flowix.settleDue()
            try await world.api.waitForMessage("Berhasil", to: customer)
            let orders = try await world.ledger().orders.all(in: ProgressStatusAll.all, updatedBefore: Date().addingTimeInterval(60))
            try world.expect(orders.count == 1, "\(orders.count) orders from a double tap")
            try world.expect(try await world.balance(customer) == 50_000 - price, "charged more than once")
            try world.checkInvariants()
            return "30 re-delivered updates each answered, one order from two taps, charged once"
        },
        Scenario(name: "webhook attackers",
                 injected: "wrong signature, signature of another body, right signature with wrong key or merchant, replay, 1 MB body, malformed JSON, forged deposit success, events for unknown references") { world in
            try await world.fund(customer, 50_000)
            try await buy(world, target: "081234569999")
            try await world.until("the order is processing") { try await world.ledger().orders.all(in: [.processing], updatedBefore: Date().addingTimeInterval(60)).count == 1 }
            let order = try await world.ledger().orders.all(in: [.processing], updatedBefore: Date().addingTimeInterval(60))[0]
            let secret = WebhookSecret(world.flowix.configuration.webhookSecret)
            let key = world.flowix.configuration.credentials
            func post(_ body: String, signature: String? = nil, apiKey: String? = nil, merchant: String? = nil) async throws -> Int {
                try await WebhookPoster.post(port: world.bot.port, body: Array(body.utf8), headers: [
                    ("X-Flowix-Signature", signature ?? secret.signature(of: Array(body.utf8))),
                    ("X-Flowix-Key", apiKey ?? key.apiKey), ("X-Flowix-Merchant", merchant ?? key.merchantID),
                ])
            }
            let success = #"{"id":"evt_attack","event":"transaction.status","timestamp":1,"data":{"reff_id":"\#(order.refId)","status":"success","sn":"FAKE"}}"#
            let failure = success.replacingOccurrences(of: "\"success\"", with: "\"failed\"").replacingOccurrences(of: "evt_attack", with: "evt_attack2")
            var statuses: [String: Int] = [:]
            statuses["wrong signature"] = try await post(failure, signature: String(repeating: "ab", count: 32))
            statuses["another body's signature"] = try await post(failure, signature: secret.signature(of: Array(success.utf8)))
            statuses["wrong key"] = try await post(failure, apiKey: "sk-attacker")
            statuses["wrong merchant"] = try await post(failure, merchant: "MID-ATTACKER")
            statuses["huge body"] = try await post(String(repeating: " ", count: 1 << 20) + failure)
            statuses["malformed JSON"] = try await post("{not json")
            let expected = ["wrong signature": 403, "another body's signature": 403, "wrong key": 403, "wrong merchant": 403,
                            "huge body": 413, "malformed JSON": 400]
            try world.expect(statuses == expected, "statuses \(statuses)")
            let deposit = #"{"id":"evt_dep","event":"deposit.status","timestamp":1,"data":{"ref_id":"DEP-1","status":"success","amount_received":999999}}"#
            try world.expect(try await post(deposit) == 200, "a signed deposit event for an unknown reference should be acknowledged")
            let stranger = success.replacingOccurrences(of: order.refId, with: "LKT-1-1").replacingOccurrences(of: "evt_attack", with: "evt_stranger")
            try world.expect(try await post(stranger) == 200, "a signed transaction event for an unknown reference should be acknowledged")
            try await Task.sleep(for: .milliseconds(500))
            try world.expect(try await world.ledger().orders.order(refID: order.refId)?.status == .processing, "a forged webhook moved the order")
            try world.expect(try await world.balance(customer) == 50_000 - price, "a forged webhook moved money")
            // A genuine success, then its replay and a late failure for the same order.
            await world.flowix.settle(refID: order.refId, as: .success)
            try await world.api.waitForMessage("Berhasil", to: customer)
            try world.expect(try await post(failure) == 200, "a late signed failure should be acknowledged")
            let processing = failure.replacingOccurrences(of: "\"failed\"", with: "\"processing\"").replacingOccurrences(of: "evt_attack2", with: "evt_attack3")
            try world.expect(try await post(processing) == 200, "an out-of-order processing event should be acknowledged")
            let replay = await world.flowix.webhookDeliveries().last { $0.refID == order.refId }
            if let replay { _ = try await WebhookPoster.post(port: world.bot.port, body: replay.body, headers: [
                ("X-Flowix-Signature", secret.signature(of: replay.body)), ("X-Flowix-Key", key.apiKey), ("X-Flowix-Merchant", key.merchantID)]) }
            try world.expect(try await world.ledger().orders.order(refID: order.refId)?.status == .success, "a late failure moved a final order")
            try world.expect(try await world.balance(customer) == 50_000 - price, "a late failure refunded a delivered order")
            try world.checkInvariants()
            return "each refused with its status (403/413/400); a late failure, an out-of-order processing event and a replay after success changed nothing"
        },
        Scenario(name: "deposit successes that Flowix did not confirm",
                 injected: "signed deposit.status successes for another customer's open QRIS ticket with 100× the amount, then a replay after the real payment") { world in
            let payer: Int64 = 5_002
            try await world.api.say("/start", from: customer)
            try await world.api.say("/deposit 50rb", from: payer)
            try await world.api.press("QRIS (All", in: payer, expecting: 2)
            let caption = await world.api.delivered(to: payer).last { $0.method == "sendPhoto" }?.text ?? ""
            guard let start = caption.range(of: "DEP-") else { throw SuiteFailure("no deposit reference in the QR caption") }
            let ref = String(caption[start.lowerBound...].prefix { $0 != "<" && !$0.isWhitespace })
            let secret = WebhookSecret(world.flowix.configuration.webhookSecret)
            let key = world.flowix.configuration.credentials
            func post(_ body: String) async throws -> Int {
                try await WebhookPoster.post(port: world.bot.port, body: Array(body.utf8), headers: [
                    ("X-Flowix-Signature", secret.signature(of: Array(body.utf8))), ("X-Flowix-Key", key.apiKey), ("X-Flowix-Merchant", key.merchantID),
                ])
            }
            let forged = #"{"id":"evt_dep_forged","event":"deposit.status","timestamp":1,"data":{"ref_id":"\#(ref)","status":"success","amount_received":5000000}}"#
            try world.expect(try await post(forged) == 200, "a signed event should be acknowledged")
            try await Task.sleep(for: .milliseconds(500))
            try world.expect(try await world.balance(payer) == 0, "an unpaid ticket was credited on a webhook's word")
            try world.expect(try await world.balance(customer) == 0, "someone else's ticket moved another wallet")
            await world.flowix.payDeposit(refID: ref)
            try await world.api.waitForMessage("masuk", to: payer)
            let replay = forged.replacingOccurrences(of: "evt_dep_forged", with: "evt_dep_forged_again")
            try world.expect(try await post(replay) == 200, "a signed replay should be acknowledged")
            try await Task.sleep(for: .milliseconds(500))
            let credited = try await world.balance(payer)
            try world.expect(credited == 50_000, "credited \(credited), not the 50.000 Flowix confirmed")
            try world.expect(try await world.balance(customer) == 0, "another wallet moved")
            try world.checkInvariants()
            return "nothing credited before Flowix confirmed payment; then exactly the confirmed 50.000, once, to the ticket's owner only"
        },
        Scenario(name: "Flowix misbehaves",
                 injected: "HTTP 500 after creating (…5000), an HTML page after creating (…8888), success: true with missing fields (…6666), webhooks that come only after the reconciler settled") { world in
            try await world.fund(customer, 50_000)
            await world.flowix.setWebhookURL(nil)
            for target in ["081234565000", "081234568888", "081234566666"] {
                try await buy(world, target: target)
                try await Task.sleep(for: .milliseconds(200))
            }
            try await world.until("the orders reached Flowix") { await createRequests(world) >= 3 }
            try await world.until("all three are held as unknown") {
                try await world.ledger().orders.all(in: [.unknown], updatedBefore: Date().addingTimeInterval(60)).count
                    + world.ledger().orders.all(in: [.processing], updatedBefore: Date().addingTimeInterval(60)).count == 3
            }
            try world.expect(try await world.balance(customer) == 50_000 - 3 * price, "an unknown outcome released a hold")
            await world.flowix.settleDue()
            try await world.until("all succeeded through the reconciler", timeout: .seconds(40)) {
                await world.api.delivered(to: customer).filter { $0.text?.contains("Berhasil") == true }.count == 3
            }
            try world.expect(try await world.balance(customer) == 50_000 - 3 * price, "wallet is not charged three times the price")
            // The webhooks arrive after all, once the reconciler has settled every order.
            await world.flowix.setWebhookURL("http://127.0.0.1:\(world.bot.port)/webhook/flowix")
            let flowix = FlowixAPI.live(configuration: FlowixConfiguration(baseURL: world.sandbox.baseURL, credentials: world.flowix.configuration.credentials))
            for order in try await world.ledger().orders.all(in: [.success], updatedBefore: Date().addingTimeInterval(60)) {
                try await flowix.resendWebhook(order.refId)
            }
            await world.flowix.waitForWebhooks()
            let late = await world.flowix.webhookDeliveries().filter(\.delivered).count
            try world.expect(late == 3, "\(late) of the 3 late webhooks were acknowledged")
            try await Task.sleep(for: .milliseconds(500))
            let successes = await world.api.delivered(to: customer).filter { $0.text?.contains("Berhasil") == true }.count
            try world.expect(successes == 3, "\(successes) success messages after the late webhooks")
            try world.expect(try await world.balance(customer) == 50_000 - 3 * price, "a late webhook moved money")
            try world.checkInvariants()
            return "unknown outcomes kept the holds, the reconciler settled all three, wallet charged once each; the late webhooks changed nothing"
        },
        Scenario(name: "Telegram misbehaves",
                 injected: "a storm of 429 retry_after=1 and 5xx on sendMessage, a user who blocked the bot, then 409 from another instance for a while") { world in
            await world.api.inject(.tooManyRequests(retryAfter: 1), method: "sendMessage", times: 8)
            await world.api.inject(.serverError, method: "sendMessage", times: 4)
            await world.api.block(chatID: 6_666)
            await world.api.pushMessage(chatID: 6_666, text: "/saldo")
            for index in 0..<20 { await world.api.pushMessage(chatID: Int64(41_000 + index), text: "/saldo") }
            try await world.until("all 20 answered", timeout: .seconds(30)) {
                var answered = 0
                for index in 0..<20 where !(await world.api.delivered(to: Int64(41_000 + index)).isEmpty) { answered += 1 }
                return answered == 20
            }
            try world.expect(try await world.ledger().users.user(id: 6_666)?.isReachable == false, "the blocked user is still marked reachable")
            // Another instance polls the same token for a while (five 409s), then stops.
            await world.api.inject(.conflict, method: "getUpdates", times: 5)
            await world.api.pushMessage(chatID: 41_000, text: "/saldo")  // ends the long poll in flight
            try await world.api.waitForMessage("token yang sama", to: World.admin, timeout: .seconds(30))
            let resumed = try await world.api.say("/saldo", from: 41_001, timeout: .seconds(60))
            try world.expect(resumed.first?.text?.contains("Saldo kamu") == true, "not served after the other instance stopped")
            try world.expect(await world.bot.waitForExit(timeout: .milliseconds(10)) == nil, "the bot stopped under 409")
            let lines = world.bot.log.split(separator: "\n").filter { $0.contains("another instance is polling this bot") }.count
            try world.expect(lines == 1, "\(lines) lines about the other instance")
            let alerts = await world.api.delivered(to: World.admin).filter { $0.text?.contains("token yang sama") == true }.count
            try world.expect(alerts == 1, "\(alerts) alerts about the other instance")
            return "every reply delivered through the storm, the blocked user marked unreachable; under 409 one log line and one owner alert, then served again"
        },
        Scenario(name: "a Telegram network cut",
                 injected: "the Bot API unreachable for a minute (connections refused) while replies are queued and customers keep writing") { world in
            try await world.api.say("/start", from: customer)
            let cut = Task { try await world.cutTelegram(for: .seconds(60)) }
            try await Task.sleep(for: .milliseconds(200))
            for index in 0..<10 { await world.api.pushMessage(chatID: Int64(42_000 + index), text: "/saldo") }
            try await cut.value
            try await world.until("every message written during the cut is answered", timeout: .seconds(60)) {
                var answered = 0
                for index in 0..<10 where !(await world.api.delivered(to: Int64(42_000 + index)).isEmpty) { answered += 1 }
                return answered == 10
            }
            try world.checkInvariants()
            return "nothing lost: after the cut the poller and sender resumed on their own and answered all 10"
        },
        Scenario(name: "users push their luck",
                 injected: "100 users buying at once with wallets that cover only half; a button of an expired step; 4096-character, control-character, right-to-left and HTML/SQL-looking input") { world in
            try await world.api.say("/start", from: World.admin)
            for index in 0..<100 {
                let user = Int64(50_000 + index)
                try await world.ledger().users.register(id: user, name: "U\(index)", username: nil)
                _ = try await world.ledger().wallets.adjust(userID: user, .credit, amount: Rupiah(index % 2 == 0 ? 20_000 : 5_000)!, adminID: World.admin, note: nil, key: "luck-\(index)")
            }
            for index in 0..<100 { await world.api.pushMessage(chatID: Int64(50_000 + index), text: "TSEL10.081234567890") }
            try await world.until("every user got a confirmation") {
                var confirmed = 0
                for index in 0..<100 where !(await world.api.delivered(to: Int64(50_000 + index)).isEmpty) { confirmed += 1 }
                return confirmed == 100
            }
            for index in stride(from: 0, to: 100, by: 2) {
                let user = Int64(50_000 + index)
                await world.api.pushCallback(chatID: user, data: try await lastButton(world, "✅ Beli", user))
            }
            try await world.until("50 orders held") { try await world.ledger().orders.all(in: ProgressStatusAll.all, updatedBefore: Date().addingTimeInterval(60)).count == 50 }
            try await world.until("50 orders reached Flowix") { await createRequests(world) == 50 }
            await world.flowix.settleDue()
            try await world.until("50 successes") {
                var done = 0
                for index in stride(from: 0, to: 100, by: 2) where await world.api.delivered(to: Int64(50_000 + index)).contains(where: { $0.text?.contains("Berhasil") == true }) { done += 1 }
                return done == 50
            }
            for index in stride(from: 1, to: 100, by: 2) {
                try world.expect(try await world.balance(Int64(50_000 + index)) == 5_000, "a short wallet was charged")
            }
            let stale = try await world.api.press("✅ Beli", in: 50_000)  // not "🔁 Beli lagi" on the success message
            try world.expect(stale.first?.text?.contains("Sesi sudah berakhir") == true, "a button of a finished step was not refused")
            try world.expect(try await world.balance(50_000) == 20_000 - price, "a stale Beli charged again")
            for text in [String(repeating: "a", count: 4096), "\u{0}\u{1}\u{7}/saldo\u{1B}", "\u{202E}ﻣﺮﺣﺒﺎ\u{202C} 0812", "<script>alert(1)</script> ' OR 1=1; --"] {
                let answer = try await world.api.say(text, from: 60_001)
                try world.expect(!(answer.first?.text ?? "").isEmpty, "no answer to \(text.prefix(20))")
            }
            try world.checkInvariants()
            return "50 affordable purchases succeeded, 50 short wallets untouched, a stale button refused, hostile input answered, loket check ok"
        },
        HostileChat.scenario,
    ] }

    /// The update id of the last update pushed (the fake numbers them in order).
    static func lastUpdate(_ world: World) async -> Int64 {
        await world.api.lastUpdateID
    }
}

/// Every order status, for queries that want them all.
enum ProgressStatusAll {
    static let all: [ProgressStatus] = ProgressStatus.allCases
}
