import Foundation
import Testing
import TestSupport
@testable import QRCode

/// The QR PNG is checked by an independent decoder, `zbarimg` from Debian's zbar-tools.
@Suite("QR codes")
struct QRCodeTests {
    static func decode(_ png: [UInt8]) throws -> String? { try ZBarDecoder.decode(png) }

    static let qris = "00020101021226670016COM.NOBUBANK.WWW01189360050300000879140214543200001110390303UMI51440014ID.CO.QRIS.WWW0215ID20232914539180303UMI5204541153033605405507005802ID5920WARUNG PULSA BU SITI6007BANDUNG61054011162070703A016304B2F1"

    @Test("decodes to exactly the payload", arguments: [
        "HELLO", "https://t.me/loket_bot", qris,
        String(repeating: "0002010102122667001", count: 12), "Pembayaran 🧾 Rp50.700 — DEP-123",
    ])
    func roundTrip(payload: String) throws {
        let code = try QRCode(encoding: payload)
        let png = PNGImage.render(code)
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(try Self.decode(png) == payload)
    }

    @Test func versionGrowsWithThePayload() throws {
        #expect(try QRCode(encoding: "A").version == 1)
        #expect(try QRCode(encoding: Self.qris).version >= 8)
        #expect(throws: QRCode.EncodingError.tooLong(bytes: 3_000)) { try QRCode(encoding: String(repeating: "x", count: 3_000)) }
    }

    @Test func imageIsLargeEnoughToScanFromAScreen() throws {
        let code = try QRCode(encoding: Self.qris)
        let png = PNGImage.render(code)
        let width = png[16...19].reduce(0) { $0 << 8 | Int($1) }
        #expect(width >= 400)
        #expect(width == (code.size + 8) * 8)
    }

    @Test func checksumsMatchKnownValues() {
        #expect(PNGImage.crc32(Array("IEND".utf8)) == 0xAE42_6082)
        #expect(PNGImage.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
    }
}
