#!/usr/bin/env python3
"""The owner's dashboard in a real browser: `loket demo --dashboard` and headless Chromium.

Starts the demo with the dashboard on, buys and tops up in the chat so the pages have data,
asks for a sign-in link with /dashboard, and drives Chromium through the DevTools protocol
(--remote-debugging-pipe): signs in through the link, opens every page the header's nav links
to, the first row's page of every list (an order, a customer, ...), and checks each page and
the figures against the demo's SQLite file read on the side. One screenshot per page goes to
docs/screenshots/<page>.png.

    python3 Tests/Browser/dashboard_browser_test.py [path/to/loket]

Python 3 standard library only. Without Chromium the test fails, unless
LOKET_BROWSER_OPTIONAL=1, when it says so loudly and exits 0. CHROMIUM=/path picks the browser;
LOKET_BROWSER_KEEP=1 keeps the temporary folder (the demo's database, its output, the HTML of
every page and phone-width screenshots).
"""

import fcntl
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCREENSHOTS = os.path.join(ROOT, "docs", "screenshots")
DESKTOP = (1280, 800)
PHONE = (390, 844)
# The Transaksi page shows this many orders at a time (TransactionsPage.pageSize).
ORDERS_PER_PAGE = 50
STARTED = time.monotonic()
warnings = []


class Failure(Exception):
    pass


def log(text):
    print(f"[{time.monotonic() - STARTED:5.1f}s] {text}", flush=True)


def warn(text):
    warnings.append(text)
    log("WARNING: " + text)


def check(condition, text):
    if not condition:
        raise Failure(text)


# MARK: Finding the programs


def find_loket(argument):
    candidates = [argument] if argument else [os.path.join(ROOT, ".build", "debug", "loket")]
    if not argument and not os.path.exists(candidates[0]):
        try:
            bin_path = subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, capture_output=True, text=True,
                                      timeout=120).stdout.strip()
            if bin_path:
                candidates.append(os.path.join(bin_path, "loket"))
        except (OSError, subprocess.SubprocessError):
            pass
    for path in candidates:
        if path and os.access(path, os.X_OK):
            return os.path.abspath(path)
    raise Failure(f"no loket binary at {', '.join(c for c in candidates if c)}: build it first (swift build --product loket)")


def find_chromium():
    names = [os.environ["CHROMIUM"]] if os.environ.get("CHROMIUM") else ["chromium", "chromium-browser", "google-chrome"]
    for name in names:
        path = shutil.which(name)
        if path:
            return path
    if os.environ.get("LOKET_BROWSER_OPTIONAL") == "1":
        banner = "!" * 78
        print(f"{banner}\n!! SKIPPED: the dashboard browser test did not run: no Chromium ({', '.join(names)}).\n"
              f"!! LOKET_BROWSER_OPTIONAL=1 allows that; install it (apt-get install chromium) to run the test.\n{banner}",
              file=sys.stderr, flush=True)
        sys.exit(0)
    raise Failure(f"Chromium not found ({', '.join(names)}): apt-get install chromium, or set LOKET_BROWSER_OPTIONAL=1 to skip")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# MARK: The demo


class Demo:
    """`loket demo` with its standard input a pipe; every line it prints is kept."""

    def __init__(self, loket, port, database, folder):
        self.lines = []
        self.cond = threading.Condition()
        self.stderr = open(os.path.join(folder, "demo-stderr.txt"), "w")
        self.process = subprocess.Popen(
            [loket, "demo", "--dashboard", "--http-port", str(port), "--database", database, "--settle-after", "1"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr, cwd=ROOT, text=True, encoding="utf-8",
            errors="replace", bufsize=1)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            with self.cond:
                self.lines.append(line.rstrip("\n"))
                self.cond.notify_all()
        with self.cond:
            self.lines.append(None)  # the end
            self.cond.notify_all()

    def wait_for(self, pattern, since=0, timeout=20):
        """The first match of `pattern` in what the demo printed from line `since` on."""
        deadline = time.monotonic() + timeout
        regex = re.compile(pattern)
        with self.cond:
            while True:
                for line in self.lines[since:]:
                    if line is None:
                        raise Failure(f"the demo ended while waiting for /{pattern}/:\n{self.transcript()}")
                    match = regex.search(line)
                    if match:
                        return match
                left = deadline - time.monotonic()
                if left <= 0:
                    raise Failure(f"the demo did not print /{pattern}/ within {timeout} s:\n{self.transcript()}")
                self.cond.wait(left)

    def say(self, text, expect, timeout=20):
        """Types `text` and waits for an answer matching `expect`."""
        with self.cond:
            since = len(self.lines)
        self.process.stdin.write(text + "\n")
        self.process.stdin.flush()
        return self.wait_for(expect, since, timeout)

    def transcript(self, last=60):
        return "\n".join(line for line in self.lines[-last:] if line is not None)

    def stop(self):
        if self.process.poll() is None:
            try:
                self.process.stdin.write("!keluar\n")
                self.process.stdin.close()
                self.process.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                self.process.terminate()
                try:
                    self.process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
        self.stderr.close()


# MARK: Chromium over the DevTools protocol


class Browser:
    """Headless Chromium driven through --remote-debugging-pipe: it reads NUL-terminated JSON
    commands on fd 3 and writes answers and events on fd 4."""

    def __init__(self, chromium, folder):
        to_browser_read, self.to_browser = os.pipe()
        self.from_browser, from_browser_write = os.pipe()

        def arrange_fds():  # in the child, before exec: the pipe ends become fds 3 and 4
            ends = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (to_browser_read, from_browser_write)]
            os.dup2(ends[0], 3)
            os.dup2(ends[1], 4)

        flags = ["--headless=new", "--remote-debugging-pipe", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
                 "--disable-extensions", "--disable-background-networking", "--disable-sync", "--disable-dev-shm-usage",
                 "--disable-features=Translate,MediaRouter,OptimizationHints", "--hide-scrollbars", "--mute-audio",
                 "--password-store=basic", "--use-mock-keychain", f"--user-data-dir={os.path.join(folder, 'chromium-profile')}"]
        if os.geteuid() == 0:
            flags.append("--no-sandbox")  # Chromium refuses to run as root with its sandbox
        self.log = open(os.path.join(folder, "chromium-stderr.txt"), "w")
        self.process = subprocess.Popen([chromium, *flags, "about:blank"], stdin=subprocess.DEVNULL, stdout=self.log,
                                        stderr=self.log, preexec_fn=arrange_fds, close_fds=False)
        os.close(to_browser_read)
        os.close(from_browser_write)
        self.next_id = 0
        self.answers = {}
        self.events = []
        self.closed = False
        self.cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        buffer = b""
        while True:
            chunk = os.read(self.from_browser, 1 << 16)
            if not chunk:
                break
            buffer += chunk
            *messages, buffer = buffer.split(b"\0")
            with self.cond:
                for raw in messages:
                    message = json.loads(raw)
                    if "id" in message:
                        self.answers[message["id"]] = message
                    else:
                        self.events.append(message)
                self.cond.notify_all()
        with self.cond:
            self.closed = True
            self.cond.notify_all()

    def send(self, method, params=None, session=None, timeout=20):
        with self.cond:
            self.next_id += 1
            ident = self.next_id
        message = {"id": ident, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        data = json.dumps(message).encode() + b"\0"
        while data:
            data = data[os.write(self.to_browser, data):]
        deadline = time.monotonic() + timeout
        with self.cond:
            while ident not in self.answers:
                left = deadline - time.monotonic()
                if self.closed or left <= 0:
                    raise Failure(f"Chromium did not answer {method} ({'it exited' if self.closed else 'timeout'})")
                self.cond.wait(left)
            answer = self.answers.pop(ident)
        if "error" in answer:
            raise Failure(f"{method} failed: {answer['error']}")
        return answer.get("result", {})

    def mark(self):
        with self.cond:
            return len(self.events)

    def wait_event(self, method, session, since, timeout=20):
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for event in self.events[since:]:
                    if event.get("method") == method and event.get("sessionId") == session:
                        return event
                left = deadline - time.monotonic()
                if self.closed or left <= 0:
                    raise Failure(f"no {method} within {timeout} s")
                self.cond.wait(left)

    def events_since(self, since, session):
        with self.cond:
            return [event for event in self.events[since:] if event.get("sessionId") == session]

    def close(self):
        try:
            self.send("Browser.close", timeout=5)
        except Failure:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self.to_browser)
        self.log.close()


class Tab:
    """One page in its own browser context (its own cookies), with the Page, Network and Log
    domains on."""

    def __init__(self, browser, context=None):
        self.browser = browser
        params = {"url": "about:blank"}
        if context:
            params["browserContextId"] = context
        self.target = browser.send("Target.createTarget", params)["targetId"]
        self.session = browser.send("Target.attachToTarget", {"targetId": self.target, "flatten": True})["sessionId"]
        for domain in ("Page.enable", "Network.enable", "Log.enable", "Runtime.enable"):
            self.send(domain)
        self.viewport(*DESKTOP)
        self.status = None

    def send(self, method, params=None, timeout=20):
        return self.browser.send(method, params, self.session, timeout)

    def viewport(self, width, height, mobile=False):
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})

    def _load(self, start):
        """Waits for the load after `start()`; the main document's final HTTP status and the
        console errors it logged."""
        since = self.browser.mark()
        start()
        self.browser.wait_event("Page.loadEventFired", self.session, since)
        status, errors = None, []
        for event in self.browser.events_since(since, self.session):
            params = event.get("params", {})
            if event["method"] == "Network.responseReceived" and params.get("type") == "Document":
                status = params["response"]["status"]
            elif event["method"] == "Log.entryAdded" and params["entry"]["level"] == "error":
                errors.append(params["entry"]["text"])
            elif event["method"] == "Runtime.exceptionThrown":
                errors.append(params["exceptionDetails"].get("text", "exception"))
        self.status = status
        return status, [error for error in errors if "favicon" not in error]

    def open(self, url):
        def start():
            answer = self.send("Page.navigate", {"url": url})
            check("errorText" not in answer, f"{url}: navigation failed: {answer.get('errorText')}")
        return self._load(start)

    def click(self, selector):
        """Clicks `selector` (a DevTools evaluation, which the page's CSP does not apply to) and
        waits for the page it leads to."""
        return self._load(lambda: self.evaluate(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)}); if (!e) throw new Error('no {selector}'); e.click(); }})()"))

    def evaluate(self, expression):
        answer = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in answer:
            raise Failure(f"page script failed: {answer['exceptionDetails'].get('exception', {}).get('description')}")
        return answer["result"].get("value")

    def html(self):
        return self.evaluate("document.documentElement.outerHTML")

    def screenshot(self, path, width):
        """A PNG of the whole page at `width` CSS pixels."""
        self.viewport(width, 600)
        height = self.evaluate("Math.ceil(document.documentElement.getBoundingClientRect().height)")
        self.viewport(width, max(height, 200))
        data = self.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}, timeout=30)["data"]
        self.viewport(*DESKTOP)
        with open(path, "wb") as file:
            file.write(__import__("base64").b64decode(data))

    def cookies(self):
        return self.send("Network.getCookies")["cookies"]

    def close(self):
        self.browser.send("Target.closeTarget", {"targetId": self.target})


# What a page shows, read from its DOM.
READ_PAGE = """(() => {
  const q = s => document.querySelector(s), text = e => e ? e.textContent.trim() : null;
  const ids = [...document.querySelectorAll('[id]')].map(e => e.id);
  return {
    url: location.href, lang: document.documentElement.lang, title: document.title,
    nav: [...document.querySelectorAll('header nav a[href]')].map(a => ({href: a.href, text: a.textContent.trim()})),
    main: !!q('main'), mainText: q('main') ? q('main').innerText.trim() : '', h1: text(q('main h1')),
    messages: [...document.querySelectorAll('p.message')].map(text),
    links: [...document.querySelectorAll('a[href]')].map(a => a.href),
    mainLinks: [...document.querySelectorAll('main a[href]')].map(a => a.href),
    postForms: [...document.querySelectorAll('form')].filter(f => f.method === 'post')
      .map(f => ({action: f.action, csrf: !!(f.querySelector('input[name=csrf]') || {}).value})),
    duplicateIds: ids.filter((id, i) => ids.indexOf(id) !== i),
    brokenImages: [...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src),
    wallets: text(q('#wallets')), open: text(q('#open')), status: text(q('#status')), balance: text(q('#balance')),
    next: q('a#next') ? q('a#next').href : null,
    orders: [...document.querySelectorAll('#orders tbody tr')].map(tr => [...tr.cells].map(c => c.textContent.trim())),
    timeline: document.querySelectorAll('#timeline li').length,
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  };
})()"""


# MARK: The ledger and the texts


def ledger(database):
    connection = sqlite3.connect(f"file:{urllib.parse.quote(database)}?mode=ro", uri=True, timeout=10)
    connection.row_factory = sqlite3.Row
    return connection


def rupiah(amount, language):
    """Rupiah as the bot writes it (RupiahFormat): `Rp150.000`, in English `Rp150,000`."""
    return "Rp" + f"{amount:,}".replace(",", "." if language == "id" else ",")


def locale_texts(language):
    """The `key: "text"` lines of locales/<language>.yaml (double-quoted YAML reads as JSON)."""
    texts = {}
    with open(os.path.join(ROOT, "locales", f"{language}.yaml"), encoding="utf-8") as file:
        for line in file:
            match = re.match(r'^([A-Za-z0-9_.]+):\s*(".*")\s*$', line)
            if match:
                try:
                    texts[match.group(1)] = json.loads(match.group(2))
                except json.JSONDecodeError:
                    pass
    return texts


def plain(html_text):
    return re.sub(r"<[^>]+>", "", html_text).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


# MARK: The test


def slug(path):
    """docs/screenshots name of a dashboard path: /dashboard/ is ringkasan, /dashboard/a/b is a-b."""
    rest = path[len("/dashboard"):].strip("/")
    return rest.replace("/", "-") if rest else "ringkasan"


def prepare_shop(demo):
    """Customer actions so every page has something to show: a failed, a processing and a
    successful purchase, and a paid deposit."""
    demo.wait_for(r"Loket demo")
    demo.wait_for(r"Saldo|saldo|Halo|Selamat", timeout=20)
    for target, outcome in (("081234560000", r"[Gg]agal"), ("081234569999", r"diproses"), ("081234567890", r"Berhasil!")):
        demo.say(f"pulsa 10rb {target}", r"\[1\].*Beli")
        demo.say("1", outcome, timeout=20)
    demo.say("/deposit 50rb", r"\[1\]")
    demo.say("1", r"DEP-")
    demo.say("!bayar", r"masuk: Rp50\.000", timeout=20)
    link = demo.say("/dashboard", r"(https?://\S+/dashboard/login\?token=[A-Za-z0-9_\-%.~]+)").group(1)
    log(f"demo ready; sign-in link {link[:60]}…")
    return link


def check_page(name, page, status, errors, path):
    check(status is not None and 200 <= status < 300, f"{name}: HTTP {status} for {path}")
    final = urllib.parse.urlparse(page["url"]).path
    check(final != "/dashboard/masuk", f"{name}: sent to the sign-in page (the session did not hold)")
    check(final.rstrip("/") == path.rstrip("/"), f"{name}: ended at {final}, not {path}")
    check(page["main"] and len(page["mainText"]) > 20, f"{name}: no <main> with content")
    check(page["h1"], f"{name}: no <h1> in <main>")
    check(not page["messages"], f"{name}: shows a message instead of its content: {page['messages']}")
    check(not errors, f"{name}: console errors (a CSP violation?): {errors}")
    check(not page["duplicateIds"], f"{name}: duplicate element ids {page['duplicateIds']}")
    check(not page["brokenImages"], f"{name}: images that do not load: {page['brokenImages']}")
    for form in page["postForms"]:
        check(form["csrf"], f"{name}: a POST form to {form['action']} without the anti-forgery token")
    check(page["nav"], f"{name}: no nav links in the header")


def check_summary(page, db, texts, language):
    total = db.execute("SELECT COALESCE(SUM(balance), 0) FROM accounts WHERE kind = 'wallet'").fetchone()[0]
    check(page["wallets"] == rupiah(total, language),
          f"Ringkasan: #wallets shows {page['wallets']!r}, the ledger's wallets hold {rupiah(total, language)}")
    open_count = db.execute("""SELECT (SELECT COUNT(*) FROM orders WHERE status IN ('pending', 'processing', 'unknown'))
                                    + (SELECT COUNT(*) FROM payouts WHERE status IN ('pending', 'processing', 'unknown'))""").fetchone()[0]
    check(page["open"] == str(open_count), f"Ringkasan: #open shows {page['open']!r}, the ledger has {open_count} open")
    log(f"  #wallets {page['wallets']} and #open {page['open']} match the ledger")


def check_orders(page, db, texts, language):
    rows = db.execute("SELECT ref_id, sell_price, status, target FROM orders ORDER BY id DESC LIMIT ?", (ORDERS_PER_PAGE,)).fetchall()
    check(rows, "the ledger has no orders: the demo's purchases did not happen")
    shown = [cells[0] for cells in page["orders"]]
    check(shown == [row["ref_id"] for row in rows], f"Transaksi: #orders lists {shown}, the newest orders are {[r['ref_id'] for r in rows]}")
    for cells, row in zip(page["orders"], rows):
        check(row["target"] in cells and rupiah(row["sell_price"], language) in cells,
              f"Transaksi: the row of {row['ref_id']} shows {cells}, not its target and price")
        label = plain(texts.get(f"status.{row['status']}", row["status"]))
        check(label in cells, f"Transaksi: the row of {row['ref_id']} shows {cells}, not its status {label!r}")
    log(f"  #orders lists the {len(rows)} newest orders of the ledger, with their prices and statuses")


def check_order(page, reference, db, texts):
    row = db.execute("SELECT status FROM orders WHERE ref_id = ?", (reference,)).fetchone()
    check(row, f"order page {reference}: no such order in the ledger")
    label = plain(texts.get(f"status.{row['status']}", row["status"]))
    check(page["h1"] == reference, f"order page: <h1> is {page['h1']!r}, not {reference}")
    check(page["status"] == label, f"order page {reference}: #status shows {page['status']!r}, the ledger says {label!r}")
    check(page["timeline"] > 0, f"order page {reference}: an empty #timeline")
    log(f"  {reference}: #status {label!r} matches the ledger, {page['timeline']} timeline entries")


def check_customer(page, user, db, language):
    """A customer's page: the balance and the newest orders the ledger has for them."""
    balance = db.execute("SELECT balance FROM accounts WHERE kind = 'wallet' AND user_id = ?", (user,)).fetchone()
    if page["balance"] is not None:
        expected = rupiah(balance["balance"] if balance else 0, language)
        check(page["balance"] == expected, f"customer {user}: #balance shows {page['balance']!r}, the ledger has {expected}")
    refs = [row["ref_id"] for row in db.execute("SELECT ref_id FROM orders WHERE user_id = ? ORDER BY id DESC", (user,))]
    shown = [cells[0] for cells in page["orders"] if len(cells) > 1]
    check(shown == refs[:len(shown)] and (shown or not refs),
          f"customer {user}: #orders lists {shown}, their newest orders are {refs[:5]}")
    log(f"  customer {user}: #balance {page['balance']} and {len(shown)} orders match the ledger")


def check_next(tab, name, page, path):
    """A "next page" link carries where the next page starts, and leads to other rows."""
    href = page["next"]
    query = urllib.parse.parse_qs(urllib.parse.urlparse(href).query)
    check(query, f"{name}: the next-page link {href} carries no query (nothing says where the next page starts)")
    first = [l for l in page["mainLinks"] if urllib.parse.urlparse(l).path.startswith(path.rstrip("/") + "/")][:1]
    status, errors = tab.open(href)
    following = tab.evaluate(READ_PAGE)
    check(status == 200 and not errors, f"{name}: the next-page link {href} answered {status} {errors}")
    check(not first or first[0] not in following["mainLinks"], f"{name}: the next-page link {href} shows the same rows again")
    log(f"  {name}: the next-page link leads to the following rows")
    tab.open(urllib.parse.urljoin(href, path))  # back, for the screenshot


def check_links(links, cookies, origin):
    """Every dashboard link seen on the pages answers 200 with the session's cookie."""
    header = "; ".join(f"{c['name']}={c['value']}" for c in cookies)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    broken = []
    for link in sorted(links):
        request = urllib.request.Request(link, headers={"Cookie": header})
        try:
            with opener.open(request, timeout=10) as answer:
                status = answer.status
        except urllib.error.HTTPError as error:
            status = error.code
        if status != 200:
            broken.append(f"{link} ({status})")
    check(not broken, f"links that do not answer 200: {broken}")
    log(f"  all {len(links)} dashboard links seen on the pages answer 200")


def run(loket, chromium, folder):
    port = free_port()
    database = os.path.join(folder, "demo.sqlite")
    origin = f"http://127.0.0.1:{port}"
    os.makedirs(SCREENSHOTS, exist_ok=True)
    demo = Demo(loket, port, database, folder)
    browser = None
    tab = None
    try:
        link = prepare_shop(demo)
        check(link.startswith(origin + "/"), f"the link {link} does not carry the demo's address {origin}")
        browser = Browser(chromium, folder)
        log(f"Chromium {browser.send('Browser.getVersion')['product']}")
        db = ledger(database)

        # Before signing in: the dashboard sends a browser without a session to the sign-in page.
        stranger = Tab(browser, browser.send("Target.createBrowserContext")["browserContextId"])
        stranger.open(origin + "/dashboard/")
        check(urllib.parse.urlparse(stranger.evaluate("location.href")).path == "/dashboard/masuk",
              "a browser without a session is not sent to /dashboard/masuk")
        stranger.close()

        tab = Tab(browser, browser.send("Target.createBrowserContext")["browserContextId"])
        status, errors = tab.open(link)
        check(status == 200 and not errors, f"the sign-in link answered {status} {errors}")
        check(tab.evaluate("!!document.getElementById('signIn')"), "the sign-in page has no #signIn button")
        status, errors = tab.click("#signIn")
        page = tab.evaluate(READ_PAGE)
        check(status == 200 and urllib.parse.urlparse(page["url"]).path == "/dashboard/",
              f"signing in ended at {page['url']} (HTTP {status}) {page['messages']}")
        check(any(c["httpOnly"] for c in tab.cookies()), "no HttpOnly session cookie after signing in")
        language = page["lang"] or "id"
        texts = locale_texts(language)
        log(f"signed in; the nav links to {[n['text'] for n in page['nav']]}")

        # Every section the nav links to (on any page), then the first row's page of each.
        queue = []
        seen_paths = set()
        links = set()
        navs = {}

        def enqueue(url, name):
            parsed = urllib.parse.urlparse(url)
            if f"{parsed.scheme}://{parsed.netloc}" != origin or not parsed.path.startswith("/dashboard"):
                return
            if parsed.path not in seen_paths:
                seen_paths.add(parsed.path)
                queue.append((name or slug(parsed.path), parsed.path))

        for item in page["nav"]:
            enqueue(item["href"], None)
        visited = []
        buyers = []
        while queue:
            name, path = queue.pop(0)
            status, errors = tab.open(origin + path)
            page = tab.evaluate(READ_PAGE)
            check_page(name, page, status, errors, path)
            navs[name] = [n["href"] for n in page["nav"]]
            for item in page["nav"]:
                enqueue(item["href"], None)
            links.update(l for l in page["links"] if l.startswith(origin + "/dashboard") and "/dashboard/login" not in l)
            if path == "/dashboard/" or path == "/dashboard":
                check_summary(page, db, texts, language)
            if path == "/dashboard/transaksi":
                check_orders(page, db, texts, language)
                buyers = [l for l in page["mainLinks"] if re.fullmatch(r"/dashboard/pelanggan/\d+", urllib.parse.urlparse(l).path)]
            if re.fullmatch(r"/dashboard/pelanggan/\d+", path):
                check_customer(page, int(path.rsplit("/", 1)[1]), db, language)
            if page["next"]:
                check_next(tab, name, page, path)
            if page["status"] is not None and path.startswith("/dashboard/transaksi/"):
                check_order(page, urllib.parse.unquote(path.rsplit("/", 1)[1]), db, texts)
            # A list's first row: the first link in <main> to a page below this one.
            if not name.endswith("-detail"):
                below = [l for l in page["mainLinks"] if urllib.parse.urlparse(l).path.startswith(path.rstrip("/") + "/")
                         and urllib.parse.urlparse(l).path.rstrip("/") != path.rstrip("/")]
                if below and urllib.parse.urlparse(below[0]).path not in seen_paths:
                    enqueue(below[0], f"{slug(path)}-detail")
                elif path.rstrip("/") in ("/dashboard/transaksi", "/dashboard/pelanggan"):
                    raise Failure(f"{name}: no row linking to its page (expected a link under {path})")
            with open(os.path.join(folder, f"{name}.html"), "w", encoding="utf-8") as file:
                file.write(tab.html())
            tab.screenshot(os.path.join(SCREENSHOTS, f"{name}.png"), DESKTOP[0])
            tab.screenshot(os.path.join(folder, f"{name}-phone.png"), PHONE[0])
            tab.viewport(*PHONE, mobile=True)
            overflow = tab.evaluate(READ_PAGE)["overflow"]
            tab.viewport(*DESKTOP)
            if overflow > 0:
                warn(f"{name}: wider than a {PHONE[0]} px phone screen by {overflow} px (scrolls sideways)")
            visited.append(name)
            log(f"{name}: {path} HTTP {status}, {len(page['mainText'])} characters of content -> docs/screenshots/{name}.png")

        check("transaksi-detail" in visited, "no order page was opened from the Transaksi table")
        if buyers:  # the customer of the newest order (the list's first customer may have bought nothing)
            path = urllib.parse.urlparse(buyers[0]).path
            status, errors = tab.open(origin + path)
            page = tab.evaluate(READ_PAGE)
            check_page("the newest order's customer", page, status, errors, path)
            check_customer(page, int(path.rsplit("/", 1)[1]), db, language)
            # The README shows a customer with movements and orders: this one.
            tab.screenshot(os.path.join(SCREENSHOTS, "pelanggan-detail.png"), DESKTOP[0])
        if len({tuple(sorted(v)) for v in navs.values()}) > 1:
            warn(f"the header's nav differs between pages: {navs}")
        check_links(links, tab.cookies(), origin)

        # The link is spent: in a fresh browser it shows the page, but signing in fails.
        again = Tab(browser, browser.send("Target.createBrowserContext")["browserContextId"])
        again.open(link)
        status, errors = again.click("#signIn")
        page = again.evaluate(READ_PAGE)
        invalid = plain(texts.get("dashboard.login.invalid", "tidak berlaku"))
        check(status is not None and status >= 400, f"a used link signed in again (HTTP {status}, {page['url']})")
        check(any(invalid in message or "tidak berlaku" in message for message in page["messages"]),
              f"a used link: the page does not say it is no longer valid: {page['messages']}")
        check(not any(c["name"].startswith("loket") for c in again.cookies()), "a used link still set a session cookie")
        log(f"a used link: HTTP {status}, {page['messages'][0][:60]}…")
        again.close()
        db.close()
        return visited
    except Failure:
        if tab is not None:
            try:
                with open(os.path.join(folder, "failed-page.html"), "w", encoding="utf-8") as file:
                    file.write(tab.html())
            except Failure:
                pass
        raise
    finally:
        if browser is not None:
            browser.close()
        demo.stop()


def main():
    keep = os.environ.get("LOKET_BROWSER_KEEP") == "1"
    try:
        loket = find_loket(sys.argv[1] if len(sys.argv) > 1 else None)
        chromium = find_chromium()
    except Failure as failure:
        print(f"\nFAILED: dashboard browser test: {failure}", file=sys.stderr, flush=True)
        sys.exit(1)
    folder = tempfile.mkdtemp(prefix="loket-browser-")
    try:
        visited = run(loket, chromium, folder)
    except Failure as failure:
        print(f"\nFAILED: dashboard browser test: {failure}\n(the demo's output, Chromium's log and the last page are in {folder})",
              file=sys.stderr, flush=True)
        sys.exit(1)
    if not keep:
        shutil.rmtree(folder, ignore_errors=True)
    else:
        log(f"kept {folder}")
    log(f"passed: {len(visited)} pages ({', '.join(visited)}), screenshots in docs/screenshots"
        + (f"; {len(warnings)} warning(s):\n  " + "\n  ".join(warnings) if warnings else ""))


if __name__ == "__main__":
    main()
