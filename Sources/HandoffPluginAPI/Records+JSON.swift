import HandoffCore

// Each record of the model as every JSON answer writes it: one shape wherever it appears (a
// command's result, a plugin's records), every key present (null when unknown), names in
// snake_case after the model's fields, times in ISO 8601 UTC. docs/json.md lists them; a key is
// only added under the same `schema` number, never renamed or dropped.

extension Lead {
    public var json: JSONValue {
        .object([
            ("id", id.map { .int(Int($0)) } ?? .null), ("external_id", .string(externalId)),
            ("account_id", accountId.map { .int(Int($0)) } ?? .null), ("name", .string(name)),
            ("email", .optional(email)), ("title", .optional(title)), ("seniority", .optional(seniority?.rawValue)),
            ("source", .optional(source)), ("owner", .optional(owner)), ("created_at", .string(Timestamp.iso(createdAt))),
            ("stage", .string(stage.rawValue)), ("outcome", .string(outcome.rawValue)),
            ("facts", .object(QualificationFacts.Fact.allCases.map { ($0.rawValue, facts[$0].map(JSONValue.bool) ?? .null) })),
            ("notes", .optional(notes)),
            ("attributes", .object(attributes.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
        ])
    }
}

extension Account {
    public var json: JSONValue {
        .object([
            ("id", id.map { .int(Int($0)) } ?? .null), ("name", .string(name)), ("domain", .optional(domain)),
            ("industry", .optional(industry)), ("employees", employees.map { .int($0) } ?? .null),
            ("revenue_band", .optional(revenueBand)), ("country", .optional(country)),
        ])
    }
}

extension EngagementEvent {
    public var json: JSONValue {
        .object([
            ("id", id.map { .int(Int($0)) } ?? .null), ("lead_id", .int(Int(leadId))), ("kind", .string(kind)),
            ("occurred_at", .string(Timestamp.iso(occurredAt))), ("detail", .string(detail)),
        ])
    }
}

extension StageTransition {
    public var json: JSONValue {
        .object([
            ("id", id.map { .int(Int($0)) } ?? .null), ("lead_id", .int(Int(leadId))), ("from", .optional(from?.rawValue)),
            ("to", .string(to.rawValue)), ("at", .string(Timestamp.iso(at))), ("by", .string(by)), ("reason", .string(reason)),
        ])
    }
}

extension Rejection {
    public var json: JSONValue {
        .object([
            ("id", id.map { .int(Int($0)) } ?? .null), ("lead_id", .int(Int(leadId))), ("at", .string(Timestamp.iso(at))),
            ("by", .string(by)), ("by_rule", .bool(byRule)), ("reason_code", .string(reasonCode)), ("note", .string(note)),
            ("definition_version", .string(definitionVersion)),
        ])
    }
}

extension Objection {
    public var json: JSONValue {
        .object([
            ("id", id.map { .int(Int($0)) } ?? .null), ("lead_id", leadId.map { .int(Int($0)) } ?? .null),
            ("account_id", accountId.map { .int(Int($0)) } ?? .null), ("at", .string(Timestamp.iso(at))),
            ("theme", .string(theme)), ("text", .string(text)), ("logged_by", .string(loggedBy)),
            ("deal_stage", .optional(dealStage?.rawValue)), ("confidence", confidence.map(JSONValue.double) ?? .null),
        ])
    }
}

extension Verdict {
    /// Numbers with all their digits: fit and engagement as the qualifier holds them (to one
    /// decimal), each kind's points as computed; nothing is rounded again here.
    public var json: JSONValue {
        .object([
            ("verdict", .string(kind.rawValue)), ("score", .double(score)), ("fit", .double(fit)), ("engagement", .double(engagement)),
            ("criteria", .array(criteria.map {
                .object([
                    ("id", .string($0.criterion.id)), ("label", .string($0.criterion.label)), ("passed", .bool($0.passed)),
                    ("value", .optional($0.value)), ("points", .double($0.passed ? $0.criterion.points : 0)),
                ])
            })),
            ("activity", .array(activity.map {
                .object([("kind", .string($0.kind)), ("events", .int($0.events)), ("raw", .double($0.raw)), ("points", .double($0.points))])
            })),
            ("disqualifier", disqualifier.map { .object([("id", .string($0.id)), ("label", .string($0.label)), ("reason", .string($0.reasonCode))]) } ?? .null),
            ("unknown", .array(unknownFacts.map { .string($0.rawValue) })),
            ("missing_for_sql", .array(missingForSQL.map { .string($0.rawValue) })),
            ("definition_version", .string(definitionVersion)), ("next_step", .string(nextStep)),
        ])
    }
}

/// A lead with its account and what the definition says of it: how `qualify`, `leads` and
/// `why rejected` write a lead they judged.
public func qualifiedLeadJSON(_ lead: Lead, account: Account?, verdict: Verdict) -> JSONValue {
    .object([("lead", lead.json), ("account", account?.json ?? .null), ("verdict", verdict.json)])
}

extension GridBands {
    /// The fit × engagement grid's cuts: `fit` (`A`, `B`), `engagement` (`1`, `2`), `agreed`; a cut
    /// the definition cannot reach (it gives no such points) is null.
    public var json: JSONValue {
        func cut(_ value: Double) -> JSONValue { value.isFinite ? .double(value) : .null }
        return .object([
            ("fit", .object([("A", cut(fitA)), ("B", cut(fitB))])),
            ("engagement", .object([("1", cut(engagement1)), ("2", cut(engagement2))])),
            ("agreed", .bool(agreed)),
        ])
    }
}
