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
    /// The leads that became MQLs in the period: each one's first move into MQL.
    var mqls: [StageTransition] = []
    /// Leads imported as MQLs in the period: when they became MQLs is not known.
    var cameInAsMQL = 0
    /// Each lead's first move from MQL (or earlier) into SAL or past it: sales took the lead.
    var accepted: [StageTransition] = []
    /// Each lead's last move back to marketing.
    var nurtured: [StageTransition] = []
    /// Each lead's last move into won or lost.
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
        // Each lead once: its first move into MQL and its first accept of the period, the last
        // time it went back to nurture and its last close (a lead moved twice is one lead).
        // Leads imported in the period at a stage that is no close, and never moved since: a CRM's
        // export may close a deal by its outcome alone (X Education's lost leads sit at inquiry).
        var importedOpenStaged: [Int64] = []
        for moves in trails.values {
            let inPeriod = moves.filter { period.contains($0.at) }
            if let became = inPeriod.first(where: { $0.to == .mql && $0.from != nil }) { mqls.append(became) }
            // A lead imported as an MQL, or already won or lost, got there before it was here,
            // when nobody knows: counted apart, as `sla` leaves such MQLs out.
            if inPeriod.contains(where: { $0.to == .mql && $0.from == nil }) { cameInAsMQL += 1 }
            if inPeriod.contains(where: { ($0.to == .won || $0.to == .lost) && $0.from == nil }) {
                cameInClosed += 1
            } else if moves.count == 1, let only = moves.first, only.from == nil, period.contains(only.at) {
                importedOpenStaged.append(only.leadId)
            }
            if let accept = inPeriod.first(where: { salesStages.contains($0.to) && $0.from.map(marketingStages.contains) == true }) {
                accepted.append(accept)
            }
            if let back = inPeriod.last(where: { $0.to == .nurture && $0.from != nil }) { nurtured.append(back) }
            if let close = inPeriod.last(where: { ($0.to == .won || $0.to == .lost) && $0.from != nil }) { closed.append(close) }
        }
        if !importedOpenStaged.isEmpty {
            cameInClosed += try store.leads(ids: importedOpenStaged).values.filter { $0.outcome != .open }.count
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
        let named = try store.leads(ids: Array(ids))
        let accounts = try store.accounts(ids: Array(Set(named.values.compactMap(\.accountId))))
        for lead in named.values {
            let id = lead.id!
            let account = lead.accountId.flatMap { accounts[$0] }
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
