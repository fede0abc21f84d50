/// PIN digits typed so far, kept out of the saved session: the session row holds a `•` for
/// each digit, and the digits stay in the running process only (``ConversationState/sealed()``).
/// After a restart the placeholders are all that is left, and the entry starts over.
public struct PINDraft: Sendable, Equatable {
    /// The generation of the keypad the digits were typed on.
    public var generation: Int
    public var entered: String
    /// The new PIN typed once, waiting to be typed again.
    public var first: String?
}

extension ConversationState {
    static let placeholder: Character = "•"

    /// The state as it may be saved, with every PIN digit replaced by a placeholder, and the
    /// digits taken out (`nil` when it holds none).
    public func sealed() -> (stored: ConversationState, draft: PINDraft?) {
        guard case .enteringPIN(let request, let entered) = step else { return (self, nil) }
        var first: String?
        var storedRequest = request
        if case .repeatNew(let typed) = request {
            first = typed
            storedRequest = .repeatNew(first: Self.mask(typed))
        }
        guard !entered.isEmpty || first != nil else { return (self, nil) }
        var stored = self
        stored.step = .enteringPIN(storedRequest, entered: Self.mask(entered))
        return (stored, PINDraft(generation: generation, entered: entered, first: first))
    }

    /// Puts back the digits of `draft` when it was taken from this very keypad; placeholders
    /// with no draft (the process restarted) stay and make the entry start over.
    public mutating func unseal(_ draft: PINDraft?) {
        guard let draft, draft.generation == generation, case .enteringPIN(let request, let entered) = step,
              entered.count == draft.entered.count else { return }
        var restored = request
        if case .repeatNew(let masked) = request {
            guard let first = draft.first, masked.count == first.count else { return }
            restored = .repeatNew(first: first)
        }
        step = .enteringPIN(restored, entered: draft.entered)
    }

    static func mask(_ digits: String) -> String { String(repeating: placeholder, count: digits.count) }
}
