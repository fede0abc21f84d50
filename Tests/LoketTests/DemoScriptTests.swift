import Foundation
import Testing

/// `loket demo` driven by a script through stdin/stdout: a full purchase and a QRIS deposit.
@Suite("loket demo")
struct DemoScriptTests {
    static func loketExecutable() throws -> URL {
        let folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidate = folder.appendingPathComponent("loket")
        guard FileManager.default.isExecutableFile(atPath: candidate.path) else {
            throw HarnessError("the loket executable was not built next to the tests (\(candidate.path))")
        }
        return candidate
    }

    /// Runs `loket demo` with `script` on its standard input; its exit status and what it printed.
    static func demo(_ script: [String]) throws -> (status: Int32, text: String) {
        let process = Process()
        process.executableURL = try loketExecutable()
        process.arguments = ["demo", "--settle-after", "1"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = Pipe()
        try process.run()
        input.fileHandleForWriting.write(Data((script.joined(separator: "\n") + "\n").utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func aScriptedPurchaseAndDeposit() async throws {
        let (status, text) = try Self.demo(["TSEL10.081234567890", "1", "!tunggu 3", "/saldo", "/deposit 20rb", "1", "!bayar", "!tunggu 2", "!keluar"])
        #expect(status == 0, "\(text.suffix(2_000))")
        #expect(text.contains("Konfirmasi pembelian"))
        #expect(text.contains("Berhasil! Telkomsel 10.000 ke 081234567890"))
        #expect(text.contains("Saldo kamu: Rp139.000"))
        #expect(text.contains("Scan QRIS ini untuk deposit"))
        #expect(text.contains("▀") && text.contains("▄"), "the QR is drawn with block characters")
        #expect(text.contains("masuk: Rp20.000"))
    }

    @Test func aPINAndATransferInTheDemo() async throws {
        // The PIN typed twice, then the transfer: Kirim is button 1, the PIN typed again.
        let (status, text) = try Self.demo(["/pin", "975310", "975310", "/transfer @siti_demo 10rb", "1", "975310", "!tunggu 1", "/saldo", "!keluar"])
        #expect(status == 0, "\(text.suffix(2_000))")
        #expect(text.contains("PIN transaksi tersimpan"))
        #expect(text.contains("Konfirmasi transfer saldo"))
        #expect(text.contains("Transfer Rp10.000 ke Siti Demo"), "\(text.suffix(1_500))")
        #expect(text.contains("Saldo kamu: Rp140.000"))
    }
}
