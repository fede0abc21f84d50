#if DEBUG || FUZZING
@testable import Conversation
#else
import Conversation
#endif
import Foundation

/// `conversation`: a whole chat, one input per line (``ConversationDriver`` describes the
/// script), against a shop with every category, deposit method and bank. Every customer input
/// gets an answer; replies are valid Telegram HTML of at most 4096 characters with working
/// buttons of at most 64 bytes; what the effects ask for (purchases, bills, deposits, payouts,
/// owner commands) is consistent with the shop; the state survives being saved as JSON.
public enum ConversationTarget: FuzzTarget {
    public static let name = "conversation"
    public static let summary = "Conversation.handle over a script of texts, button presses and service answers"

    public static func run(_ bytes: [UInt8]) {
        var driver = ConversationDriver()
        driver.run(script: bytes.text)
    }
}

/// `conversation-state`: a saved session (`ConversationState` JSON, as the bot stores it) read
/// from arbitrary bytes, then every kind of input in that state: its buttons, typed text, late
/// service answers, an expired session. After a zero byte, the rest is a script run on it.
public enum ConversationStateTarget: FuzzTarget {
    public static let name = "conversation-state"
    public static let summary = "ConversationState decoded from JSON, then every kind of input in that state"

    static let probes: [String] = [
        "t 1", "t 50rb", "t 081234567890", "t 12345678901", "t 12345678(1234)", "t /batal", "B 9223372036854775807 9223372036854775807",
        "A", "F ditolak", "b m:tarik",
    ]

    public static func run(_ bytes: [UInt8]) {
        let (json, script) = bytes.splitAtFirstZero()
        guard let state = try? JSONDecoder().decode(ConversationState.self, from: Data(json)) else { return }
        // What the bot saves after reading a session must read back as the same session.
        do {
            let again = try JSONDecoder().decode(ConversationState.self, from: JSONEncoder().encode(state))
            Fuzz.check(again == state, "\(state) does not survive being saved again")
        } catch {
            Fuzz.fail("\(state) cannot be saved again: \(error)")
        }
        let generation = state.generation
        let buttons = ["\(generation):ok", "\(generation):o:0", "\(generation):o:1", "\(generation):o:-1", "\(generation):o:9",
                       "\(generation):p:0", "\(generation):p:1", "\(generation):p:-1", "\(generation):p:\(Int.max)",
                       "\(generation):p:\(Int.min)", "\(generation &- 1):ok"]
        for line in probes + buttons.map({ "b " + $0 }) {
            var driver = ConversationDriver(state: state, checkEffects: false, thorough: false)
            driver.apply(line: Substring(line))
        }
        // A session that timed out while waiting (or not).
        for line in ["b \(generation):ok", "t 1", "B", "A"] {
            var late = ConversationDriver(state: state, checkEffects: false, thorough: false)
            late.now += 3 * 3600
            late.apply(line: Substring(line))
        }
        if let script {
            var driver = ConversationDriver(state: state, checkEffects: false)
            driver.run(script: script.text)
        }
    }
}
