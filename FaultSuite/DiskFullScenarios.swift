import FakeTelegram
import Foundation
import GRDB
import Ledger

/// Issue #22: the disk the database is on fills up while customers write; nothing is lost,
/// quarantined or applied twice, and the bot carries on by itself once space returns.
extension Scenarios {
    static let diskFull: [Scenario] = [DiskFullScenarios.fullDisk]
}

enum DiskFullScenarios {
    static let customer = Scenarios.customer
    static let price = Scenarios.price

    static let fullDisk = Scenario(
        name: "the database's disk fills up while customers write",
        injected: "the SQLite file moved onto a 16 MB tmpfs, the WAL truncated, the tmpfs filled to the last byte; "
            + "a /saldo and a purchase sent meanwhile; after 8 s the space is freed"
    ) { world in
        guard try await world.moveDatabaseToSmallDisk(megabytes: 16) else {
            print("     SKIPPED the full-disk part: mounting a tmpfs needs root (run the suite as root, as CI does)")
            return "SKIPPED: not root, so no small disk could be mounted; nothing was checked"
        }
        try await world.fund(customer, 100_000)
        try await Scenarios.buy(world, target: "081234567890")
        try await world.until("the first purchase succeeded", timeout: .seconds(30)) {
            await world.flowix.settleDue()
            let told = await world.api.delivered(to: customer).contains { $0.text?.contains("Berhasil") == true }
            return try await world.ledger().wallets.balance(userID: customer).value == 100_000 - price && told
        }
        let repliesBefore = await world.api.delivered(to: customer).count

        // No room left: the WAL cannot grow, so every write fails with "database or disk is full".
        try await world.ledger().checkpoint()
        let filler = try world.fillSmallDisk()
        await world.api.pushMessage(chatID: customer, text: "/saldo")
        await world.api.pushMessage(chatID: customer, text: "TSEL10.081298765432")
        try await Task.sleep(for: .seconds(8))
        try world.expect(world.bot.processID != nil, "the bot exited while the disk was full: \(world.bot.ended ?? "")")
        let whileFull = await world.api.delivered(to: customer).count - repliesBefore
        let log = world.bot.log
        try world.expect(log.contains("the database cannot be written"), "the log does not say the database cannot be written")
        try world.expect(try await world.ledger().updates.quarantined().isEmpty, "an update was quarantined for a full disk")

        try FileManager.default.removeItem(at: filler)
        try await world.until("the /saldo answered once space returned", timeout: .seconds(60)) {
            await world.api.delivered(to: customer).dropFirst(repliesBefore).contains { $0.text?.contains("Saldo kamu") == true }
        }
        try await world.until("the confirmation of the purchase sent meanwhile") {
            await world.api.delivered(to: customer).dropFirst(repliesBefore).contains { FakeBotAPI.button("✅ Beli", in: $0) != nil }
        }
        await world.api.pushCallback(chatID: customer, data: try await Scenarios.lastButton(world, "✅ Beli", customer))
        try await world.until("the second purchase succeeded", timeout: .seconds(30)) {
            await world.flowix.settleDue()
            return try await world.ledger().wallets.balance(userID: customer).value == 100_000 - 2 * price
        }
        try await Task.sleep(for: .seconds(3))
        let after = await world.api.delivered(to: customer).dropFirst(repliesBefore)
        let balances = after.filter { $0.text?.contains("Saldo kamu") == true }.count
        let confirmations = after.filter { FakeBotAPI.button("✅ Beli", in: $0) != nil }.count
        try world.expect(balances == 1, "\(balances) balance replies to one /saldo")
        try world.expect(confirmations == 1, "\(confirmations) confirmations for one purchase message")
        let orders = try await world.ledger().orders.all(in: [.success], updatedBefore: Date().addingTimeInterval(60))
        try world.expect(orders.count == 2, "\(orders.count) successful orders, not 2")
        try world.expect(try await world.ledger().updates.quarantined().isEmpty, "an update was quarantined")
        try world.checkInvariants()
        _ = try await world.checkMoneyModel()
        return "\(whileFull) replies while the disk was full and the bot kept running; once freed, the /saldo answered once, "
            + "the purchase confirmed once and bought once; nothing quarantined"
    }
}
