import Conversation
import Flowix
import Foundation
import Ledger
import Logging
import Money

/// The shop's products with their sell prices, deposit methods and payout banks, kept in
/// memory for every update and refreshed from Flowix. A Flowix outage keeps the last good
/// catalogue (it also survives restarts in SQLite).
public actor ShopCatalogue {
    private let ledger: Ledger
    private let flowix: FlowixAPI
    private let logger: Logger
    private let roundingUnit: Int64
    private let clock: @Sendable () -> Date
    private(set) var products: [CatalogueProduct] = []
    public private(set) var priceBook: PriceBook
    public private(set) var depositMethods: [DepositMethod] = []
    public private(set) var banks: [PayoutBank] = []
    private var offers: [String: [ProductOffer]] = [:]
    /// What the owner closed and the daily cut-offs.
    public private(set) var hours: ShopHours
    /// The cut-offs `LOKET_CUTOFFS` configures, before the owner's `/cutoff`.
    private let configuredCutoffs: [CutoffWindow]

    public init(ledger: Ledger, flowix: FlowixAPI, roundingUnit: Int64, cutoffs: [CutoffWindow] = [],
                clock: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "loket.catalogue")) {
        self.ledger = ledger
        hours = ShopHours(cutoffs: cutoffs)
        configuredCutoffs = cutoffs
        self.clock = clock
        self.flowix = flowix
        self.roundingUnit = roundingUnit
        self.logger = logger
        priceBook = PriceBook(rules: [], roundingUnit: roundingUnit)
    }

    /// Loads what the database has (the last good sync and the margin rules).
    public func loadStored() async throws {
        products = try await ledger.catalogue.products()
        try await reloadRules()
        try await reloadClosures()
    }

    /// Re-reads what the owner closed and the cut-offs they set, after `/tutup`, `/buka` or
    /// `/cutoff`.
    public func reloadClosures() async throws {
        let settings = try await ledger.catalogue.cutoffSettings()
        var cutoffs = configuredCutoffs.filter { settings[$0.category.rawValue] == nil }
        for (category, value) in settings.sorted(by: { $0.key < $1.key }) where value != "off" {
            guard let window = CutoffWindow(setting: "\(category)=\(value)") else {
                logger.error("a cut-off this version cannot read is not applied", metadata: ["category": "\(category)", "window": "\(value)"])
                continue
            }
            cutoffs.append(window)
        }
        hours.cutoffs = cutoffs
        hours.closures = try await ledger.catalogue.closures().compactMap { record in
            guard let scope = ClosureScope(key: record.scope) else {
                logger.error("a closure this version cannot read is not applied", metadata: ["scope": "\(record.scope)"])
                return nil
            }
            return ShopClosure(scope: scope, reason: record.reason, until: record.until.map { Date(timeIntervalSince1970: TimeInterval($0)) })
        }
    }

    /// Re-reads the margin rules after an admin changed them.
    public func reloadRules() async throws {
        priceBook = PriceBook(rules: try await ledger.catalogue.marginRules(), roundingUnit: roundingUnit)
        offers = [:]
    }

    /// What one sync did.
    public struct SyncReport: Sendable, Equatable {
        public var prepaid = 0
        public var postpaid = 0
        public var hidden = 0
        public var invalid = 0
        /// Parts that failed (the previous data was kept for them).
        public var failures: [String] = []
    }

    /// Fetches both catalogues, deposit methods and banks from Flowix. Whatever fails keeps
    /// its last good value.
    @discardableResult
    public func sync() async -> SyncReport {
        var report = SyncReport()
        let now = Int64(clock().timeIntervalSince1970)
        for type in ServiceType.allCases {
            do {
                let list = try await flowix.services(type)
                let rows = list.products.compactMap { product -> CatalogueProduct? in
                    if type == .prabayar, product.price == nil || product.price == .zero { return nil }
                    return CatalogueProduct(code: product.code, name: product.name, category: product.category, brand: product.brand,
                                            type: product.type, serviceType: type.rawValue,
                                            price: type == .prabayar ? product.price?.value : nil,
                                            isAvailable: product.isAvailable, syncedAt: now)
                }
                report.invalid += list.invalidEntries.count + list.products.count - rows.count
                report.hidden += rows.filter { !$0.isAvailable }.count
                if type == .prabayar { report.prepaid = rows.count } else { report.postpaid = rows.count }
                for entry in list.invalidEntries { logger.warning("catalogue entry skipped", metadata: ["entry": "\(entry)"]) }
                try await ledger.catalogue.replace(rows, serviceType: type.rawValue)
            } catch {
                report.failures.append("services \(type.rawValue): \(error)")
            }
        }
        do { depositMethods = try await flowix.depositMethods() } catch { report.failures.append("deposit methods: \(error)") }
        do { banks = try await flowix.payoutBanks() } catch { report.failures.append("payout banks: \(error)") }
        do { products = try await ledger.catalogue.products() } catch { report.failures.append("reading the catalogue: \(error)") }
        offers = [:]
        logger.info("catalogue synced", metadata: ["prepaid": "\(report.prepaid)", "postpaid": "\(report.postpaid)",
                                                    "failures": "\(report.failures.count)"])
        return report
    }

    /// Why the product `code` cannot be sold now (the owner closed it or its category is in its
    /// daily cut-off), if it cannot; the caller decides who is exempt.
    public func refusal(code: String) -> (product: String, refusal: ShopHours.Refusal)? {
        guard let offer = offers(level: "member").first(where: { $0.code.caseInsensitiveCompare(code) == .orderedSame }),
              let refusal = hours.refusal(for: offer, at: clock()) else { return nil }
        return (offer.name, refusal)
    }

    /// Whether any product of the catalogue falls in `scope` (a typo in `/tutup produk:…`
    /// closes nothing, and is said so).
    public func hasProducts(in scope: ClosureScope) -> Bool {
        offers(level: "member").contains { scope.covers($0) }
    }

    /// Everything a chat turn reads from the catalogue, in one call: the products as `level`
    /// sees them, the deposit methods, the payout banks and the shop's hours.
    public func view(level: String) -> (offers: [ProductOffer], depositMethods: [DepositMethod], banks: [PayoutBank], hours: ShopHours) {
        (offers(level: level), depositMethods, banks, hours)
    }

    /// The products as a customer of `level` sees them, with sell prices.
    public func offers(level: String) -> [ProductOffer] {
        if let cached = offers[level] { return cached }
        let list = products.compactMap { product -> ProductOffer? in
            guard let category = Category(flowixCategory: product.category, type: product.type) else { return nil }
            let price = product.price.flatMap(Rupiah.init).flatMap {
                priceBook.sellPrice(cost: $0, code: product.code, category: product.category, brand: product.brand, level: level)
            }
            return ProductOffer(code: product.code, name: product.name, category: category, brand: product.brand,
                                sellPrice: price, isAvailable: product.isAvailable)
        }
        offers[level] = list
        return list
    }

    /// Every product as synced from Flowix, with its cost; the owner's price list.
    public var allProducts: [CatalogueProduct] { products }

    /// The stored product with this code.
    public func product(_ code: String) -> CatalogueProduct? {
        products.first { $0.code.caseInsensitiveCompare(code) == .orderedSame }
    }
}
