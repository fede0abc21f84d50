import Conversation
import Foundation
import Ledger
import LoketCore

/// Owner commands posted from the dashboard's forms, carried out exactly as the same command
/// typed in Telegram: checked by the same parser, run by ``AdminService``, its messages queued
/// (the admin's answer is also sent to their Telegram chat, a record of what was done in their
/// name) and its work handed to the runner. Each form carries its own random id, which keys the
/// command: a form posted twice changes nothing the second time.
struct DashboardCommands: Sendable {
    let services: LoketServices

    /// What came of a command: carried out (its answer is queued, see ``answers(form:admin:)``),
    /// or refused by the parser with the command's usage text.
    enum Result {
        /// Carried out; `answer` finds what the admin was told (the `?selesai=` of the next page).
        case done(answer: String)
        case refused(TrustedHTML)
    }

    /// A form's id: what the page rendered into it (`Secret.random()`), nothing else.
    static func formID(_ raw: String?) -> String? {
        guard let id = raw, (20...64).contains(id.count),
              id.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) && $0.isASCII || $0 == "-" || $0 == "_" }) else { return nil }
        return id
    }

    /// `/name words…` for the signed-in admin, from the form `form`.
    func run(_ name: String, _ words: [String], admin: Int64, form: String, language: Language) async throws -> Result {
        switch CommandParser.ownerCommand(name, words) {
        case nil: throw DashboardError.unknownCommand(name)
        case .failure(let usage)?: return .refused(TrustedHTML(services.messages.text(usage.key, language)))
        case .success(let command)?: return try await run(command, admin: admin, form: form)
        }
    }

    /// `command` for the signed-in admin, from the form `form`. The admin's answer is keyed by the
    /// form, so a form posted twice does not tell them twice, and the page the browser is sent to
    /// next finds it there.
    func run(_ command: AdminCommand, admin: Int64, form: String) async throws -> Result {
        guard let user = try await services.ledger.users.user(id: admin) else { throw DashboardError.adminUnknown(admin) }
        let outcome = try await services.admin.execute(command, by: user, origin: .dashboard(form: form), chat: admin)
        // The form and what it asked: the same post twice is one answer; the same form asking
        // something else (refused by the ledger) gets its own.
        let answer = form + "." + Secret.hash("\(command)").prefix(16)
        // Every message without a key of its own gets one: a form posted twice tells nobody twice.
        let rows = outcome.replies.enumerated().map { index, row in
            var row = row
            if row.dedupeKey == nil { row.dedupeKey = "dashboard:\(answer):\(index)" }
            return row
        }
        try await services.ledger.outbox.enqueue(rows)
        await services.runner.submit(outcome.work)
        return .done(answer: answer)
    }

    /// What a command that only reads (`/tutup` alone, `/karantina`) answers, as the admin would
    /// read it in Telegram; nothing is queued or recorded.
    func view(_ command: AdminCommand, admin: Int64) async throws -> TrustedHTML? {
        guard AdminService.auditText(command) == nil, let user = try await services.ledger.users.user(id: admin) else { return nil }
        let outcome = try await services.admin.execute(command, by: user, origin: .dashboard(form: "view"), chat: admin)
        return outcome.replies.first.flatMap { LedgerOutboxStore.text(ofPayload: $0.payload) }.map(TrustedHTML.init)
    }

    /// What the admin was told of the command `raw` names (the `?selesai=` of the page a form
    /// sends the browser to), as Telegram HTML from the locale files.
    func answers(_ raw: String?, admin: Int64) async throws -> [TrustedHTML] {
        guard let raw, raw.count <= 100, raw.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0)) })
        else { return [] }
        return try await services.ledger.outbox.payloads(chatID: admin, dedupePrefix: "dashboard:\(raw):")
            .compactMap(LedgerOutboxStore.text(ofPayload:)).map(TrustedHTML.init)
    }
}

/// What the dashboard cannot do for a request that got past its checks.
enum DashboardError: Error {
    /// A route names a command the parser does not know (a programming error).
    case unknownCommand(String)
    /// The signed-in admin never wrote to the bot, so the bot has no record to act as.
    case adminUnknown(Int64)
}
