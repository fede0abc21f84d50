#if DEBUG || FUZZING
@testable import Flowix
#else
import Flowix
#endif
import Foundation
import Money

/// `money`: ``Rupiah`` from text (`init(plainText:)`), from JSON in every shape a PHP API sends,
/// from a `Decimal`, and ``Percentage`` from JSON; sums and differences at the limits. A rupiah
/// amount is never negative or above ``Rupiah/maximum``, and reads back as itself.
public enum MoneyTarget: FuzzTarget {
    public static let name = "money"
    public static let summary = "Rupiah from text, JSON and Decimal; Percentage; adding and subtracting"

    public static func run(_ bytes: [UInt8]) {
        let text = bytes.text
        if let amount = Rupiah(plainText: text) {
            check(amount, "plain text \(text.debugDescription)")
            Fuzz.check(Rupiah(plainText: amount.description) == amount, "\(amount) does not read back")
        }
        let data = Data(bytes)
        if let amount = try? JSONDecoder().decode(Rupiah.self, from: data) { check(amount, "JSON \(text.debugDescription)") }
        if let amounts = try? JSONDecoder().decode([Rupiah].self, from: data) {
            amounts.forEach { check($0, "JSON \(text.debugDescription)") }
            var total: Rupiah? = .zero
            for amount in amounts { total = total.flatMap { $0.adding(amount) } }
            let exact = amounts.reduce(Int64(0)) { $0 &+ $1.value }
            if amounts.count < 1_000 { Fuzz.check((total?.value ?? -1) == (exact <= Rupiah.maximum.value ? exact : -1), "sum of \(amounts)") }
        }
        if let decimal = Decimal(string: text), let amount = Rupiah(exactly: decimal) {
            check(amount, "decimal \(text.debugDescription)")
            Fuzz.check(Decimal(amount.value) == decimal, "\(decimal) became \(amount)")
        }
        if let percentage = try? JSONDecoder().decode(Percentage.self, from: data) {
            Fuzz.check((0...10_000).contains(percentage.basisPoints), "percentage \(percentage.basisPoints) from \(text.debugDescription)")
            let again = try? JSONDecoder().decode(Percentage.self, from: JSONEncoder().encode(percentage))
            Fuzz.check(again == percentage, "percentage \(percentage) does not survive JSON")
        }
        var reader = FuzzReader(bytes)
        let a = Rupiah(reader.int64()), b = Rupiah(reader.int64())
        if let a, let b {
            let sum = a.adding(b), difference = a.subtracting(b)
            Fuzz.check(sum == nil ? a.value + b.value > Rupiah.maximum.value : sum!.value == a.value + b.value, "\(a) + \(b)")
            Fuzz.check(difference == nil ? a < b : difference!.value == a.value - b.value, "\(a) - \(b)")
            _ = RupiahFormat.indonesian(a) + RupiahFormat.english(b)
        }
    }

    static func check(_ amount: Rupiah, _ source: String) {
        Fuzz.check(amount.value >= 0 && amount.value <= Rupiah.maximum.value, "\(amount.value) from \(source)")
    }
}

/// `timestamp`: ``FlowixTimestamp`` read from text (`.date`) and written from instants (from
/// the input's numbers, as the export and the bot write them from stored seconds). An instant
/// Flowix sent fits the `Int64` seconds the ledger stores, and a timestamp written from an
/// instant reads back as that instant.
public enum TimestampTarget: FuzzTarget {
    public static let name = "timestamp"
    public static let summary = "FlowixTimestamp.date on text; FlowixTimestamp from arbitrary instants"

    public static func run(_ bytes: [UInt8]) {
        check(FlowixTimestamp(bytes.text))
        var reader = FuzzReader(bytes)
        let seconds = reader.int64()
        let written = FlowixTimestamp(Date(timeIntervalSince1970: TimeInterval(seconds)))
        check(written)
        if (-62_135_596_800...253_402_300_799 - 7 * 3600).contains(seconds) {
            Fuzz.check(written.date == Date(timeIntervalSince1970: TimeInterval(seconds)), "\(seconds) written as \(written)")
        }
        check(FlowixTimestamp(Date(timeIntervalSince1970: Double(bitPattern: UInt64(bitPattern: reader.int64())))))
    }

    static func check(_ timestamp: FlowixTimestamp) {
        guard let date = timestamp.date else { return }
        let seconds = date.timeIntervalSince1970
        Fuzz.check(seconds.isFinite && seconds >= -9.2e18 && seconds <= 9.2e18, "\(timestamp) is \(seconds) s, not Int64 seconds")
        Fuzz.check(FlowixTimestamp(date).date == date, "\(timestamp) is \(date), which is written as \(FlowixTimestamp(date))")
    }
}
