/// Where a lead stands in the hand-off, from first inquiry to a closed deal.
///
/// The funnel reads inquiry → MQL → SAL → SQL → opportunity → won/lost; `nurture` is marketing's
/// holding pen for leads that are not ready, and `disqualified` is where the hard rules send a lead.
public enum Stage: String, Sendable, Codable, CaseIterable, Comparable {
    case inquiry, mql, sal, sql, opportunity, won, lost, nurture, disqualified

    /// The funnel order; `nurture` and `disqualified` sit beside the funnel, not in it.
    public var funnelRank: Int? {
        switch self {
        case .inquiry: 0
        case .mql: 1
        case .sal: 2
        case .sql: 3
        case .opportunity: 4
        case .won, .lost: 5
        case .nurture, .disqualified: nil
        }
    }

    public static func < (lhs: Stage, rhs: Stage) -> Bool {
        (lhs.funnelRank ?? -1, lhs.rawValue) < (rhs.funnelRank ?? -1, rhs.rawValue)
    }

    /// Every name `init(loose:)` reads, by its letters alone ("closedwon" for "Closed Won",
    /// "closed-won" and "closed won"), as CRM exports write them ("customer" is won).
    public static let words: [String: Stage] = [
        "inquiry": .inquiry, "enquiry": .inquiry, "lead": .inquiry, "new": .inquiry, "subscriber": .inquiry, "open": .inquiry,
        "mql": .mql, "marketingqualified": .mql, "marketingqualifiedlead": .mql,
        "sal": .sal, "salesaccepted": .sal, "salesacceptedlead": .sal, "accepted": .sal, "working": .sal,
        "sql": .sql, "salesqualified": .sql, "salesqualifiedlead": .sql, "qualified": .sql,
        "opportunity": .opportunity, "opp": .opportunity,
        "won": .won, "customer": .won, "closedwon": .won, "converted": .won,
        "lost": .lost, "closedlost": .lost,
        "nurture": .nurture, "nurturing": .nurture, "recycled": .nurture,
        "disqualified": .disqualified, "unqualified": .disqualified, "rejected": .disqualified, "junk": .disqualified,
    ]

    /// The names `init(loose:)` reads besides the stages' own, by their letters alone, sorted.
    public static let otherWords: [String] = words.keys.filter { Stage(rawValue: $0) == nil }.sorted()

    /// Reads a stage as people write it: "MQL", "Sales Accepted", "opportunity".
    public init?(loose text: String) {
        guard let stage = Self.words[text.lowercased().filter { $0.isLetter }] else { return nil }
        self = stage
    }
}

/// How a lead's story ended, when it has: the label the definition is measured against.
public enum Outcome: String, Sendable, Codable, CaseIterable {
    case open, won, lost

    /// The outcome a closing stage means: won for won, lost for lost, none for the others.
    public init?(closing stage: Stage?) {
        switch stage {
        case .won: self = .won
        case .lost: self = .lost
        default: return nil
        }
    }

    /// Reads outcomes as CRM exports write them: "1"/"0", "yes"/"no", "Closed Won".
    public init?(loose text: String) {
        let key = text.lowercased().filter { $0.isLetter || $0.isNumber }
        switch key {
        case "open", "": self = .open
        case "won", "1", "yes", "true", "converted", "closedwon", "customer": self = .won
        case "lost", "0", "no", "false", "closedlost", "notconverted": self = .lost
        default: return nil
        }
    }
}
