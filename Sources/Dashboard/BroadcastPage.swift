import Conversation
import Foundation
import Ledger
import LoketCore

/// Broadcast: a message composed, previewed as customers will see it, sent to every reachable
/// customer by `/broadcast`'s own code, and its progress while the outbox drains.
struct BroadcastPage {
    let services: LoketServices
    let language: Language

    /// Longest message accepted, in UTF-16 code units as Telegram counts (its limit is 4,096) and
    /// as the browser's `maxlength` does.
    static let maximumLength = 4_000

    /// The compose form, and the progress of the broadcast sent from form `sent` when given.
    func values(sent: String?) async throws -> [String: Any] {
        var values: [String: Any] = ["formID": Secret.random()]
        if let form = DashboardCommands.formID(sent) {
            let progress = try await services.ledger.outbox.progress(dedupePrefix: "broadcast-d\(form)-")
            let total = progress.sent + progress.dropped + progress.pending
            // A form that sent nothing has no progress to show.
            guard total > 0 else { return values }
            values["progress"] = [
                "sent": String(progress.sent), "blocked": String(progress.dropped), "pending": String(progress.pending), "total": String(total),
                "done": progress.pending == 0,
            ] as [String: Any]
            // The page reloads itself while messages are still waiting: no script needed.
            if progress.pending > 0 { values["refresh"] = "3" }
        }
        return values
    }

    /// The message as customers will see it and how many will get it; the usage text when it is
    /// empty or too long.
    func preview(text raw: String?) async throws -> [String: Any] {
        let text = (raw ?? "").replacingOccurrences(of: "\r\n", with: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.utf16.count <= Self.maximumLength else {
            return ["formID": Secret.random(), "text": text,
                    "error": TrustedHTML(services.messages.text("dashboard.broadcast.invalid", language, ["max": String(Self.maximumLength)]))]
        }
        return ["formID": Secret.random(), "text": text, "preview": ["text": text, "recipients": String(try await services.ledger.users.reachable().count)]]
    }
}
