import Conversation
import Foundation
import Ledger
import Telegram

/// Keeps an admin's broadcast progress message up to date by editing it as the outbox drains,
/// and ends with the count delivered and blocked.
struct BroadcastProgress: Sendable {
    let ledger: Ledger
    let messages: Messages
    let chat: Int64
    let language: Language
    let prefix: String
    let progressKey: String
    let total: Int
    var interval: Duration = .seconds(2)

    func follow() async {
        var last: (Int, Int, Int)?
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            guard let progress = try? await ledger.outbox.progress(dedupePrefix: prefix),
                  let messageID = try? await ledger.outbox.telegramMessageID(dedupeKey: progressKey) else { continue }
            let finished = progress.pending == 0
            guard last.map({ $0 != (progress.sent, progress.dropped, progress.pending) }) ?? true || finished else { continue }
            last = (progress.sent, progress.dropped, progress.pending)
            let key = finished ? "admin.broadcast.done" : "admin.broadcast.progress"
            let text = messages.text(key, language, ["sent": String(progress.sent), "total": String(total), "blocked": String(progress.dropped)])
            let edit = try? LedgerOutboxStore.row(OutboundMessage(text: text, editMessageID: messageID), chatID: chat, priority: .reply,
                                                  dedupeKey: finished ? "\(progressKey)-done" : nil)
            if let edit { try? await ledger.outbox.enqueue([edit]) }
            if finished { return }
        }
    }
}
