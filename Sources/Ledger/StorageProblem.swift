import GRDB

extension Ledger {
    /// What keeps the database from being written, when `error` says so: the disk is full, the
    /// file or its folder is read-only, an I/O error, or the file cannot be opened; `nil` for
    /// any other error. Such an error is no input's fault: the work waits and is tried again
    /// once the storage can be written (nothing was committed, so nothing is applied twice).
    public static func storageProblem(_ error: any Error) -> String? {
        guard let error = error as? DatabaseError else { return nil }
        switch error.resultCode {
        case .SQLITE_FULL: return "the disk is full"
        case .SQLITE_READONLY: return "the database is read-only"
        case .SQLITE_IOERR: return "an I/O error"
        case .SQLITE_CANTOPEN: return "the database file cannot be opened"
        default: return nil  // any other database error is not about the storage
        }
    }
}
