import Foundation
import Money
import Testing

@Suite("Rupiah")
struct RupiahTests {
    struct Box: Decodable { let amount: Rupiah }

    @Test("decodes whole amounts given as numbers or strings", arguments: [
        (#"{"amount": 10500}"#, Int64(10500)),
        (#"{"amount": "10500"}"#, 10500),
        (#"{"amount": " 10500 "}"#, 10500),
        (#"{"amount": 10500.0}"#, 10500),
        (#"{"amount": "10500.00"}"#, 10500),
        (#"{"amount": 0}"#, 0),
    ])
    func decodesWholeAmounts(json: String, expected: Int64) throws {
        let box = try JSONDecoder().decode(Box.self, from: Data(json.utf8))
        #expect(box.amount.value == expected)
    }

    @Test("rejects amounts that would lose or invent money", arguments: [
        #"{"amount": -1}"#, #"{"amount": "-500"}"#, #"{"amount": 10.5}"#, #"{"amount": "10.50"}"#,
        #"{"amount": "abc"}"#, #"{"amount": ""}"#, #"{"amount": null}"#, #"{}"#, #"{"amount": true}"#,
        #"{"amount": "1e5"}"#, #"{"amount": "10.500"}"#, #"{"amount": 99999999999999999999}"#,
        #"{"amount": "1000000000000000001"}"#, #"{"amount": [1]}"#,
    ])
    func rejectsBadAmounts(json: String) {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Box.self, from: Data(json.utf8)) }
    }

    @Test func formatsTheIndonesianWay() {
        #expect(RupiahFormat.indonesian(Rupiah(10_500)!) == "Rp10.500")
        #expect(RupiahFormat.indonesian(Rupiah(0)!) == "Rp0")
        #expect(RupiahFormat.indonesian(Rupiah(999)!) == "Rp999")
        #expect(RupiahFormat.indonesian(Rupiah(1_250_000)!) == "Rp1.250.000")
        #expect(RupiahFormat.english(Rupiah(1_250_000)!) == "Rp1,250,000")
    }

    @Test func arithmeticStaysInRange() {
        #expect(Rupiah(-1) == nil)
        #expect(Rupiah(5)!.subtracting(Rupiah(6)!) == nil)
        #expect(Rupiah.maximum.adding(Rupiah(1)!) == nil)
        #expect(Rupiah(5)!.adding(Rupiah(6)!) == Rupiah(11))
    }
}
