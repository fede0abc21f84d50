import Foundation
import GRDB
import Money
import Testing
@testable import Ledger

/// `loket export` opens the file read-only: it must read, never write, and never migrate.
@Suite("Read-only ledger")
struct ReadOnlyLedgerTests {
    @Test func readsButRefusesToWrite() async throws {
        let database = try TemporaryDatabase()
        let writer = try database.open()
        try await writer.users.register(id: 7, name: "Sari", username: nil)
        _ = try await writer.wallets.adjust(userID: 7, .credit, amount: Rupiah(25_000)!, adminID: 1, note: nil, key: "ro-1")

        let reader = try Ledger(path: database.path, readOnly: true)
        #expect(try await reader.wallets.balance(userID: 7) == Rupiah(25_000))
        await #expect(throws: (any Error).self) { try await reader.users.register(id: 8, name: "Budi", username: nil) }
        #expect(try await writer.users.user(id: 8) == nil)
    }

    @Test func refusesAFileWithAnOlderSchemaInsteadOfMigratingIt() throws {
        let database = try TemporaryDatabase()
        let queue = try DatabaseQueue(path: database.path)
        try Schema.migrator.migrate(queue, upTo: "v1: ledger, orders, deposits, payouts, bot state")
        #expect(throws: LedgerError.schemaOutdated(database.path)) { try Ledger(path: database.path, readOnly: true) }
        #expect(try queue.read { try Schema.migrator.appliedIdentifiers($0) }.count == 1)
    }
}
