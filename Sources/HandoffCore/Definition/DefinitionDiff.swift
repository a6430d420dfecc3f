/// One difference between two versions of the definition, in the words `definition diff` prints:
/// which part (`fit`, `engagement`, `disqualifiers`, `thresholds`, `sla`, `grid`, `reasons`,
/// `themes`, `name`), which rule or setting, and what it was and became (nil when it was added or
/// removed).
public struct DefinitionChange: Sendable, Hashable {
    public var part: String
    public var id: String
    public var before: String?
    public var after: String?

    public init(part: String, id: String, before: String?, after: String?) {
        self.part = part
        self.id = id
        self.before = before
        self.after = after
    }

    /// "added", "removed" or "changed".
    public var kind: String { before == nil ? "added" : after == nil ? "removed" : "changed" }
}

extension Definition {
    /// What changed from this version to `other`, part by part in the file's order, each rule
    /// matched by its id: criteria, points, conditions, thresholds, the SLA, the grid, reasons and
    /// themes (their labels, phrases and examples).
    public func changes(to other: Definition) -> [DefinitionChange] {
        var changes: [DefinitionChange] = []
        func compare(_ part: String, _ id: String, _ before: String?, _ after: String?) {
            if before != after { changes.append(DefinitionChange(part: part, id: id, before: before, after: after)) }
        }
        /// Rules by id, in the order of the old version then the ones the new one adds: a rule
        /// added or removed in full (`shown`), a kept one aspect by aspect ("senior_role points").
        func byId<Rule>(
            _ part: String, _ old: [Rule], _ new: [Rule], id: (Rule) -> String, shown: (Rule) -> String,
            aspects: [(String, (Rule) -> String)] = []
        ) {
            let news = Dictionary(new.map { (id($0), $0) }, uniquingKeysWith: { first, _ in first })
            let olds = Set(old.map(id))
            for rule in old {
                guard let kept = news[id(rule)] else {
                    compare(part, id(rule), shown(rule), nil)
                    continue
                }
                if aspects.isEmpty { compare(part, id(rule), shown(rule), shown(kept)) }
                for (aspect, value) in aspects { compare(part, "\(id(rule)) \(aspect)", value(rule), value(kept)) }
            }
            for rule in new where !olds.contains(id(rule)) { compare(part, id(rule), nil, shown(rule)) }
        }
        compare("name", "name", name, other.name)
        byId(
            "fit", fit, other.fit, id: \.id, shown: { "\($0.label): \($0.field) \($0.condition), \($0.points.clean) points" },
            aspects: [("label", \.label), ("test", { "\($0.field) \($0.condition)" }), ("points", { $0.points.clean })])
        compare("engagement", "half_life_days", engagement.halfLifeDays.clean, other.engagement.halfLifeDays.clean)
        compare("engagement", "cap", Self.points(engagement.cap), Self.points(other.engagement.cap))
        func shown(_ score: EngagementRules.EventScore) -> String { "\(score.points.clean) points" + (score.cap.map { ", capped at \($0.clean)" } ?? "") }
        for kind in engagement.kinds.keys.sorted() {
            compare("engagement", kind, shown(engagement.kinds[kind]!), other.engagement.kinds[kind].map(shown))
        }
        for kind in other.engagement.kinds.keys.sorted() where engagement.kinds[kind] == nil {
            compare("engagement", kind, nil, shown(other.engagement.kinds[kind]!))
        }
        byId(
            "disqualifiers", disqualifiers, other.disqualifiers, id: \.id, shown: { "\($0.label): \($0.field) \($0.condition), reason \($0.reasonCode)" },
            aspects: [("label", \.label), ("test", { "\($0.field) \($0.condition)" }), ("reason", \.reasonCode)])
        compare("thresholds", "mql", thresholds.mql.clean, other.thresholds.mql.clean)
        compare("thresholds", "sql", thresholds.sqlRule, other.thresholds.sqlRule)
        compare("sla", "mql_response", sla?.text, other.sla?.text)
        func bands(_ grid: GridBands?) -> String? {
            grid.map { "fit A at \($0.fitA.clean), B at \($0.fitB.clean); engagement 1 at \($0.engagement1.clean), 2 at \($0.engagement2.clean)" }
        }
        compare("grid", "bands", bands(agreedGrid), bands(other.agreedGrid))
        byId("reasons", reasons, other.reasons, id: \.code, shown: \.label)
        byId("themes", themes, other.themes, id: \.id, shown: { theme in
            "\(theme.label): \(counted(theme.phrases.count, "phrase")), \(counted(theme.examples.count, "example"))"
        })
        // A theme whose words changed (phrases, examples, its answer, proof, content or call to
        // action) but not their number: say so rather than nothing.
        for theme in themes {
            guard let new = other.theme(theme.id), new != theme,
                !changes.contains(where: { $0.part == "themes" && $0.id == theme.id })
            else { continue }
            let same = "\(theme.label): \(counted(theme.phrases.count, "phrase")), \(counted(theme.examples.count, "example"))"
            changes.append(DefinitionChange(part: "themes", id: theme.id, before: same, after: same + " (its words changed)"))
        }
        return changes
    }

    private static func points(_ value: Double) -> String { value.isFinite ? value.clean : "none" }
}
