import Foundation
import GRDB

/// What the owner narrows a list of orders, deposits or payouts to. Every field is optional;
/// a page reads newest first below `before` (the last id of the previous page) through the
/// primary key, however many records there are.
public struct RecordFilter: Sendable, Equatable {
    /// A stored status (`success`, `processing`, …).
    public var status: String?
    /// A reference exactly, or the start of a destination (orders) or account number (payouts).
    public var search: String?
    public var userID: Int64?
    /// Orders only: a product code exactly.
    public var productCode: String?
    /// Orders only: a stored Flowix category.
    public var category: String?
    /// Created at or after (Unix seconds).
    public var from: Int64?
    /// Created before (Unix seconds).
    public var to: Int64?
    /// The last id of the previous page.
    public var before: Int64?

    public init(status: String? = nil, search: String? = nil, userID: Int64? = nil, productCode: String? = nil, category: String? = nil,
                from: Int64? = nil, to: Int64? = nil, before: Int64? = nil) {
        self.status = status
        self.search = search
        self.userID = userID
        self.productCode = productCode
        self.category = category
        self.from = from
        self.to = to
        self.before = before
    }

    /// `SELECT * FROM table WHERE …` for this filter, `limit` rows newest first. `prefixColumn`
    /// is what a search matches by its start besides the reference.
    func query(table: String, prefixColumn: String?, limit: Int) -> (sql: String, arguments: StatementArguments) {
        var conditions = ["id < ?"], arguments: StatementArguments = [before ?? Int64.max]
        func add(_ condition: String, _ values: StatementArguments) {
            conditions.append(condition)
            arguments += values
        }
        if let status { add("status = ?", [status]) }
        if let userID { add("user_id = ?", [userID]) }
        if let productCode, table == "orders" { add("product_code = ? COLLATE NOCASE", [productCode]) }
        if let category, table == "orders" { add("category = ?", [category]) }
        if let from { add("created_at >= ?", [from]) }
        if let to { add("created_at < ?", [to]) }
        if let search, !search.isEmpty {
            if let prefixColumn {
                add("(ref_id = ? OR \(prefixColumn) LIKE ? ESCAPE '\\')", [search.uppercased(), search.escapedForLike + "%"])
            } else {
                add("ref_id = ?", [search.uppercased()])
            }
        }
        arguments += [limit]
        return ("SELECT * FROM \(table) WHERE \(conditions.joined(separator: " AND ")) ORDER BY id DESC LIMIT ?", arguments)
    }
}

extension String {
    /// The text as a literal inside a `LIKE … ESCAPE '\\'` pattern.
    var escapedForLike: String {
        replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }
}
