import Foundation
import Money
import Testing
@testable import Flowix

/// A definitive refusal is a rejection; anything that might have taken effect is unknown.
@Suite("Answer classification")
struct ResponseClassificationTests {
    enum Kind: Equatable { case rejected, unknown }

    static let cases: [(String, Int, String, Kind)] = [
        ("success false with 200", 200, #"{"success":false,"code":400,"message":"Saldo tidak mencukupi."}"#, .rejected),
        ("success false with 400", 400, #"{"success":false,"message":"Produk tidak tersedia"}"#, .rejected),
        ("success false with 401", 401, #"{"success":false,"code":401,"message":"API Key tidak valid"}"#, .rejected),
        ("success as a string", 422, #"{"success":"false","code":"422","message":"invalid"}"#, .rejected),
        ("500 with JSON", 500, #"{"success":false,"message":"Internal Server Error"}"#, .unknown),
        ("503 with HTML", 503, "<html><body>503 Service Unavailable</body></html>", .unknown),
        ("200 with HTML", 200, "<!DOCTYPE html><html><body>maintenance</body></html>", .unknown),
        ("404 with HTML", 404, "<html>not found</html>", .unknown),
        ("empty body", 200, "", .unknown),
        ("truncated JSON", 200, #"{"success":true,"code":200,"data":{"ref_id":"A","sta"#, .unknown),
        ("garbage", 200, "\u{0}\u{1}binary", .unknown),
        ("JSON array", 200, "[1,2,3]", .unknown),
        ("success without data", 200, #"{"success":true,"message":"ok"}"#, .unknown),
        ("success with missing price", 200, #"{"success":true,"data":{"ref_id":"A","status":"processing"}}"#, .unknown),
        ("success with negative price", 200, #"{"success":true,"data":{"ref_id":"A","status":"processing","price":-10500}}"#, .unknown),
        ("success with fractional price", 200, #"{"success":true,"data":{"ref_id":"A","status":"processing","price":10500.5}}"#, .unknown),
        ("success with text price", 200, #"{"success":true,"data":{"ref_id":"A","status":"processing","price":"sepuluh"}}"#, .unknown),
        ("success with 4xx status", 404, #"{"success":true,"data":{"ref_id":"A","status":"processing","price":1}}"#, .unknown),
        ("no success field", 200, #"{"data":{"ref_id":"A","status":"processing","price":1}}"#, .unknown),
    ]

    @Test("classifies", arguments: cases)
    func classifies(name: String, status: Int, body: String, expected: Kind) {
        do {
            _ = try FlowixResponse.decode(TransactionReceipt.self, status: status, body: Data(body.utf8), redacting: "sk-secret")
            Issue.record("\(name): decoded, expected \(expected)")
        } catch {
            let kind: Kind = error.isRejection ? .rejected : .unknown
            #expect(kind == expected, "\(name): \(error)")
        }
    }

    @Test func rejectionKeepsFlowixCodeAndMessage() {
        #expect(throws: FlowixError.rejected(FlowixRejection(httpStatus: 400, code: 4001, message: "Saldo tidak mencukupi."))) {
            try FlowixResponse.checkEnvelope(status: 400, body: Data(#"{"success":false,"code":4001,"message":"Saldo tidak mencukupi."}"#.utf8), redacting: "k")
        }
    }

    @Test func numbersAsStringsDecode() throws {
        let body = #"{"success":"true","code":"200","data":{"trx_id":"105","reff_id":"R1","status":"SUCCESS","price":"10500","sn":123}}"#
        let receipt = try FlowixResponse.decode(TransactionReceipt.self, status: 200, body: Data(body.utf8), redacting: "")
        #expect(receipt.refID == "R1")
        #expect(receipt.price == Rupiah(10_500))
        #expect(receipt.status == .success)
        #expect(receipt.sn == "123")
    }

    @Test func unknownStatusIsNotFinal() throws {
        let body = #"{"success":true,"data":{"ref_id":"R1","status":"on_hold","price":1}}"#
        let receipt = try FlowixResponse.decode(TransactionReceipt.self, status: 200, body: Data(body.utf8), redacting: "")
        #expect(receipt.status == .unrecognized("on_hold"))
        #expect(!receipt.status.isFinal)
    }

    @Test func oneBadProductDoesNotHideTheCatalogueOrBecomeFree() throws {
        let body = #"{"success":true,"data":[{"code":"A","name":"A","category":"Pulsa","brand":"X","type":"pulsa","price":"-","status":"available"},"#
            + #""oops",{"code":"B","name":"B","category":"Pulsa","brand":"X","type":"pulsa","price":"1000","status":"available"}]}"#
        let list = try FlowixResponse.decode(ProductList.self, status: 200, body: Data(body.utf8), redacting: "")
        #expect(list.products.map(\.code) == ["B"])
        #expect(list.invalidEntries.count == 2)
    }

    @Test func theAPIKeyNeverAppearsInAnError() {
        let body = #"{"success":false,"message":"key sk-secret-123 is blocked"}"#
        do {
            try FlowixResponse.checkEnvelope(status: 403, body: Data(body.utf8), redacting: "sk-secret-123")
            Issue.record("expected a rejection")
        } catch {
            #expect(!error.description.contains("sk-secret-123"))
            #expect(error.description.contains("<redacted>"))
        }
    }
}
