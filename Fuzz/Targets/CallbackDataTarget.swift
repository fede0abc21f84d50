#if DEBUG || FUZZING
@testable import Conversation
#else
import Conversation
#endif
import Foundation

/// `callback-data`: the `callback_data` decoders (cancel, menu items, deposit buttons, step
/// choices with their generation) on arbitrary text, then the same data pressed in a chat that
/// shows products, banks, a confirmation, and nothing. What decodes encodes back to itself,
/// within 64 bytes; every press gets an answer.
public enum CallbackDataTarget: FuzzTarget {
    public static let name = "callback-data"
    public static let summary = "CallbackData decoders and Conversation.handle(.button) in several steps"

    /// Chats waiting for a button: how to get there from the start.
    static let setups = ["", "t pulsa", "t /tarik", "t pulsa 10rb 081234567890", "t /deposit 50rb"]

    public static func run(_ bytes: [UInt8]) {
        let data = bytes.text
        #if DEBUG || FUZZING
        if let (generation, action) = CallbackData.stateful(data) {
            let encoded = CallbackData.encode(generation: generation, action)
            Fuzz.check(encoded.utf8.count <= 64, "\(encoded) is longer than 64 bytes")
            let again = CallbackData.stateful(encoded)
            Fuzz.check(again?.0 == generation && again?.1 == action, "\(data.debugDescription) → \(encoded) → \(String(describing: again))")
        }
        if let item = CallbackData.menuItem(data) {
            Fuzz.check(CallbackData.menu(item) == data, "menu item \(item) from \(data.debugDescription)")
        }
        // A deposit button encodes back to itself, or to nothing when it would not fit 64 bytes.
        let fitting = data.utf8.count <= CallbackData.limit ? data : nil
        if let reference = CallbackData.depositCancel(data) {
            Fuzz.check(CallbackData.depositCancel(reference: reference) == fitting, "deposit cancel \(reference.debugDescription)")
        }
        if let reference = CallbackData.depositStatus(data) {
            Fuzz.check(CallbackData.depositStatus(reference: reference) == fitting, "deposit status \(reference.debugDescription)")
        }
        #endif
        for setup in setups {
            var driver = ConversationDriver(thorough: false)
            if !setup.isEmpty { driver.apply(line: Substring(setup)) }
            driver.handle(.button(data))
            // The same data with the generation of the step on screen, so it is not simply stale.
            if let colon = data.firstIndex(of: ":") {
                var current = ConversationDriver(thorough: false)
                if !setup.isEmpty { current.apply(line: Substring(setup)) }
                current.handle(.button("\(current.conversation.state.generation)" + data[colon...]))
            }
        }
    }
}
