import Foundation
import HandoffPluginAPI

/// `sources [period]`: the value of leads by where they came from. "The value of leads can only be
/// measured one way: how many converted to customers and in what timeframe": for each source, how
/// far its leads got and how long each side held them, from the audit trail.
enum SourcesCommand {
    static let command = Command(
        name: "sources",
        summary: "Lead value by source: leads, the share that became MQL, SQL and won, lost and disqualified, days with marketing and the sales cycle",
        arguments: [
            CommandArgument(
                "by", .choice(["campaign"]), required: false, help: "campaign: by the leads' campaign (a `campaign` column an import kept) instead of their source",
                aliases: ["campaigns"]),
            CommandArgument("period", .timeRange, required: false, help: "leads created in this period (default: all)"),
        ],
        phrasings: ["lead value by source", "which sources convert", "sources convert best", "best lead sources", "conversion by source", "which channels bring customers"],
        examples: ["sources", "sources this quarter", "which sources bring customers?", "sources by campaign"], sayings: QualificationSayings.sources,
        run: run)

    /// What one source's leads came to.
    struct Tally {
        var leads = 0
        /// The leads whose way through the funnel is known: all but those imported already won or
        /// lost with no move since, which may have closed from any stage.
        var pathKnown = 0
        var mql = 0
        var sql = 0
        var won = 0
        var lost = 0
        var disqualified = 0
        /// Created → accepted by sales, in seconds, for each lead sales accepted.
        var withMarketing: [TimeInterval] = []
        /// Accepted → won or lost, for each lead sales accepted that is closed now.
        var salesCycle: [TimeInterval] = []
        /// How many leads gave each spelling of the source ("Google", "google"): one source, shown
        /// as most of its leads spell it.
        var spellings: [String: Int] = [:]

        var spelling: String { spellings.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? "" }

        /// Another spelling's tally added to this one.
        mutating func add(_ other: Tally) {
            leads += other.leads
            pathKnown += other.pathKnown
            mql += other.mql
            sql += other.sql
            won += other.won
            lost += other.lost
            disqualified += other.disqualified
            withMarketing += other.withMarketing
            salesCycle += other.salesCycle
            spellings.merge(other.spellings, uniquingKeysWith: +)
        }
    }

    /// A lead as the tally needs it: where it came from (its source or campaign), where it is, and when it was created.
    struct Seen: Sendable {
        var id: Int64
        var source: String
        var stage: Stage
        var outcome: Outcome
        var createdAt: Date
    }

    /// The campaign a lead came from: the attribute an import kept from a `campaign` column (any
    /// case and spacing), else from `campaign name`, else from `utm_campaign`: one order, so a lead
    /// with several such columns lands in the same campaign every time.
    static func campaign(_ attributes: [String: String]) -> String? {
        for name in ["campaign", "campaignname", "utmcampaign"] {
            let columns = attributes.filter { $0.key.lowercased().filter(\.isLetter) == name && !$0.value.isEmpty }
            if let column = columns.keys.min() { return columns[column] }
        }
        return nil
    }

    /// What one lead adds to its source's tally.
    static func count(_ lead: Seen, _ moves: ArraySlice<Move>, into tally: inout Tally) {
        tally.leads += 1
        // A lead imported won or lost, with no move since, closed from a stage nobody knows: it
        // says nothing of how far leads get before they close.
        if lead.outcome == .open || moves.contains(where: { $0.from != nil }) {
            tally.pathKnown += 1
            let furthest = (moves.compactMap { $0.to == .lost ? nil : $0.to.funnelRank } + [lead.stage == .lost ? nil : lead.stage.funnelRank].compactMap { $0 }).max() ?? 0
            if furthest >= Stage.mql.funnelRank! { tally.mql += 1 }
            if furthest >= Stage.sql.funnelRank! { tally.sql += 1 }
        }
        if lead.outcome == .won || lead.stage == .won { tally.won += 1 }
        if lead.outcome == .lost || lead.stage == .lost { tally.lost += 1 }
        if lead.stage == .disqualified { tally.disqualified += 1 }
        // Accepted by sales: the first move from a marketing stage into SAL or past it.
        if let accepted = moves.first(where: { move in
            guard let from = move.from, let rank = move.to.funnelRank, move.to != .lost else { return false }
            return rank >= Stage.sal.funnelRank! && (from.funnelRank.map { $0 < Stage.sal.funnelRank! } ?? true)
        }) {
            tally.withMarketing.append(accepted.at.timeIntervalSince(lead.createdAt))
            // Closed now: the last move to where it stands (a close someone undid is no close).
            if lead.outcome != .open, let closed = moves.last(where: { $0.at >= accepted.at && Outcome(closing: $0.to) == lead.outcome && $0.from != nil }) {
                tally.salesCycle.append(closed.at.timeIntervalSince(accepted.at))
            }
        }
    }

    static func run(_ request: Request, _ context: Context) throws -> Reply {
        let range = request.range
        let byCampaign = request["by"].map { $0.hasPrefix("campaign") } ?? false
        let group = byCampaign ? "campaign" : "source"
        let parts = try context.store.scanLeadsInParallel(
            outcomes: Outcome.allCases, fields: [.source, .stage], attributes: byCampaign, eventKinds: [], isCancelled: context.isCancelled,
            start: { [Seen]() }
        ) { seen, lead, _ in
            if let range, !range.contains(lead.createdAt) { return }
            let key = byCampaign ? campaign(lead.attributes) ?? "" : lead.source ?? ""
            seen.append(Seen(id: lead.id ?? 0, source: key, stage: lead.stage, outcome: lead.outcome, createdAt: lead.createdAt))
        }
        // In id order, as the trails come (each part is; the parts' order is not promised).
        let leads = parts.flatMap { $0 }.sorted { $0.id < $1.id }
        if byCampaign, !leads.isEmpty, leads.allSatisfy(\.source.isEmpty) {
            return Reply(
                [.text("No lead has a campaign: an import keeps a `campaign` column (or `utm_campaign`) of the file as the lead's campaign.")],
                result: .object([("leads", .int(leads.count)), ("campaigns", .array([]))]))
        }
        // Leads and their trails, both in id order, walked side by side.
        let trails = try context.store.moves(ofLeadsCreatedFrom: range?.start, to: range?.end)
        var next = trails.startIndex

        var tallies: [String: Tally] = [:]
        var untracked = 0
        for lead in leads {
            while next < trails.endIndex, trails[next].leadId < lead.id { next += 1 }
            var end = next
            while end < trails.endIndex, trails[end].leadId == lead.id { end += 1 }
            let moves = Trail.standing(ofRun: trails[next..<end])
            next = end
            // A lead imported past inquiry or closed, with no move since: where it stands is the
            // import's doing, not the hand-off's, and it has no times to give.
            if !moves.contains(where: { $0.from != nil }), lead.stage != .inquiry || lead.outcome != .open { untracked += 1 }
            // Changed where the dictionary keeps it: a copy taken out and put back would copy
            // its lists on every append while the dictionary still held them.
            Self.count(lead, moves, into: &tallies[lead.source, default: Tally()])
        }
        guard !leads.isEmpty else {
            return Reply(
                [.text(range.map { "No leads were created in the period asked, \($0.description)." } ?? "No leads yet: `import leads FILE`, or `demo`.")],
                result: .object([("leads", .int(0)), ("sources", .array([]))]))
        }

        // One source whatever its case, shown as most of its leads spell it (merged here, once per
        // spelling: a key made per lead cost a million leads a fifth of a second).
        var merged: [String: Tally] = [:]
        for (spelling, var tally) in tallies {
            tally.spellings = [spelling: tally.leads]
            merged[Label.key(spelling), default: Tally()].add(tally)
        }
        let ordered = merged.values.map { (key: $0.spelling, value: $0) }.sorted { ($0.value.leads, $1.key) > ($1.value.leads, $0.key) }
        func share(_ part: Int, _ whole: Int) -> String { whole == 0 ? "—" : String(format: "%.1f%%", Double(part) / Double(whole) * 100) }
        func median(_ values: [TimeInterval]) -> String {
            FunnelCommand.median(values).map { "\(FunnelCommand.days($0)) (\(values.count))" } ?? "—"
        }
        let name = { (source: String) in source.isEmpty ? "(none)" : source }
        let plural = byCampaign ? "campaigns" : "sources"
        let rows = ordered.map { source, tally in
            [name(source), "\(tally.leads)", share(tally.mql, tally.pathKnown), share(tally.sql, tally.pathKnown), share(tally.won, tally.leads),
             share(tally.lost, tally.leads), share(tally.disqualified, tally.leads), median(tally.withMarketing), median(tally.salesCycle)]
        }
        var blocks: [Block] = [
            .heading("Lead value by \(group): \(leads.count) lead\(leads.count == 1 ? "" : "s")\(range.map { " created \($0.description)" } ?? "")"),
            .table(Table(
                columns: [group, "leads", "MQL", "SQL", "won", "lost", "disqualified", "with marketing", "sales cycle"],
                rows: rows, numeric: Set(1...8))),
            .chart(BarChart(
                title: "Won, as a share of each \(group)'s leads",
                bars: ordered.map { (label: name($0.key), value: Double($0.value.won) / Double($0.value.leads), shown: share($0.value.won, $0.value.leads)) })),
            .note("MQL and SQL count the leads that got that far, by a move or imported there, among those whose way through the funnel is known: a lead imported already won or lost, with no move since, may have closed from any stage, so it counts in won or lost only. \"With marketing\" runs from a lead's creation until sales accepted it (a move into SAL or past it); the sales cycle, from then until it was won or lost. Each is a median, with the number of leads it rests on. A move someone undid does not count."),
        ]
        if untracked > 0 {
            blocks.append(.warning(
                "\(untracked) of \(leads.count) leads came in at a later stage or closed (an import), with no move since: they count where they came in, and no time is measured on them"))
        }
        return Reply(blocks, result: .object([
            ("leads", .int(leads.count)), ("came_in_closed_or_later", .int(untracked)),
            (plural, .array(ordered.map { source, tally in
                .object([
                    (group, source.isEmpty ? .null : .string(source)), ("leads", .int(tally.leads)),
                    ("path_known", .int(tally.pathKnown)), ("mql", .int(tally.mql)), ("sql", .int(tally.sql)), ("won", .int(tally.won)), ("lost", .int(tally.lost)),
                    ("disqualified", .int(tally.disqualified)),
                    ("median_days_with_marketing", FunnelCommand.median(tally.withMarketing).map { .double($0 / 86_400) } ?? .null),
                    ("with_marketing_leads", .int(tally.withMarketing.count)),
                    ("median_days_sales_cycle", FunnelCommand.median(tally.salesCycle).map { .double($0 / 86_400) } ?? .null),
                    ("sales_cycle_leads", .int(tally.salesCycle.count)),
                ])
            })),
        ]))
    }
}
