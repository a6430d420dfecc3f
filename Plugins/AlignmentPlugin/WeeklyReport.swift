import Foundation
import HandoffPluginAPI

/// `report week [PERIOD] [--out DIR]`: what the sales–marketing check-in on lead quality needs, on
/// one page. The week's hand-offs are read from the audit trail here; the SLA, the objections and
/// the definition's figures are the answers of `sla`, `objections`, `definition report` and
/// `definition diff` for the same period, so the report says what those commands say.
enum WeeklyReport {
    static let command = Command(
        name: "report week",
        summary: "The weekly alignment report for the sales–marketing meeting: new MQLs by source, accepted and rejected with reasons, SLA breaches, objections and their change (the top theme, or a tie), the definition's health and what changed in it; --out writes Markdown and one HTML page",
        arguments: [CommandArgument("period", .timeRange, required: false, help: "the period to report (default: the last 7 days)")],
        options: [CommandOption("out", value: "DIR", help: "also write DIR/alignment-DATE.md and DIR/alignment-DATE.html (DATE: the period's last day)")],
        phrasings: ["prepare the sales marketing meeting", "weekly report", "alignment report", "weekly alignment", "report for the meeting", "lead quality check in"],
        examples: ["report week", "report week last week --out reports", "prepare the sales-marketing meeting"],
        sayings: AlignmentSayings.reportWeek,
        run: run)

    /// One part of the report: a title, what it shows, and its figures for programs.
    struct Section {
        var key: String
        var title: String
        var blocks: [Block]
        var json: JSONValue
    }

    static func run(_ request: Request, _ context: Context) throws -> Reply {
        let period = request.range ?? TimeParser(clock: context.clock).parse("last 7 days")!
        let fileStem = "alignment-\(Timestamp.isoDay(period.end.addingTimeInterval(-1)))"
        if context.readOnly, let directory = request.options["out"] {
            throw UsageError("report week --out \(directory) writes files, and this session may only read")
        }
        let week = try WeekOfHandoffs(period: period, context: context)
        var sections = [newMQLs(week), salesAnswers(week, context)]
        sections.append(try asked(
            Request(command: "sla", range: period, line: "sla"), context, key: "sla", title: "The sales SLA"))
        sections.append(try asked(
            Request(command: "objections", range: period, line: "objections"), context, key: "objections", title: "What prospects objected"))
        // The versions in force, read once: whether this run tries a file not in force, and what changed.
        let history = try context.store.definitionHistory()
        let tried = history.last.map { $0.text != context.definition.text } ?? false
        sections.append(try health(week, context, tried: tried))
        sections.append(try changes(period, context, history: history, tried: tried))
        let title = "Sales–marketing alignment, \(period.description)"
        let glance = Section(key: "summary", title: "At a glance", blocks: [.keyValues(glance(week, sections))], json: .null)
        sections.insert(glance, at: 0)

        var blocks: [Block] = [.heading(title)]
        for section in sections { blocks += [.heading(section.title)] + section.blocks }
        var files: [String] = []
        if let directory = request.options["out"] {
            try OutputFolder.check(directory, for: "report week")
            // Text from data is shown in the file as the terminal shows it, never obeyed by whatever
            // opens it (the page escapes its own).
            let markdown = "# \(Markdown.literal(title))\n\n" + sections.map { section in
                let shown = Reply(section.blocks, result: .null).showingControlCharacters().blocks
                return "## \(Markdown.literal(section.title))\n\n" + Markdown.render(shown, headingLevel: 3)
            }.joined(separator: "\n")
            let html = ReportPage(title: title, generated: "Handoff, \(Timestamp.short(context.clock.now)), definition \(context.definition.version)",
                                  sections: sections.map { ($0.title, $0.blocks) }).html
            for (name, text) in [("\(fileStem).md", markdown), ("\(fileStem).html", html)] {
                let path = (directory as NSString).appendingPathComponent(name)
                do {
                    try OutputFolder.make(directory)
                    try text.write(toFile: path, atomically: true, encoding: .utf8)
                } catch {
                    // Both files or neither: a Markdown file without its page would pass for the report.
                    for written in files { try? FileManager.default.removeItem(atPath: written) }
                    throw UsageError("cannot write \(path): \(error.localizedDescription)")
                }
                files.append(path)
            }
            blocks.append(.note("Written to \(files.joined(separator: " and "))."))
        }
        var result: [(String, JSONValue)] = [
            ("period", .object([("label", .string(period.label)), ("start", .string(Timestamp.iso(period.start))), ("end", .string(Timestamp.iso(period.end)))])),
            ("definition_version", .string(context.definition.version)),
        ]
        result += sections.filter { $0.key != "summary" }.map { ($0.key, $0.json) }
        result.append(("files", .array(files.map(JSONValue.string))))
        return Reply(blocks, result: .object(result))
    }

    // MARK: The week's hand-offs

    static func when(_ date: Date) -> String { Timestamp.short(date) }
    static func percent(_ value: Double?) -> String { value.map { String(format: "%.0f%%", $0 * 100) } ?? "—" }
    static func figure(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "—" }

    static func leadJSON(_ week: WeekOfHandoffs, _ id: Int64, _ extra: [(String, JSONValue)]) -> JSONValue {
        let named = week.leads[id]
        return .object([
            ("lead_id", .int(Int(id))), ("lead", .string(week.name(id))), ("account", .optional(named?.account)),
            ("source", .optional(named?.lead.source)), ("owner", .optional(named?.lead.owner)), ("stage", .optional(named?.lead.stage.rawValue)),
            ("score", named.map { .double($0.verdict.score) } ?? .null), ("verdict", .optional(named?.verdict.kind.rawValue)),
        ] + extra)
    }

    static func newMQLs(_ week: WeekOfHandoffs) -> Section {
        var blocks: [Block] = []
        if week.mqls.isEmpty {
            blocks.append(.text("No lead became an MQL in the period."))
        } else {
            blocks.append(.text("\(counted(week.mqls.count, "lead")) became \(week.mqls.count == 1 ? "an MQL" : "MQLs") in the period, from \(counted(week.mqlsBySource.count, "source"))."))
            blocks.append(.chart(BarChart(title: "New MQLs by source", bars: week.mqlsBySource.map { (label: $0.source, value: Double($0.count), shown: "\($0.count)") })))
            blocks.append(.table(Table(
                columns: ["lead", "account", "source", "MQL since", "score now", "stage now", "owner"],
                rows: week.mqls.map { move in
                    let named = week.leads[move.leadId]
                    return [week.name(move.leadId), named?.account ?? "—", named?.lead.source ?? "—", when(move.at),
                            named.map { String(format: "%.1f", $0.verdict.score) } ?? "—", named?.lead.stage.rawValue ?? "—", named?.lead.owner ?? "—"]
                },
                numeric: [4])))
        }
        if week.cameInAsMQL > 0 {
            blocks.append(.note("\(counted(week.cameInAsMQL, "lead")) came in as \(week.cameInAsMQL == 1 ? "an MQL" : "MQLs") (an import): when \(week.cameInAsMQL == 1 ? "it" : "they") became one is not known, so \(week.cameInAsMQL == 1 ? "it is" : "they are") left out, as `sla` leaves \(week.cameInAsMQL == 1 ? "it" : "them") out."))
        }
        return Section(
            key: "new_mqls", title: "New MQLs and where they came from", blocks: blocks,
            json: .object([
                ("count", .int(week.mqls.count)),
                ("by_source", .array(week.mqlsBySource.map { .object([("source", .string($0.source)), ("mqls", .int($0.count))]) })),
                ("came_in_as_mql", .int(week.cameInAsMQL)),
                ("leads", .array(week.mqls.map { leadJSON(week, $0.leadId, [("mql_since", .string(Timestamp.iso($0.at)))]) })),
            ]))
    }

    static func salesAnswers(_ week: WeekOfHandoffs, _ context: Context) -> Section {
        var blocks: [Block] = []
        let reasons = Dictionary(grouping: week.rejections, by: \.reasonCode)
            .map { (code: $0.key, count: $0.value.count) }.sorted { ($0.count, $1.code) > ($1.count, $0.code) }
        func reasonLabel(_ code: String) -> String { context.definition.reasons.first { $0.code == code }?.label ?? code }
        blocks.append(.heading("Accepted by sales: \(week.accepted.count)"))
        if !week.accepted.isEmpty {
            blocks.append(.table(Table(
                columns: ["lead", "source", "when", "by", "move"],
                rows: week.accepted.map { [week.name($0.leadId), week.leads[$0.leadId]?.lead.source ?? "—", when($0.at), $0.by, "\($0.from?.rawValue ?? "—") → \($0.to.rawValue)"] })))
        }
        let byRule = week.rejections.filter(\.byRule).count
        blocks.append(.heading("Rejected: \(week.rejections.count)\(week.rejections.isEmpty ? "" : " (\(week.rejections.count - byRule) by sales, \(byRule) by a rule of the definition)")"))
        if !week.rejections.isEmpty {
            blocks.append(.chart(BarChart(title: "Rejections by reason", bars: reasons.map { (label: reasonLabel($0.code), value: Double($0.count), shown: "\($0.count)") })))
            blocks.append(.table(Table(
                columns: ["lead", "reason", "by", "when", "note"],
                rows: week.rejections.map { [week.name($0.leadId), reasonLabel($0.reasonCode), $0.byRule ? "rule \($0.by)" : $0.by, when($0.at), $0.note] })))
        }
        blocks.append(.heading("Sent back to marketing to nurture: \(week.nurtured.count)"))
        if !week.nurtured.isEmpty {
            blocks.append(.table(Table(
                columns: ["lead", "from", "when", "by", "why"],
                rows: week.nurtured.map { [week.name($0.leadId), $0.from?.rawValue ?? "—", when($0.at), $0.by, $0.reason] })))
        }
        blocks.append(.note("Counted from the audit trail: a move someone undid is not counted, and a rejection counts when its lead is still disqualified by it."))
        func moves(_ list: [StageTransition]) -> JSONValue {
            .array(list.map { leadJSON(week, $0.leadId, [("at", .string(Timestamp.iso($0.at))), ("by", .string($0.by)), ("from", .optional($0.from?.rawValue)), ("to", .string($0.to.rawValue)), ("reason", .string($0.reason))]) })
        }
        return Section(
            key: "sales", title: "What sales did with the leads", blocks: blocks,
            json: .object([
                ("accepted", moves(week.accepted)),
                ("rejected", .array(week.rejections.map {
                    leadJSON(week, $0.leadId, [("at", .string(Timestamp.iso($0.at))), ("by", .string($0.by)), ("by_rule", .bool($0.byRule)),
                                               ("reason_code", .string($0.reasonCode)), ("note", .string($0.note))])
                })),
                ("rejected_by_reason", .array(reasons.map { .object([("reason_code", .string($0.code)), ("label", .string(reasonLabel($0.code))), ("count", .int($0.count))]) })),
                ("nurtured", moves(week.nurtured)),
            ]))
    }

    // MARK: Other commands' answers

    /// A section that is another command's answer for the period; when it cannot answer (no SLA
    /// agreed, no outcome known yet), the section says why and the rest of the report stands.
    static func asked(_ request: Request, _ context: Context, key: String, title: String) throws -> Section {
        do {
            guard let reply = try context.answer(request) else {
                return Section(key: key, title: title, blocks: [.note("No loaded plugin answers `\(request.command)`.")], json: .null)
            }
            return Section(key: key, title: title, blocks: reply.blocks, json: reply.result)
        } catch let error as any HandoffError {
            // Ctrl-C stops the whole report, not one part of it.
            if context.isCancelled() { throw error }
            return Section(key: key, title: title, blocks: [.note("`\(request.line)` cannot answer: \(error.message)" + (error.hint.map { " (\($0))" } ?? ""))],
                           json: .object([("error", .string(error.message))]))
        } catch {
            if context.isCancelled() { throw error }
            return Section(key: key, title: title, blocks: [.note("`\(request.line)` cannot answer: \(error)")], json: .object([("error", .string("\(error)"))]))
        }
    }

    /// `tried`: this run reads a definition tried with `--definition`, not the one in force, and
    /// says so wherever it names a version.
    static func health(_ week: WeekOfHandoffs, _ context: Context, tried: Bool) throws -> Section {
        let health = week.health
        var blocks: [Block] = [
            .heading("Deals closed in the period: \(health.closed) (\(health.won) won)"),
            .keyValues([
                ("precision", "\(figure(health.precision)) (\(health.wonMQLs) of \(health.mqls) closing MQLs won)"),
                ("recall", "\(figure(health.recall)) (\(health.wonMQLs) of \(health.won) wins were MQLs)"),
            ]),
            .note(tried
                ? "On the verdicts the definition this run tries (version \(context.definition.version), from \(context.definition.origin), not in force) gives these leads today."
                : "On the verdicts the definition in force (version \(context.definition.version)) gives these leads today."),
        ]
        if week.cameInClosed > 0 {
            blocks.append(.note("\(counted(week.cameInClosed, "lead")) came in already won or lost (an import): when \(week.cameInClosed == 1 ? "it" : "they") closed is not known, so \(week.cameInClosed == 1 ? "it is" : "they are") left out."))
        }
        let overall = try asked(Request(command: "definition report", line: "definition report"), context, key: "report", title: "")
        var warnings: [JSONValue] = []
        if let known = overall.json["leads"]?.intValue {
            blocks.append(.heading("On every lead with a known outcome: \(known)"))
            blocks.append(.keyValues([
                ("precision", figure(overall.json["precision"]?.doubleValue)), ("recall", figure(overall.json["recall"]?.doubleValue)),
                ("AUC", figure(overall.json["auc"]?.doubleValue)),
            ]))
            if case .array(let found)? = overall.json["warnings"] { warnings = found }
            let leaks = overall.blocks.filter { if case .warning = $0 { true } else { false } }
            // Warnings go to stderr in a terminal; in the report they are part of the page.
            blocks += leaks.isEmpty
                ? [.text("No leakage warning: no criterion reads a field sales fills in after contact, and none holds almost only for one outcome.")]
                : leaks.map { if case .warning(let text) = $0 { .text("Leakage: " + text) } else { $0 } }
        } else {
            blocks += overall.blocks
        }
        return Section(
            key: "definition_health", title: "The definition's health", blocks: blocks,
            json: .object([
                ("closed", .int(health.closed)), ("came_in_closed", .int(week.cameInClosed)), ("won", .int(health.won)), ("mqls", .int(health.mqls)), ("won_mqls", .int(health.wonMQLs)),
                ("precision", health.precision.map(JSONValue.double) ?? .null), ("recall", health.recall.map(JSONValue.double) ?? .null),
                ("overall", overall.json), ("warnings", .array(warnings)),
            ]))
    }

    /// The versions that came into force in the period, and what differs between the version in
    /// force when it began and the one in force when it ended (`definition diff`).
    static func changes(_ period: TimeRange, _ context: Context, history: [DefinitionRecord], tried: Bool) throws -> Section {
        let arrived = history.filter { period.contains($0.loadedAt) }
        let atStart = history.last { $0.loadedAt < period.start }
        let atEnd = history.last { $0.loadedAt < period.end }
        var blocks: [Block] = []
        if arrived.isEmpty {
            blocks.append(.text(atStart.map { "No version came into force in the period: version \($0.version) was in force throughout." }
                ?? "No definition version was in force in the period."))
        } else {
            blocks.append(.table(Table(
                columns: ["version", "in force from", "by"],
                rows: arrived.map { [$0.version, when($0.loadedAt), $0.loadedBy ?? "—"] })))
        }
        if tried {
            blocks.append(.note("This run tries version \(context.definition.version) from \(context.definition.origin), which is not in force: the figures above are under it."))
        }
        var diff: JSONValue = .null
        if let atStart, let atEnd, atStart.text != atEnd.text {
            // `definition diff` finds a version by its name: a name kept with two texts (edited
            // without raising `version`) names neither surely.
            let texts = Dictionary(grouping: history, by: \.version).mapValues { Set($0.map(\.text)).count }
            if atStart.version != atEnd.version, texts[atStart.version] == 1, texts[atEnd.version] == 1 {
                let answer = try asked(
                    Request(command: "definition diff", values: ["from": atStart.version, "to": atEnd.version], line: "definition diff \(atStart.version) \(atEnd.version)"),
                    context, key: "diff", title: "")
                blocks += answer.blocks
                diff = answer.json
            } else {
                blocks.append(.warning(
                    "the definition changed in the period under a version name kept with more than one text (\(atStart.version == atEnd.version ? atStart.version : "\(atStart.version), \(atEnd.version)")): `definition log` shows each, and `definition diff` cannot tell them apart by name"))
            }
        }
        return Section(
            key: "definition_changes", title: "What changed in the definition", blocks: blocks,
            json: .object([
                ("in_force_at_start", .optional(atStart?.version)), ("in_force_at_end", .optional(atEnd?.version)),
                ("came_into_force", .array(arrived.map {
                    .object([("version", .string($0.version)), ("in_force_from", .string(Timestamp.iso($0.loadedAt))), ("by", .optional($0.loadedBy))])
                })),
                ("diff", diff),
            ]))
    }

    // MARK: At a glance

    static func glance(_ week: WeekOfHandoffs, _ sections: [Section]) -> [(String, String)] {
        func json(_ key: String) -> JSONValue { sections.first { $0.key == key }?.json ?? .null }
        var pairs: [(String, String)] = []
        let bySource = week.mqlsBySource
        // "Most from" only when one source leads; a tie is listed as it is.
        let top = bySource.count > 1 && bySource[0].count == bySource[1].count
            ? ", " + bySource.map { "\($0.source) \($0.count)" }.joined(separator: ", ")
            : bySource.first.map { ", most from \($0.source) (\($0.count))" } ?? ""
        pairs.append(("new MQLs", "\(week.mqls.count)\(top)"))
        pairs.append(("accepted by sales", "\(week.accepted.count)"))
        let byRule = week.rejections.filter(\.byRule).count
        pairs.append(("rejected by sales", "\(week.rejections.count - byRule)"))
        pairs.append(("disqualified by a rule", "\(byRule)"))
        pairs.append(("back to nurture", "\(week.nurtured.count)"))
        let sla = json("sla")
        if case .array(let overdue)? = sla["overdue"] {
            func decided(_ part: JSONValue?) -> String {
                let met = part?["met"]?.intValue ?? 0, missed = part?["missed"]?.intValue ?? 0
                return "\(met) of \(met + missed) answered in time"
            }
            let pending = sla["period"]?["pending"]?.intValue ?? 0
            pairs.append(("SLA", "\(overdue.count) MQL\(overdue.count == 1 ? "" : "s") waiting past it now; of the period's MQLs, \(decided(sla["period"]))"
                + (pending > 0 ? " (\(pending) still within it)" : "") + ", against \(decided(sla["previous"])) the period before"))
        } else if let problem = sla["error"]?.stringValue {
            pairs.append(("SLA", problem))
        }
        let objections = json("objections")
        if let total = objections["total"]?.intValue {
            let change = total - (objections["previous_total"]?.intValue ?? 0)
            var line = "\(total) (\(change > 0 ? "+\(change)" : change == 0 ? "±0" : "\(change)") on the period before)"
            // "Most about" only when one theme leads; a tie is called one.
            if case .array(let themes)? = objections["themes"] {
                let heard = themes.compactMap { theme -> (label: String, count: Int)? in
                    guard let count = theme["count"]?.intValue, count > 0, let label = theme["label"]?.stringValue ?? theme["theme"]?.stringValue else { return nil }
                    return (label, count)
                }
                let leaders = heard.filter { $0.count == heard.first?.count }
                if leaders.count == 1 {
                    line += ", most about \(leaders[0].label)"
                } else if let each = leaders.first?.count {
                    line += ", tied for most: \(leaders.map(\.label).joined(separator: ", ")) (\(each) each)"
                }
            }
            pairs.append(("objections", line))
        }
        let health = week.health
        pairs.append(("closed", "\(health.closed) (\(health.won) won); precision \(figure(health.precision)), recall \(figure(health.recall))"))
        if case .array(let arrived)? = json("definition_changes")["came_into_force"] {
            pairs.append(("definition", arrived.isEmpty ? "unchanged" : "\(counted(arrived.count, "version")) came into force"))
        }
        return pairs
    }
}
