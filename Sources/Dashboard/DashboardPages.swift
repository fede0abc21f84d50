import Conversation
import Foundation
import Hummingbird
import LoketCore
import Mustache

/// The dashboard's HTML: Mustache templates, a small stylesheet, and every word from the locale
/// files in the admin's language. Every value is escaped here, code point by code point (`&`,
/// `<`, `>`, `"`, `'`), before the templates insert it as it is (`{{{…}}}`): Mustache's own
/// escaping works on whole characters, and a quote followed by a combining mark slips through
/// it. Texts from the locale files are ``TrustedHTML``: they escape their own values.
struct DashboardPages: Sendable {
    let messages: Messages
    let library: MustacheLibrary

    /// Per language, every `dashboard.x.y` text as the label `x_y`, the shop's name filled in.
    let labels: [Language: [String: String]]

    init(messages: Messages, shop: String) throws {
        self.messages = messages
        var library = MustacheLibrary()
        for (name, template) in Self.templates { try library.register(template, named: name) }
        self.library = library
        var labels: [Language: [String: String]] = [:]
        for language in Language.allCases {
            var table: [String: String] = [:]
            let keys = Set(messages.strings.tables[.id]?.keys ?? [:].keys).union(messages.strings.tables[language]?.keys ?? [:].keys)
            for key in keys where key.hasPrefix("dashboard.") {
                table[key.dropFirst("dashboard.".count).replacingOccurrences(of: ".", with: "_")] = messages.text(key, language, ["shop": shop])
            }
            labels[language] = table
        }
        self.labels = labels
    }

    func text(_ key: String, _ language: Language, _ values: [String: String] = [:]) -> String {
        messages.text(key, language, values)
    }

    /// A text from the locale files, already HTML.
    func html(_ key: String, _ language: Language, _ values: [String: String] = [:]) -> TrustedHTML {
        TrustedHTML(text(key, language, values))
    }

    /// `template` rendered with `values` (escaped), the labels and the stylesheet, as an HTML
    /// response that no other page may frame, script or read the address of.
    func response(_ status: HTTPResponse.Status, _ template: String, _ language: Language, _ values: [String: Any]) -> Response {
        var context = Self.escaped(values) as? [String: Any] ?? [:]
        context["t"] = labels[language] ?? [:]
        context["lang"] = language.rawValue
        context["css"] = Self.stylesheet
        let html = library.render(context, withTemplate: template) ?? "<!doctype html><p>\(status.code)</p>"
        return Response(status: status, headers: Self.headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    static let headers: HTTPFields = [
        .contentType: "text/html; charset=utf-8", .cacheControl: "no-store", .init("Referrer-Policy")!: "no-referrer",
        .init("Content-Security-Policy")!: "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'",
        .init("X-Content-Type-Options")!: "nosniff",
    ]

    /// `value` with every string in it escaped for HTML text and attributes, through
    /// dictionaries and arrays; ``TrustedHTML`` as it is.
    static func escaped(_ value: Any) -> Any {
        switch value {
        case let text as String: return HTML.escape(text, quotes: true)
        case let trusted as TrustedHTML: return trusted.html
        case let dictionary as [String: Any]: return dictionary.mapValues(escaped)
        case let array as [Any]: return array.map(escaped)
        default: return value
        }
    }
}

/// HTML that is already safe: a text from the locale files, whose values were escaped when it
/// was filled in.
struct TrustedHTML {
    let html: String
    init(_ html: String) { self.html = html }
}
