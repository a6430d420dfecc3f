import Foundation
public import HandoffPluginAPI

/// The marketer's side: what sales hears, logged and themed, summarised so the objections that
/// keep coming back are plain to see.
public struct ObjectionsPlugin: Plugin {
    public init() {}

    public let name = "objections"
    public let summary = "Logs objections, classifies them by theme, and summarises them by period and segment"

    public var commands: [Command] {
        [
            Command(
                name: "log objection",
                summary: "Log what a prospect said, kept exactly as typed: log objection LEAD|ACCOUNT \"what they said\" [THEME]; the theme counts only after a quoted text or with --theme, else it is classified",
                arguments: [
                    CommandArgument("lead", .subject, help: "who said it: a lead or an account"),
                    CommandArgument("text", .remainder, help: "what they said"),
                    CommandArgument("theme", .theme, required: false, help: "a theme of the taxonomy, after a quoted text (default: classified)"),
                ],
                options: [CommandOption("theme", value: "THEME", help: "file it under this theme instead of classifying it")],
                phrasings: ["objection", "said", "says", "told me", "thinks", "pushed back", "complained"],
                examples: [
                    "log objection acme \"too expensive for us\"", "acme said it's too expensive",
                    "log objection globex \"legal wants monthly terms\" contract", "log objection bruce we have no budget this year --theme price",
                    "tony told me they want to wait until next quarter", "elmer thinks it is too expensive",
                    "initech pushed back on timing, maybe Q2",
                ], sayings: ObjectionsSayings.logObjection, writes: true,
                tool: AssistantTool(
                    name: "log_objection",
                    description: "Log what a prospect said against a lead or account, kept exactly as sent (a write: needs `handoff mcp --allow-writes`).",
                    arguments: [
                        AssistantTool.Argument("lead", .subject, required: true, description: "who said it: a lead or account"),
                        AssistantTool.Argument("text", .text(value: "text"), required: true, description: "what they said"),
                        AssistantTool.Argument("theme", .theme, required: false, description: "a theme of the taxonomy (default: classified)"),
                    ],
                    writes: .model(destructive: false)),
                run: log),
            Command(
                name: "objections",
                summary: "Objection themes ranked, with the change against the period before (a table with --format csv), quotes and the industries that raise each most (a tie called one): objections [PERIOD] [THEME] [INDUSTRY] [by industry|stage|rep]",
                arguments: [
                    CommandArgument("at", .subject, required: false, help: "only what one lead, or anyone at one account, said (default: everyone)"),
                    CommandArgument("period", .timeRange, required: false, help: "default: the last 30 days (for one lead or account: all time)"),
                    CommandArgument("theme", .theme, required: false, help: "keep one theme, named as `brief` takes it (price, pricing, budget, timing…)"),
                    CommandArgument("grouping", .words, required: false, help: "by industry, stage or rep: a table by segment (with a theme, that theme's counts); or an industry to keep (in a question, a word naming neither is left aside, and said to be)"),
                ],
                // The question's words ("what did they push back on", "who pushed back"): "X pushed back
                // on timing" is a rep's report, which `log objection` takes.
                phrasings: ["push back", "who pushed back", "pushback", "concerns", "top objections", "what did prospects say", "what did say"],
                examples: [
                    "objections this week", "what did prospects push back on last month?", "objections last quarter by industry",
                    "top objections in q3 from healthcare", "objections at acme", "who pushed back last month?",
                    "which objections keep coming back?", "are we getting more price objections than last month?",
                    "objections about pricing", "price objections last month",
                ], sayings: ObjectionsSayings.objections,
                tool: AssistantTool(
                    name: "objections", description: "Objection themes ranked, with the change against the period before, quotes and segments.",
                    arguments: [
                        AssistantTool.Argument("period", .period, required: false, description: "time words, e.g. 'this week', 'last quarter' (default: last 30 days)"),
                        AssistantTool.Argument("by", .grouping, required: false, description: "split by industry, stage or rep"),
                    ]),
                run: summarise),
            OtherCommand.command,
            ReviewCommand.command,
            BriefCommand.command,
            Command(
                name: "retheme",
                summary: "File a logged objection under another theme: retheme N THEME (the text stays as logged; the change is kept, and later classifications learn from it)",
                arguments: [
                    CommandArgument("number", .number, help: "the objection's number (`objections at NAME` shows them)"),
                    CommandArgument("theme", .theme, help: "the theme it belongs to"),
                ],
                phrasings: ["change the theme of objection", "file objection under", "reclassify objection", "move objection to", "objection should be"],
                examples: ["retheme 12 contract", "change the theme of objection 12 to timing"], sayings: ObjectionsSayings.retheme, writes: true,
                run: retheme),
            Command(
                name: "withdraw objection",
                summary: "Take back a wrongly logged objection: withdraw objection N [because WHY] (it leaves counts and briefs; the audit trail keeps it)",
                arguments: [
                    CommandArgument("number", .number, help: "the objection's number"),
                    CommandArgument("why", .after("because"), required: false, help: "why, after 'because'"),
                ],
                phrasings: ["delete objection", "remove objection", "undo objection", "take back objection", "scratch objection"],
                examples: ["withdraw objection 12 because logged for the wrong lead", "remove objection 7"], sayings: ObjectionsSayings.withdrawObjection, writes: true,
                run: withdraw),
            Command(
                name: "show objection",
                summary: "One objection: what was said, by whom, its theme, and every correction of it: show objection N",
                arguments: [CommandArgument("number", .number, help: "the objection's number")],
                examples: ["show objection 12"], sayings: ObjectionsSayings.showObjection,
                run: showObjection),
        ]
    }

    // MARK: corrections

    private func number(_ request: Request) throws -> Int64 {
        let text = (request["number"] ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "#"))
        guard let number = Int64(text), number > 0 else {
            throw UsageError("'\(request["number"] ?? "")' is not an objection's number", hint: "`objections at NAME` lists objections with their numbers")
        }
        return number
    }

    private func retheme(_ request: Request, _ context: Context) throws -> Reply {
        let id = try number(request)
        guard let theme = request.theme else {
            throw UsageError("retheme needs the theme", hint: "themes: \(context.definition.themes.map(\.id).joined(separator: ", ")), other")
        }
        guard let objection = try context.store.objection(id: id) else {
            throw NotFoundError("there is no objection #\(id)", hint: "`show objection \(id)` says whether it was withdrawn")
        }
        try context.store.retheme(objectionId: id, to: theme, by: context.actor, at: context.clock.now)
        let label = { (theme: String) in context.definition.theme(theme)?.label ?? theme }
        let said = theme == objection.theme
            ? "Objection #\(id) (“\(objection.text)”) stays under \(label(theme)), now confirmed by \(context.actor)."
            : "Objection #\(id) (“\(objection.text)”) is now filed under \(label(theme)), not \(label(objection.theme)); by \(context.actor)."
        return Reply(
            [.text(said)],
            result: .object([
                ("id", .int(Int(id))), ("text", .string(objection.text)), ("from", .string(objection.theme)), ("to", .string(theme)),
                ("by", .string(context.actor)), ("at", .string(Timestamp.iso(context.clock.now))),
            ]))
    }

    private func withdraw(_ request: Request, _ context: Context) throws -> Reply {
        let id = try number(request)
        guard let objection = try context.store.objection(id: id) else {
            throw NotFoundError("there is no objection #\(id)", hint: "`show objection \(id)` says whether it was withdrawn already")
        }
        let why = QuotedPhrases.unwrapped(request["why"] ?? "")
        try context.store.withdraw(objectionId: id, by: context.actor, at: context.clock.now, note: why)
        return Reply(
            [.text("Objection #\(id) (“\(objection.text)”, \(objection.loggedBy), \(Timestamp.isoDay(objection.at))) withdrawn by \(context.actor)\(why.isEmpty ? "" : ": \(why)"). It no longer counts; `show objection \(id)` keeps it.")],
            result: .object([
                ("id", .int(Int(id))), ("text", .string(objection.text)), ("theme", .string(objection.theme)),
                ("withdrawn_by", .string(context.actor)), ("at", .string(Timestamp.iso(context.clock.now))), ("why", .string(why)),
            ]))
    }

    private func showObjection(_ request: Request, _ context: Context) throws -> Reply {
        let id = try number(request)
        let changes = try context.store.objectionChanges(objectionId: id)
        let current = try context.store.objection(id: id)
        guard current != nil || !changes.isEmpty else {
            throw NotFoundError("there is no objection #\(id)", hint: "`objections at NAME` lists objections with their numbers")
        }
        let label = { (theme: String) in context.definition.theme(theme)?.label ?? theme }
        // A withdrawn objection is shown as the audit trail kept it when it was withdrawn.
        let withdrawn = current == nil ? changes.last(where: { $0.kind == .withdraw })?.withdrawnObjection : nil
        var blocks: [Block] = []
        if let objection = current ?? withdrawn {
            let who = try objection.leadId.flatMap { try context.store.lead(id: $0)?.name }
                ?? objection.accountId.flatMap { try context.store.account(id: $0)?.name } ?? "—"
            blocks.append(.heading("Objection #\(id)\(current == nil ? " (withdrawn)" : ""): “\(objection.text)”"))
            blocks.append(.keyValues([
                ("theme", label(objection.theme)), ("who", who), ("logged by", objection.loggedBy),
                ("when", Timestamp.short(objection.at)), ("deal stage", objection.dealStage?.rawValue ?? "—"),
            ]))
        } else {
            blocks.append(.heading("Objection #\(id): withdrawn"))
        }
        if !changes.isEmpty {
            blocks.append(.table(Table(
                columns: ["when", "by", "change"],
                rows: changes.map { change in
                    [Timestamp.short(change.at), change.by,
                     change.kind == .retheme ? (change.from == change.to ? "theme \(label(change.to ?? "")) confirmed" : "theme \(label(change.from ?? "")) → \(label(change.to ?? ""))")
                        : "withdrawn\(change.note.isEmpty ? "" : ": \(change.note)")"]
                })))
        }
        return Reply(blocks, result: .object([
            ("id", .int(Int(id))), ("withdrawn", .bool(current == nil)),
            ("objection", current.map { .object([
                ("text", .string($0.text)), ("theme", .string($0.theme)), ("logged_by", .string($0.loggedBy)), ("at", .string(Timestamp.iso($0.at))),
            ]) } ?? .null),
            ("as_withdrawn", withdrawn?.json ?? .null),
            ("changes", .array(changes.map {
                .object([("at", .string(Timestamp.iso($0.at))), ("by", .string($0.by)), ("change", .string($0.kind.rawValue)),
                         ("from", .optional($0.from)), ("to", .optional($0.to)), ("note", .string($0.note))])
            })),
        ]))
    }

    // MARK: log objection

    private func log(_ request: Request, _ context: Context) throws -> Reply {
        guard let text = request["text"]?.trimmingWhitespaceAndNewlines(), !text.isEmpty else {
            throw UsageError("log objection needs what they said", hint: "e.g. log objection acme \"too expensive for us\"")
        }
        var leadId: Int64?
        var accountId: Int64?
        var stage: Stage?
        switch request.subject {
        case .lead(let lead): (leadId, accountId, stage) = (lead.id, lead.accountId, lead.stage)
        case .account(let account): accountId = account.id
        case nil: throw UsageError("log objection needs who said it", hint: "e.g. log objection acme \"too expensive\"")
        }
        let classification = try context.classifier().classify(text)
        var theme = request.theme ?? classification.theme
        // Unsure, and a language model configured: it is asked for this one (once per text).
        var modelAnswer: (answer: ThemeAnswer, cached: Bool)?
        var modelProblem: String?
        if request.theme == nil, !classification.isSure, let model = context.polisher {
            do {
                modelAnswer = try Self.askModel(text, model, context)
                if let modelAnswer { theme = modelAnswer.answer.theme }
            } catch {
                modelProblem = (error as? any HandoffError)?.message ?? "\(error)"
            }
        }
        let objection = Objection(
            leadId: leadId, accountId: accountId, text: text, theme: theme, loggedBy: context.actor, at: context.clock.now,
            dealStage: stage, confidence: request.theme != nil ? nil : classification.confidence)
        var logged = objection
        let id = try context.store.log(objection)
        logged.id = id
        let how = request.theme != nil ? "as given"
            : modelAnswer.map { "the language model's choice, \($0.answer.model)\($0.cached ? ", cached" : ""); the classifier's was \(classification.theme) at \(String(format: "%.2f", classification.confidence))" }
            ?? (theme == ThemeClassifier.other ? "no theme fits"
                : "classified, confidence \(String(format: "%.2f", classification.confidence))\(Self.runnersUp(classification))")
        let label = context.definition.theme(theme)?.label ?? theme
        var blocks: [Block] = [.text("Logged objection \(id) for \(request.subject!.name): “\(text)” → \(label) (\(how)), by \(context.actor).")]
        // Unsure, the rep is asked rather than the theme guessed: the likely themes and `other`,
        // each a number away; what nobody answers waits in `objections review`.
        if let modelProblem { blocks.append(.warning("The language model was not asked or did not answer: \(modelProblem)")) }
        let asked = request.theme == nil && modelAnswer == nil && !classification.isSure ? Self.choices(for: id, classification, context.definition) : []
        if !asked.isEmpty {
            let options = asked.enumerated().map { "\($0.offset + 1) \($0.element.label)" }.joined(separator: ", ")
            blocks.append(.note(context.answersByNumber
                ? "Not sure of the theme. Type a number to file it: \(options) (or `retheme \(id) THEME`; until then it waits in `objections review`)."
                : "Not sure of the theme (likely: \(asked.map(\.label).joined(separator: ", "))): `retheme \(id) THEME` files it; until then it waits in `objections review`."))
        }
        return Reply(
            blocks,
            result: .object([
                ("objection", logged.json), ("theme_given", .bool(request.theme != nil)),
                ("confidence", request.theme != nil ? .double(1) : .double(classification.confidence)),
                ("sure", .bool(request.theme != nil || classification.isSure)),
                ("theme_from", .string(request.theme != nil ? "given" : modelAnswer != nil ? "language model" : "classifier")),
                ("model", modelAnswer.map { .object([("name", .string($0.answer.model)), ("cached", .bool($0.cached))]) } ?? .null),
                ("nearest", .array(classification.nearest.map(JSONValue.string))),
                ("candidates", request.theme != nil ? .array([]) : .array(classification.candidates.map {
                    .object([("theme", .string($0.theme)), ("confidence", .double($0.confidence))])
                })),
                ("choices", .array(asked.map { .object([("theme", .string($0.theme)), ("line", .string($0.choice.line))]) })),
            ]),
            choices: asked.map(\.choice))
    }

    /// The theme a language model gives `text`: the answer kept for the same words, or a new one
    /// asked for and kept. Nil when the model answers with no theme of the taxonomy (that answer
    /// is not used, nor kept).
    static func askModel(_ text: String, _ model: any TextPolishing, _ context: Context) throws -> (answer: ThemeAnswer, cached: Bool)? {
        let key = ThemeAnswer.key(text)
        let trackers = ThemeTrackers(themes: context.definition.themes)
        // A kept answer counts only while its theme is still one of the taxonomy's.
        if let kept = try context.store.cachedThemeAnswer(key: key), trackers.theme(named: kept.theme) == kept.theme {
            return (kept, true)
        }
        let said = try model.polish(text, instruction: ThemeAnswer.instruction(context.definition.themes))
        guard let theme = ThemeAnswer.theme(in: said, trackers) else { return nil }
        let answer = ThemeAnswer(theme: theme, model: model.description, at: context.clock.now)
        try context.store.cacheThemeAnswer(key: key, answer)
        return (answer, false)
    }

    /// What a person is offered for an objection the classifier was unsure of: its likely themes
    /// (up to three, best first; all of them when none is likely) and `other`, each as the
    /// `retheme` line that files it there.
    static func choices(
        for id: Int64, _ classification: ThemeClassifier.Classification, _ definition: Definition, then: String? = nil
    ) -> [(theme: String, label: String, choice: Reply.Choice)] {
        // With nothing likely (text under `other`), every theme of the taxonomy is offered.
        let likely = classification.candidates.map(\.theme).filter { $0 != ThemeClassifier.other }.prefix(3)
        let offered = likely.isEmpty ? definition.themes.map(\.id) : Array(likely)
        return (offered + [ThemeClassifier.other]).map { theme in
            (theme, definition.theme(theme)?.label ?? theme, Reply.Choice("retheme \(id) \(theme)", then: then))
        }
    }

    /// "; then timing 0.12, contract 0.05": the themes that came next, when any came close enough
    /// to name.
    static func runnersUp(_ classification: ThemeClassifier.Classification) -> String {
        let next = classification.candidates.dropFirst().filter { $0.confidence >= 0.05 }.prefix(2)
        guard !next.isEmpty else { return "" }
        return "; then " + next.map { "\($0.theme) \(String(format: "%.2f", $0.confidence))" }.joined(separator: ", ")
    }

    // MARK: objections

    enum Grouping: String { case theme, industry, stage, rep }

    /// The stems of the words a question about objections is asked with, which name no industry or
    /// theme: what is asked about ("prospects", "concerns"), how it is heard ("push back",
    /// "worried about"), and how the themes move or weigh ("keep coming back", "trending up",
    /// "biggest", "more … than"). Any other word is read as a filter, so a word that names no
    /// industry or theme is refused by name rather than passed over: the answer would be wider
    /// than the question.
    static let askingWords: Set<String> = Set([
        "objections", "objection", "pushback", "concerns", "concern", "complaints", "themes", "theme", "reasons", "prospects", "people",
        "customers", "buyers", "clients", "leads", "deals", "everyone",
        "push", "pushing", "pushed", "back", "said", "say", "saying", "hear", "hearing", "heard", "raise", "raised", "raising", "getting",
        "seeing", "complaining", "objecting", "worried", "worry", "afraid",
        "top", "most", "common", "biggest", "main", "often", "keep", "keeps", "coming", "recurring", "again", "trending", "growing",
        "rising", "increasing", "falling", "dropping", "down", "more", "less", "fewer", "than", "compared", "versus", "vs", "lately", "still",
    ].map(Stemmer.stem))

    private func summarise(_ request: Request, _ context: Context) throws -> Reply {
        if let subject = request.subject { return try summarise(subject, request, context) }
        let parser = TimeParser(clock: context.clock)
        let range = request.range ?? parser.parse("last 30 days")!
        var grouping = Grouping.theme
        var industry: String?
        var words = request.words.filter { !Stopwords.contains($0) }
        if let by = request.words.firstIndex(of: "by"), by + 1 < request.words.count {
            guard let chosen = Grouping(rawValue: request.words[by + 1]) ?? (request.words[by + 1] == "owner" ? .rep : nil) else {
                throw UsageError("objections can be grouped by theme, industry, stage or rep, not '\(request.words[by + 1])'")
            }
            grouping = chosen
            words.removeAll { $0 == request.words[by + 1] }
        }
        let industries = Industries(store: context.store)
        // "who pushed back on price": a theme, by its id or a word of its label, keeps that theme.
        var about = try Self.theme(request, context.definition)
        if about == nil, let found = Self.theme(in: words, context.definition) {
            about = found.theme
            words.removeAll { found.words.contains($0) }
        }
        // What is left keeps one industry ("financial services" is one, in two words); a word of
        // asking ("which objections keep coming back?") filters nothing.
        var leftAside: [String] = []
        for word in words where !Self.askingWords.contains(Stemmer.stem(word)) {
            guard let named = try industries.matching(word) else {
                // "objections at nobody": "at" names who said it, and nobody is called that.
                if request.words.contains("at") {
                    throw NotFoundError("no lead or account matches '\(word)'", hint: "`leads` lists leads; `objections at acme` shows what one account said")
                }
                // In someone's own words, a word that names nothing is asking ("which objections
                // are hurting us?"), and is left aside, and said to be; unless it stands where a
                // filter does ("from agriculture", "in agriculture", "pushed back on blorp"), or
                // the command was typed.
                let before = request.words.firstIndex(of: word).flatMap { $0 > 0 ? request.words[$0 - 1] : nil }
                if request.inOwnWords, !["from", "in", "on", "about"].contains(before ?? "") {
                    leftAside.append(word)
                    continue
                }
                throw NotFoundError(
                    "no industry or theme called '\(word)'",
                    hint: "industries: \(try industries.all().joined(separator: ", ")); themes: \(context.definition.themes.map(\.id).joined(separator: ", "))")
            }
            if let industry, industry != named {
                throw UsageError("objections keep one industry at a time, not both \(industry) and \(named)", hint: "ask for each, or `objections by industry`")
            }
            industry = named
        }
        // The store counts; only the few quotes shown are loaded.
        let segment: ObjectionSegment = switch grouping {
        case .theme, .industry: .industry
        case .stage: .stage
        case .rep: .rep
        }
        // With a theme named, every figure is that theme's: the segments' totals too.
        let kept = { (cell: ObjectionCount) in about == nil || cell.theme == about!.id }
        let cells = try context.store.countObjections(from: range.start, to: range.end, by: segment, industry: industry).filter(kept)
        let before = try context.store.countObjections(from: range.previous.start, to: range.previous.end, by: nil, industry: industry).filter(kept)
        var counts = Dictionary(grouping: cells, by: \.theme).mapValues { $0.reduce(0) { $0 + $1.count } }
        let previous = Dictionary(grouping: before, by: \.theme).mapValues { $0.reduce(0) { $0 + $1.count } }
        // A theme heard before and not now is news too: it is listed at 0, so the changes add up.
        for theme in previous.keys where counts[theme] == nil { counts[theme] = 0 }
        let total = counts.values.reduce(0, +)
        let previousTotal = previous.values.reduce(0, +)
        let ranked = counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
        func segmentName(_ cell: ObjectionCount) -> String {
            cell.segment ?? "(no \(segment == .rep ? "rep" : segment.rawValue))"
        }

        var blocks: [Block] = [
            .heading("Objections\(about.map { " about \($0.label)" } ?? "") \(range.description)\(industry.map { " from \($0)" } ?? ""): \(total) (\(Self.change(total, previousTotal)) on \(range.previous.label))"),
        ]
        var themes: [JSONValue] = []
        if !ranked.isEmpty {
            blocks.append(.chart(BarChart(
                title: "",
                bars: ranked.map { theme, count in
                    (label: context.definition.theme(theme)?.label ?? theme, value: Double(count), shown: "\(count)  \(Self.change(count, previous[theme] ?? 0))")
                },
                // For a spreadsheet, the change is a number of its own, beside the count it comes from.
                figures: Table(
                    columns: ["theme", "label", "count", "previous", "change"],
                    rows: ranked.map { theme, count in
                        [theme, context.definition.theme(theme)?.label ?? theme, "\(count)", "\(previous[theme] ?? 0)", "\(count - (previous[theme] ?? 0))"]
                    },
                    numeric: [2, 3, 4]))))
        }
        for (theme, count) in ranked {
            // One theme asked about shows more of what was said.
            // How often a text was said is counted among the theme's newest objections: a hundred
            // for a summary's three quotes, a thousand for one theme asked about.
            let window = about == nil ? 100 : 1_000
            let quotes = count == 0 ? [] : Self.quotes(
                try context.store.latestObjections(theme: theme, from: range.start, to: range.end, industry: industry, limit: window),
                count: about == nil ? 3 : 10)
            let among = count > window ? " in the newest \(window.formatted())" : ""
            let standouts = Self.standouts(cells.filter { $0.theme == theme }, segment)
            // A theme gone quiet is in the chart, with its drop; it has nothing to quote.
            if grouping == .theme, count > 0 {
                blocks.append(.heading("\(context.definition.theme(theme)?.label ?? theme): \(count)"))
                blocks += quotes.map { .quote("“\($0.objection.text)” — \($0.objection.loggedBy), \(Timestamp.isoDay($0.objection.at))\($0.times > 1 ? " (said \($0.times) times\(among))" : "")") }
                if let standouts { blocks.append(.note("  " + standouts.said)) }
            }
            themes.append(.object([
                ("theme", .string(theme)), ("label", .string(context.definition.theme(theme)?.label ?? theme)), ("count", .int(count)),
                ("previous", .int(previous[theme] ?? 0)), ("change", .int(count - (previous[theme] ?? 0))),
                ("quotes", .array(quotes.map {
                    .object([("text", .string($0.objection.text)), ("by", .string($0.objection.loggedBy)), ("at", .string(Timestamp.iso($0.objection.at))),
                             ("times", .int($0.times))])
                })),
                ("segments", .object((standouts?.segments ?? []).map { ($0.name, .int($0.count)) })),
            ]))
        }
        if grouping != .theme {
            let columns = ranked.map(\.key)
            let bySegment = Dictionary(grouping: cells, by: segmentName)
            blocks.append(.table(Table(
                columns: [grouping.rawValue] + columns.map { context.definition.theme($0)?.label ?? $0 } + ["total"],
                rows: bySegment.map { name, cells in (name, cells, cells.reduce(0) { $0 + $1.count }) }
                    .sorted { ($0.2, $1.0) > ($1.2, $0.0) }
                    .map { name, cells, sum in
                        [name] + columns.map { theme in "\(cells.first { $0.theme == theme }?.count ?? 0)" } + ["\(sum)"]
                    },
                numeric: Set(1...(columns.count + 1)))))
        }
        if total == 0 { blocks.append(.text("No objections\(about.map { " about \($0.label)" } ?? "") were logged \(range.label).")) }
        if !leftAside.isEmpty {
            blocks.append(.note("Left aside: \(leftAside.map { "'\($0)'" }.joined(separator: ", ")), naming no industry or theme."))
        }
        return Reply(blocks, result: .object([
            ("period", .object([("label", .string(range.label)), ("start", .string(Timestamp.iso(range.start))), ("end", .string(Timestamp.iso(range.end)))])),
            ("previous_period", .object([("start", .string(Timestamp.iso(range.previous.start))), ("end", .string(Timestamp.iso(range.previous.end)))])),
            ("industry", .optional(industry)), ("theme", .optional(about?.id)), ("grouping", .string(grouping.rawValue)),
            ("total", .int(total)), ("previous_total", .int(previousTotal)),
            ("themes", .array(themes)), ("left_aside", .array(leftAside.map(JSONValue.string))),
        ]))
    }

    /// `objections at acme`: everything one lead, or anyone at one account, said, by theme and in full.
    private func summarise(_ subject: Subject, _ request: Request, _ context: Context) throws -> Reply {
        let (leadId, accountId): (Int64?, Int64?) = switch subject {
        case .lead(let lead): (lead.id, nil)
        case .account(let account): (nil, account.id)
        }
        var said = try context.store.objections(leadId: leadId, accountId: accountId, limit: 10_000)
        if let range = request.range { said = said.filter { $0.at >= range.start && $0.at < range.end } }
        // "what did globex say about price?": a theme named keeps that theme.
        let words = request.words.filter { !Stopwords.contains($0) && !Self.askingWords.contains(Stemmer.stem($0)) }
        let about = try Self.theme(request, context.definition) ?? Self.theme(in: words, context.definition)?.theme
        if let about { said = said.filter { $0.theme == about.id } }
        let counts = Dictionary(grouping: said, by: \.theme).mapValues(\.count).sorted { ($0.value, $1.key) > ($1.value, $0.key) }
        let when = (about.map { " about \($0.label)" } ?? "") + (request.range.map { " \($0.description)" } ?? "")
        // A person's objections are from them; an account's, from anyone at it.
        let whose = switch subject {
        case .lead: "Objections from \(subject.name)"
        case .account: "Objections at \(subject.name)"
        }
        var blocks: [Block] = [.heading("\(whose)\(when): \(said.count)")]
        if said.isEmpty {
            blocks.append(.text("No objection\(about.map { " about \($0.label)" } ?? "") was logged for \(subject.name)\(request.range.map { " \($0.label)" } ?? " yet")."))
        } else {
            blocks.append(.chart(BarChart(title: "", bars: counts.map { theme, count in
                (label: context.definition.theme(theme)?.label ?? theme, value: Double(count), shown: "\(count)")
            })))
            var names: [Int64: String] = [:]
            for id in Set(said.compactMap(\.leadId)) { names[id] = try context.store.lead(id: id)?.name }
            blocks.append(.table(Table(
                columns: ["#", "when", "theme", "said", "who", "logged by"],
                rows: said.map { objection in
                    ["\(objection.id ?? 0)", Timestamp.isoDay(objection.at), context.definition.theme(objection.theme)?.label ?? objection.theme,
                     "“\(objection.text)”", objection.leadId.flatMap { names[$0] } ?? subject.name, objection.loggedBy]
                },
                numeric: [0])))
        }
        return Reply(blocks, result: .object([
            ("subject", subject.json), ("theme", .optional(about?.id)), ("total", .int(said.count)),
            ("themes", .array(counts.map { .object([("theme", .string($0.key)), ("label", .string(context.definition.theme($0.key)?.label ?? $0.key)), ("count", .int($0.value))]) })),
            ("objections", .array(said.map(\.json))),
        ]))
    }

    /// The theme the router read in the line, as `brief` reads one ("pricing" is `price`); what
    /// fits no theme has a command of its own.
    static func theme(_ request: Request, _ definition: Definition) throws -> Theme? {
        guard let id = request.theme else { return nil }
        guard let theme = definition.theme(id) else {
            throw UsageError("no objection theme called '\(id)'", hint: "`objections other` shows what fits no theme; themes: \(definition.themes.map(\.id).joined(separator: ", "))")
        }
        return theme
    }

    /// The theme `words` name: a word that is a theme's id ("price") or a word of its label
    /// ("budget" of "Price / budget"), when it names one theme only; with the words used.
    static func theme(in words: [String], _ definition: Definition) -> (theme: Theme, words: Set<String>)? {
        for word in words {
            let named = definition.themes.filter { theme in
                theme.id == word || Label.key(theme.label).split(whereSeparator: { !$0.isLetter }).contains { $0 == word }
            }
            if named.count == 1 { return (named[0], [word]) }
        }
        return nil
    }

    /// The quotes of a theme: texts that differ (whatever their case), the ones said most first,
    /// then the newest, each with how often it was said among `latest` (the newest objections of
    /// the theme). X Education's "Diploma holder (Not Eligible)", said by 63 leads, had been left
    /// out for a text two leads said, and "Lost to EINS" quoted alone for a theme of three texts.
    static func quotes(_ latest: [Objection], count: Int) -> [(objection: Objection, times: Int)] {
        var tally: [String: (objection: Objection, times: Int, order: Int)] = [:]
        for (order, objection) in latest.enumerated() {
            tally[objection.text.lowercased(), default: (objection, 0, order)].times += 1
        }
        return tally.values.sorted { ($0.times, -$0.order) > ($1.times, -$1.order) }.prefix(count).map { ($0.objection, $0.times) }
    }

    /// Where one theme's objections came from, or nil when that is no finding: the segments that
    /// raised it most, best first, up to three but never cut inside a tie (three picked by the
    /// alphabet among equals would read as a finding), a tie at the top called one, and "no
    /// industry stands out" when every segment raised it as often. Objections with no segment on
    /// record ("(no industry)") say nothing of one, and are counted apart.
    static func standouts(_ cells: [ObjectionCount], _ kind: ObjectionSegment) -> (said: String, segments: [(name: String, count: Int)])? {
        let named = cells.compactMap { cell in cell.segment.map { (name: $0, count: cell.count) } }.filter { $0.count > 0 }
            .sorted { ($0.count, $1.name) > ($1.count, $0.name) }
        guard let most = named.first?.count else { return nil }
        let unknown = cells.filter { $0.segment == nil }.reduce(0) { $0 + $1.count }
        let apart = unknown > 0 ? "; \(unknown) with no \(kind.rawValue) on record" : ""
        let leaders = named.filter { $0.count == most }
        if named.count == 1 {
            return ("\(unknown > 0 ? "from" : "all from"): \(named[0].name) (\(most))\(apart)", named)
        }
        if leaders.count == named.count {
            return ("no \(kind.rawValue) stands out: \(most) each from \(named.map(\.name).joined(separator: ", "))\(apart)", named)
        }
        if leaders.count > 1 {
            return ("tied for most: \(leaders.map(\.name).joined(separator: ", ")) (\(most) each)\(apart)", leaders)
        }
        // The leader, then whole groups of equal counts while they fit in three.
        var shown = [named[0]]
        for count in Set(named.dropFirst().map(\.count)).sorted(by: >) {
            let group = named.filter { $0.count == count }
            guard shown.count + group.count <= 3 else { break }
            shown += group
        }
        return ("most from: " + shown.map { "\($0.name) (\($0.count))" }.joined(separator: ", ") + apart, shown)
    }

    /// "+3", "−2", "±0".
    static func change(_ now: Int, _ before: Int) -> String {
        now > before ? "+\(now - before)" : now < before ? "−\(before - now)" : "±0"
    }
}

/// The industries of the accounts, for reading an industry word in a question.
struct Industries {
    let store: any LeadStore

    func all() throws -> [String] {
        Array(Set(try store.accounts().compactMap { $0.industry?.lowercased() })).sorted()
    }

    func matching(_ word: String) throws -> String? {
        try all().first { $0 == word || $0.hasPrefix(word) || $0.split(separator: " ").contains { $0.hasPrefix(word) } }
    }
}
