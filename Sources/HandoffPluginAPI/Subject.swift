import HandoffCore

/// What a command is about: one lead, or one account. The shell resolves a name to it before the
/// command runs, and keeps it as the conversation's context.
public enum Subject: Sendable, Hashable {
    case lead(Lead)
    case account(Account)

    public var name: String {
        switch self {
        case .lead(let lead): lead.name
        case .account(let account): account.name
        }
    }

    /// As JSON output names it in `args`.
    public var json: JSONValue {
        switch self {
        case .lead(let lead):
            .object([("type", .string("lead")), ("id", lead.id.map { .int(Int($0)) } ?? .null),
                     ("external_id", .string(lead.externalId)), ("name", .string(lead.name))])
        case .account(let account):
            .object([("type", .string("account")), ("id", account.id.map { .int(Int($0)) } ?? .null), ("name", .string(account.name))])
        }
    }
}
