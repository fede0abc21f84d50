import Foundation

/// Decodes QR images with `zbarimg` from Debian's zbar-tools: a decoder independent of ours.
public enum ZBarDecoder {
    public static let executable = ["/usr/bin/zbarimg", "/usr/local/bin/zbarimg"].first { FileManager.default.isExecutableFile(atPath: $0) }

    public struct Missing: Error, CustomStringConvertible {
        public var description: String {
            "zbarimg is not installed (apt-get install zbar-tools; .ci/run installs it): QR images cannot be checked by an independent decoder"
        }
    }

    /// The text of the QR code in `png`, `nil` when zbarimg finds none. Throws ``Missing`` when
    /// zbarimg is not there, so a test can never pass without really decoding.
    public static func decode(_ png: [UInt8]) throws -> String? {
        guard let executable else { throw Missing() }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("qr-\(UUID().uuidString).png")
        try Data(png).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--quiet", "--raw", "-Sbinary", file.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = Pipe()
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        var text = String(decoding: data, as: UTF8.self)
        if text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}
