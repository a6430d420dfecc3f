import Foundation
import HandoffCore
import HandoffPluginAPI

/// `funnel [period]`: how leads created in a period moved through the hand-off, from the audit trail.
enum FunnelCommand {
    static let command = Command(
        name: "funnel",
        summary: "Leads at each stage (inquiry → MQL → SAL → SQL → opportunity → won/lost), conversion between them, median time in each",
        arguments: [CommandArgument("period", .timeRange, required: false, help: "leads created in this period (default: all)")],
        phrasings: ["pipeline", "conversion rates", "how is the handoff doing", "stage conversion"],
        examples: ["funnel", "funnel this quarter", "funnel last 90 days"],
        run: run)

    static let stages: [Stage] = [.inquiry, .mql, .sal, .sql, .opportunity, .won]

    static func run(_ request: Request, _ context: Context) throws -> Reply {
        let trail = try context.store.transitions(ofLeadsCreatedFrom: request.range?.start, to: request.range?.end)
        let byLead = Dictionary(grouping: trail, by: \.leadId)
        var reached: [Stage: Int] = [:]
        var lost = 0
        var durations: [Stage: [TimeInterval]] = [:]
        for (_, moves) in byLead {
            // A lead that reached a stage passed through every funnel stage before it, even when an
            // import skipped them.
            let highest = moves.compactMap { $0.to.funnelRank }.max() ?? 0
            for stage in stages where (stage.funnelRank ?? 0) <= highest && stage != .won { reached[stage, default: 0] += 1 }
            if moves.contains(where: { $0.to == .won }) { reached[.won, default: 0] += 1 }
            if moves.contains(where: { $0.to == .lost }) { lost += 1 }
            for (into, out) in zip(moves, moves.dropFirst()) where into.to.funnelRank != nil {
                durations[into.to, default: []].append(out.at.timeIntervalSince(into.at))
            }
        }
        let total = byLead.count
        guard total > 0 else {
            throw NotFoundError("no leads\(request.range.map { " created \($0.label)" } ?? "") to measure", hint: "try a longer period, or `funnel` for all leads")
        }
        var rows: [[String]] = []
        var json: [JSONValue] = []
        for (index, stage) in stages.enumerated() {
            let count = reached[stage, default: 0]
            let next = index + 1 < stages.count ? reached[stages[index + 1], default: 0] : nil
            let conversion = next.flatMap { count > 0 ? Double($0) / Double(count) : nil }
            let median = median(durations[stage, default: []])
            rows.append([stage.rawValue.uppercased(), "\(count)", conversion.map { String(format: "%.1f%%", $0 * 100) } ?? "—", median.map(days) ?? "—"])
            json.append(.object([
                ("stage", .string(stage.rawValue)), ("leads", .int(count)),
                ("conversion_to_next", conversion.map(JSONValue.double) ?? .null),
                ("median_days_in_stage", median.map { .double(($0 / 86_400 * 10).rounded() / 10) } ?? .null),
            ]))
        }
        let blocks: [Block] = [
            .heading("Funnel for \(total) leads\(request.range.map { " created \($0.description)" } ?? "")"),
            .table(Table(columns: ["stage", "reached", "on to next", "median time in stage"], rows: rows, numeric: [1, 2, 3])),
            .chart(BarChart(title: "", bars: stages.map { (label: $0.rawValue.uppercased(), value: Double(reached[$0, default: 0]), shown: "\(reached[$0, default: 0])") })),
            .note("\(lost) lost. Counts are leads that reached each stage; time in stage runs from entering it to the next change."),
        ]
        return Reply(blocks, result: .object([("leads", .int(total)), ("lost", .int(lost)), ("stages", .array(json))]))
    }

    static func median(_ values: [TimeInterval]) -> TimeInterval? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    static func days(_ interval: TimeInterval) -> String {
        let days = interval / 86_400
        return days < 1 ? String(format: "%.0f h", interval / 3600) : String(format: "%.1f days", days)
    }
}
