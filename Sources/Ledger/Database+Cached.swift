import GRDB

extension Database {
    /// Executes `sql` through the connection's statement cache: the ledger runs the same few
    /// statements on every operation, and parsing them once is most of the cost GRDB adds.
    func run(_ sql: String, _ arguments: StatementArguments = StatementArguments()) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }

    /// The first row of `sql` decoded as `Value`, through the statement cache.
    func one<Value: FetchableRecord>(_ type: Value.Type, _ sql: String, _ arguments: StatementArguments) throws -> Value? {
        try Value.fetchOne(cachedStatement(sql: sql), arguments: arguments)
    }

    /// The first column of the first row of `sql`, through the statement cache.
    func value<Value: DatabaseValueConvertible & StatementColumnConvertible>(
        _ type: Value.Type, _ sql: String, _ arguments: StatementArguments
    ) throws -> Value? {
        try Value.fetchOne(cachedStatement(sql: sql), arguments: arguments)
    }
}
