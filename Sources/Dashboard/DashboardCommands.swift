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

    /// What came of a command: the admin's answer (Telegram HTML, from the locale files), or the
    /// usage text of input the parser refused.
    enum Result {
        case done([TrustedHTML])
        case refused(TrustedHTML)

        /// The values a page shows it with.
        var values: [String: Any] {
            switch self {
            case .done(let answers): ["answers": answers]
            case .refused(let usage): ["error": usage]
            }
        }
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

    /// `command` for the signed-in admin, from the form `form`.
    func run(_ command: AdminCommand, admin: Int64, form: String) async throws -> Result {
        guard let user = try await services.ledger.users.user(id: admin) else { throw DashboardError.adminUnknown(admin) }
        let outcome = try await services.admin.execute(command, by: user, origin: .dashboard(form: form), chat: admin)
        try await services.ledger.outbox.enqueue(outcome.replies)
        await services.runner.submit(outcome.work)
        return .done(outcome.replies.filter { $0.chatID == admin }.compactMap { LedgerOutboxStore.text(ofPayload: $0.payload) }.map(TrustedHTML.init))
    }
}

/// What the dashboard cannot do for a request that got past its checks.
enum DashboardError: Error {
    /// A route names a command the parser does not know (a programming error).
    case unknownCommand(String)
    /// The signed-in admin never wrote to the bot, so the bot has no record to act as.
    case adminUnknown(Int64)
}
