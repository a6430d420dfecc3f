public import Foundation

/// Applies the agreed definition to a lead: fit from who they are, engagement from what they did
/// (halved every half-life, capped), the hard disqualifiers, and the thresholds.
public struct Qualifier: Sendable {
    public let definition: Definition

    public init(definition: Definition) { self.definition = definition }

    public func verdict(for lead: Lead, account: Account?, events: [EngagementEvent], at now: Date) -> Verdict {
        let criteria = definition.fit.map { criterion -> Verdict.CriterionResult in
            let value = criterion.field.value(of: lead, account: account)
            return .init(criterion: criterion, passed: criterion.condition.holds(for: value), value: value)
        }
        let fit = criteria.filter(\.passed).reduce(0) { $0 + $1.criterion.points }

        var byKind: [String: (events: Int, raw: Double, decayed: Double)] = [:]
        let halfLife = definition.engagement.halfLifeDays * 86_400
        for event in events where event.occurredAt <= now {
            guard let rule = definition.engagement.kinds[event.kind] else { continue }
            let age = now.timeIntervalSince(event.occurredAt)
            var entry = byKind[event.kind] ?? (0, 0, 0)
            entry.events += 1
            entry.raw += rule.points
            entry.decayed += rule.points * pow(0.5, age / halfLife)
            byKind[event.kind] = entry
        }
        let activity = byKind.map { kind, entry in
            Verdict.ActivityResult(
                kind: kind, events: entry.events, raw: entry.raw,
                points: min(entry.decayed, definition.engagement.kinds[kind]?.cap ?? .infinity))
        }.sorted { ($0.points, $1.kind) > ($1.points, $0.kind) }
        let engagement = min(activity.reduce(0) { $0 + $1.points }, definition.engagement.cap)

        let disqualifier = definition.disqualifiers.first { $0.condition.holds(for: $0.field.value(of: lead, account: account)) }
        let unknown = QualificationFacts.Fact.allCases.filter { lead.facts[$0] == nil }
        let missing = definition.thresholds.sqlConfirmed.filter { lead.facts[$0] != true }
        // The score as shown, to one decimal, is the score compared: a lead shown at 40.0 is not
        // kept under a threshold of 40 by the hundredths that were rounded away.
        let score = Self.shownScore(fit: fit, engagement: engagement)
        let kind: Verdict.Kind =
            disqualifier != nil ? .disqualified
            : score >= definition.thresholds.sqlScore && missing.isEmpty ? .sql
            : score >= definition.thresholds.mql ? .mql
            : .nurture
        var verdict = Verdict(
            kind: kind, fit: Self.round(fit), engagement: Self.round(engagement), criteria: criteria, activity: activity,
            disqualifier: disqualifier, unknownFacts: unknown, missingForSQL: missing, definitionVersion: definition.version,
            nextStep: "")
        verdict.nextStep = nextStep(for: verdict, lead: lead)
        return verdict
    }

    /// Scores are shown and compared to one decimal.
    static func round(_ value: Double) -> Double { (value * 10).rounded() / 10 }

    /// The score a lead is shown with and judged by: fit and engagement each to one decimal, and
    /// their sum too (16.4, not 16.400000000000002).
    static func shownScore(fit: Double, engagement: Double) -> Double { round(round(fit) + round(engagement)) }

    /// What the definition needs confirmed for SQL, said only when it needs something.
    private var confirmed: String {
        let facts = definition.thresholds.sqlConfirmed.map(\.rawValue)
        return facts.isEmpty ? "" : "; \(facts.joined(separator: ", ")) \(facts.count == 1 ? "is" : "are") confirmed"
    }

    /// What to do next follows where the lead stands first, and the verdict second: a won deal is
    /// not handed to sales again, and an accepted lead is sales' to qualify, not marketing's to hand over.
    private func nextStep(for verdict: Verdict, lead: Lead) -> String {
        let name = lead.name
        // A CRM that closed the deal by its outcome may leave its stage where it was (X Education's
        // lost leads sit at inquiry): whatever the score, there is nothing to hand over.
        if lead.outcome != .open && lead.stage != .won && lead.stage != .lost {
            return "None in the hand-off: the deal is closed as \(lead.outcome.rawValue) (its stage is still \(lead.stage.rawValue)), so it is in no queue."
        }
        switch lead.stage {
        case .won:
            return "None in the hand-off: the deal is won. Ask for a referral or a case study."
        case .lost:
            return verdict.kind == .mql || verdict.kind == .sql
                ? "The deal was lost, but the lead scores as \(verdict.kind.label) today: `nurture \(name)` to bring it back to marketing."
                : "The deal was lost: `nurture \(name)` when marketing should work it again."
        case .disqualified:
            if let rule = verdict.disqualifier {
                return "Stay disqualified: \(rule.label.lowercased()) (\(rule.reasonCode)) still holds."
            }
            return "Disqualified by sales; `why rejected \(name)` says why. `nurture \(name)` if that no longer holds."
        case .opportunity:
            return "Sales to close it: `stage \(name) won` or `stage \(name) lost`."
        case .sql:
            return "Sales to turn it into an opportunity when a proposal is asked for (`stage \(name) opportunity`)."
        case .sal:
            if let fact = verdict.missingForSQL.first {
                return "Sales to qualify it: ask about \(Self.question(fact)) first."
            }
            return "Sales to confirm it as SQL (`stage \(name) sql`)\(confirmed)."
        case .mql:
            if verdict.kind == .disqualified, let rule = verdict.disqualifier {
                return "Reject it: \(rule.label.lowercased()) (`reject \(name) because \(rule.reasonCode)`)."
            }
            return "Sales to accept or reject it (`accept \(name)`, or `reject \(name) because …`)."
        case .inquiry, .nurture:
            return handOver(verdict, name: name)
        }
    }

    /// For a lead still with marketing: whether to hand it to sales, and what to ask first.
    private func handOver(_ verdict: Verdict, name: String) -> String {
        switch verdict.kind {
        case .disqualified:
            let rule = verdict.disqualifier!
            return "Do not hand to sales: \(rule.label.lowercased()) (\(rule.reasonCode))."
        case .sql:
            return "Hand to sales now (`stage \(name) mql`): book a meeting\(confirmed)."
        case .mql:
            if let fact = verdict.missingForSQL.first {
                return "Hand to sales (`stage \(name) mql`); they will ask about \(Self.question(fact)) first."
            }
            return "Hand to sales (`stage \(name) mql`): the score is at SQL level once the rep confirms it."
        case .nurture:
            let gap = definition.thresholds.mql - verdict.score
            let strongest = definition.engagement.kinds.max { $0.value.points < $1.value.points }
            let example = strongest.map { ", e.g. a \($0.key.replacingOccurrences(of: "_", with: " ")) is worth \($0.value.points.clean)" } ?? ""
            return "Keep nurturing: \(gap.clean(decimals: 1)) more points to MQL\(example)."
        }
    }

    static func question(_ fact: QualificationFacts.Fact) -> String {
        switch fact {
        case .budget: "budget (is money set aside this year?)"
        case .authority: "authority (who signs?)"
        case .need: "need (what problem must this solve?)"
        case .timing: "timing (when must it be live?)"
        }
    }
}

extension Double {
    /// A number with at most `decimals` decimals, and none when it is whole.
    public func clean(decimals: Int) -> String {
        let factor = pow(10, Double(decimals))
        let rounded = (self * factor).rounded() / factor
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
