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

    init(messages: Messages) throws {
        self.messages = messages
        var library = MustacheLibrary()
        for (name, template) in Self.templates { try library.register(template, named: name) }
        self.library = library
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
        var labels: [String: String] = [:]
        for (name, key) in Self.labels { labels[name] = text(key, language, ["shop": values["shop"] as? String ?? ""]) }
        var context = Self.escaped(values) as? [String: Any] ?? [:]
        context["t"] = labels
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


    /// Template names of the labels, and their locale keys.
    static let labels: [String: String] = [
        "title": "dashboard.title", "logout": "dashboard.logout", "signInTitle": "dashboard.signIn.title",
        "signInBody": "dashboard.signIn.body", "summary": "dashboard.summary.title", "wallets": "dashboard.summary.wallets",
        "open": "dashboard.summary.open", "quarantined": "dashboard.summary.quarantined",
        "navSummary": "dashboard.nav.summary", "navTransactions": "dashboard.nav.transactions",
        "transactions": "dashboard.tx.title", "search": "dashboard.tx.search", "allStatuses": "dashboard.tx.allStatuses",
        "filter": "dashboard.tx.filter", "next": "dashboard.tx.next", "none": "dashboard.tx.none",
        "ref": "dashboard.tx.ref", "date": "dashboard.tx.date", "customer": "dashboard.tx.customer", "product": "dashboard.tx.product",
        "target": "dashboard.tx.target", "price": "dashboard.tx.price", "status": "dashboard.tx.status", "cost": "dashboard.tx.cost",
        "sn": "dashboard.tx.sn", "resends": "dashboard.tx.resends", "timeline": "dashboard.tx.timeline", "askNow": "dashboard.tx.askNow",
        "signInButton": "dashboard.login.button", "signInPrompt": "dashboard.login.prompt",
    ]

    static let templates: [String: String] = [
        "head": """
            <!doctype html>
            <html lang="{{{lang}}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{{t.title}}}</title><style>{{{css}}}</style></head>
            <body><header><b>{{{t.title}}}</b>{{#csrf}}<nav><a href="/dashboard/">{{{t.navSummary}}}</a> \
            <a href="/dashboard/transaksi">{{{t.navTransactions}}}</a></nav><form method="post" action="/dashboard/logout">\
            <input type="hidden" name="csrf" value="{{{csrf}}}"><button>{{{t.logout}}}</button></form>{{/csrf}}</header><main>
            """,
        "foot": "</main></body></html>\n",
        "login": """
            {{> head}}<h1>{{{t.signInTitle}}}</h1><p>{{{t.signInPrompt}}}</p><form method="post" action="/dashboard/login">\
            <input type="hidden" name="token" value="{{{token}}}"><button id="signIn">{{{t.signInButton}}}</button></form>{{> foot}}
            """,
        "signIn": "{{> head}}<h1>{{{t.signInTitle}}}</h1><p>{{{t.signInBody}}}</p>{{> foot}}",
        "message": "{{> head}}<p class=\"message\">{{{message}}}</p><p><a href=\"/dashboard/masuk\">{{{t.signInTitle}}}</a></p>{{> foot}}",
        "summary": """
            {{> head}}<h1>{{{t.summary}}}</h1>
            <table id="totals"><thead><tr><th></th>{{#periods}}<th>{{{.}}}</th>{{/periods}}</tr></thead>
            <tbody>{{#rows}}<tr><th>{{{label}}}</th>{{#values}}<td>{{{.}}}</td>{{/values}}</tr>{{/rows}}</tbody></table>
            <dl><dt>{{{t.wallets}}}</dt><dd id="wallets">{{{wallets}}}</dd>
            <dt>{{{t.open}}}</dt><dd id="open">{{{open}}}</dd>
            <dt>{{{t.quarantined}}}</dt><dd id="quarantined">{{{quarantined}}}</dd></dl>
            <p class="note">{{{generated}}}</p>{{> foot}}
            """,
        "transactions": """
            {{> head}}<h1>{{{t.transactions}}}</h1>
            <form method="get" action="/dashboard/transaksi" class="filters"><input name="q" value="{{{q}}}" placeholder="{{{t.search}}}">
            <select name="status"><option value="">{{{t.allStatuses}}}</option>{{#statuses}}<option value="{{{value}}}"{{#selected}} selected{{/selected}}>\
            {{{label}}}</option>{{/statuses}}</select><button>{{{t.filter}}}</button></form>
            {{#empty}}<p class="message">{{{t.none}}}</p>{{/empty}}{{^empty}}
            <table id="orders"><thead><tr><th>{{{t.ref}}}</th><th>{{{t.date}}}</th><th>{{{t.customer}}}</th><th>{{{t.product}}}</th>\
            <th>{{{t.target}}}</th><th>{{{t.price}}}</th><th>{{{t.status}}}</th></tr></thead><tbody>
            {{#orders}}<tr class="{{{status}}}"><th><a href="/dashboard/transaksi/{{{ref}}}">{{{ref}}}</a></th><td>{{{date}}}</td><td>{{{customer}}}</td>\
            <td>{{{product}}}</td><td>{{{target}}}</td><td>{{{price}}}</td><td>{{{statusLabel}}}</td></tr>
            {{/orders}}</tbody></table>{{/empty}}
            {{#next}}<p><a id="next" href="/dashboard/transaksi?{{{next}}}">{{{t.next}}}</a></p>{{/next}}{{> foot}}
            """,
        "transaction": """
            {{> head}}<h1>{{{ref}}}</h1>
            <dl><dt>{{{t.product}}}</dt><dd>{{{product}}} ({{{code}}})</dd><dt>{{{t.target}}}</dt><dd>{{{target}}}</dd>
            <dt>{{{t.customer}}}</dt><dd>{{{customer}}}</dd><dt>{{{t.price}}}</dt><dd>{{{price}}}</dd><dt>{{{t.cost}}}</dt><dd>{{{cost}}}</dd>
            <dt>{{{t.status}}}</dt><dd id="status">{{{statusLabel}}}</dd><dt>{{{t.sn}}}</dt><dd>{{{sn}}}</dd>
            <dt>{{{t.resends}}}</dt><dd>{{{resends}}}</dd></dl>
            {{#open}}<form method="post" action="/dashboard/transaksi/{{{ref}}}/cek"><input type="hidden" name="csrf" value="{{{csrf}}}">\
            <button id="ask">{{{t.askNow}}}</button></form>{{/open}}
            <h2>{{{t.timeline}}}</h2><ol id="timeline">{{#timeline}}<li><time>{{{at}}}</time> {{{what}}}</li>{{/timeline}}</ol>{{> foot}}
            """,
    ]

    static let stylesheet = """
        body{font-family:system-ui,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
        header{display:flex;justify-content:space-between;align-items:center;padding:.75rem 1rem;background:#14532d;color:#fff}
        header button{background:none;border:1px solid #fff;color:#fff;border-radius:4px;padding:.25rem .6rem}
        header a{color:#fff;margin-right:.8rem}
        .filters{display:flex;gap:.5rem;margin-bottom:1rem;flex-wrap:wrap}
        tr.failed td{color:#b42318}
        tr.unknown td,tr.pending td,tr.processing td{color:#b45309}
        ol{background:#fff;padding:1rem 2rem}
        main{padding:1rem;max-width:60rem;margin:auto}
        table{border-collapse:collapse;width:100%;background:#fff}
        th,td{padding:.4rem .6rem;border-bottom:1px solid #e3e6eb;text-align:right}
        th:first-child{text-align:left}
        dl{display:grid;grid-template-columns:auto auto;gap:.3rem 1rem;background:#fff;padding:1rem}
        dd{margin:0;text-align:right;font-weight:600}
        .message{background:#fff;padding:1rem;border-left:4px solid #b45309}
        .note{color:#667085;font-size:.85rem}
        """
}

/// HTML that is already safe: a text from the locale files, whose values were escaped when it
/// was filled in.
struct TrustedHTML {
    let html: String
    init(_ html: String) { self.html = html }
}
