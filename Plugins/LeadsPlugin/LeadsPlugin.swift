import Foundation
public import HandoffPluginAPI

/// `leads` and `lead`: listing and filtering leads, and one lead or account in full.
public struct LeadsPlugin: Plugin {
    public init() {}

    public let name = "leads"
    public let summary = "Lists and filters leads, and shows one lead or account in full"

    public var commands: [Command] {
        [
            Command(
                name: "leads",
                summary: "List leads, filtered by stage, source, account, industry, owner, score and period: leads [STAGE|ready] [from SOURCE] [at ACCOUNT] [in INDUSTRY] [owned by NAME|my] [scored over N] [PERIOD]; `leads ready` is the hand-off queue (scoring MQL or better, still with marketing), highest score first",
                arguments: [
                    CommandArgument("account", .subject, required: false, help: "only this account's leads"),
                    CommandArgument("period", .timeRange, required: false, help: "created then; with a stage, entered that stage then"),
                    CommandArgument("filters", .words, required: false, help: "a stage (mqls, sqls, nurture…) or a source (webinar…)"),
                ],
                options: [CommandOption("limit", value: "N", help: "show at most N leads (default 50)")],
                phrasings: [
                    "show leads", "list leads", "prospects", "contacts", "people", "mqls", "mql", "sqls", "sql", "sals",
                    "inquiries", "opportunities", "customers", "nurture", "disqualified", "rejected leads", "new leads",
                    "ready to hand off", "who should sales call", "hand off queue", "sales ready leads", "leads sales ready", "leads ready for sales", "my leads", "everyone at", "everyone",
                ],
                examples: [
                    "leads from webinar this month", "mqls this week", "leads at acme", "sqls last quarter --limit 10", "leads ready",
                    "who should sales call", "leads scored over 80", "my leads", "leads ready in healthcare", "leads owned by dana",
                    "show me everyone at globex",
                ], sayings: LeadsSayings.leads,
                tool: AssistantTool(
                    name: "find_leads",
                    description: "List leads, filtered the way the shell's `leads` command reads them: a stage (mqls, sqls…), a source (from webinar), an account (at acme), a period (this month).",
                    arguments: [
                        AssistantTool.Argument("query", .filters, required: false, description: "filters in words, e.g. 'mqls from webinar this month'; empty for all"),
                        AssistantTool.Argument("limit", .count(option: "limit"), required: false, description: "at most this many leads (default 50)"),
                    ]),
                run: list),
            Command(
                name: "lead",
                summary: "Show one lead (profile, facts, engagement, history) or one account and its leads",
                arguments: [CommandArgument("name", .subject, help: "a lead or account: name, email or external id")],
                phrasings: ["who is", "tell me about", "details", "lead details for", "details for", "profile", "account", "company", "info on", "look up", "pull up", "what do we know about", "what do we have on", "everything on", "story with"],
                examples: ["lead road runner", "who is wile.coyote@acme.com", "account globex", "lead details for wile coyote"], sayings: LeadsSayings.lead,
                tool: AssistantTool(
                    name: "lead", description: "One lead (profile, facts, engagement, stage history) or one account and its leads.",
                    arguments: [.leadOrAccount]),
                run: show),
        ]
    }

    static let stageWords: [String: Stage] = [
        "inquiry": .inquiry, "inquiries": .inquiry, "enquiries": .inquiry, "mql": .mql, "mqls": .mql, "sal": .sal, "sals": .sal,
        "accepted": .sal, "sql": .sql, "sqls": .sql, "opportunity": .opportunity, "opportunities": .opportunity, "opps": .opportunity,
        "won": .won, "customers": .won, "customer": .won, "lost": .lost, "nurture": .nurture, "nurturing": .nurture,
        "disqualified": .disqualified, "rejected": .disqualified,
    ]

    /// Words that only say "leads" and filter nothing.
    static let neutralWords: Set<String> = ["leads", "lead", "prospects", "contacts", "people", "everyone", "everybody", "source", "stage", "created", "came"]

    /// Words that ask for the hand-off queue: leads that score as MQL or better and are still with marketing.
    static let queueWords: Set<String> = ["ready", "handoff", "hand-off", "queue"]

    /// The words of the queue's phrasings ("ready to hand off", "who should sales call"), when the
    /// line holds the whole phrasing: each word alone may mean something else ("leads from sales").
    static func asksForQueue(_ words: [String]) -> Set<String>? {
        if words.contains("hand") && words.contains("off") { return ["hand", "off"] }
        // "who should I call first?": the queue is ranked already, and first or next is its top.
        if words.contains("call") && words.contains("should") { return ["should", "sales", "call", "first", "next", "now"] }
        // "sales ready leads", "which leads are sales ready": ready for sales, not a stage "sales".
        if words.contains("ready") && words.contains("sales") { return ["sales", "ready", "for"] }
        return nil
    }

    /// "owned by dana": the one owner whose first name that is (Dana Reyes), taking one word.
    /// Several owners of that first name are named in the error, for the rep to pick one.
    static func ownerByFirstName(_ words: [String], _ context: Context) throws -> (String, Int)? {
        guard let first = words.first.map(Label.key), !first.isEmpty else { return nil }
        let owners = try context.store.countLeads(LeadQuery(), by: .owner).map(\.value).filter {
            Label.key($0).split(separator: " ").first.map(String.init) == first
        }
        if owners.count > 1 {
            throw UsageError(
                "'\(words[0])' could be \(owners.sorted().map { "\($0)" }.joined(separator: " or "))",
                hint: "e.g. `leads owned by \(owners.sorted()[0])`")
        }
        return owners.first.map { ($0, 1) }
    }

    private func list(_ request: Request, _ context: Context) throws -> Reply {
        var query = LeadQuery()
        let shown = try limit(request)
        var filters: [String] = []
        if let subject = request.subject {
            switch subject {
            case .account(let account):
                query.accountId = account.id
                filters.append("at \(account.name)")
            case .lead(let lead):
                query.text = lead.externalId
                filters.append("named \(lead.name)")
            }
        }
        var words = request.words.filter { !Self.neutralWords.contains($0) && $0 != "new" }
        var ready = false
        var range = request.range
        if let phrasing = Self.asksForQueue(words) {
            ready = true
            // "which leads should I call today": today is when to call, not when they came in.
            if phrasing.contains("call"), range?.label == "today" { range = nil }
            words.removeAll(where: phrasing.contains)
        }
        var minimum: (score: Double, inclusive: Bool)?
        // Sources are only looked up when a word is left that is not a stage or a stopword.
        let needsSources = words.contains { Self.stageWords[$0] == nil && !Stopwords.contains($0) && !Self.queueWords.contains($0) }
        let spellings = needsSources ? try context.store.sources() : []
        let sources = Label.distinct(spellings)
        // The most words a source name has: a phrase longer than that names none.
        let sourceWords = sources.map { Label.key($0).split(separator: " ").count }.max() ?? 1
        var industries: [String]?
        while let word = words.first {
            if word == "my" || word == "mine" {
                query.owner = context.actor
                filters.append("owned by \(context.actor)")
                words.removeFirst()
                continue
            }
            if (word == "owned" || word == "owner") {
                // "owned by dana reyes": the longest run of words after it that is someone's name.
                let rest = Array(words.dropFirst().drop { $0 == "by" || $0 == "is" })
                let owner = try (1...min(3, max(1, rest.count))).reversed().lazy.compactMap { length -> (String, Int)? in
                    guard rest.count >= length else { return nil }
                    var probe = LeadQuery()
                    probe.owner = rest.prefix(length).joined(separator: " ")
                    probe.limit = 1
                    return try context.store.leads(probe).first.flatMap { $0.owner }.map { ($0, length) }
                }.first
                guard let (name, length) = try owner ?? Self.ownerByFirstName(rest, context) else {
                    let owners = try context.store.countLeads(LeadQuery(), by: .owner).map(\.value).filter { !$0.isEmpty }.sorted()
                    throw NotFoundError(
                        "no lead is owned by '\(rest.prefix(2).joined(separator: " "))'",
                        hint: (owners.isEmpty ? "" : "owners: \(owners.prefix(12).joined(separator: ", ")); ") + "`my leads` lists yours, as \(context.actor)")
                }
                query.owner = name
                filters.append("owned by \(name)")
                words.removeFirst(words.count - rest.count + length)
                continue
            }
            if ["scored", "score", "scoring", "over", "above", "least"].contains(word) {
                // "scored over 80", "score above 75", "at least 90"
                let rest = words.dropFirst().drop { ["over", "above", "at", "least", "than", "more", "of"].contains($0) }
                let inclusive = words.prefix(words.count - rest.count).contains("least")
                guard let number = rest.first.flatMap(Double.init) else {
                    throw UsageError("'\(word)' needs a score after it", hint: "e.g. `leads scored over 80`")
                }
                minimum = (number, inclusive)
                filters.append("scored \(inclusive ? "at least" : "over") \(number.clean(decimals: 1))")
                words.removeFirst(words.count - rest.count + 1)
                continue
            }
            if Self.queueWords.contains(word) {
                ready = true
                words.removeFirst()
                continue
            }
            if Stopwords.contains(word) && !sources.contains(where: { Self.sameSource($0, words.prefix(2).joined(separator: " ")) }) {
                words.removeFirst()
                continue
            }
            if let stage = Self.stageWords[word] {
                if !query.stages.contains(stage) { query.stages.append(stage) }
                words.removeFirst()
                continue
            }
            // Sources may be several words ("web form", "Pay per Click Ads"): take the longest that
            // matches, or failing that the one source whose first words these are ("web" → "web form").
            let longest = min(sourceWords, words.count)
            let match = (1...longest).reversed().lazy.compactMap { length -> (String, Int)? in
                let phrase = words.prefix(length).joined(separator: " ")
                return sources.first { Self.sameSource($0, phrase) }.map { ($0, length) }
            }.first ?? (1...longest).reversed().lazy.compactMap { length -> (String, Int)? in
                let phrase = Array(words.prefix(length))
                let starting = sources.filter { Label.key($0).split(separator: " ").map(String.init).starts(with: phrase) }
                return starting.count == 1 ? (starting[0], length) : nil
            }.first
            if let (matched, length) = match {
                let source = try Self.commonSpelling(of: matched, among: spellings, context.store)
                query.source = source
                filters.append("from \(source)")
                words.removeFirst(length)
                continue
            }
            // An industry of the accounts: "leads ready in healthcare".
            if industries == nil { industries = Label.distinct(try context.store.accounts().compactMap(\.industry)) }
            let industry = (1...min(3, words.count)).reversed().lazy.compactMap { length -> (String, Int)? in
                let phrase = Label.key(words.prefix(length).joined(separator: " "))
                return industries!.first { Label.key($0) == phrase }.map { ($0, length) }
            }.first
            guard let (name, length) = industry else {
                // "who is ada": a name no lead has reads here as a filter; say that too.
                let named = try !context.store.findLeads(matching: word, limit: 1, loose: true).isEmpty
                    || !context.store.findAccounts(matching: word, limit: 1, loose: true).isEmpty
                throw NotFoundError(
                    "no stage, source or industry called '\(word)'\(named ? "" : ", and no lead or account matches it")",
                    hint: "stages: mqls, sqls, sals, inquiries, opportunities, won, lost, nurture, disqualified; sources: \(sources.prefix(12).joined(separator: ", "))\(industries!.isEmpty ? "" : "; industries: \(industries!.prefix(8).joined(separator: ", "))"); or `leads ready`, `my leads`, `leads scored over 80`")
            }
            query.industry = name
            filters.append("in \(name)")
            words.removeFirst(length)
        }
        if ready {
            guard query.stages.isEmpty else {
                throw UsageError("the hand-off queue is the leads still with marketing (inquiry or nurture); it takes no other stage", hint: "`leads ready`, or `mqls` for the MQL stage")
            }
            query.stages = [.inquiry, .nurture]
            // A deal a CRM closed by its outcome alone (X Education's lost leads sit at inquiry)
            // is nobody's to call.
            query.outcomes = [.open]
        }
        if range == nil, !query.stages.isEmpty, query.stages.allSatisfy({ $0 == .won || $0 == .lost }) {
            // "lost leads": a CRM export may close a deal by its outcome alone (X Education's lost
            // leads sit at inquiry), and closing one by hand sets the outcome too.
            query.outcomes = query.stages.compactMap { Outcome(closing: $0) }
            query.stages = []
            filters.insert(query.outcomes.map { "\($0.rawValue.uppercased()) (by outcome)" }.joined(separator: "/"), at: 0)
        }
        if !query.stages.isEmpty && !ready { filters.insert(query.stages.map { $0.rawValue.uppercased() }.joined(separator: "/"), at: 0) }
        if let range {
            query.createdFrom = range.start
            query.createdTo = range.end
            query.rangeIsStageEntry = !query.stages.isEmpty && !ready
            filters.append("\(query.rangeIsStageEntry ? "entered" : "created") \(range.label)")
        }
        // Ranking by score needs every matching lead's verdict; a plain list reads one page.
        let ranked = ready || minimum != nil
        query.limit = ranked ? nil : shown
        var leads = try context.store.leads(query)
        let accounts = try context.store.accounts(ids: Array(Set(leads.compactMap(\.accountId))))
        // Each lead's verdict under the definition in force, so exports carry the score.
        let qualifier = Qualifier(definition: context.definition)
        let events = try context.store.events(leadIds: leads.compactMap(\.id))
        var verdicts = leads.map { lead in
            qualifier.verdict(
                for: lead, account: lead.accountId.flatMap { accounts[$0] }, events: events[lead.id!] ?? [], at: context.clock.now)
        }
        let total: Int
        if ranked {
            var kept = zip(leads, verdicts).filter { _, verdict in
                (!ready || verdict.kind == .mql || verdict.kind == .sql)
                    && minimum.map { verdict.score > $0.score || ($0.inclusive && verdict.score == $0.score) } ?? true
            }
            kept.sort { ($0.1.score, $1.0.name) > ($1.1.score, $0.0.name) }
            total = kept.count
            leads = kept.prefix(shown).map(\.0)
            verdicts = kept.prefix(shown).map(\.1)
        } else {
            total = leads.count < shown ? leads.count : try context.store.countLeads(query)
        }

        let title = ready ? "Ready to hand off (scoring MQL or better, still with marketing)" + (filters.isEmpty ? "" : ", " + filters.joined(separator: ", "))
            : "Leads" + (filters.isEmpty ? "" : " " + filters.joined(separator: ", "))
        var blocks: [Block] = [.heading("\(title): \(total)")]
        // Written even with no rows: `--format csv` then gives the header a spreadsheet expects.
        blocks.append(.table(Table(
            columns: ready ? ["name", "account", "title", "source", "owner", "verdict", "score"]
                : ["name", "account", "title", "source", "stage", "created", "score"],
            rows: zip(leads, verdicts).map { lead, verdict in
                [lead.name, lead.accountId.flatMap { accounts[$0]?.name } ?? "", lead.title ?? "", lead.source ?? ""]
                    + (ready ? [lead.owner ?? "", verdict.kind.label] : [lead.stage.rawValue, Timestamp.isoDay(lead.createdAt)])
                    + [verdict.score.clean(decimals: 1)]
            },
            numeric: [6])))
        if total > leads.count { blocks.append(.note("Showing \(leads.count) of \(total)\(ranked ? ", highest score first" : ""); --limit N shows more.")) }
        if leads.isEmpty && ready {
            blocks.append(.text("No lead still with marketing, its deal open, scores as an MQL under version \(context.definition.version) (a deal a CRM closed by its outcome, won or lost, is in no queue)."))
        }
        var waiting: Int?
        // (Not with a score filter: the store counts by stage, not by today's score.)
        if ready, minimum == nil {
            // "Who should sales call?" is also the MQLs already handed over that sales has not
            // answered: not in this queue, and not to be forgotten by whoever asks it.
            var handedOver = query
            handedOver.stages = [.mql]
            handedOver.limit = nil
            waiting = try context.store.countLeads(handedOver)
            if let waiting, waiting > 0 {
                blocks.append(.note("Also waiting for sales: \(counted(waiting, "lead")) at the MQL stage\(filters.isEmpty ? "" : " (" + filters.joined(separator: ", ") + ")"), handed over and not yet accepted or rejected: `mqls` lists them, `sla` the ones past the agreed time."))
            }
        }
        // Past a screenful, where the leads came from (or, for one source, where they stand)
        // reads faster as bars than as rows.
        var breakdown: [(value: String, count: Int)] = []
        if total > 10 && !ranked {
            let grouping: LeadGrouping = query.source == nil ? .source : .stage
            breakdown = Label.merge(try context.store.countLeads(query, by: grouping))
            blocks.append(.chart(BarChart(
                title: grouping == .source ? "By source" : "By stage",
                bars: breakdown.prefix(12).map { (label: $0.value.isEmpty ? "(none)" : $0.value, value: Double($0.count), shown: "\($0.count)") })))
        }
        let result = JSONValue.object([
            ("total", .int(total)),
            ("shown", .int(leads.count)),
            ("breakdown", .object(breakdown.map { ($0.value, .int($0.count)) })),
            ("filters", .object([
                ("stages", .array(query.stages.map { .string($0.rawValue) })), ("source", .optional(query.source)),
                ("account", request.subject.map(\.json) ?? .null), ("owner", .optional(query.owner)), ("industry", .optional(query.industry)),
                ("ready", .bool(ready)), ("score_over", minimum.map { .double($0.score) } ?? .null),
            ])),
            ("waiting_at_mql", waiting.map { .int($0) } ?? .null),
            ("definition_version", .string(context.definition.version)),
            ("leads", .array(zip(leads, verdicts).map { lead, verdict in
                qualifiedLeadJSON(lead, account: lead.accountId.flatMap { accounts[$0] }, verdict: verdict)
            })),
        ])
        return Reply(blocks, result: result)
    }

    private func limit(_ request: Request) throws -> Int {
        guard let text = request.options["limit"] else { return 50 }
        guard let value = Int(text), value > 0 else { throw UsageError("--limit takes a whole number above 0, not '\(text)'") }
        return value
    }

    /// The spelling most leads of a source use ("Trade Show" over "TRADE SHOW"), as breakdowns
    /// show it; counted only when the source has several spellings.
    static func commonSpelling(of source: String, among spellings: [String], _ store: any LeadStore) throws -> String {
        let key = Label.key(source)
        guard spellings.filter({ Label.key($0) == key }).count > 1 else { return source }
        var query = LeadQuery()
        query.source = source
        return Label.merge(try store.countLeads(query, by: .source)).first?.value ?? source
    }

    static func sameSource(_ source: String, _ phrase: String) -> Bool {
        let a = source.lowercased().filter { $0.isLetter || $0.isNumber }
        let b = phrase.lowercased().filter { $0.isLetter || $0.isNumber }
        return a == b || (b.count > 3 && (a == b + "s" || a + "s" == b))
    }

    private func show(_ request: Request, _ context: Context) throws -> Reply {
        guard let subject = request.subject else { throw UsageError("lead needs a name", hint: "e.g. `lead ada lovelace`") }
        switch subject {
        case .lead(let lead): return try show(lead, context)
        case .account(let account): return try show(account, context)
        }
    }

    private func show(_ lead: Lead, _ context: Context) throws -> Reply {
        let account = try lead.accountId.flatMap { try context.store.account(id: $0) }
        let events = try context.store.events(leadId: lead.id!)
        let trail = try context.store.transitions(leadId: lead.id!)
        func fact(_ value: Bool?) -> String { value.map { $0 ? "yes" : "no" } ?? "unknown" }
        var blocks: [Block] = [
            .heading("\(lead.name)\(lead.title.map { ", \($0)" } ?? "")\(account.map { " at \($0.name)" } ?? "")"),
            .keyValues([
                ("email", lead.email ?? "—"), ("external id", lead.externalId), ("seniority", lead.seniority?.rawValue ?? "—"),
                ("source", lead.source ?? "—"), ("owner", lead.owner ?? "—"), ("created", Timestamp.short(lead.createdAt)),
                ("stage", lead.stage.rawValue), ("outcome", lead.outcome.rawValue),
                ("budget · authority · need · timing", [lead.facts.budget, lead.facts.authority, lead.facts.need, lead.facts.timing].map(fact).joined(separator: " · ")),
            ] + (lead.notes.map { [("notes", $0)] } ?? [])),
        ]
        if let account {
            blocks.append(.text("  \(account.name): \([account.industry, account.employees.map { "\($0) employees" }, account.country].compactMap { $0 }.joined(separator: ", "))"))
        }
        if !events.isEmpty {
            blocks.append(.heading("Engagement (\(counted(events.count, "event")), latest first)"))
            blocks.append(.table(Table(
                columns: ["when", "event", "detail"],
                rows: events.reversed().prefix(10).map { [Timestamp.short($0.occurredAt), $0.kind, $0.detail] })))
        }
        if !trail.isEmpty {
            blocks.append(.heading("Stage history"))
            blocks.append(.table(Table(
                columns: ["when", "from", "to", "by", "why"],
                rows: trail.map { [Timestamp.short($0.at), $0.from?.rawValue ?? "—", $0.to.rawValue, $0.by, $0.reason] })))
        }
        // What the lead, or anyone at its account, pushed back on: the rep's first question on a call.
        let said = try context.store.objections(leadId: lead.id, accountId: lead.accountId, limit: Self.objectionsShown + 1)
        blocks += Self.objectionBlocks(said, context: context, ownLead: lead.id)
        let result = JSONValue.object([
            ("lead", lead.json),
            ("account", account?.json ?? .null),
            ("events", .array(events.map(\.json))),
            ("transitions", .array(trail.map(\.json))),
            ("objections", Self.objectionsJSON(said.prefix(Self.objectionsShown))),
        ])
        return Reply(blocks, result: result)
    }

    static let objectionsShown = 10

    /// The objections of a lead or an account, newest first, with a note when there are more.
    static func objectionBlocks(_ said: [Objection], context: Context, ownLead: Int64?) -> [Block] {
        guard !said.isEmpty else { return [] }
        var blocks: [Block] = [
            .heading("Objections (\(said.count > objectionsShown ? "latest \(objectionsShown)" : "\(said.count)"), latest first)"),
            .table(Table(
                columns: ["when", "theme", "said", "by"],
                rows: said.prefix(objectionsShown).map { objection in
                    [Timestamp.isoDay(objection.at), context.definition.theme(objection.theme)?.label ?? objection.theme,
                     "“\(objection.text)”" + (ownLead != nil && objection.leadId != ownLead ? " (elsewhere at the account)" : ""),
                     objection.loggedBy]
                })),
        ]
        if said.count > objectionsShown { blocks.append(.note("`objections at NAME` lists them all.")) }
        return blocks
    }

    static func objectionsJSON(_ said: ArraySlice<Objection>) -> JSONValue { .array(said.map(\.json)) }

    private func show(_ account: Account, _ context: Context) throws -> Reply {
        var query = LeadQuery()
        query.accountId = account.id
        let leads = try context.store.leads(query)
        let said = try context.store.objections(leadId: nil, accountId: account.id, limit: Self.objectionsShown + 1)
        let blocks: [Block] = [
            .heading(account.name),
            .keyValues([
                ("domain", account.domain ?? "—"), ("industry", account.industry ?? "—"),
                ("employees", account.employees.map(String.init) ?? "—"), ("revenue", account.revenueBand ?? "—"),
                ("country", account.country ?? "—"), ("leads", "\(leads.count)"),
            ]),
            .table(Table(
                columns: ["name", "title", "stage", "source", "created"],
                rows: leads.map { [$0.name, $0.title ?? "", $0.stage.rawValue, $0.source ?? "", Timestamp.isoDay($0.createdAt)] })),
        ] + Self.objectionBlocks(said, context: context, ownLead: nil)
        return Reply(blocks, result: .object([
            ("account", account.json),
            ("leads", .array(leads.map(\.json))),
            ("objections", Self.objectionsJSON(said.prefix(Self.objectionsShown))),
        ]))
    }
}
