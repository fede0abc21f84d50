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
