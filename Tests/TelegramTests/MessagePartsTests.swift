import Foundation
import Testing
@testable import Telegram

/// Issue #22: Telegram's length limits enforced in one place, nothing cut off.
@Suite("Message parts")
struct MessagePartsTests {
    /// The text a reader sees: tags dropped (entities kept as written).
    static func visible(_ html: String) -> String {
        html.replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression)
    }

    /// Every tag a part opens it also closes, in order.
    static func balanced(_ html: String) -> Bool {
        var open: [String] = []
        for piece in MessageParts.pieces(html) {
            guard let tag = piece.tag else { continue }
            if tag.isClosing {
                guard open.last == tag.name else { return false }
                open.removeLast()
            } else {
                open.append(tag.name)
            }
        }
        return open.isEmpty
    }

    @Test func shortTextIsOnePart() {
        #expect(MessageParts.split("<b>Saldo</b> kamu: Rp10.000") == ["<b>Saldo</b> kamu: Rp10.000"])
    }

    @Test func aLongPriceListSplitsAtLineBoundariesAndLosesNothing() {
        let lines = (1...400).map { "<code>TSEL\($0)</code> Telkomsel \($0).000 · Rp\($0).500 &amp; bonus" }
        let html = "<b>Daftar harga</b>\n" + lines.joined(separator: "\n")
        let parts = MessageParts.split(html)
        #expect(parts.count > 1)
        #expect(parts.allSatisfy { $0.utf16.count <= MessageParts.textLimit })
        #expect(parts.allSatisfy(Self.balanced))
        #expect(parts.dropLast().allSatisfy { $0.hasSuffix("\n") }, "each part ends at a line break")
        #expect(parts.map(Self.visible).joined() == Self.visible(html), "every character is in some part")
    }

    @Test func aTagOpenAcrossTheSplitIsClosedAndReopened() {
        let html = "<b>" + String(repeating: "baris panjang sekali\n", count: 400) + "</b>akhir"
        let parts = MessageParts.split(html)
        #expect(parts.count > 1)
        #expect(parts.allSatisfy { $0.utf16.count <= MessageParts.textLimit && Self.balanced($0) })
        #expect(parts.dropFirst().allSatisfy { $0.hasPrefix("<b>") })
        #expect(parts.map(Self.visible).joined() == Self.visible(html))
    }

    @Test func oneHugeLineIsCutAtSpacesThenByCharacterButNeverInsideAnEntity() {
        let words = String(repeating: "kata ", count: 1_500) + String(repeating: "x", count: 5_000) + " &lt;tamat&gt;"
        let parts = MessageParts.split(words)
        #expect(parts.allSatisfy { $0.utf16.count <= MessageParts.textLimit })
        #expect(parts.joined() == words)
        #expect(!parts.contains { $0.hasSuffix("&lt") || $0.hasPrefix("t;") })
    }

    @Test func captionsAreCutAtTheirOwnLimitAndEmojiStayWhole() {
        let caption = String(repeating: "🧾 Bayar tepat Rp50.700 lewat QRIS\n", count: 60)
        let parts = MessageParts.split(caption, firstLimit: MessageParts.captionLimit)
        #expect(parts[0].utf16.count <= MessageParts.captionLimit)
        #expect(parts.dropFirst().allSatisfy { $0.utf16.count <= MessageParts.textLimit })
        #expect(parts.joined() == caption)
    }
}
