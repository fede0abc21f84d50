import Conversation
import LoketCore
import Testing

@Suite("Times and categories at the app's edge")
struct WIBTests {
    @Test("times are written in WIB whatever the server's zone", arguments: [
        (Int64(1_790_000_000), "2026-09-21 21:13:20", "21/09 21:13"),
        (0, "1970-01-01 07:00:00", "01/01 07:00"),
        (1_764_000_000, "2025-11-24 23:00:00", "24/11 23:00"),
    ])
    func written(seconds: Int64, dateTime: String, short: String) {
        #expect(WIB.dateTime(seconds) == dateTime)
        #expect(WIB.short(seconds) == short)
    }

    @Test("a corrupt stored time is written as the nearest end of 1970–9999, never a trap")
    func corrupt() {
        #expect(WIB.dateTime(.max) == "9999-12-31 23:59:59")
        #expect(WIB.dateTime(.min) == "1970-01-01 07:00:00")
        #expect(WIB.short(.max) == "31/12 23:59")
    }

    @Test("Flowix's categories and bill types map to the menu's", arguments: [
        ("Pulsa", "pulsa", Category.pulsa), ("Data", "data", .data), ("Paket Data", "", .data),
        ("E-Money", "emoney", .emoney), ("Games", "game", .game), ("PLN", "token", .pln),
        ("Tagihan", "", .bill), ("PLN", "pln_postpaid", .bill), ("Kesehatan", "bpjs", .bill), ("Air", "pdam", .bill),
    ])
    func category(flowix: String, type: String, expected: Category) {
        #expect(Category(flowixCategory: flowix, type: type) == expected)
    }

    @Test func anUnknownCategoryIsNotSold() {
        #expect(Category(flowixCategory: "Asuransi", type: "") == nil)
    }
}
