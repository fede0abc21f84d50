/// What the sandbox does with a request, chosen by the last four digits of the target,
/// customer number or account number, so tests can ask for each outcome.
///
/// | suffix | `/transaction/create`, `/bill/pay`, `/payout/create` | `/bill/check`, `/payout/inquiry` |
/// |---|---|---|
/// | `0000` | accepted as `processing`, later `failed` (Flowix refunds itself) | normal |
/// | `1111` | normal | rejected: bill or account not found |
/// | `9999` | stays `processing` until a test calls `settle(refID:as:)` | normal |
/// | `5000` | created, then answered with HTTP 500 (an unknown outcome) | normal |
/// | `7777` | created, then answered only after `slowAnswerDelay` (a timeout) | normal |
/// | `8888` | created, then answered with an HTML error page | normal |
/// | `6666` | created, then `success: true` with the data's fields missing | normal |
/// | other | `processing`, then `success` with an SN after `settlementDelay` | normal |
public enum SandboxScenario: Sendable, Equatable {
    case normal
    case failsLater
    case notFound
    case staysProcessing
    case serverErrorAfterCreate
    case slowAnswer
    case htmlAfterCreate
    case incompleteAfterCreate

    /// The scenario for a target, customer or account number.
    public init(number: String) {
        switch String(number.suffix(4)) {
        case "0000": self = .failsLater
        case "1111": self = .notFound
        case "9999": self = .staysProcessing
        case "5000": self = .serverErrorAfterCreate
        case "7777": self = .slowAnswer
        case "8888": self = .htmlAfterCreate
        case "6666": self = .incompleteAfterCreate
        default: self = .normal
        }
    }
}
