import Foundation
import GRDB

/// One concern of the ledger's database (wallets, orders, the outbox, …), sharing the
/// ``Ledger``'s connections, clock and group commits.
protocol LedgerStore: Sendable {
    var ledger: Ledger { get }
}

extension LedgerStore {
    var now: Int64 { ledger.now }

    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await ledger.write(body)
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await ledger.read(body)
    }
}

extension Ledger {
    /// The shop's users.
    public var users: UserStore { UserStore(ledger: self) }

    /// Wallets and their journal.
    public var wallets: WalletStore { WalletStore(ledger: self) }

    /// Purchases and bill payments.
    public var orders: OrderStore { OrderStore(ledger: self) }

    /// Withdrawals to a bank or e-wallet.
    public var payouts: PayoutStore { PayoutStore(ledger: self) }

    /// QRIS and other deposits.
    public var deposits: DepositStore { DepositStore(ledger: self) }

    /// Messages waiting for Telegram, in the order they were queued.
    public var outbox: OutboxQueue { OutboxQueue(ledger: self) }

    /// Telegram updates.
    public var updates: UpdateStore { UpdateStore(ledger: self) }

    /// Flowix's products as last synced, and the owner's margin rules.
    public var catalogue: CatalogueStore { CatalogueStore(ledger: self) }

    /// Transaction PINs.
    public var pins: PINStore { PINStore(ledger: self) }

    /// The owner's dashboard: login links and sessions.
    public var dashboard: DashboardStore { DashboardStore(ledger: self) }

    /// What each owner changed, and from where.
    public var adminActions: AdminActionStore { AdminActionStore(ledger: self) }

    /// Things that must happen once.
    public var events: EventStore { EventStore(ledger: self) }

    /// Totals and rows for the owner's reports and exports.
    public var reports: ReportStore { ReportStore(ledger: self) }
}
