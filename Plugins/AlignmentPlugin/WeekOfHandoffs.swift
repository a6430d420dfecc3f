import Foundation
import HandoffPluginAPI

/// What crossed the line between marketing and sales in a period, from the audit trail: the leads
/// that became MQLs, the ones sales accepted, rejected or sent back, and the deals that closed.
/// Only moves that stand count: one someone undid is no hand-off.
struct WeekOfHandoffs {
    /// A lead as the report names it.
    struct Named {
        var lead: Lead
        var account: String?
        var verdict: Verdict
    }

    var period: TimeRange
    /// Moves into MQL in the period, a lead's first stage included (an import that brought it in as one).
    var mqls: [StageTransition] = []
    /// Moves from MQL (or earlier) into SAL or past it: sales took the lead.
    var accepted: [StageTransition] = []
    /// Moves back to marketing.
    var nurtured: [StageTransition] = []
    /// Moves into won or lost.
    var closed: [StageTransition] = []
    /// Leads that came in (an import) already won or lost in the period: not deals closed in it.
    var cameInClosed = 0
    /// The rejections made in the period whose move to disqualified stands, by a rep or a rule.
    var rejections: [Rejection] = []
    /// Every lead named above, with its verdict now.
    var leads: [Int64: Named] = [:]

    init(period: TimeRange, context: Context) throws {
        self.period = period
        let store = context.store
        let trails = Trail.standing(try store.transitions(ofLeadsMovedFrom: period.start, to: period.end))
        let salesStages: Set<Stage> = [.sal, .sql, .opportunity]
        let marketingStages: Set<Stage> = [.inquiry, .mql, .nurture]
        for moves in trails.values {
            for move in moves where period.contains(move.at) {
                if move.to == .mql { mqls.append(move) }
                if salesStages.contains(move.to), move.from.map(marketingStages.contains) == true { accepted.append(move) }
                if move.to == .nurture, move.from != nil { nurtured.append(move) }
                // A lead imported already won or lost closed before it was here, when nobody knows.
                if move.to == .won || move.to == .lost {
                    if move.from == nil { cameInClosed += 1 } else { closed.append(move) }
                }
            }
        }
        rejections = try store.rejections(from: period.start, to: period.end).filter { rejection in
            trails[rejection.leadId]?.contains { $0.to == .disqualified && $0.at == rejection.at } == true
        }
        func inTimeOrder(_ a: StageTransition, _ b: StageTransition) -> Bool { (a.at, a.leadId) < (b.at, b.leadId) }
        mqls.sort(by: inTimeOrder)
        accepted.sort(by: inTimeOrder)
        nurtured.sort(by: inTimeOrder)
        closed.sort(by: inTimeOrder)

        // Today's verdicts of the leads named, as `qualify` gives them.
        let ids = Set((mqls + accepted + nurtured + closed).map(\.leadId) + rejections.map(\.leadId))
        let events = try store.events(leadIds: Array(ids))
        let qualifier = Qualifier(definition: context.definition)
        for id in ids {
            guard let lead = try store.lead(id: id) else { continue }
            let account = try lead.accountId.flatMap(store.account(id:))
            leads[id] = Named(lead: lead, account: account?.name, verdict: qualifier.verdict(for: lead, account: account, events: events[id] ?? [], at: context.clock.now))
        }
    }

    func name(_ id: Int64) -> String { leads[id]?.lead.name ?? "#\(id)" }

    /// The new MQLs by source, most first.
    var mqlsBySource: [(source: String, count: Int)] {
        Dictionary(grouping: mqls) { leads[$0.leadId]?.lead.source ?? "" }
            .map { (source: $0.key.isEmpty ? "(no source)" : $0.key, count: $0.value.count) }
            .sorted { ($0.count, $1.source) > ($1.count, $0.source) }
    }

    /// How the definition in force judged the deals that closed in the period: precision (MQLs
    /// that were won) and recall (wins that were MQLs), on today's verdicts.
    struct Health {
        var closed = 0
        var won = 0
        var mqls = 0
        var wonMQLs = 0
        var precision: Double? { mqls == 0 ? nil : Double(wonMQLs) / Double(mqls) }
        var recall: Double? { won == 0 ? nil : Double(wonMQLs) / Double(won) }
    }

    var health: Health {
        var health = Health()
        for move in closed {
            guard let named = leads[move.leadId] else { continue }
            let isMQL = named.verdict.kind == .mql || named.verdict.kind == .sql
            health.closed += 1
            if move.to == .won { health.won += 1 }
            if isMQL { health.mqls += 1 }
            if isMQL && move.to == .won { health.wonMQLs += 1 }
        }
        return health
    }
}
