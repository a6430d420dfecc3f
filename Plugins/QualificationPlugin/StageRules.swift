import HandoffCore

/// Which stage moves the hand-off allows, and why the others are refused.
enum StageRules {
    static let allowed: [Stage: Set<Stage>] = [
        .inquiry: [.mql, .nurture, .disqualified],
        .mql: [.sal, .nurture, .disqualified],
        .sal: [.sql, .nurture, .disqualified],
        .sql: [.opportunity, .nurture, .disqualified],
        .opportunity: [.won, .lost],
        .nurture: [.mql, .disqualified],
        .disqualified: [.nurture],
        .won: [],
        .lost: [.nurture],
    ]

    /// Nil when `from` → `to` is allowed; otherwise the reason it is not.
    static func refusal(_ name: String, from: Stage, to: Stage) -> String? {
        if from == to { return "\(name) is already \(to.rawValue)" }
        if allowed[from, default: []].contains(to) { return nil }
        let options = allowed[from, default: []].map(\.rawValue).sorted()
        if options.isEmpty { return "\(name) is \(from.rawValue): the deal is closed and the stage is final" }
        return "\(name) is \(from.rawValue); from there it can go to \(options.joined(separator: ", ")), not \(to.rawValue)"
    }
}
