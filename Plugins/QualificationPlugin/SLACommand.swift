import Foundation
import HandoffPluginAPI

/// `sla [period]`: whether sales answers marketing's MQLs as soon as the two teams agreed
/// (`sla: mql_response` in the definition). "Make sure sales sells": the MQLs nobody has accepted
/// or rejected past the SLA, how fast each owner answers, and the share answered in time.
enum SLACommand {
    static let command = Command(
        name: "sla",
        summary: "The sales SLA: MQLs nobody answered in time (oldest first), response times per owner, the share met this period against the last",
        arguments: [CommandArgument("period", .timeRange, required: false, help: "MQLs made in this period (default: the last 30 days)")],
        phrasings: ["which mqls has nobody called", "sla breaches", "response time to mqls", "who is slow to follow up", "mqls waiting too long"],
        examples: ["sla", "sla this month", "which MQLs has nobody called?"], sayings: QualificationSayings.sla,
        run: run)

    /// One time a lead became an MQL, and what sales did about it.
    struct Handover {
        var leadId: Int64
        var at: Date
        /// When sales moved it on (accepted, rejected, nurtured…); nil while it waits.
        var answeredAt: Date?
    }

    /// A lead as the SLA needs it.
    struct Seen {
        var name: String
        var owner: String
        var stage: Stage
    }

    static func run(_ request: Request, _ context: Context) throws -> Reply {
        guard let sla = context.definition.sla else {
            throw UsageError(
                "the definition in force (version \(context.definition.version)) has no sales SLA",
                hint: "agree one and add it to the definition: sla: { mql_response: 2 business days }")
        }
        let now = context.clock.now
        // As `sla last 30 days` reads it, and the objections commands default to.
        let period = request.range ?? TimeParser(clock: context.clock).parse("last 30 days")!
        let before = period.previous

        // Each move into MQL, answered by the lead's next standing move, if any, of the leads the
        // answer is about: those that became MQLs in the two periods compared and those still at
        // MQL. A lead that came in as an MQL (an import) became one before it was here, when nobody
        // knows: left out, and counted when it would have been in the answer.
        var handovers: [Handover] = []
        var cameInAsMQL = 0
        let since = min(before.start, period.start)
        Trail.forEachLead(try context.store.moves(ofLeadsAt: .mql, orMovedIntoItFrom: since, to: period.end)) { leadId, moves in
            for (index, move) in moves.enumerated() where move.to == .mql {
                let answeredAt = moves.dropFirst(index + 1).first?.at
                guard move.from != nil else {
                    if answeredAt == nil || (move.at >= since && move.at < period.end) { cameInAsMQL += 1 }
                    continue
                }
                handovers.append(Handover(leadId: leadId, at: move.at, answeredAt: answeredAt))
            }
        }
        // The names, owners and stages of the leads the answer names: the MQLs still waiting (whether
        // one is overdue depends on where it stands now) and the period's (their owners' response
        // times).
        let named = Set(handovers.lazy.filter { $0.answeredAt == nil || period.contains($0.at) }.map(\.leadId))
        let leads = try context.store.leads(ids: Array(named)).mapValues { Seen(name: $0.name, owner: $0.owner ?? "", stage: $0.stage) }

        // Waiting now past the SLA, oldest first: whatever period was asked, these need a call today.
        let overdue = handovers.filter { $0.answeredAt == nil && leads[$0.leadId]?.stage == .mql && sla.elapsed(from: $0.at, to: now) > sla.mqlResponse }
            .sorted { $0.at < $1.at }
        let clock = sla.businessDays ? "weekday hours" : "hours"
        func hours(_ seconds: TimeInterval) -> String { String(format: "%.1f", seconds / 3_600) }

        struct Share {
            var met = 0
            var missed = 0
            var pending = 0
            var share: Double? { met + missed == 0 ? nil : Double(met) / Double(met + missed) }
        }
        func share(in range: TimeRange) -> Share {
            var share = Share()
            for handover in handovers where range.contains(handover.at) {
                let taken = sla.elapsed(from: handover.at, to: handover.answeredAt ?? now)
                if taken > sla.mqlResponse { share.missed += 1 } else if handover.answeredAt != nil { share.met += 1 } else { share.pending += 1 }
            }
            return share
        }
        let (current, previous) = (share(in: period), share(in: before))

        // Response times per owner, of the MQLs of the period that sales answered.
        var byOwner: [String: [TimeInterval]] = [:]
        for handover in handovers where period.contains(handover.at) {
            guard let answered = handover.answeredAt else { continue }
            byOwner[leads[handover.leadId]?.owner ?? "", default: []].append(sla.elapsed(from: handover.at, to: answered))
        }
        let owners = byOwner.map { owner, times -> (owner: String, times: [TimeInterval], met: Int) in
            (owner, times.sorted(), times.filter { $0 <= sla.mqlResponse }.count)
        }.sorted { ($0.times.count, $1.owner) > ($1.times.count, $0.owner) }
        func percentile90(_ sorted: [TimeInterval]) -> TimeInterval { sorted[Int((0.9 * Double(sorted.count)).rounded(.up)) - 1] }
        func percent(_ value: Double?) -> String { value.map { String(format: "%.0f%%", $0 * 100) } ?? "—" }
        func owner(_ name: String) -> String { name.isEmpty ? "(no owner)" : name }

        var blocks: [Block] = [
            .heading("Sales SLA: accept or reject an MQL within \(sla.text)"),
            .heading("Waiting past it now: \(overdue.count) MQL\(overdue.count == 1 ? "" : "s"), oldest first"),
        ]
        if !overdue.isEmpty {
            blocks.append(.table(Table(
                columns: ["lead", "owner", "MQL since", clock + " waiting", "past the SLA by"],
                rows: overdue.map { handover in
                    let waited = sla.elapsed(from: handover.at, to: now)
                    return [leads[handover.leadId]?.name ?? "#\(handover.leadId)", owner(leads[handover.leadId]?.owner ?? ""),
                            Timestamp.iso(handover.at).prefix(16).replacingOccurrences(of: "T", with: " "), hours(waited), hours(waited - sla.mqlResponse)]
                },
                numeric: [3, 4])))
        }
        blocks.append(.heading("MQLs made \(period.description): \(current.met) answered in time, \(current.missed) not\(current.pending > 0 ? ", \(current.pending) still within it" : "")"))
        blocks.append(.keyValues([
            ("met", "\(percent(current.share)) (\(current.met) of \(current.met + current.missed)), against \(percent(previous.share)) \(before.label) (\(previous.met) of \(previous.met + previous.missed))"),
        ]))
        if !owners.isEmpty {
            blocks.append(.table(Table(
                columns: ["owner", "answered", "median " + clock, "90th percentile", "in time"],
                rows: owners.map { [owner($0.owner), "\($0.times.count)", hours(median($0.times)), hours(percentile90($0.times)), percent(Double($0.met) / Double($0.times.count))] },
                numeric: [1, 2, 3, 4])))
        }
        blocks.append(.note("An MQL is answered by the lead's next move (accepted, rejected, nurtured or moved on). Times are counted in \(clock) (\(sla.businessDays ? "24 a day, Monday to Friday, UTC: \(sla.text) are \(hours(sla.mqlResponse))" : "by the clock")); one still waiting past the SLA counts as missed. A move someone undid is no answer."))
        if cameInAsMQL > 0 {
            blocks.append(.warning(cameInAsMQL == 1
                ? "1 lead came in as an MQL (an import): when it became one is not known, so the SLA leaves it out"
                : "\(cameInAsMQL) leads came in as MQLs (an import): when they became MQLs is not known, so the SLA leaves them out"))
        }
        let result = JSONValue.object([
            ("sla", .string(sla.text)), ("business_days", .bool(sla.businessDays)), ("seconds", .double(sla.mqlResponse)),
            ("came_in_as_mql", .int(cameInAsMQL)),
            ("overdue", .array(overdue.map { handover in
                .object([
                    ("lead_id", .int(Int(handover.leadId))), ("lead", .string(leads[handover.leadId]?.name ?? "")),
                    ("owner", leads[handover.leadId].map { $0.owner.isEmpty ? .null : .string($0.owner) } ?? .null),
                    ("mql_since", .string(Timestamp.iso(handover.at))), ("hours_waiting", .double(sla.elapsed(from: handover.at, to: now) / 3_600)),
                ])
            })),
            ("period", .object([("start", .string(Timestamp.iso(period.start))), ("end", .string(Timestamp.iso(period.end))),
                                ("met", .int(current.met)), ("missed", .int(current.missed)), ("pending", .int(current.pending)),
                                ("share_met", current.share.map(JSONValue.double) ?? .null)])),
            ("previous", .object([("met", .int(previous.met)), ("missed", .int(previous.missed)), ("pending", .int(previous.pending)),
                                  ("share_met", previous.share.map(JSONValue.double) ?? .null)])),
            ("owners", .array(owners.map {
                .object([("owner", $0.owner.isEmpty ? .null : .string($0.owner)), ("answered", .int($0.times.count)),
                         ("median_hours", .double(median($0.times) / 3_600)), ("p90_hours", .double(percentile90($0.times) / 3_600)),
                         ("met", .int($0.met))])
            })),
        ])
        return Reply(blocks, result: result)
    }

    /// The median of answer times, of which every owner listed has at least one.
    static func median(_ times: [TimeInterval]) -> TimeInterval { FunnelCommand.median(times) ?? 0 }
}
