import FakeTelegram
import Flowix
import Foundation
import GRDB

/// Issue #22, hardening the edges: an owner command that was forwarded rather than typed moves
/// no money, and a flood of forged webhooks neither slows a customer down nor writes to the
/// database per request.
extension Scenarios {
    static var hardening: [Scenario] { [forwardedAdminCommand, webhookFlood] }

    /// The owner forwards a message that reads `/tambahsaldo <customer> 50000` (as a customer could
    /// trick them into doing): it is answered with the note about forwarded messages and credits
    /// nothing. Typed by the owner, the same command credits the customer once.
    static let forwardedAdminCommand = Scenario(
        name: "hardening: an admin's forwarded /tambahsaldo moves nothing",
        injected: "the owner forwards the customer's message \"/tambahsaldo \(customer) 50000\" (forward_origin of type user); then types the same command"
    ) { world in
        let command = "/tambahsaldo \(customer) 50000"
        try await world.api.say("/start", from: customer)
        let journalBefore = try world.journalTransactions()
        let customerMessagesBefore = await world.api.delivered(to: customer).count

        let note = try await world.api.say(command, from: World.admin, forwardedFrom: customer)
        let noteText = note.first?.text ?? ""
        // locales/id.yaml `forwarded.ignored`
        try world.expect(noteText.contains("Pesan terusan (forward) tidak dijalankan"), "the owner was not told forwarded messages are not run: \(noteText)")
        try world.expect(noteText.count < 200, "the note is not short (\(noteText.count) characters)")
        // The note is committed with the update itself, so by now the update has been applied in full.
        let afterForward = try await world.balance(customer)
        try world.expect(afterForward == 0, "the forwarded command credited \(afterForward)")
        try world.expect(try world.journalTransactions() == journalBefore, "the forwarded command wrote a journal transaction")
        try world.expect(await world.api.delivered(to: customer).count == customerMessagesBefore, "the customer was told about a credit")
        let forwardedUpdate = await world.api.lastUpdateID
        try world.expect(try world.quarantined().isEmpty, "the forwarded update was quarantined, not answered")

        // Typed by the owner, the very same text credits the customer, once.
        try await world.api.say(command, from: World.admin)
        try await world.api.waitForMessage("ditambah", to: customer)
        let afterTyped = try await world.balance(customer)
        try world.expect(afterTyped == 50_000, "the typed command did not credit 50.000 (balance \(afterTyped))")
        let journalAfter = try world.journalTransactions()
        try world.expect(journalAfter == journalBefore + 1, "\(journalAfter - journalBefore) journal transactions for one typed /tambahsaldo")
        let credits = await world.api.delivered(to: customer).filter { $0.text?.contains("ditambah") == true }.count
        try world.expect(credits == 1, "the customer was told of \(credits) credits")
        try world.checkInvariants()
        return "forwarded (update \(forwardedUpdate)): the note \"\(noteText.prefix(60))…\", wallet 0, no journal transaction; "
            + "typed: credited 50.000 once, one journal transaction; loket check ok"
    }

    /// How many POSTs the flood keeps in flight at once.
    static let floodClients = 3
    /// How many `/saldo` messages the customer sends in the quiet run and during the flood.
    static let timedMessages = 20

    /// The customer's `/saldo` reply times alone, then during 30 s of forged webhooks from
    /// ``floodClients`` clients on loopback; the bot's resident memory across the flood; and
    /// SQLite's commit counter across a flood during which the customer sends nothing.
    static let webhookFlood = Scenario(
        name: "hardening: a flood of bad webhooks does not slow a customer",
        injected: "\(floodClients) clients POSTing unsigned, wrongly signed and wrong-key deliveries to /webhook/flowix as fast as loopback allows: "
            + "10 s with no customer traffic, then 30 s while a customer sends \(timedMessages) /saldo",
        exclusive: true
    ) { world in
        try await world.api.say("/start", from: customer)
        try await Task.sleep(for: .seconds(2))  // Telegram's per-chat burst refills
        let quiet = try await replyTimes(world, count: timedMessages, spacing: .milliseconds(1_250))

        guard let pid = world.bot.processID else { throw SuiteFailure("the bot is not running") }
        let rssBefore = try residentKilobytes(pid)

        // Writes while nothing happens at all, then while only the flood happens, over the same time.
        let idleStart = try world.committedTransactions()
        try await Task.sleep(for: .seconds(10))
        let idleWrites = Int(try world.committedTransactions() &- idleStart)
        let walBefore = world.walBytes()
        let floodStart = try world.committedTransactions()
        let silent = await flood(world, for: .seconds(10))
        let floodWrites = Int(try world.committedTransactions() &- floodStart)
        let walAfter = world.walBytes()

        // The customer during the flood.
        let loudStart = try world.committedTransactions()
        async let loudFlood = flood(world, for: .seconds(30))
        let loud = try await replyTimes(world, count: timedMessages, spacing: .milliseconds(1_400))
        let busy = await loudFlood
        let loudWrites = Int(try world.committedTransactions() &- loudStart)
        try await Task.sleep(for: .seconds(1))
        let rssAfter = try residentKilobytes(pid)

        for tally in [silent, busy] {
            try world.expect(tally.errors == 0, "\(tally.errors) forged deliveries got no HTTP answer (\(tally.firstError ?? "-"))")
            try world.expect(tally.statuses.keys.allSatisfy { [401, 403].contains($0) }, "forged deliveries answered \(tally.statuses)")
            try world.expect(tally.statuses[401, default: 0] > 0 && tally.statuses[403, default: 0] > 0, "not both kinds refused: \(tally.statuses)")
        }
        try world.expect(silent.sent >= 500, "only \(silent.sent) forged deliveries in 10 s: too few to tell per-request writes apart")
        // A write per refused request would be thousands; the one alert a window is a handful
        // (the alert and its outbox row, then the row marked sent).
        try world.expect(floodWrites <= idleWrites + 5,
                         "\(floodWrites) commits during \(silent.sent) forged deliveries, against \(idleWrites) with nothing happening")
        try world.expect(loudWrites > floodWrites, "the commit counter did not see the customer's \(timedMessages) messages (\(loudWrites))")

        let quietMedian = median(quiet), loudMedian = median(loud)
        // 3× the quiet median, and never less than 30 ms above it: a quiet reply takes about 10 ms
        // here, so a bare ratio would fail on a busy machine for a few milliseconds.
        let allowed = max(3 * quietMedian, quietMedian + 0.030)
        try world.expect(loudMedian <= allowed,
                         "median reply \(ms(loudMedian)) during the flood against \(ms(quietMedian)) without (over \(ms(allowed)))")
        let growth = rssAfter - rssBefore
        try world.expect(growth <= 10 * 1024, "resident memory grew \(growth) kB (\(rssBefore) → \(rssAfter) kB) across the flood")

        try await world.api.waitForMessage("tanda tangan salah", to: World.admin)
        let alerts = await world.api.delivered(to: World.admin).filter { $0.text?.contains("tanda tangan salah") == true }.count
        try world.expect(alerts == 1, "\(alerts) alerts about forged webhooks to the owner")
        try world.checkInvariants()
        return "/saldo median \(ms(quietMedian)) alone, \(ms(loudMedian)) during \(busy.sent) forged deliveries in 30 s "
            + "(\(busy.perSecond)/s; p90 \(ms(percentile(quiet, 0.9))) → \(ms(percentile(loud, 0.9)))); "
            + "RSS \(rssBefore / 1024) → \(rssAfter / 1024) MB; "
            + "commits: \(idleWrites) in 10 s idle, \(floodWrites) during \(silent.sent) forged deliveries (\(silent.perSecond)/s), "
            + "\(loudWrites) with the customer's \(timedMessages) messages; WAL \(walBefore) → \(walAfter) bytes; "
            + "every delivery refused \(busy.statuses.merging(silent.statuses, uniquingKeysWith: +).sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: ", ")); one owner alert"
    }

    /// The customer sends `/saldo` ``timedMessages`` times, `spacing` apart from send to send (over
    /// a second, so Telegram's per-chat pace never holds a reply back); returns each reply's delay
    /// in seconds, from the push to the fake Bot API taking the reply.
    static func replyTimes(_ world: World, count: Int, spacing: Duration) async throws -> [TimeInterval] {
        var delays: [TimeInterval] = []
        for _ in 0..<count {
            let next = ContinuousClock.now + spacing
            let before = await world.api.delivered(to: customer).count
            let sent = Date()
            await world.api.pushMessage(chatID: customer, text: "/saldo", firstName: "User\(customer)")
            let reply = try await world.api.replies(to: customer, after: before, count: 1)[0]
            try world.expect(reply.text?.contains("Saldo kamu") == true, "/saldo answered \(reply.text ?? "-")")
            delays.append(reply.at.timeIntervalSince(sent))
            try await Task.sleep(until: next)
        }
        return delays
    }

    /// What a flood of forged deliveries got back.
    struct FloodTally: Sendable {
        var sent = 0
        var statuses: [Int: Int] = [:]
        var errors = 0
        var firstError: String?
        var seconds: Double = 1

        var perSecond: Int { Int(Double(sent) / seconds) }

        mutating func add(_ other: FloodTally) {
            sent += other.sent
            statuses.merge(other.statuses, uniquingKeysWith: +)
            errors += other.errors
            firstError = firstError ?? other.firstError
        }
    }

    /// ``floodClients`` clients POST forged deliveries to the bot back to back for `duration`: in
    /// turn one with no security headers, one signed with the wrong secret, one with a stranger's key.
    static func flood(_ world: World, for duration: Duration) async -> FloodTally {
        let key = world.flowix.configuration.credentials
        let port = world.bot.port
        let started = ContinuousClock.now
        let deadline = started + duration
        var total = await withTaskGroup(of: FloodTally.self) { group in
            for client in 0..<floodClients {
                group.addTask {
                    var tally = FloodTally()
                    var turn = client
                    while ContinuousClock.now < deadline {
                        let body = Array(#"{"id":"evt_flood_\#(client)_\#(turn)","event":"transaction.status","timestamp":1,"data":{"reff_id":"LKT-\#(customer)-1","status":"failed"}}"#.utf8)
                        let headers: [(String, String)]
                        switch turn % 3 {
                        case 0: headers = []
                        case 1: headers = [("X-Flowix-Signature", String(repeating: "ab", count: 32)), ("X-Flowix-Key", key.apiKey), ("X-Flowix-Merchant", key.merchantID)]
                        default: headers = [("X-Flowix-Signature", WebhookSecret("whsec_attacker").signature(of: body)), ("X-Flowix-Key", "sk-attacker"),
                                            ("X-Flowix-Merchant", key.merchantID)]
                        }
                        turn += 1
                        tally.sent += 1
                        do {
                            tally.statuses[try await WebhookPoster.post(port: port, body: body, headers: headers), default: 0] += 1
                        } catch {
                            tally.errors += 1
                            tally.firstError = tally.firstError ?? "\(error)"
                        }
                    }
                    return tally
                }
            }
            var total = FloodTally()
            for await tally in group { total.add(tally) }
            return total
        }
        let elapsed = started.duration(to: .now).components
        total.seconds = max(Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18, 0.001)
        return total
    }

    /// `VmRSS` of a process in kB, from `/proc/<pid>/status`.
    static func residentKilobytes(_ pid: Int32) throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else {
            throw SuiteFailure("no VmRSS in /proc/\(pid)/status")
        }
        return kilobytes
    }

    static func median(_ values: [TimeInterval]) -> TimeInterval { percentile(values, 0.5) }

    static func percentile(_ values: [TimeInterval], _ fraction: Double) -> TimeInterval {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * fraction).rounded()))]
    }

    static func ms(_ seconds: TimeInterval) -> String { "\(Int((seconds * 1000).rounded())) ms" }
}

extension World {
    /// How many journal transactions the books hold.
    func journalTransactions() throws -> Int {
        try DatabaseQueue(path: databasePath).read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM journal_transactions") ?? 0 }
    }

    /// How many write transactions any connection has committed to the bot's database (modulo
    /// 2³²): the change counter of SQLite's wal-index header, at offset 8 of the `-shm` file, in
    /// the machine's byte order (https://sqlite.org/walformat.html). The file change counter in
    /// the database header (bytes 24…27) does not do in WAL mode, where it moves only when a
    /// checkpoint copies page 1 back; nor does the WAL's size, which stops growing once a
    /// checkpoint lets SQLite write it from the start again.
    func committedTransactions() throws -> UInt32 {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: databasePath + "-shm"))
        defer { try? handle.close() }
        // SQLite writes the header twice (the second copy first); a read between the two sees them differ.
        for _ in 0..<100 {
            try handle.seek(toOffset: 0)
            guard let bytes = try handle.read(upToCount: 96), bytes.count == 96 else { throw SuiteFailure("the -shm file has no wal-index header") }
            let header = Array(bytes)
            if header[0..<48] == header[48..<96], header[12] == 1 {
                return header.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 8, as: UInt32.self) }
            }
            usleep(1_000)
        }
        throw SuiteFailure("the wal-index header kept changing while it was read")
    }

    /// The size of the database's WAL file in bytes (0 when there is none).
    func walBytes() -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: databasePath + "-wal"))?[.size] as? Int) ?? 0
    }
}
