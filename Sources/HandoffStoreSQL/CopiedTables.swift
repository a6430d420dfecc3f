/// A value as a store keeps it, for copying rows between stores unchanged.
public enum StoredValue: Sendable, Hashable {
    case null
    case integer(Int64)
    /// A number with a fraction: an objection's confidence.
    case real(Double)
    case text(String)
}

/// The tables a database moves in, parents before children so every reference finds its row,
/// each with its columns in the order both stores define them.
public enum CopiedTables {
    public static let all: [(name: String, columns: [String])] = [
        ("accounts", ["id", "name", "name_key", "domain", "industry", "employees", "revenue_band", "country"]),
        ("leads", [
            "id", "external_id", "account_id", "name", "email", "title", "seniority", "source", "owner", "created_at", "stage",
            "outcome", "budget", "authority", "need", "timing", "notes", "attributes",
        ]),
        ("events", ["id", "lead_id", "kind", "occurred_at", "detail"]),
        ("transitions", ["id", "lead_id", "from_stage", "to_stage", "at", "by", "reason"]),
        ("rejections", ["id", "lead_id", "at", "by", "by_rule", "reason_code", "note", "definition_version"]),
        ("objections", ["id", "external_id", "lead_id", "account_id", "text", "theme", "logged_by", "at", "deal_stage", "industry", "confidence"]),
        ("briefs", ["id", "theme", "created_at", "period_start", "period_end", "markdown"]),
        ("brief_objections", ["brief_id", "objection_id"]),
        ("definitions", ["id", "version", "origin", "text", "loaded_at"]),
        ("definitions_in_force", ["id", "definition_id", "at", "by"]),
        ("objection_changes", ["id", "objection_id", "at", "by", "change", "from_value", "to_value", "note"]),
        ("theme_answers", ["text", "theme", "model", "at"]),
        ("after_contact_fields", ["field", "mapping", "at"]),
    ]
}
