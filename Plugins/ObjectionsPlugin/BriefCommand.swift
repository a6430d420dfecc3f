import Foundation
import HandoffPluginAPI

/// `brief THEME [period]`: a draft campaign brief that answers one objection theme, from the
/// brief template and the data alone, so the same data always drafts the same brief.
enum BriefCommand {
    static let command = Command(
        name: "brief",
        summary: "Draft a campaign brief (Markdown) that answers an objection theme: brief THEME [PERIOD] [--out DIR]",
        arguments: [
            CommandArgument("theme", .theme, help: "the objection theme"),
            CommandArgument("period", .timeRange, required: false, help: "the objections to draw on (default: the last 90 days)"),
        ],
        options: [
            CommandOption("out", value: "DIR", help: "also write the brief to DIR/brief-THEME-DATE.md"),
            CommandOption("polish", help: "rewrite the draft through the configured language model (HANDOFF_LLM_URL)"),
        ],
        phrasings: ["campaign brief", "draft a campaign brief", "draft a brief", "write a brief", "brief for", "talking points", "messaging"],
        examples: ["brief pricing", "draft a campaign brief for pricing objections", "brief risk last quarter --out briefs"], sayings: ObjectionsSayings.brief,
        tool: AssistantTool(
            name: "brief",
            description: "A draft campaign brief (Markdown) that answers one objection theme; kept with a number (brief_id) only when the server allows writes.",
            arguments: [
                AssistantTool.Argument("theme", .theme, required: true, description: "an objection theme, e.g. pricing"),
                AssistantTool.Argument("period", .period, required: false, description: "the objections to draw on (default: last 90 days)"),
            ],
            writes: .keepsAnswer),
        run: run)

    /// How many of the objections a brief lists by name under "Drawn from".
    static let sourcesListed = 25

    /// What the language model is asked to do with a draft.
    static let editorInstruction = """
        You are a B2B marketing editor. Rewrite this campaign brief in clear, persuasive English. Keep every section \
        heading, every figure and every quote exactly as written, and invent nothing. Answer with the brief in Markdown only.
        """

    /// What a brief says where the definition gives a theme nothing to draw on: a gap to fill, not filler.
    static func missing(_ field: String, _ theme: Theme) -> String {
        "(The definition gives no \(field == "cta" ? "call to action" : field == "proof" ? "proof points" : field == "content" ? "content pieces" : "answer") for “\(theme.label)” yet: add them under themes.\(theme.id).\(field).)"
    }

    static func run(_ request: Request, _ context: Context) throws -> Reply {
        guard let themeId = request.theme, let theme = context.definition.theme(themeId) else {
            throw UsageError("brief needs an objection theme", hint: "themes: \(context.definition.themes.map(\.id).joined(separator: ", "))")
        }
        // The theme id comes from a definition file: whatever it holds, the brief lands in the
        // folder asked for, or is refused before anything is read or saved.
        let fileName = "brief-\(theme.id)-\(Timestamp.isoDay(context.clock.now)).md"
        if let directory = request.options["out"], fileName.contains(where: { $0 == "/" || $0 == "\0" }) {
            throw UsageError(
                "the theme id '\(theme.id)' would write the brief outside \(directory)",
                hint: "theme ids hold letters, digits, _ and -: rename it in the definition")
        }
        if context.readOnly, let directory = request.options["out"] {
            throw UsageError("brief --out \(directory) writes a file, and this session may only read")
        }
        let range = request.range ?? TimeParser(clock: context.clock).parse("last 90 days")!
        // Counts come from the store; only this theme's objections are read, to quote and list.
        let said = try context.store.latestObjections(theme: theme.id, from: range.start, to: range.end, industry: nil, limit: .max)
        guard !said.isEmpty else {
            throw NotFoundError("no “\(theme.label)” objections were logged \(range.label); a brief needs some to draw on", hint: "try a longer period, e.g. `brief \(theme.id) this year`")
        }
        let cells = try context.store.countObjections(from: range.start, to: range.end, by: .industry, industry: nil)
        let total = cells.reduce(0) { $0 + $1.count }
        let before = try context.store.countObjections(from: range.previous.start, to: range.previous.end, by: nil, industry: nil)
            .filter { $0.theme == theme.id }.reduce(0) { $0 + $1.count }
        let industries = cells.filter { $0.theme == theme.id && $0.segment != nil }
            .sorted { ($0.count, $1.segment!) > ($1.count, $0.segment!) }
        var leads: [Int64: Lead] = [:]
        for objection in said {
            if let id = objection.leadId, leads[id] == nil, let lead = try context.store.lead(id: id) { leads[id] = lead }
        }
        // Titles that raise it more than once: when every title raised it once, none raises it
        // "most", and three picked by the alphabet would read as a finding.
        let titles = Label.merge(Dictionary(grouping: leads.values.compactMap(\.title), by: { $0 }).map { (value: $0.key, count: $0.value.count) })
            .filter { $0.count > 1 }.prefix(3).map { "\($0.value) (\($0.count))" }
        var sources: [String: Int] = [:]
        var kinds: [String: Int] = [:]
        let events = try context.store.events(leadIds: Array(leads.keys))
        for lead in leads.values {
            if let source = lead.source { sources[source, default: 0] += 1 }
            for event in events[lead.id!] ?? [] where range.previous.start <= event.occurredAt {
                kinds[event.kind.replacingOccurrences(of: "_", with: " "), default: 0] += 1
            }
        }
        // Where the leads who raised it came from (lead sources), and what they did lately
        // (engagement): two different things, listed apart.
        let channels = Label.merge(sources.sorted { $0.key < $1.key }.map { (value: $0.key, count: $0.value) })
            .map { "\($0.value): \($0.count) of the \(leads.count) lead\(leads.count == 1 ? "" : "s") came from there" }
        let engagement = kinds.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(5).map { "\($0.key): \($0.value) event\($0.value == 1 ? "" : "s") since \(Timestamp.isoDay(range.previous.start))" }
        let reachedSQL = leads.values.filter { ($0.stage.funnelRank ?? 0) >= Stage.sql.funnelRank! }.count
        let days = Int((range.duration / 86_400).rounded())
        func when(_ date: Date) -> String { Timestamp.isoDay(date) }
        // Quotes say different things: the same words from many leads are quoted once.
        var seen = Set<String>()
        let quotes = said.filter { seen.insert($0.text.lowercased()).inserted }.prefix(3)
        var values: [String: any Sendable] = [
            "label": theme.label, "label_lower": theme.label.lowercased(), "date": when(context.clock.now), "period": range.label,
            "version": context.definition.version, "count": "\(said.count)", "one": said.count == 1, "total": "\(total)",
            "share": String(format: "%.0f%%", Double(said.count) / Double(total) * 100),
            "change": before == said.count ? "the same as" : said.count > before ? "up \(said.count - before)" : "down \(before - said.count)",
            "segments": industries.map { "\($0.segment!): \($0.count) of the \(said.count)" },

            "quotes": quotes.map { ["text": $0.text, "who": $0.loggedBy, "when": when($0.at)] as [String: String] },
            "answer": theme.answer.isEmpty ? Self.missing("answer", theme) : theme.answer,
            "proof": theme.proof.isEmpty ? [Self.missing("proof", theme)] : theme.proof,
            "content": theme.content.isEmpty ? [Self.missing("content", theme)] : theme.content,
            "cta": theme.callToAction.isEmpty ? Self.missing("cta", theme) : theme.callToAction,
            "channels": channels.isEmpty ? ["(none of these leads has a source on record)"] : channels,
            "engagement": engagement, "has_engagement": !engagement.isEmpty,
            "target": "\(Int((Double(said.count) * 0.7).rounded(.down)))", "days": "\(days)",
            "sql_reached": "\(reachedSQL)", "sql_of": "\(leads.count)",
            "sql_now": leads.isEmpty ? "—" : String(format: "%.0f%%", min(100, Double(reachedSQL) / Double(leads.count) * 100 + 10)),
            // The latest objections it was drawn from; all of them are stored with the brief.
            "sources": said.prefix(Self.sourcesListed).map { ["id": "\($0.id ?? 0)", "when": when($0.at), "who": $0.loggedBy, "text": $0.text] as [String: String] },
        ]
        if !titles.isEmpty { values["titles"] = titles.joined(separator: ", ") }
        if said.count > Self.sourcesListed {
            values["sources_more"] = "… and \(said.count - Self.sourcesListed) earlier ones (`objections \(range.label)` shows them by theme)"
        }
        let unsegmented = said.count - industries.reduce(0) { $0 + $1.count }
        if unsegmented > 0 && !industries.isEmpty { values["unsegmented"] = "\(unsegmented) of the \(said.count) from leads with no industry on record" }
        let draft = try context.prompts.render("brief", values)
        var markdown = draft
        var polishProblem: String?
        if request.has("polish") {
            if let polisher = context.polisher {
                do {
                    markdown = try polisher.polish(draft, instruction: Self.editorInstruction)
                } catch {
                    polishProblem = (error as? any HandoffError)?.message ?? "\(error)"
                }
            } else {
                polishProblem = "no language model is configured: set HANDOFF_LLM_URL (and HANDOFF_LLM_MODEL, HANDOFF_LLM_KEY)"
            }
        }
        let ids = said.compactMap(\.id)
        if let directory = request.options["out"] { try OutputFolder.check(directory, for: "brief") }
        // A session that may only read gets the draft without keeping it.
        let id = context.readOnly ? nil : try context.store.save(Brief(
            theme: theme.id, createdAt: context.clock.now, periodStart: range.start, periodEnd: range.end, markdown: markdown, objectionIds: ids))
        var file: String?
        if let id, let directory = request.options["out"] {
            let path = "\(directory)/\(fileName)"
            do {
                try OutputFolder.make(directory)
                try (markdown + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            } catch {
                throw StoreError("the brief is saved (#\(id)) but cannot be written to \(path): \(error.localizedDescription)")
            }
            file = path
        }
        var blocks: [Block] = [.markdown(markdown)]
        if let file { blocks.append(.note("Written to \(file).")) }
        if let polishProblem { blocks.append(.warning("polishing failed: \(polishProblem); this is the unpolished draft")) }
        return Reply(
            blocks,
            result: .object([
                ("brief_id", id.map { .int(Int($0)) } ?? .null), ("theme", .string(theme.id)), ("file", .optional(file)),
                ("objection_ids", .array(ids.map { .int(Int($0)) })), ("markdown", .string(markdown)),
                ("polished", .bool(request.has("polish") && polishProblem == nil)), ("draft", .string(draft)),
            ]),
            failure: polishProblem.map { .init(code: "polish_failed", message: "polishing failed: \($0); the unpolished draft was given instead") })
    }
}
