import FakeTelegram
import FlowixSandbox
import Foundation
import Telegram

/// The terminal side of the demo: reads lines from standard input, sends them as the demo
/// user's Telegram messages (or button presses), and prints every message the bot sends,
/// including notifications that arrive later from webhooks.
struct TerminalChat {
    let api: FakeBotAPI
    let sandbox: FlowixSandbox
    let chat: Int64
    let renderer: TerminalRenderer

    func run() async throws {
        print("""
            ── Loket demo ─────────────────────────────────────────────
            Kamu adalah pelanggan (dan admin) toko demo dengan saldo Rp150.000.
            Flowix di sini adalah sandbox: nomor berakhiran 0000 gagal, 9999 tertahan.
            Ketik pesan seperti di Telegram, mis. /start atau: pulsa 10rb 081234567890
            Transfer saldo ke member lain: /pin dulu, lalu /transfer @siti_demo 10rb.
            Tombol bernomor: ketik angkanya. !bayar = bayar deposit QRIS terakhir,
            !tunggu 5 = tunggu 5 detik, !keluar = selesai.
            ────────────────────────────────────────────────────────────
            """)
        let printer = Printer(api: api, sandbox: sandbox, chat: chat, renderer: renderer)
        let watcher = Task { await printer.watch() }
        await api.pushMessage(chatID: chat, text: "/start", firstName: "Pembeli")
        await printer.waitForNew(after: 0)
        while let line = readLine() {
            let text = line.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { continue }
            print("› \(text)")
            let seen = await printer.count
            if text == "!keluar" { break }
            if text.hasPrefix("!tunggu") {
                let seconds = Int(text.split(separator: " ").last ?? "") ?? 3
                try await Task.sleep(for: .seconds(seconds))
                continue
            }
            if text == "!bayar" {
                let paid = await payLatestDeposit()
                print(paid.map { "  (sandbox: deposit \($0) dibayar)" } ?? "  (sandbox: tidak ada deposit yang menunggu)")
                await printer.waitForNew(after: seen)
                continue
            }
            if let number = Int(text), let button = await printer.button(number) {
                await api.pushCallback(chatID: chat, data: button.callbackData ?? "")
            } else {
                await api.pushMessage(chatID: chat, text: text, firstName: "Pembeli")
            }
            await printer.waitForNew(after: seen)
        }
        try await Task.sleep(for: .seconds(1))
        watcher.cancel()
        await printer.flush()
    }

    private func payLatestDeposit() async -> String? {
        let photos = await api.delivered(to: chat).filter { $0.method == "sendPhoto" }
        for photo in photos.reversed() {
            guard let text = photo.text, let start = text.range(of: "DEP-") else { continue }
            let reference = String(text[start.lowerBound...].prefix { !$0.isWhitespace && $0 != "<" })
            if await sandbox.payDeposit(refID: reference) { return reference }
        }
        return nil
    }
}

/// Prints the bot's messages to the demo chat as they arrive and remembers the last buttons.
actor Printer {
    let api: FakeBotAPI
    let sandbox: FlowixSandbox
    let chat: Int64
    let renderer: TerminalRenderer
    private(set) var count = 0
    private var buttons: [InlineKeyboardButton] = []

    init(api: FakeBotAPI, sandbox: FlowixSandbox, chat: Int64, renderer: TerminalRenderer) {
        self.api = api
        self.sandbox = sandbox
        self.chat = chat
        self.renderer = renderer
    }

    func watch() async {
        while !Task.isCancelled {
            await flush()
            try? await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Prints everything not printed yet.
    func flush() async {
        let calls = await api.delivered(to: chat)
        while count < calls.count {
            let call = calls[count]
            count += 1
            var payload: String?
            if call.method == "sendPhoto", let text = call.text, let start = text.range(of: "DEP-") {
                payload = await sandbox.depositQR(refID: String(text[start.lowerBound...].prefix { !$0.isWhitespace && $0 != "<" }))
            }
            let (text, shown) = renderer.render(call, qrPayload: payload)
            print("\n🤖\n" + text)
            if !shown.isEmpty { buttons = shown }
        }
    }

    func button(_ number: Int) -> InlineKeyboardButton? {
        buttons.indices.contains(number - 1) ? buttons[number - 1] : nil
    }

    /// Waits (up to 5 s) until a message beyond `seen` arrives, then a moment for the rest.
    func waitForNew(after seen: Int) async {
        for _ in 0..<50 {
            await flush()
            if count > seen { break }
            try? await Task.sleep(for: .milliseconds(100))
        }
        try? await Task.sleep(for: .milliseconds(300))
        await flush()
    }
}
