import Foundation
import Money
import Testing
@testable import Conversation

/// The owner's closures and the daily cut-offs: what they cover, when they end, what a
/// customer is told, and that an admin is never refused.
@Suite("Shop hours")
struct ShopHoursTests {
    var flow = FlowHarness()

    /// `hour:minute` WIB on the harness's day.
    func wib(_ hour: Int, _ minute: Int) -> Date {
        let local: Int64 = 1_790_000_000 + 7 * 3_600
        let midnight = local - local % 86_400 - 7 * 3_600
        return Date(timeIntervalSince1970: TimeInterval(midnight + Int64((hour * 60 + minute) * 60)))
    }

    static let tsel = ProductOffer(code: "TSEL10", name: "Telkomsel 10.000", category: .pulsa, brand: "Telkomsel", sellPrice: Rupiah(10_950))
    static let pln = ProductOffer(code: "PLNPOST", name: "PLN Pascabayar", category: .bill, brand: "PLN", sellPrice: nil)

    @Test func whatAClosureCovers() {
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        func refused(_ scope: ClosureScope, until: Date? = nil) -> Bool {
            ShopHours(closures: [ShopClosure(scope: scope, reason: nil, until: until)]).refusal(for: Self.tsel, at: now) != nil
        }
        #expect(refused(.shop))
        #expect(refused(.category(.pulsa)) && !refused(.category(.data)))
        #expect(refused(.brand("telkomsel")) && !refused(.brand("XL")))
        #expect(refused(.product("tsel10")) && !refused(.product("TSEL25")))
        #expect(refused(.shop, until: now.addingTimeInterval(60)))
        #expect(!refused(.shop, until: now))  // its time has come
        for key in ["toko", "kategori:tagihan", "brand:Tri_Indie", "produk:tsel10"] {
            let scope = ClosureScope(key: key)
            #expect(scope != nil && ClosureScope(key: scope!.key) == scope, "\(key)")
        }
        #expect(ClosureScope(key: "kategori:sembako") == nil && ClosureScope(key: "produk:") == nil && ClosureScope(key: "x") == nil)
        // One brand however it is typed; a key whose lowercase is shorter (Kelvin signs) is read safely.
        #expect(ClosureScope(key: "brand:TELKOMSEL") == ClosureScope(key: "brand:telkomsel"))
        #expect(ClosureScope(key: "\u{212A}\u{212A}\u{212A}:x") == nil)
        #expect(ClosureScope(key: "produk:TSEL_10") == .product("TSEL_10"))
    }

    /// Told the end that comes last: a closure ending inside a cut-off says when the cut-off ends.
    @Test func theLatestReopeningIsTold() throws {
        let window = try #require(CutoffWindow(setting: "tagihan=23:30-00:30"))
        let ending = ShopClosure(scope: .category(.bill), reason: nil, until: wib(23, 45))
        #expect(ShopHours(closures: [ending], cutoffs: [window]).refusal(for: Self.pln, at: wib(23, 40)) == .cutoff(.bill, reopensAt: wib(24, 30)))
        let endless = ShopClosure(scope: .shop, reason: "libur", until: nil)
        #expect(ShopHours(closures: [endless], cutoffs: [window]).refusal(for: Self.pln, at: wib(23, 40)) == .closed(endless))
    }

    @Test func aCutoffAcrossMidnight() throws {
        let window = try #require(CutoffWindow(setting: "tagihan=23:30-00:30"))
        let hours = ShopHours(cutoffs: [window])
        #expect(hours.refusal(for: Self.pln, at: wib(12, 0)) == nil)
        #expect(hours.refusal(for: Self.pln, at: wib(23, 29)) == nil)
        #expect(hours.refusal(for: Self.pln, at: wib(23, 45)) == .cutoff(.bill, reopensAt: wib(24, 30)))
        #expect(hours.refusal(for: Self.pln, at: wib(24, 10)) == .cutoff(.bill, reopensAt: wib(24, 30)))
        #expect(hours.refusal(for: Self.pln, at: wib(24, 30)) == nil)
        #expect(hours.refusal(for: Self.tsel, at: wib(23, 45)) == nil)  // pulsa sells on
        #expect(CutoffWindow(setting: "tagihan=25:00-01:00") == nil && CutoffWindow(setting: "sembako=23:30-00:30") == nil)
        #expect(ClockTime("21.00")?.next(after: wib(20, 0)) == wib(21, 0))
        #expect(ClockTime("08:00")?.next(after: wib(20, 0)) == wib(32, 0))
    }

    @Test mutating func aClosedShopRefusesCustomersBeforeAnyConfirmationButNotAdmins() {
        flow.hours = ShopHours(closures: [ShopClosure(scope: .shop, reason: "Libur <Lebaran>", until: flow.now.addingTimeInterval(3_600))])
        let refused = FlowHarness.text(flow.send("TSEL10.081234567890"))
        #expect(refused.contains("toko sedang tutup") && refused.contains("Libur &lt;Lebaran&gt;") && refused.contains("Buka lagi pukul"))
        #expect(refused.contains("Deposit dan cek saldo tetap bisa"))
        #expect(flow.step == .idle)
        #expect(FlowHarness.text(flow.send("/saldo")).contains("Rp100.000"))
        // A confirmation shown before the shop closed is refused at Beli.
        flow.hours = ShopHours()
        let confirmation = flow.send("TSEL10.081234567890")
        flow.hours = ShopHours(closures: [ShopClosure(scope: .product("TSEL10"), reason: nil, until: nil)])
        let pressed = flow.press("Beli", in: confirmation)
        #expect(FlowHarness.text(pressed).contains("sedang tidak dijual"))
        #expect(!pressed.contains { if case .purchase = $0 { true } else { false } })

        // "Transaksi ganda?" answered after the product closed: refused too.
        flow.hours = ShopHours()
        flow.recent = [RecentPurchase(productCode: "TSEL10", target: "081234567890", at: flow.now.addingTimeInterval(-60))]
        let ask = flow.press("Beli", in: flow.send("TSEL10.081234567890"))
        #expect(FlowHarness.text(ask).contains("Transaksi ganda?"))
        flow.hours = ShopHours(closures: [ShopClosure(scope: .brand("telkomsel"), reason: nil, until: nil)])
        let again = flow.press("Ya, beli lagi", in: ask)
        #expect(FlowHarness.text(again).contains("sedang tidak dijual"))
        #expect(!again.contains { if case .purchase = $0 { true } else { false } })

        flow.recent = []
        flow.customer.isAdmin = true
        #expect(flow.press("Beli", in: flow.send("TSEL10.081234567890")).contains { if case .purchase = $0 { true } else { false } })
    }

    @Test func theOwnerCommands() {
        func parse(_ text: String) -> Command { CommandParser.parse(text, isAdmin: true) }
        #expect(parse("/tutup toko sampai 21:00 libur lebaran") == .admin(.success(.close(scope: .shop, until: ClockTime("21:00"), reason: "libur lebaran"))))
        #expect(parse("/tutup toko libur lebaran sampai 21:00") == .admin(.success(.close(scope: .shop, until: ClockTime("21:00"), reason: "libur lebaran"))))
        #expect(parse("/tutup brand:Telkomsel") == .admin(.success(.close(scope: .brand("telkomsel"), until: nil, reason: nil))))
        #expect(parse("/tutup produk:tsel10") == .admin(.success(.close(scope: .product("TSEL10"), until: nil, reason: nil))))
        #expect(parse("/tutup kategori:tagihan gangguan biller") == .admin(.success(.close(scope: .category(.bill), until: nil, reason: "gangguan biller"))))
        #expect(parse("/tutup") == .admin(.success(.listClosures)))
        #expect(parse("/buka produk:TSEL10") == .admin(.success(.reopen(scope: .product("TSEL10")))))
        #expect(parse("/buka 123") == .admin(.success(.unblock(userID: 123))))
        #expect(parse("/tutup kategori:sembako") == .admin(.failure(AdminUsage(key: "admin.usage.tutup"))))
        #expect(parse("/tutup toko sampai 25:00") == .admin(.failure(AdminUsage(key: "admin.usage.tutup"))))
        #expect(CommandParser.parse("/tutup toko", isAdmin: false) == .adminOnly)
        #expect(parse("/cutoff kategori:tagihan 23:00-01:00") == .admin(.success(.setCutoff(category: .bill, window: CutoffWindow(category: .bill, start: 1_380, end: 60)))))
        #expect(parse("/cutoff kategori:tagihan off") == .admin(.success(.setCutoff(category: .bill, window: nil))))
        #expect(parse("/cutoff tagihan 23:00-01:00") == .admin(.failure(AdminUsage(key: "admin.usage.cutoff"))))
        #expect(parse("/cutoff kategori:tagihan 25:00-01:00") == .admin(.failure(AdminUsage(key: "admin.usage.cutoff"))))
        #expect(CommandParser.parse("/cutoff kategori:tagihan off", isAdmin: false) == .adminOnly)
    }
}
