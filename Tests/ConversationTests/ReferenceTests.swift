@testable import Conversation
import Testing

@Suite("References")
struct ReferenceTests {
    @Test("made from the chat and the update, read back as made", arguments: [
        (Reference.Kind.order, Int64(42), Int64(7), "LKT-42-7"),
        (.payout, 42, 7, "WD-42-7"),
        (.order, -1_001_234_567_890, 123_456, "LKT--1001234567890-123456"),
        (.payout, Int64.max, Int64.max, "WD-9223372036854775807-9223372036854775807"),
    ])
    func roundTrip(kind: Reference.Kind, chat: Int64, update: Int64, text: String) {
        let reference = Reference(kind, chat: chat, update: update)
        #expect(reference.description == text)
        #expect(Reference(text) == reference)
        #expect(Reference(text.lowercased()) == reference)
    }

    @Test("the payout of an update is the order's twin")
    func payoutOfTheSameUpdate() {
        let order = Reference(.order, chat: -55, update: 9)
        #expect(order.as(.payout).description == "WD--55-9")
        #expect(order.as(.payout).as(.order) == order)
    }

    @Test("anything else is not a reference", arguments: [
        "", "LKT", "LKT-", "LKT-1", "LKT-1-", "LKT--5", "LKT-x-1", "LKT-1-x", "LKT-1--2", "DEP-1-2", "WD1-2",
        "LKT-99999999999999999999-1", "LKT-1-2-3", " LKT-1-2", "LKT-05-1", "LKT-+5-1", "LKT-5-+1", "LKT--0-1", "WD-1-007",
    ])
    func refused(text: String) {
        #expect(Reference(text) == nil)
    }

    @Test("an order reference is found in a sentence, a mistyped one too")
    func mentioned() {
        #expect(Reference.orderMentioned(in: "status trx lkt-123-45 dong") == "LKT-123-45")
        #expect(Reference.orderMentioned(in: "cek (LKT-9).") == "LKT-9")
        #expect(Reference.orderMentioned(in: "LKT- saja") == nil)
        #expect(Reference.orderMentioned(in: "WD-1-2") == nil)
    }
}
