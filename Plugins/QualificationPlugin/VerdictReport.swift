import Foundation
import HandoffPluginAPI

/// A verdict as blocks for people and JSON for programs.
enum VerdictReport {
    /// The values the qualification template reads (Prompts/qualification.mustache).
    static func templateValues(_ verdict: Verdict, lead: Lead, account: Account?) -> [String: any Sendable] {
        var values: [String: any Sendable] = [
            "lead": lead.name, "verdict": verdict.kind.label, "score": verdict.score.clean(decimals: 1),
            "fit": verdict.fit.clean(decimals: 1), "engagement": verdict.engagement.clean(decimals: 1),
            "version": verdict.definitionVersion, "next_step": verdict.nextStep,
        ]
        if let account { values["account"] = account.name }
        if let rule = verdict.disqualifier { values["disqualifier"] = rule.label }
        let (favour, against, lacks) = Self.lists(verdict)
        if !favour.isEmpty { values["passed"] = favour.joined(separator: ", ") }
        if !against.isEmpty { values["against"] = against.joined(separator: ", ") }
        if !lacks.isEmpty { values["lacks"] = lacks.joined(separator: ", ") }
        // A lead sales turned down, or a deal closed, has nothing left for sales to confirm.
        let settled = lead.stage == .disqualified || lead.stage == .won || lead.stage == .lost || lead.outcome != .open
        if !verdict.unknownFacts.isEmpty, !settled { values["unknown"] = verdict.unknownFacts.map(\.rawValue).joined(separator: ", ") }
        return values
    }

    /// What counts for the lead (criteria that held, with their points), what counts against it
    /// (penalties that fired), and what it lacks (criteria that give points and did not hold). A
    /// criterion that did not hold while another on the same field did is an alternative of one
    /// kind (manager when the lead is a VP), not something the lead lacks.
    static func lists(_ verdict: Verdict) -> (favour: [String], against: [String], lacks: [String]) {
        let favour = verdict.criteria.filter { $0.passed && $0.criterion.points > 0 }
            .map { "\($0.criterion.label.lowercased()) (+\($0.criterion.points.clean))" }
        let against = verdict.criteria.filter { $0.passed && $0.criterion.points < 0 }
            .map { "\($0.criterion.label.lowercased()) (\($0.criterion.points.clean))" }
        let lacks = lacking(verdict).map { "\($0.criterion.label.lowercased()) (+\($0.criterion.points.clean))" }
        return (favour, against, lacks)
    }

    /// The criteria that give points and did not hold, less the alternatives of a field on which
    /// another criterion held (a VP is not short of being a manager). `qualify` calls them what the
    /// lead lacks, `why rejected` what failed then.
    static func lacking(_ verdict: Verdict) -> [Verdict.CriterionResult] {
        let heldFields = Set(verdict.criteria.filter(\.passed).map { "\($0.criterion.field)" })
        return verdict.criteria.filter { !$0.passed && $0.criterion.points > 0 && !heldFields.contains("\($0.criterion.field)") }
    }

    static func blocks(_ verdict: Verdict, lead: Lead, account: Account?, definition: Definition, summary: String) -> [Block] {
        var blocks: [Block] = [
            .text(summary),
            .heading("\(lead.name)\(account.map { " (\($0.name))" } ?? ""): \(verdict.kind.label) — score \(verdict.score.clean(decimals: 1)) (fit \(verdict.fit.clean(decimals: 1)) + engagement \(verdict.engagement.clean(decimals: 1)))"),
            .keyValues([
                ("MQL at", "\(definition.thresholds.mql.clean) · \(definition.thresholds.sqlRule)"),
                ("stage now", lead.stage.rawValue),
                ("unknown", verdict.unknownFacts.isEmpty ? "nothing: budget, authority, need and timing are known" : verdict.unknownFacts.map(\.rawValue).joined(separator: ", ")),
                ("definition", "version \(verdict.definitionVersion)"),
            ]),
        ]
        if let rule = verdict.disqualifier {
            blocks.append(.warning("disqualified by rule '\(rule.id)': \(rule.label) (\(rule.field) \(rule.condition))"))
        }
        blocks.append(.table(Table(
            columns: ["", "fit criterion", "value", "points"],
            rows: verdict.criteria.map {
                [$0.passed ? ($0.criterion.points < 0 ? "−" : "✓") : "✗", $0.criterion.label, $0.value ?? "—", $0.passed ? $0.criterion.points.clean : "0"]
            },
            numeric: [3])))
        if !verdict.activity.isEmpty {
            blocks.append(.table(Table(
                columns: ["engagement", "events", "raw points", "counted"],
                rows: verdict.activity.map { [$0.kind.replacingOccurrences(of: "_", with: " "), "\($0.events)", $0.raw.clean(decimals: 1), $0.points.clean(decimals: 1)] },
                numeric: [1, 2, 3])))
            blocks.append(.note("counted: the points after the \(definition.engagement.halfLifeDays.clean(decimals: 1))-day half-life and each kind's cap\(verdict.engagement < verdict.activity.reduce(0) { $0 + $1.points } ? "; engagement as a whole is capped at \(definition.engagement.cap.clean(decimals: 1))" : "")"))
        }
        return blocks
    }
}
