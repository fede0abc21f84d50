import Foundation
import LoketCore

/// Reading a page's query string and writing the one of its next page.
enum DashboardQuery {
    /// A page's query string as a form sends it (`application/x-www-form-urlencoded`): a `+` is a
    /// space and `%2B` a plus; the last of a repeated name wins; undecodable pairs are left out.
    static func parameters(_ query: String?) -> [String: String] {
        var parameters: [String: String] = [:]
        for pair in (query ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decoded(_ text: Substring) -> String? { String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding }
            guard let name = parts.first.flatMap(decoded), let value = parts.count > 1 ? decoded(parts[1]) : "" else { continue }
            parameters[name] = value
        }
        return parameters
    }

    /// A search box's text: trimmed, at most 64 characters, `nil` when empty.
    static func text(_ raw: String?) -> String? {
        guard let raw else { return nil }
        let text = String(raw.trimmingCharacters(in: .whitespaces).prefix(64))
        return text.isEmpty ? nil : text
    }

    /// A day picked in a date field (`YYYY-MM-DD`), as the Unix time its WIB day starts; `nil`
    /// when empty or not such a date.
    static func day(_ raw: String?) -> Int64? {
        guard let raw, raw.count == 10 else { return nil }
        let parts = raw.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, (2000...9999).contains(parts[0]), (1...12).contains(parts[1]), (1...31).contains(parts[2]) else { return nil }
        let components = DateComponents(year: parts[0], month: parts[1], day: parts[2])
        guard let date = WIB.calendar.date(from: components), WIB.calendar.component(.day, from: date) == parts[2] else { return nil }
        return Int64(date.timeIntervalSince1970)
    }

    /// The query string of `items` that have a value, in a stable order.
    static func encode(_ items: [String: String?]) -> String {
        var components = URLComponents()
        components.queryItems = items.sorted { $0.key < $1.key }.compactMap { name, value in
            guard let value, !value.isEmpty else { return nil }
            return URLQueryItem(name: name, value: value)
        }
        return components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B") ?? ""
    }
}
