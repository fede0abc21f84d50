import Testing
@testable import Conversation

/// What a customer typed is quoted back short, so a reply never grows with the input.
struct EchoTests {
    @Test func longInputIsQuotedBackShort() {
        var flow = FlowHarness()
        let keyword = String(repeating: "x", count: 5_000)
        for (input, bound) in [("/harga " + keyword, 300), ("/beli " + keyword + " 081234567890", 400)] {
            let reply = FlowHarness.text(flow.send(input))
            #expect(reply.count < bound, "\(input.prefix(20))…: \(reply.count) characters")
            #expect(reply.contains("…"))
        }
        #expect(HTML.excerpt("TSEL10") == "TSEL10")
        #expect(HTML.excerpt(String(repeating: "🙂", count: 41)) == String(repeating: "🙂", count: 40) + "…")
    }
}
