/// A QR code (ISO/IEC 18004) encoded in byte mode, as a square of dark and light modules.
///
/// The encoder follows the standard's steps: choose the smallest version that holds the data
/// at the error correction level, add Reed–Solomon codewords per block, interleave, place
/// them around the function patterns, and apply the mask with the lowest penalty.
public struct QRCode: Sendable, Equatable {
    /// Error correction: `low` recovers about 7 % of the symbol, `medium` 15 %.
    public enum Correction: Sendable {
        case low, medium

        var formatBits: Int { self == .low ? 1 : 0 }
        var index: Int { self == .low ? 0 : 1 }
    }

    /// Why a payload could not be encoded.
    public enum EncodingError: Error, Equatable {
        case tooLong(bytes: Int)
    }

    public let version: Int
    /// Modules per side.
    public let size: Int
    private let modules: [Bool]

    /// `true` for a dark module at column `x`, row `y`.
    public func isDark(x: Int, y: Int) -> Bool { modules[y * size + x] }

    /// Encodes `payload` (UTF-8 bytes) at the smallest version that fits.
    public init(encoding payload: String, correction: Correction = .medium) throws(EncodingError) {
        let data = Array(payload.utf8)
        guard let version = (1...40).first(where: { Self.dataCapacityBits($0, correction) >= Self.bitsNeeded(data.count, version: $0) }) else {
            throw .tooLong(bytes: data.count)
        }
        var bits = BitBuffer()
        bits.append(0b0100, count: 4)
        bits.append(data.count, count: version <= 9 ? 8 : 16)
        for byte in data { bits.append(Int(byte), count: 8) }
        let capacity = Self.dataCapacityBits(version, correction)
        bits.append(0, count: min(4, capacity - bits.count))
        bits.append(0, count: (8 - bits.count % 8) % 8)
        var codewords = bits.bytes
        var pad: UInt8 = 0xEC
        while codewords.count * 8 < capacity {
            codewords.append(pad)
            pad = pad == 0xEC ? 0x11 : 0xEC
        }
        var matrix = Matrix(version: version)
        matrix.drawFunctionPatterns()
        matrix.drawCodewords(Self.interleaveWithCorrection(codewords, version: version, correction: correction))
        var best: Matrix?
        var bestPenalty = Int.max
        for mask in 0..<8 {
            var candidate = matrix
            candidate.applyMask(mask)
            candidate.drawFormatBits(correction: correction, mask: mask)
            let penalty = candidate.penalty()
            if penalty < bestPenalty {
                bestPenalty = penalty
                best = candidate
            }
        }
        self.version = version
        size = matrix.size
        modules = best!.modules
    }

    static func bitsNeeded(_ byteCount: Int, version: Int) -> Int {
        4 + (version <= 9 ? 8 : 16) + byteCount * 8
    }

    static func dataCapacityBits(_ version: Int, _ correction: Correction) -> Int {
        (rawDataModules(version) / 8 - eccPerBlock[correction.index][version] * blockCount[correction.index][version]) * 8
    }

    static func rawDataModules(_ version: Int) -> Int {
        var result = (16 * version + 128) * version + 64
        if version >= 2 {
            let alignments = version / 7 + 2
            result -= (25 * alignments - 10) * alignments - 55
            if version >= 7 { result -= 36 }
        }
        return result
    }

    /// Splits the data into blocks, appends each block's Reed–Solomon codewords and interleaves.
    static func interleaveWithCorrection(_ data: [UInt8], version: Int, correction: Correction) -> [UInt8] {
        let blocks = blockCount[correction.index][version]
        let eccLength = eccPerBlock[correction.index][version]
        let rawCodewords = rawDataModules(version) / 8
        let shortBlocks = blocks - rawCodewords % blocks
        let shortLength = rawCodewords / blocks
        let divisor = ReedSolomon.divisor(degree: eccLength)
        var split: [[UInt8]] = []
        var offset = 0
        for index in 0..<blocks {
            let length = shortLength - eccLength + (index < shortBlocks ? 0 : 1)
            var block = Array(data[offset..<offset + length])
            offset += length
            let ecc = ReedSolomon.remainder(block, divisor: divisor)
            if index < shortBlocks { block.append(0) }
            split.append(block + ecc)
        }
        var result: [UInt8] = []
        for position in 0..<split[0].count {
            for (index, block) in split.enumerated() where position != shortLength - eccLength || index >= shortBlocks {
                result.append(block[position])
            }
        }
        return result
    }

    // Per version (index 1…40): error correction codewords per block and number of blocks,
    // for levels L and M (ISO/IEC 18004 table 9).
    static let eccPerBlock: [[Int]] = [
        [-1, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [-1, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28],
    ]
    static let blockCount: [[Int]] = [
        [-1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25],
        [-1, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49],
    ]
}

/// Bits appended most significant first.
struct BitBuffer {
    private(set) var bits: [Bool] = []
    var count: Int { bits.count }

    mutating func append(_ value: Int, count: Int) {
        guard count > 0 else { return }
        for shift in stride(from: count - 1, through: 0, by: -1) { bits.append((value >> shift) & 1 == 1) }
    }

    var bytes: [UInt8] {
        stride(from: 0, to: bits.count, by: 8).map { start in
            (0..<8).reduce(UInt8(0)) { byte, offset in
                byte << 1 | (start + offset < bits.count && bits[start + offset] ? 1 : 0)
            }
        }
    }
}

/// Reed–Solomon over GF(2^8) with the QR polynomial x^8 + x^4 + x^3 + x^2 + 1.
enum ReedSolomon {
    static func multiply(_ x: UInt8, _ y: UInt8) -> UInt8 {
        var z = 0
        for shift in stride(from: 7, through: 0, by: -1) {
            z = (z << 1) ^ ((z >> 7) * 0x11D)
            z ^= Int((y >> UInt8(shift)) & 1) * Int(x)
        }
        return UInt8(z & 0xFF)
    }

    static func divisor(degree: Int) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: degree - 1) + [1]
        var root: UInt8 = 1
        for _ in 0..<degree {
            for index in 0..<result.count {
                result[index] = multiply(result[index], root)
                if index + 1 < result.count { result[index] ^= result[index + 1] }
            }
            root = multiply(root, 0x02)
        }
        return result
    }

    static func remainder(_ data: [UInt8], divisor: [UInt8]) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: divisor.count)
        for byte in data {
            let factor = byte ^ result.removeFirst()
            result.append(0)
            for index in 0..<result.count { result[index] ^= multiply(divisor[index], factor) }
        }
        return result
    }
}
