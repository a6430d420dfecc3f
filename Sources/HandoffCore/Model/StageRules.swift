/// Which stage moves the hand-off allows, and why the others are refused: one rule for a rep's
/// `stage`, `accept`, `nurture` and `reject` and for an import alike.
public enum StageRules {
    /// The moves a person makes one at a time. Nurture and disqualified are reachable from every
    /// open stage; a won deal is final; a lost one may go back to marketing to nurture.
    public static let allowed: [Stage: Set<Stage>] = [
        .inquiry: [.mql, .nurture, .disqualified],
        .mql: [.sal, .nurture, .disqualified],
        .sal: [.sql, .nurture, .disqualified],
        .sql: [.opportunity, .nurture, .disqualified],
        .opportunity: [.won, .lost, .nurture, .disqualified],
        .nurture: [.mql, .disqualified],
        .disqualified: [.nurture],
        .won: [],
        .lost: [.nurture],
    ]

    /// Nil when `from` → `to` is allowed; otherwise the reason it is not.
    public static func refusal(_ name: String, from: Stage, to: Stage) -> String? {
        if from == to { return "\(name) is already \(to.rawValue)" }
        if allowed[from, default: []].contains(to) { return nil }
        let options = allowed[from, default: []].map(\.rawValue).sorted()
        if options.isEmpty { return "\(name) is \(from.rawValue): the deal is closed and the stage is final" }
        return "\(name) is \(from.rawValue); from there it can go to \(options.joined(separator: ", ")), not \(to.rawValue)"
    }

    /// Nil when an import may move a stored lead from `from` to `to`. A CRM export shows where a
    /// lead stands now, so it may skip stages forward; it may not reopen a closed deal, bring back
    /// a disqualified lead other than to nurture, or move a lead back down the funnel.
    public static func importRefusal(from: Stage, to: Stage) -> String? {
        if from == to || allowed[from, default: []].contains(to) { return nil }
        switch from {
        case .won:
            return "the lead is won: the deal is closed and the stage is final, so the file cannot move it to \(to.rawValue)"
        case .lost, .disqualified:
            return "the lead is \(from.rawValue); from there only nurture brings it back, not \(to.rawValue)"
        default:
            break
        }
        if to == .nurture || to == .disqualified { return nil }
        if let fromRank = from.funnelRank, let toRank = to.funnelRank, toRank < fromRank {
            return "the lead is \(from.rawValue), further along than \(to.rawValue): the funnel does not go back (nurture sends a lead back to marketing)"
        }
        return nil
    }
}
