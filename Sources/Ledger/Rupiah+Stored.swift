import GRDB
import Money

extension Rupiah {
    /// An amount read back from the database. The schema's CHECKs keep stored amounts
    /// non-negative; one out of range means the file was edited by hand, and is an error
    /// rather than a zero.
    public init(stored value: Int64) throws {
        guard let amount = Rupiah(value) else { throw LedgerError.invalidAmount("stored amount \(value) is out of range") }
        self = amount
    }
}

/// Amounts go into the database as integers of rupiah and come back checked: a stored value out
/// of range fails the read of its record instead of becoming a zero.
extension Rupiah: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { value.databaseValue }

    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> Rupiah? {
        Int64.fromDatabaseValue(dbValue).flatMap(Rupiah.init)
    }
}
