/// The dashboard's Mustache templates and stylesheet. Every value is inserted as it is
/// (`{{{…}}}`) because ``DashboardPages`` escaped it already; `t.x_y` is the locale text
/// `dashboard.x.y` in the admin's language.
extension DashboardPages {
    static let templates: [String: String] = [
        "head": """
            <!doctype html>
            <html lang="{{{lang}}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            {{#refresh}}<meta http-equiv="refresh" content="{{{refresh}}}">{{/refresh}}
            <title>{{{t.title}}}</title><style>{{{css}}}</style></head>
            <body><header><b>{{{t.title}}}</b>{{#csrf}}<nav><a href="/dashboard/">{{{t.nav_summary}}}</a>\
            <a href="/dashboard/transaksi">{{{t.nav_transactions}}}</a><a href="/dashboard/pelanggan">{{{t.nav_customers}}}</a>\
            <a href="/dashboard/harga">{{{t.nav_prices}}}</a><a href="/dashboard/broadcast">{{{t.nav_broadcast}}}</a></nav>\
            <div class="tools"><form method="post" action="/dashboard/bahasa"><input type="hidden" name="csrf" value="{{{csrf}}}">\
            <button name="bahasa" value="id">ID</button><button name="bahasa" value="en">EN</button></form>\
            <form method="post" action="/dashboard/logout"><input type="hidden" name="csrf" value="{{{csrf}}}">\
            <button>{{{t.logout}}}</button></form></div>{{/csrf}}</header><main>
            {{#error}}<p class="message error" id="error">{{{error}}}</p>{{/error}}\
            {{#answers}}<p class="answer">{{{.}}}</p>{{/answers}}
            """,
        "foot": "</main></body></html>\n",
        "hidden": """
            <input type="hidden" name="csrf" value="{{{csrf}}}"><input type="hidden" name="form" value="{{{formID}}}">
            """,
        "login": """
            {{> head}}<h1>{{{t.signIn_title}}}</h1><p>{{{t.login_prompt}}}</p><form method="post" action="/dashboard/login">\
            <input type="hidden" name="token" value="{{{token}}}"><button id="signIn">{{{t.login_button}}}</button></form>{{> foot}}
            """,
        "signIn": "{{> head}}<h1>{{{t.signIn_title}}}</h1><p>{{{t.signIn_body}}}</p>{{> foot}}",
        "message": "{{> head}}<p class=\"message\">{{{message}}}</p><p><a href=\"/dashboard/masuk\">{{{t.signIn_title}}}</a></p>{{> foot}}",
        "summary": """
            {{> head}}<h1>{{{t.summary_title}}}</h1>
            <table id="totals"><thead><tr><th></th>{{#periods}}<th>{{{.}}}</th>{{/periods}}</tr></thead>
            <tbody>{{#rows}}<tr><th>{{{label}}}</th>{{#values}}<td>{{{.}}}</td>{{/values}}</tr>{{/rows}}</tbody></table>
            <h2>{{{t.chart_title}}}</h2><div class="chart">{{{chart}}}</div>
            <div class="columns"><section><h2>{{{t.summary_money}}}</h2>
            <dl><dt>{{{t.summary_wallets}}}</dt><dd id="wallets">{{{wallets}}}</dd>
            {{#flowix}}{{#balance}}<dt>{{{t.summary_flowix}}}</dt><dd id="flowix">{{{balance}}}</dd>\
            <dt>{{{t.summary_flowixStatus}}}</dt><dd>{{{status}}}</dd>{{/balance}}{{/flowix}}
            <dt>{{{t.summary_open}}}</dt><dd id="open"><a href="/dashboard/transaksi?status=processing">{{{open}}}</a></dd>
            <dt>{{{t.summary_quarantined}}}</dt><dd id="quarantined">{{{quarantined}}}</dd></dl>
            {{#flowix}}{{#warning}}<p class="message error" id="flowixWarning">{{{warning}}}</p>{{/warning}}\
            {{#failed}}<p class="message">{{{failed}}}</p>{{/failed}}{{/flowix}}</section>
            <section><h2>{{{t.summary_categories}}}</h2>
            <table id="categories"><thead><tr><th>{{{t.summary_category}}}</th><th>{{{t.row_transactions}}}</th><th>{{{t.row_revenue}}}</th>\
            <th>{{{t.row_margin}}}</th><th>{{{t.summary_share}}}</th></tr></thead><tbody>
            {{#categories}}<tr><th>{{{name}}}</th><td>{{{purchases}}}</td><td>{{{revenue}}}</td><td>{{{margin}}}</td>\
            <td><span class="bar"><span style="width:{{{share}}}%"></span></span> {{{share}}}%</td></tr>{{/categories}}
            {{^categories}}<tr><td colspan="5" class="text">-</td></tr>{{/categories}}</tbody></table></section></div>
            {{#quarantine}}<section id="quarantine"><h2>{{{t.summary_quarantine}}}</h2><div class="answer">{{{quarantine}}}</div></section>{{/quarantine}}
            <div class="columns"><section><h2>{{{t.summary_alerts}}}</h2><ul id="alerts">{{#alerts}}<li><time>{{{at}}}</time> {{{text}}}</li>{{/alerts}}\
            {{^alerts}}<li>{{{t.summary_noAlerts}}}</li>{{/alerts}}</ul></section>
            <section><h2>{{{t.summary_actions}}}</h2><ul id="actions">{{#actions}}<li><time>{{{at}}}</time> {{{admin}}} ({{{source}}}): \
            <code>{{{action}}}</code></li>{{/actions}}{{^actions}}<li>{{{t.summary_noActions}}}</li>{{/actions}}</ul></section></div>
            <p class="note">{{{generated}}}</p>{{> foot}}
            """,
        "transactions": """
            {{> head}}<h1>{{{t.tx_title}}}</h1>
            <form method="get" action="/dashboard/transaksi" class="filters">\
            <select name="jenis">{{#kinds}}<option value="{{{value}}}"{{#selected}} selected{{/selected}}>{{{label}}}</option>{{/kinds}}</select>\
            <input name="q" value="{{{q}}}" placeholder="{{{t.tx_search}}}">\
            <select name="status"><option value="">{{{t.tx_allStatuses}}}</option>{{#statuses}}<option value="{{{value}}}"{{#selected}} selected{{/selected}}>\
            {{{label}}}</option>{{/statuses}}</select>\
            <input name="pelanggan" value="{{{customer}}}" placeholder="{{{t.tx_customerID}}}" inputmode="numeric" size="12">\
            {{#isOrders}}<input name="produk" value="{{{product}}}" placeholder="{{{t.tx_productCode}}}" size="10">\
            <select name="kategori"><option value="">{{{t.tx_allCategories}}}</option>{{#categories}}<option{{#selected}} selected{{/selected}}>\
            {{{value}}}</option>{{/categories}}</select>{{/isOrders}}\
            <label>{{{t.tx_from}}} <input type="date" name="dari" value="{{{from}}}"></label>\
            <label>{{{t.tx_to}}} <input type="date" name="sampai" value="{{{to}}}"></label><button>{{{t.tx_filter}}}</button></form>
            {{#empty}}<p class="message">{{{t.tx_none}}}</p>{{/empty}}{{^empty}}
            {{#isOrders}}<table id="orders"><thead><tr><th>{{{t.tx_ref}}}</th><th>{{{t.tx_date}}}</th><th>{{{t.tx_customer}}}</th>\
            <th>{{{t.tx_product}}}</th><th>{{{t.tx_target}}}</th><th>{{{t.tx_price}}}</th><th>{{{t.tx_status}}}</th></tr></thead><tbody>
            {{#orders}}<tr class="{{{status}}}"><th><a href="/dashboard/transaksi/{{{ref}}}">{{{ref}}}</a></th><td>{{{date}}}</td>\
            <td><a href="/dashboard/pelanggan/{{{customer}}}">{{{customer}}}</a></td><td class="text">{{{product}}}</td><td>{{{target}}}</td><td>{{{price}}}</td>\
            <td>{{{statusLabel}}}</td></tr>
            {{/orders}}</tbody></table>{{/isOrders}}
            {{#isDeposits}}<table id="deposits"><thead><tr><th>{{{t.tx_ref}}}</th><th>{{{t.tx_date}}}</th><th>{{{t.tx_customer}}}</th>\
            <th>{{{t.tx_method}}}</th><th>{{{t.tx_amount}}}</th><th>{{{t.tx_credited}}}</th><th>{{{t.tx_status}}}</th></tr></thead><tbody>
            {{#deposits}}<tr class="{{{status}}}"><th>{{{ref}}}</th><td>{{{date}}}</td>\
            <td><a href="/dashboard/pelanggan/{{{customer}}}">{{{customer}}}</a></td><td>{{{method}}}</td><td>{{{amount}}}</td><td>{{{credited}}}</td>\
            <td>{{{statusLabel}}}</td></tr>
            {{/deposits}}</tbody></table>{{/isDeposits}}
            {{#isPayouts}}<table id="payouts"><thead><tr><th>{{{t.tx_ref}}}</th><th>{{{t.tx_date}}}</th><th>{{{t.tx_customer}}}</th>\
            <th>{{{t.tx_account}}}</th><th>{{{t.tx_amount}}}</th><th>{{{t.tx_fee}}}</th><th>{{{t.tx_status}}}</th></tr></thead><tbody>
            {{#payouts}}<tr class="{{{status}}}"><th><a href="/dashboard/transaksi/{{{ref}}}">{{{ref}}}</a></th><td>{{{date}}}</td>\
            <td><a href="/dashboard/pelanggan/{{{customer}}}">{{{customer}}}</a></td><td>{{{account}}}</td><td>{{{amount}}}</td><td>{{{fee}}}</td>\
            <td>{{{statusLabel}}}</td></tr>
            {{/payouts}}</tbody></table>{{/isPayouts}}{{/empty}}
            {{#next}}<p><a id="next" href="/dashboard/transaksi?{{{next}}}">{{{t.tx_next}}}</a></p>{{/next}}{{> foot}}
            """,
        "transaction": """
            {{> head}}<h1>{{{ref}}}</h1>
            <dl><dt>{{{t.tx_product}}}</dt><dd>{{{what}}}</dd><dt>{{{t.tx_target}}}</dt><dd>{{{target}}}</dd>
            <dt>{{{t.tx_customer}}}</dt><dd><a href="/dashboard/pelanggan/{{{customer}}}">{{{customer}}}</a></dd>\
            <dt>{{{t.tx_price}}}</dt><dd>{{{price}}}</dd><dt>{{{t.tx_cost}}}</dt><dd>{{{cost}}}</dd>
            <dt>{{{t.tx_status}}}</dt><dd id="status">{{{statusLabel}}}</dd><dt>{{{t.tx_sn}}}</dt><dd>{{{sn}}}</dd>
            <dt>{{{t.tx_resends}}}</dt><dd>{{{resends}}}</dd></dl>
            <div class="actions">{{#open}}<form method="post" action="/dashboard/transaksi/{{{ref}}}/cek"><input type="hidden" name="csrf" value="{{{csrf}}}">\
            <button id="ask">{{{t.tx_askNow}}}</button></form>{{/open}}
            {{#resendable}}<form method="post" action="/dashboard/transaksi/{{{ref}}}/resend">{{> hidden}}\
            <button id="resend">{{{t.tx_resend}}}</button></form>{{/resendable}}</div>
            <h2>{{{t.tx_timeline}}}</h2><ol id="timeline">{{#timeline}}<li><time>{{{at}}}</time> {{{what}}}</li>{{/timeline}}</ol>{{> foot}}
            """,
        "customers": """
            {{> head}}<h1>{{{t.customers_title}}}</h1>
            <form method="get" action="/dashboard/pelanggan" class="filters"><input name="q" value="{{{q}}}" placeholder="{{{t.customers_search}}}">\
            <button>{{{t.tx_filter}}}</button></form>
            {{#empty}}<p class="message">{{{t.customers_none}}}</p>{{/empty}}{{^empty}}
            <table id="customers"><thead><tr><th>{{{t.customers_id}}}</th><th>{{{t.customers_name}}}</th><th>{{{t.customers_username}}}</th>\
            <th>{{{t.customers_level}}}</th><th>{{{t.customers_balance}}}</th></tr></thead><tbody>
            {{#customers}}<tr{{#blocked}} class="failed"{{/blocked}}><th><a href="/dashboard/pelanggan/{{{id}}}">{{{id}}}</a></th><td class="text">{{{name}}}</td>\
            <td class="text">{{{username}}}</td><td>{{{level}}}</td><td>{{{balance}}}</td></tr>
            {{/customers}}</tbody></table>{{/empty}}
            {{#next}}<p><a id="next" href="/dashboard/pelanggan?{{{next}}}">{{{t.tx_next}}}</a></p>{{/next}}{{> foot}}
            """,
        "customer": """
            {{> head}}<h1>{{{name}}} <small>{{{username}}}</small></h1>
            <dl><dt>{{{t.customers_id}}}</dt><dd>{{{id}}}</dd><dt>{{{t.customers_balance}}}</dt><dd id="balance">{{{balance}}}</dd>
            <dt>{{{t.customers_level}}}</dt><dd id="level">{{{level}}}</dd>\
            <dt>{{{t.customers_blocked}}}</dt><dd id="blocked">{{#blocked}}{{{t.customers_yes}}}{{/blocked}}{{^blocked}}{{{t.customers_no}}}{{/blocked}}</dd>
            <dt>{{{t.customers_reachable}}}</dt><dd>{{#reachable}}{{{t.customers_yes}}}{{/reachable}}{{^reachable}}{{{t.customers_no}}}{{/reachable}}</dd>
            <dt>{{{t.customers_pin}}}</dt><dd>{{{pin}}}</dd><dt>{{{t.customers_joined}}}</dt><dd>{{{joined}}}</dd></dl>
            <div class="columns"><section><h2>{{{t.customers_adjust}}}</h2>
            <form method="post" action="/dashboard/pelanggan/{{{id}}}/saldo" class="stack" id="adjust">{{> hidden}}
            <label><input type="radio" name="arah" value="tambah" checked> {{{t.customers_credit}}}</label>\
            <label><input type="radio" name="arah" value="kurang"> {{{t.customers_debit}}}</label>
            <label>{{{t.customers_amount}}} <input name="jumlah" required inputmode="numeric"></label>
            <label>{{{t.customers_note}}} <input name="catatan" maxlength="200"></label>
            <button>{{{t.customers_adjustButton}}}</button></form></section>
            <section><h2>{{{t.customers_setLevel}}}</h2>
            <form method="post" action="/dashboard/pelanggan/{{{id}}}/level" class="stack">{{> hidden}}
            <select name="level">{{#levels}}<option{{#selected}} selected{{/selected}}>{{{value}}}</option>{{/levels}}</select>\
            <button>{{{t.customers_levelButton}}}</button></form>
            <div class="actions">{{#blocked}}<form method="post" action="/dashboard/pelanggan/{{{id}}}/buka">{{> hidden}}\
            <button>{{{t.customers_unblock}}}</button></form>{{/blocked}}{{^blocked}}<form method="post" action="/dashboard/pelanggan/{{{id}}}/blokir">\
            {{> hidden}}<button class="danger">{{{t.customers_block}}}</button></form>{{/blocked}}
            {{#hasPIN}}<form method="post" action="/dashboard/pelanggan/{{{id}}}/resetpin">{{> hidden}}\
            <button>{{{t.customers_resetPIN}}}</button></form>{{/hasPIN}}</div></section></div>
            <h2>{{{t.customers_movements}}}</h2>
            <table id="movements"><thead><tr><th>{{{t.tx_date}}}</th><th class="text">{{{t.customers_kind}}}</th><th>{{{t.tx_amount}}}</th>\
            <th>{{{t.customers_after}}}</th><th>{{{t.tx_ref}}}</th></tr></thead><tbody>
            {{#movements}}<tr><th>{{{date}}}</th><td class="text">{{{kind}}}{{#note}} · {{{note}}}{{/note}}</td><td class="{{#in}}in{{/in}}{{^in}}out{{/in}}">{{{amount}}}</td>\
            <td>{{{after}}}</td><td>{{{ref}}}</td></tr>{{/movements}}
            {{^movements}}<tr><td colspan="5" class="text">{{{t.customers_noMovements}}}</td></tr>{{/movements}}</tbody></table>
            <h2>{{{t.customers_orders}}}</h2>
            <table id="orders"><tbody>{{#orders}}<tr class="{{{status}}}"><th><a href="/dashboard/transaksi/{{{ref}}}">{{{ref}}}</a></th>\
            <td>{{{date}}}</td><td>{{{product}}}</td><td>{{{target}}}</td><td>{{{price}}}</td><td>{{{statusLabel}}}</td></tr>{{/orders}}
            {{^orders}}<tr><td class="text">{{{t.tx_none}}}</td></tr>{{/orders}}</tbody></table>
            <p><a href="/dashboard/transaksi?pelanggan={{{id}}}">{{{t.customers_allTransactions}}}</a></p>{{> foot}}
            """,
        "prices": """
            {{> head}}<h1>{{{t.prices_title}}}</h1>
            {{#preview}}<section class="preview" id="preview"><h2>{{{title}}}</h2><p><code>{{{rule}}}</code></p>
            {{#hasChanges}}<table><thead><tr><th>{{{t.prices_code}}}</th><th>{{{t.prices_name}}}</th><th>{{{t.prices_level}}}</th>\
            <th>{{{t.prices_before}}}</th><th>{{{t.prices_after}}}</th></tr></thead><tbody>
            {{#changes}}<tr><th>{{{code}}}</th><td>{{{name}}}</td><td>{{{level}}}</td><td>{{{before}}}</td><td>{{{after}}}</td></tr>{{/changes}}
            </tbody></table>{{/hasChanges}}{{^hasChanges}}<p>{{{t.prices_noChange}}}</p>{{/hasChanges}}{{#more}}<p>{{{t.prices_more}}}</p>{{/more}}
            <form method="post" action="/dashboard/harga/aturan">{{> hidden}}<input type="hidden" name="lingkup" value="{{{lingkup}}}">\
            <input type="hidden" name="nilai_lingkup" value="{{{nilaiLingkup}}}"><input type="hidden" name="margin" value="{{{margin}}}">\
            <input type="hidden" name="level" value="{{{level}}}"><button id="saveRule">{{{t.prices_save}}}</button></form></section>{{/preview}}
            <div class="columns"><section><h2>{{{t.prices_rules}}}</h2>
            <table id="rules"><tbody>{{#rules}}<tr><th>#{{{id}}}</th><td>{{{scope}}}</td><td>{{{level}}}</td><td>{{{value}}}</td><td>{{{at}}}</td>\
            <td><form method="post" action="/dashboard/harga/aturan/{{{id}}}/hapus">{{> hidden}}<button class="danger">{{{t.prices_delete}}}</button>\
            </form></td></tr>{{/rules}}{{^rules}}<tr><td class="text">{{{t.prices_noRules}}}</td></tr>{{/rules}}</tbody></table></section>
            <section><h2>{{{t.prices_add}}}</h2>
            <form method="post" action="/dashboard/harga/pratinjau" class="stack" id="addRule">{{> hidden}}
            <label>{{{t.prices_scope}}} <select name="lingkup">{{#scopes}}<option value="{{{value}}}">{{{label}}}</option>{{/scopes}}</select></label>
            <label>{{{t.prices_scopeValue}}} <input name="nilai_lingkup"></label>
            <label>{{{t.prices_margin}}} <input name="margin" required placeholder="500 / 2%"></label>
            <label>{{{t.prices_level}}} <select name="level"><option value="">{{{t.prices_bothLevels}}}</option>{{#levels}}<option>{{{.}}}</option>\
            {{/levels}}</select></label><button>{{{t.prices_previewButton}}}</button></form></section></div>
            <section id="hours"><h2>{{{t.prices_hours}}}</h2><div class="answer">{{{hours}}}</div>
            <div class="columns"><form method="post" action="/dashboard/harga/toko/tutup" class="stack">{{> hidden}}
            <label>{{{t.prices_closeScope}}} <input name="lingkup" required placeholder="toko / kategori:pulsa / brand:telkomsel / produk:TSEL10"></label>
            <label>{{{t.prices_until}}} <input name="sampai" placeholder="21:00"></label>
            <label>{{{t.prices_reason}}} <input name="alasan" maxlength="200"></label><button class="danger">{{{t.prices_close}}}</button></form>
            <div><form method="post" action="/dashboard/harga/toko/buka" class="stack">{{> hidden}}
            <label>{{{t.prices_reopenScope}}} <input name="lingkup" required placeholder="toko"></label><button>{{{t.prices_reopen}}}</button></form>
            <form method="post" action="/dashboard/harga/toko/cutoff" class="stack">{{> hidden}}
            <label>{{{t.prices_cutoffCategory}}} <select name="kategori">{{#appCategories}}<option value="{{{value}}}">{{{label}}}</option>            {{/appCategories}}</select></label><label>{{{t.prices_cutoffWindow}}} <input name="jam" placeholder="23:00-00:30"></label>
            <button>{{{t.prices_cutoffSave}}}</button></form></div></div>
            <form method="post" action="/dashboard/harga/toko/sync" class="actions">{{> hidden}}<button id="sync">{{{t.prices_sync}}}</button></form></section>
            <h2>{{{t.prices_products}}}</h2>
            <form method="get" action="/dashboard/harga" class="filters"><input name="q" value="{{{q}}}" placeholder="{{{t.prices_search}}}">\
            <select name="kategori"><option value="">{{{t.tx_allCategories}}}</option>{{#categories}}<option{{#selected}} selected{{/selected}}>\
            {{{value}}}</option>{{/categories}}</select><button>{{{t.tx_filter}}}</button></form><p class="note">{{{shownNote}}}</p>
            <table id="products"><thead><tr><th>{{{t.prices_code}}}</th><th>{{{t.prices_name}}}</th><th>{{{t.prices_cost}}}</th>\
            <th>{{{t.prices_member}}}</th><th>{{{t.prices_reseller}}}</th><th>{{{t.prices_rule}}}</th></tr></thead><tbody>
            {{#products}}<tr{{^available}} class="failed"{{/available}}><th>{{{code}}}</th><td class="text">{{{name}}}<br><small>{{{category}}} · {{{brand}}}\
            {{^available}} · {{{t.prices_unavailable}}}{{/available}}</small></td><td>{{{cost}}}</td><td>{{{member}}}</td><td>{{{reseller}}}</td>\
            <td><small>{{{memberRule}}}<br>{{{resellerRule}}}</small></td></tr>
            {{/products}}</tbody></table>{{> foot}}
            """,
        "broadcast": """
            {{> head}}<h1>{{{t.broadcast_title}}}</h1>
            {{#progress}}<section id="progress"><h2>{{{t.broadcast_progress}}}</h2><dl><dt>{{{t.broadcast_sent}}}</dt><dd id="sent">{{{sent}}}</dd>\
            <dt>{{{t.broadcast_blocked}}}</dt><dd>{{{blocked}}}</dd><dt>{{{t.broadcast_pending}}}</dt><dd>{{{pending}}}</dd>\
            <dt>{{{t.broadcast_total}}}</dt><dd>{{{total}}}</dd></dl>\
            <p>{{#done}}{{{t.broadcast_done}}}{{/done}}{{^done}}{{{t.broadcast_running}}}{{/done}}</p></section>{{/progress}}
            {{#preview}}<section class="preview" id="preview"><h2>{{{t.broadcast_preview}}}</h2><div class="bubble">{{{text}}}</div>
            <p>{{{t.broadcast_recipients}}}: <b id="recipients">{{{recipients}}}</b></p>
            <form method="post" action="/dashboard/broadcast/kirim">{{> hidden}}<textarea name="teks" hidden>{{{text}}}</textarea>\
            <button id="send" class="danger">{{{t.broadcast_send}}}</button></form></section>{{/preview}}
            <form method="post" action="/dashboard/broadcast/pratinjau" class="stack" id="compose">{{> hidden}}
            <label>{{{t.broadcast_text}}}<textarea name="teks" rows="6" maxlength="4000" required>{{{text}}}</textarea></label>
            <button>{{{t.broadcast_previewButton}}}</button></form>{{> foot}}
            """,
    ]

    static let stylesheet = """
        body{font-family:system-ui,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
        header{display:flex;justify-content:space-between;align-items:center;flex-wrap:wrap;gap:.5rem;padding:.75rem 1rem;background:#14532d;color:#fff}
        header nav{display:flex;flex-wrap:wrap;gap:.3rem .8rem}
        header button{background:none;border:1px solid #fff;color:#fff;border-radius:4px;padding:.25rem .6rem}
        header a{color:#fff}
        .tools,.tools form{display:flex;gap:.4rem}
        .filters{display:flex;gap:.5rem;margin-bottom:1rem;flex-wrap:wrap;align-items:center}
        .stack{display:flex;flex-direction:column;gap:.5rem;background:#fff;padding:1rem}
        .actions{display:flex;gap:.5rem;flex-wrap:wrap;margin:.5rem 0}
        .columns{display:grid;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr));gap:1rem}
        button{padding:.35rem .8rem;border-radius:4px;border:1px solid #14532d;background:#14532d;color:#fff;cursor:pointer}
        button.danger{background:#b42318;border-color:#b42318}
        input,select,textarea{padding:.35rem;border:1px solid #c5cad3;border-radius:4px;font:inherit}
        tr.failed td,td.out{color:#b42318}
        td.in{color:#14532d}
        tr.unknown td,tr.pending td,tr.processing td{color:#b45309}
        ol,ul{background:#fff;padding:1rem 2rem}
        main{padding:1rem;max-width:64rem;margin:auto;overflow-wrap:anywhere}
        table{border-collapse:collapse;width:100%;background:#fff;margin-bottom:1rem}
        th a{white-space:nowrap}
        @media (max-width:40rem){table{display:block;overflow-x:auto}main{padding:.5rem}}
        th,td{padding:.4rem .6rem;border-bottom:1px solid #e3e6eb;text-align:right}
        th:first-child,.text{text-align:left}
        dl{display:grid;grid-template-columns:auto auto;gap:.3rem 1rem;background:#fff;padding:1rem}
        dd{margin:0;text-align:right;font-weight:600}
        .message{background:#fff;padding:1rem;border-left:4px solid #b45309}
        .message.error{border-left-color:#b42318}
        .answer,.bubble{background:#fff;padding:1rem;border-left:4px solid #14532d;white-space:pre-line}
        .preview{background:#fffbeb;padding:1rem;margin-bottom:1rem}
        .note{color:#667085;font-size:.85rem}
        .chart{background:#fff;padding:.5rem}
        svg{width:100%;height:auto;font-size:10px}
        svg .revenue{fill:#86efac}
        svg .margin{stroke:#14532d;stroke-width:2}
        svg text.margin{fill:#14532d;stroke:none}
        .bar{display:inline-block;width:4rem;height:.6rem;background:#e3e6eb}
        .bar span{display:block;height:100%;background:#14532d}
        """
}
