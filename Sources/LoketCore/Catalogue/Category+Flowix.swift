import Conversation

extension Category {
    /// The menu category of a Flowix product, from Flowix's category and type (`Pulsa`, `Data`,
    /// `E-Money`, `Games`, `PLN`, `Tagihan`, and the types of bills); `nil` for one the shop
    /// does not sell. Flowix's words are read here, at the edge, not in the conversation.
    public init?(flowixCategory: String, type: String) {
        switch (flowixCategory.lowercased(), type.lowercased()) {
        case (_, "pln_postpaid"), (_, "bpjs"), (_, "pdam"), ("tagihan", _), ("pascabayar", _): self = .bill
        case ("pulsa", _): self = .pulsa
        case ("data", _), ("paket data", _), ("kuota", _): self = .data
        case ("e-money", _), ("emoney", _), ("e-wallet", _), ("ewallet", _): self = .emoney
        case ("games", _), ("game", _), ("voucher game", _): self = .game
        case ("pln", _), ("token pln", _): self = .pln
        default: return nil
        }
    }
}
