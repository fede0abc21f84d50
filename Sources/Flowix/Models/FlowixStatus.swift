/// The status Flowix reports for a purchase, bill payment or payout.
///
/// The reference lists `pending`, `processing`, `success` and `failed`; their case and their
/// Indonesian words (`SUCCESS`, `sukses`, `gagal`, `diproses`) are read as them. Anything else
/// (`error`, `refund`, `canceled`, …) is kept as ``unrecognized(_:)``: unknown, not failed, so
/// money stays held until Flowix says something the reference defines.
public enum FlowixStatus: WireStatus {
    case pending
    case processing
    case success
    case failed
    case unrecognized(String)

    public init(wire: String) {
        switch wire.trimmingCharacters(in: .whitespaces).lowercased() {
        case "pending", "waiting", "menunggu": self = .pending
        case "processing", "process", "proses", "diproses": self = .processing
        case "success", "sukses", "berhasil": self = .success
        case "failed", "gagal": self = .failed
        default: self = .unrecognized(wire)
        }
    }

    /// The canonical spelling Flowix documents.
    public var wireValue: String {
        switch self {
        case .pending: return "pending"
        case .processing: return "processing"
        case .success: return "success"
        case .failed: return "failed"
        case .unrecognized(let text): return text
        }
    }

    /// `true` for `success` and `failed`, the only answers that settle money.
    public var isFinal: Bool { self == .success || self == .failed }

}

/// The status of a deposit (top-up) ticket.
public enum DepositState: WireStatus {
    case pending
    case success
    case expired
    case cancelled
    case failed
    case unrecognized(String)

    public init(wire: String) {
        switch wire.trimmingCharacters(in: .whitespaces).lowercased() {
        case "pending", "unpaid", "waiting", "processing": self = .pending
        case "success", "paid", "sukses", "berhasil", "settlement", "completed": self = .success
        case "expired", "expire", "kadaluarsa", "kedaluwarsa": self = .expired
        case "cancel", "canceled", "cancelled", "dibatalkan": self = .cancelled
        case "failed", "gagal": self = .failed
        default: self = .unrecognized(wire)
        }
    }

    public var wireValue: String {
        switch self {
        case .pending: return "pending"
        case .success: return "success"
        case .expired: return "expired"
        case .cancelled: return "canceled"
        case .failed: return "failed"
        case .unrecognized(let text): return text
        }
    }

}

/// A status Flowix sends as a string: read leniently from its spellings, written in the
/// documented one.
public protocol WireStatus: Sendable, Hashable, Codable, CustomStringConvertible {
    init(wire: String)
    var wireValue: String { get }
}

extension WireStatus {
    public init(from decoder: any Decoder) throws {
        self.init(wire: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(wireValue)
    }

    public var description: String { wireValue }
}

import Foundation
