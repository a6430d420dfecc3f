import Foundation
import HandoffPluginAPI

/// `funnel [period]`: how leads created in a period moved through the hand-off, from the audit trail.
enum FunnelCommand {
    static let command = Command(
        name: "funnel",
        summary: "Leads that reached each stage (inquiry → MQL → SAL → SQL → opportunity → won), how many by a jump, conversion to the next, exits to lost/disqualified/nurture per stage, median time in each",
        arguments: [CommandArgument("period", .timeRange, required: false, help: "leads created in this period (default: all)")],
        phrasings: ["pipeline", "conversion rates", "how is the handoff doing", "stage conversion", "where are leads dropping", "time in each stage", "to mql rate", "how long do leads sit"],
        examples: ["funnel", "funnel this quarter", "funnel last 90 days"], sayings: QualificationSayings.funnel,
        run: run)

    static let stages: [Stage] = [.inquiry, .mql, .sal, .sql, .opportunity, .won]
    /// Where a lead leaves the funnel without a deal.
    static let exits: [Stage] = [.lost, .disqualified, .nurture]

    static func run(_ request: Request, _ context: Context) throws -> Reply {
        let trail = try context.store.moves(ofLeadsCreatedFrom: request.range?.start, to: request.range?.end)
        let byLead = Trail.standing(trail)
        // A CRM export may close a deal as lost with no stage to say so (the outcome only).
        var lostQuery = LeadQuery()
        lostQuery.outcomes = [.lost]
        lostQuery.createdFrom = request.range?.start
        lostQuery.createdTo = request.range?.end
        let lostByOutcome = Set(try context.store.leads(lostQuery).compactMap(\.id))

        var reached: [Stage: Int] = [:]
        /// Per stage, the leads whose way on from it is seen, and those of them that reached the next.
        var seen: [Stage: Int] = [:]
        var onward: [Stage: Int] = [:]
        /// Leads imported past inquiry: how they got where they came in is not known.
        var cameInPastInquiry = 0
        var jumped: [Stage: Int] = [:]
        var left: [Stage: [Stage: Int]] = [:]
        var lost = 0
        /// Lost by the outcome a CRM's export gave, with no move to say so.
        var lostByOutcomeAlone = 0
        var leadsThatJumped = 0
        var durations: [Stage: [TimeInterval]] = [:]
        for (leadId, moves) in byLead {
            // How far along the funnel the lead got: the furthest funnel stage it entered (lost,
            // nurture and disqualified are exits, not steps). Every lead was an inquiry.
            let furthest = moves.compactMap { $0.to == .lost ? nil : $0.to.funnelRank }.max() ?? 0
            let entered = Set(moves.map(\.to))
            // A lead whose trail starts past inquiry (imported as won, say) skipped inquiry too; one
            // that starts at an exit (imported as lost or nurture) never stepped into the funnel.
            let startedPastInquiry = moves.first.map { !exits.contains($0.to) && ($0.to.funnelRank ?? 0) > 0 } ?? false
            var skipped = false
            var reachedHere: Set<Stage> = []
            for stage in stages where stage.funnelRank! <= furthest {
                if stage == .won && !entered.contains(.won) { continue }
                reached[stage, default: 0] += 1
                reachedHere.insert(stage)
                // Reached by a jump: skipped on the way (an import at a later stage, or a move past it).
                if !entered.contains(stage) && (stage != .inquiry || startedPastInquiry) {
                    jumped[stage, default: 0] += 1
                    skipped = true
                }
            }
            if skipped { leadsThatJumped += 1 }
            // The lead's way is seen from the stage an import brought it in at: counting it as
            // converted at every step below (X Education's wins, imported as won) made each 100%.
            // It surely left inquiry, where every lead starts, so it counts in that step. A lead
            // imported at an exit (lost, nurture, disqualified) came in at no funnel stage.
            let cameInAt = moves.first.flatMap { $0.from == nil && !exits.contains($0.to) ? $0.to.funnelRank : nil } ?? 0
            if cameInAt > 0 { cameInPastInquiry += 1 }
            for (index, stage) in stages.enumerated().dropLast()
            where reachedHere.contains(stage) && (stage == .inquiry || stage.funnelRank! >= cameInAt) {
                seen[stage, default: 0] += 1
                if reachedHere.contains(stages[index + 1]) { onward[stage, default: 0] += 1 }
            }
            // Each exit counts at the funnel stage the lead left from.
            var at = Stage.inquiry
            var exitedLost = false
            for move in moves {
                if exits.contains(move.to) {
                    left[at, default: [:]][move.to, default: 0] += 1
                    if move.to == .lost { exitedLost = true }
                } else if move.to.funnelRank != nil {
                    at = move.to
                }
            }
            if !exitedLost && lostByOutcome.contains(leadId) {
                left[at, default: [:]][.lost, default: 0] += 1
                lostByOutcomeAlone += 1
                exitedLost = true
            }
            if exitedLost { lost += 1 }
            for (into, out) in zip(moves, moves.dropFirst()) where into.to.funnelRank != nil {
                durations[into.to, default: []].append(out.at.timeIntervalSince(into.at))
            }
        }
        let total = byLead.count
        guard total > 0 else {
            return Reply(
                [.text(request.range.map { "No leads were created in the period asked, \($0.description): the funnel is empty." } ?? "No leads yet: the funnel is empty."),
                 .note(request.range == nil ? "`import leads FILE` brings leads in (`demo` loads an example)." : "Try a longer period, or `funnel` for all leads.")],
                result: .object([("leads", .int(0)), ("lost", .int(0)), ("stages", .array([]))]))
        }
        var rows: [[String]] = []
        var json: [JSONValue] = []
        for (index, stage) in stages.enumerated() {
            let count = reached[stage, default: 0]
            let base = seen[stage, default: 0]
            let conversion = index + 1 < stages.count && base > 0 ? Double(onward[stage, default: 0]) / Double(base) : nil
            let median = median(durations[stage, default: []])
            let out = left[stage, default: [:]]
            rows.append([
                stage.rawValue.uppercased(), "\(count)", "\(jumped[stage, default: 0])",
                conversion.map { String(format: "%.1f%%", $0 * 100) + (base < count ? " of \(base)" : "") } ?? "—",
            ] + exits.map { "\(out[$0, default: 0])" } + [median.map(days) ?? "—"])
            json.append(.object([
                ("stage", .string(stage.rawValue)), ("leads", .int(count)), ("by_jump", .int(jumped[stage, default: 0])),
                ("conversion_to_next", conversion.map(JSONValue.double) ?? .null),
                ("conversion_leads", index + 1 < stages.count ? .int(base) : .null),
                ("exits", .object(exits.map { ($0.rawValue, .int(out[$0, default: 0])) })),
                ("median_days_in_stage", median.map { .double(($0 / 86_400 * 10).rounded() / 10) } ?? .null),
            ]))
        }
        let exitTotals = exits.map { exit in (exit, left.values.reduce(0) { $0 + $1[exit, default: 0] }) }
        var blocks: [Block] = [
            .heading("Funnel for \(total) lead\(total == 1 ? "" : "s")\(request.range.map { " created \($0.description)" } ?? "")"),
            .table(Table(
                columns: ["stage", "reached", "by a jump", "on to next", "lost", "disqualified", "nurture", "median time in stage"],
                rows: rows, numeric: Set(1...7))),
            .chart(BarChart(title: "", bars: stages.map { (label: $0.rawValue.uppercased(), value: Double(reached[$0, default: 0]), shown: "\(reached[$0, default: 0])") })),
            .note("\(reached[.won, default: 0]) won, \(lost) lost. " + exitTotals.map { exit, count in
                let moved = exit == .lost ? count - lostByOutcomeAlone : count
                return "\(moved) move\(moved == 1 ? "" : "s") to \(exit.rawValue)"
                    + (exit == .lost && lostByOutcomeAlone > 0 ? " (and \(lostByOutcomeAlone) lost by the outcome alone, with no move: an import)" : "")
            }.joined(separator: ", ") + ", each counted at the stage the lead left from."),
            .note("Reached counts a lead at every stage up to the furthest it got; \"by a jump\" are those that skipped the stage (imported at a later stage, or moved past it). \"On to next\" is the share of those that reached a stage that reached the next, jumps included, among the leads whose way on from the stage is seen (\"of N\" when that is fewer than reached: a lead imported at a later stage counts in no step below it but inquiry's). Time in stage runs from entering it to the next change. A move someone undid does not count."),
        ]
        // Most of the leads past inquiry skipped stages: what the table says between MQL and won
        // is then the import's doing, not the hand-off's.
        if cameInPastInquiry > 0 {
            blocks.append(.note("\(cameInPastInquiry) lead\(cameInPastInquiry == 1 ? "" : "s") came in past inquiry (an import): how \(cameInPastInquiry == 1 ? "it" : "they") got there is not known, so \(cameInPastInquiry == 1 ? "it counts" : "they count") as having left inquiry, and in no conversion after it before the stage \(cameInPastInquiry == 1 ? "it" : "they") came in at."))
        }
        if leadsThatJumped > 0 && leadsThatJumped * 2 > reached[.mql, default: 0] {
            blocks.append(.warning("most leads past inquiry got there by a jump: the funnel says little about the hand-off between MQL and won; the audit trail of these leads starts at an import"))
        }
        return Reply(blocks, result: .object([
            ("leads", .int(total)), ("won", .int(reached[.won, default: 0])), ("lost", .int(lost)), ("lost_by_outcome_alone", .int(lostByOutcomeAlone)),
            ("exits", .object(exitTotals.map { ($0.0.rawValue, .int($0.1)) })), ("came_in_past_inquiry", .int(cameInPastInquiry)), ("stages", .array(json)),
        ]))
    }

    static func median(_ values: [TimeInterval]) -> TimeInterval? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    static func days(_ interval: TimeInterval) -> String {
        let days = interval / 86_400
        // Halves round up, as people round (printf's %.1f makes 26.25 days "26.2" beside 33.75's "33.8").
        return days < 1 ? String(format: "%.0f h", (interval / 3600).rounded()) : String(format: "%.1f days", (days * 10).rounded() / 10)
    }
}
