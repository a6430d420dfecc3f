import HandoffCore

extension Objection {
    /// An objection as every command's JSON writes it: one shape wherever it appears.
    public var json: JSONValue {
        .object([
            ("id", id.map { .int(Int($0)) } ?? .null), ("at", .string(Timestamp.iso(at))), ("theme", .string(theme)),
            ("text", .string(text)), ("logged_by", .string(loggedBy)), ("lead_id", leadId.map { .int(Int($0)) } ?? .null),
        ])
    }
}
