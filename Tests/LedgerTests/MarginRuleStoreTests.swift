import Foundation
import GRDB
import TestSupport
import Testing
@testable import Ledger

/// Margin rules are one per scope, name and level, the name in any case: as prices look them up.
@Suite("Margin rules in the ledger")
struct MarginRuleStoreTests {
    @Test func aRuleSetUnderAnotherCaseReplacesTheRuleOfThatName() async throws {
        let database = try TemporaryDatabase()
        let ledger = try database.open(clock: { Date(timeIntervalSince1970: 1_790_000_000) })
        let first = try await ledger.catalogue.setMarginRule(scope: .brand, scopeValue: "telkomsel", level: "member", kind: .rupiah, value: 500, adminID: 1)
        let second = try await ledger.catalogue.setMarginRule(scope: .brand, scopeValue: "TELKOMSEL", level: "member", kind: .percent, value: 150, adminID: 2)
        #expect(first == second)
        let rules = try await ledger.catalogue.marginRules()
        #expect(rules.count == 1 && rules[0].kind == .percent && rules[0].value == 150 && rules[0].createdBy == 2)
        // Another level or scope is another rule.
        _ = try await ledger.catalogue.setMarginRule(scope: .brand, scopeValue: "Telkomsel", level: "reseller", kind: .rupiah, value: 200, adminID: 1)
        _ = try await ledger.catalogue.setMarginRule(scope: .category, scopeValue: "telkomsel", level: "member", kind: .rupiah, value: 200, adminID: 1)
        #expect(try await ledger.catalogue.marginRules().count == 3)
        // The file itself refuses a second one, whoever writes it.
        await #expect(throws: (any Error).self) {
            try await ledger.write { db in
                try db.execute(sql: "INSERT INTO margin_rules (scope, scope_value, level, kind, value, created_by, created_at) VALUES ('brand', 'TelkomSel', 'member', 'rupiah', 1, 1, 1)")
            }
        }
    }

    @Test func rulesWrittenBeforeUnderNamesDifferingInCaseAreMergedIntoTheOnePricesUsed() throws {
        let database = try TemporaryDatabase()
        let queue = try DatabaseQueue(path: database.path)
        try Schema.migrator.migrate(queue, upTo: "v9: the owner's dashboard: one-time login links and sessions")
        try queue.write { db in
            for (value, amount) in [("telkomsel", 500), ("TELKOMSEL", 900), ("Telkomsel", 700)] {
                try db.execute(sql: "INSERT INTO margin_rules (scope, scope_value, level, kind, value, created_by, created_at) VALUES ('brand', ?, 'member', 'rupiah', ?, 1, 1)",
                               arguments: [value, amount])
            }
        }
        try Schema.migrator.migrate(queue)
        let left = try queue.read { db in try Row.fetchAll(db, sql: "SELECT scope_value, value FROM margin_rules") }
        #expect(left.count == 1 && left[0]["scope_value"] == "telkomsel" && left[0]["value"] == 500, "the oldest, which prices used")
    }
}
