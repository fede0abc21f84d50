import FakeTelegram
import Foundation
import QRCode
import Telegram

/// Shows the bot's Telegram messages in a terminal: HTML to plain text, inline keyboards as
/// numbered buttons, photos as a file path plus the QR drawn with block characters.
struct TerminalRenderer {
    let photoFolder: URL

    /// The lines for one message, and its buttons in the order they are numbered.
    func render(_ call: FakeBotAPI.Call, qrPayload: String?) -> (text: String, buttons: [InlineKeyboardButton]) {
        var lines: [String] = []
        let body = TelegramHTML.plain(call.text ?? "")
        lines.append(contentsOf: body.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 })
        if call.method == "sendPhoto", let file = call.file {
            let path = photoFolder.appendingPathComponent("qris-\(UUID().uuidString.prefix(8)).png")
            try? Data(file).write(to: path)
            lines.append("  [foto QR disimpan di \(path.path)]")
            if let qrPayload, let code = try? QRCode(encoding: qrPayload) { lines.append(Self.blocks(code)) }
        }
        var buttons: [InlineKeyboardButton] = []
        if let markup = call.parameters["reply_markup"],
           let keyboard = try? JSONDecoder().decode(InlineKeyboardMarkup.self, from: Data(markup.utf8)) {
            for row in keyboard.inlineKeyboard {
                let labels = row.map { button -> String in
                    buttons.append(button)
                    return "[\(buttons.count)] \(button.text)"
                }
                lines.append("  " + labels.joined(separator: "   "))
            }
        }
        return (lines.joined(separator: "\n"), buttons)
    }

    /// The QR with two modules per character row (▀ ▄ █), light on dark terminals and dark.
    static func blocks(_ code: QRCode) -> String {
        let border = 2
        let range = -border..<(code.size + border)
        func dark(_ x: Int, _ y: Int) -> Bool { x >= 0 && y >= 0 && x < code.size && y < code.size && code.isDark(x: x, y: y) }
        var output = ""
        for y in stride(from: range.lowerBound, to: range.upperBound, by: 2) {
            output += "  "
            for x in range {
                switch (dark(x, y), dark(x, y + 1)) {
                case (false, false): output += "█"
                case (true, false): output += "▄"
                case (false, true): output += "▀"
                case (true, true): output += " "
                }
            }
            output += "\n"
        }
        return output
    }
}
