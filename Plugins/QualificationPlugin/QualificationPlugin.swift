import Foundation
public import HandoffPluginAPI

/// The sales rep's side of the hand-off: verdicts under the agreed definition, why a lead was
/// turned away, and the stage changes that make the audit trail.
public struct QualificationPlugin: Plugin {
    public init() {}

    public let name = "qualification"
    public let summary = "Qualifies leads under the agreed definition and records the hand-off's stage changes"

    public var commands: [Command] {
        let lead = CommandArgument("lead", .subject, help: "a lead or an account: name, email or external id")
        return [
            Command(
                name: "qualify", summary: "The verdict for a lead (or an account's leads): score, what counts for and against it and what it lacks, unknowns, the next step for its stage",
                arguments: [lead], phrasings: ["how hot is", "score", "verdict", "is it qualified", "is qualified", "how good is", "sales ready", "ready for sales", "how warm is", "worth a call", "worth pursuing", "is a fit", "ready yet", "hot or not", "holding back", "counts for and against"],
                examples: ["qualify acme", "is wile coyote qualified?", "how hot is globex", "is road runner sales ready?"], sayings: QualificationSayings.qualify,
                tool: AssistantTool(
                    name: "qualify", description: "The verdict for a lead under the agreed definition: score, criteria, unknown facts, next step.",
                    arguments: [.leadOrAccount]),
                run: qualify),
            Command(
                name: "why rejected", summary: "Who or which rule rejected a lead, when and why, and what would change it now",
                arguments: [lead], phrasings: ["why not", "why disqualified", "rejection", "why was rejected", "why turned down", "who rejected", "what killed", "why did we drop", "which rule rejected", "who disqualified"],
                examples: ["why rejected frank grimes", "why was globex rejected?", "why not initech"], sayings: QualificationSayings.whyRejected,
                tool: AssistantTool(
                    name: "why_rejected", description: "Who or which rule rejected a lead, when and why, and what would change it now.",
                    arguments: [.leadOrAccount]),
                run: whyRejected),
            Command(
                name: "accept", summary: "Sales accepts a lead (MQL → SAL)", arguments: [lead],
                phrasings: ["sales accepts", "take"], examples: ["accept mindy simmons"], sayings: QualificationSayings.accept, writes: true,
                tool: AssistantTool(
                    name: "accept", description: "Sales accepts a lead, MQL to SAL (a write: needs --allow-writes).",
                    arguments: [AssistantTool.Argument("lead", .subject, required: true, description: "a lead: name, email or external id")],
                    writes: .model(destructive: true)),
                run: { try self.move($0, $1, to: .sal, verb: "accepted") }),
            Command(
                name: "reject", summary: "Reject a lead with a reason code and a note: reject LEAD because REASON [NOTE] (the words after the reason, or a quoted note, are kept as typed)",
                arguments: [lead, CommandArgument("reason", .after("because"), help: "a reason code and note, after 'because'")],
                phrasings: ["disqualify", "turn down", "dq"],
                examples: ["reject art vandelay because no budget this year", "reject mindy simmons because no budget \"they said the budget is frozen\""], sayings: QualificationSayings.reject, writes: true,
                tool: AssistantTool(
                    name: "reject", description: "Reject a lead with a reason code and note (a write: needs --allow-writes).",
                    arguments: [
                        AssistantTool.Argument("lead", .subject, required: true, description: "a lead: name, email or external id"),
                        AssistantTool.Argument("reason", .text(value: "reason"), required: true, description: "a reason code and note, e.g. 'no budget this year'"),
                    ],
                    writes: .model(destructive: true)),
                run: reject),
            Command(
                name: "nurture", summary: "Send a lead back to marketing to nurture", arguments: [lead],
                phrasings: ["recycle", "back to marketing", "put in nurture", "send back", "return to marketing"],
                examples: ["nurture miles dyson", "put sarah connor in nurture", "send pepper potts back to marketing"], sayings: QualificationSayings.nurture, writes: true,
                run: { try self.move($0, $1, to: .nurture, verb: "sent back to nurture") }),
            Command(
                name: "stage", summary: "Move a lead to a stage: stage LEAD STAGE (won and lost set the outcome)",
                arguments: [
                    CommandArgument("stage", .choice(Stage.allCases.map(\.rawValue)), help: "the new stage (or words an import reads for it, e.g. customer, closed won)", aliases: Stage.otherWords),
                    lead,
                ],
                phrasings: ["move", "set stage", "mark as"], examples: ["stage tony stark opportunity"], sayings: QualificationSayings.stage, writes: true,
                run: { request, context in
                    guard let stage = Stage(loose: request["stage"] ?? "") else {
                        throw UsageError("no stage called '\(request["stage"] ?? "")'", hint: "stages: \(Stage.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    return try self.move(request, context, to: stage, verb: "moved")
                }),
            Command(
                name: "undo", summary: "Undo the last stage move of a lead, if you made it: undo [LEAD] (the move back is kept in the history)",
                arguments: [CommandArgument("lead", .subject, required: false, help: "the lead whose move to take back (default: your last move, of any lead)")],
                phrasings: ["undo the move", "take back", "revert", "undo last", "undo that"], examples: ["undo miles dyson", "take back the move of pepper potts"], sayings: QualificationSayings.undo, writes: true,
                run: undo),
            ReportCommand.command,
            FunnelCommand.command,
            SourcesCommand.command,
            SLACommand.command,
            GridCommand.command,
            WhatIfCommand.command,
            CalibrateCommand.command,
            Command(
                name: "history", summary: "Every stage change of a lead: who, when, why", arguments: [lead],
                phrasings: ["audit trail", "stage history", "what happened to", "every stage change", "who moved", "timeline for"], examples: ["history wile coyote"], sayings: QualificationSayings.history, run: history),
        ]
    }

    // MARK: qualify

    private func qualify(_ request: Request, _ context: Context) throws -> Reply {
        let qualifier = Qualifier(definition: context.definition)
        switch request.subject {
        case .lead(let lead):
            let account = try lead.accountId.flatMap { try context.store.account(id: $0) }
            var verdict = qualifier.verdict(for: lead, account: account, events: try context.store.events(leadId: lead.id!), at: context.clock.now)
            verdict.nextStep = try Self.namingUniquely(verdict.nextStep, lead: lead, context: context)
            let summary = try context.prompts.render("qualification", VerdictReport.templateValues(verdict, lead: lead, account: account))
            var result = qualifiedLeadJSON(lead, account: account, verdict: verdict)
            if case .object(let pairs) = result { result = .object(pairs + [("explanation", .string(summary))]) }
            return Reply(VerdictReport.blocks(verdict, lead: lead, account: account, definition: context.definition, summary: summary), result: result)
        case .account(let account):
            var query = LeadQuery()
            query.accountId = account.id
            let ranked = try context.store.leads(query).map { lead in
                (lead, qualifier.verdict(for: lead, account: account, events: try context.store.events(leadId: lead.id!), at: context.clock.now))
            }.sorted { ($0.1.kind == .disqualified ? 0 : 1, $0.1.score) > ($1.1.kind == .disqualified ? 0 : 1, $1.1.score) }
            guard let (best, bestVerdict) = ranked.first else {
                throw NotFoundError("\(account.name) has no leads to qualify", hint: "import its contacts first")
            }
            var verdict = bestVerdict
            verdict.nextStep = try Self.namingUniquely(verdict.nextStep, lead: best, context: context)
            var blocks: [Block] = [
                .heading("\(account.name): \(ranked.count) lead\(ranked.count == 1 ? "" : "s"), best \(best.name) (\(verdict.kind.label))"),
                .table(Table(
                    columns: ["lead", "title", "verdict", "score", "stage"],
                    rows: ranked.map { [$0.0.name, $0.0.title ?? "", $0.1.kind.label, $0.1.score.clean(decimals: 1), $0.0.stage.rawValue] },
                    numeric: [3])),
            ]
            let summary = try context.prompts.render("qualification", VerdictReport.templateValues(verdict, lead: best, account: account))
            blocks += VerdictReport.blocks(verdict, lead: best, account: account, definition: context.definition, summary: summary)
            return Reply(blocks, result: .object([
                ("account", account.json),
                ("leads", .array(ranked.map { qualifiedLeadJSON($0.0, account: account, verdict: $0.1) })),
                ("best", qualifiedLeadJSON(best, account: account, verdict: verdict)),
            ]))
        case nil:
            throw UsageError("qualify needs a lead or an account", hint: "e.g. `qualify acme`")
        }
    }

    // MARK: why rejected

    private func whyRejected(_ request: Request, _ context: Context) throws -> Reply {
        let leads: [Lead]
        switch request.subject {
        case .lead(let lead): leads = [lead]
        case .account(let account):
            var query = LeadQuery()
            query.accountId = account.id
            leads = try context.store.leads(query)
        case nil: throw UsageError("why rejected needs a lead or an account", hint: "e.g. `why rejected frank grimes`")
        }
        var blocks: [Block] = []
        var explained: [JSONValue] = []
        let qualifier = Qualifier(definition: context.definition)
        for lead in leads {
            let rejections = try context.store.rejections(leadId: lead.id!)
            let account = try lead.accountId.flatMap { try context.store.account(id: $0) }
            let events = try context.store.events(leadId: lead.id!)
            let now = qualifier.verdict(for: lead, account: account, events: events, at: context.clock.now)
            guard let rejection = rejections.last else {
                if let rule = now.disqualifier {
                    // No one rejected the lead: a hard rule of the definition turns it away, for
                    // as long as the data says what it says (an import never asks a rep).
                    blocks.append(.heading("\(lead.name): disqualified by the rule '\(rule.id)' of the definition"))
                    blocks.append(.keyValues([
                        ("rule", "\(rule.label) (\(rule.field) \(rule.condition))"),
                        ("reason", "\(rule.reasonCode) — \(context.definition.reason(rule.reasonCode)?.label ?? rule.label)"),
                        ("definition", "version \(now.definitionVersion)"),
                        ("stage now", lead.stage.rawValue),
                        ("would change it", "nothing yet: the rule holds; fix the data or change the definition"),
                    ]))
                    explained.append(Self.explanation(
                        lead, rejected: true, by: rule.id, byRule: true, at: nil, reason: rule.reasonCode, note: rule.label,
                        definitionVersion: now.definitionVersion, failedThen: [], then: nil, now: now,
                        wouldChange: "nothing yet: the rule holds; fix the data or change the definition"))
                } else if lead.stage == .disqualified, let move = try context.store.transitions(leadId: lead.id!).last(where: { $0.to == .disqualified }) {
                    blocks.append(.heading("\(lead.name): moved to disqualified by \(move.by) on \(Timestamp.short(move.at)), with no rejection recorded"))
                    blocks.append(.keyValues([
                        ("why", move.reason.isEmpty ? "—" : move.reason),
                        ("now", "\(now.kind.label), score \(now.score.clean(decimals: 1)) under version \(now.definitionVersion)"),
                        ("would change it", "`nurture \(lead.name)` brings it back to marketing"),
                    ]))
                    explained.append(Self.explanation(
                        lead, rejected: true, by: move.by, byRule: false, at: move.at, reason: nil, note: move.reason,
                        definitionVersion: nil, failedThen: [], then: nil, now: now, wouldChange: "`nurture \(lead.name)` brings it back to marketing"))
                } else if leads.count == 1 {
                    blocks.append(.text("\(lead.name) was never rejected. Today: \(now.kind.label), score \(now.score.clean(decimals: 1)) under version \(now.definitionVersion)."))
                    explained.append(Self.explanation(
                        lead, rejected: false, by: nil, byRule: false, at: nil, reason: nil, note: nil,
                        definitionVersion: nil, failedThen: [], then: nil, now: now, wouldChange: nil))
                }
                continue
            }
            // Judge the lead as it stood then, under the definition then in force.
            let then = try context.store.definition(version: rejection.definitionVersion)
                .flatMap { try? DefinitionParser.parse($0.text, origin: $0.origin) } ?? context.definition
            let atTheTime = Qualifier(definition: then).verdict(
                for: lead, account: account, events: events.filter { $0.occurredAt <= rejection.at }, at: rejection.at)
            let failed = VerdictReport.lacking(atTheTime)
            let undo = Self.undo(of: rejection, in: try context.store.transitions(leadId: lead.id!))
            let wouldChange = undo == nil ? Self.remedy(rejection, lead: lead, then: atTheTime, now: now) : "nothing: the rejection no longer stands"
            let who = rejection.byRule ? "the rule '\(rejection.by)' of the definition" : rejection.by
            let reason = then.reason(rejection.reasonCode)?.label ?? rejection.reasonCode
            let since = undo.map { "; \($0.by) undid it on \(Timestamp.short($0.at)), and it is now \(lead.stage.rawValue)" }
                ?? (lead.stage == .disqualified ? "" : "; since moved on, and now \(lead.stage.rawValue)")
            blocks.append(.heading("\(lead.name): rejected by \(who) on \(Timestamp.short(rejection.at))\(since)"))
            blocks.append(.keyValues([
                ("reason", "\(rejection.reasonCode) — \(reason)"),
                ("note", rejection.note.isEmpty ? "—" : rejection.note),
                ("definition then", "version \(rejection.definitionVersion)\(then.version == rejection.definitionVersion ? "" : " (no longer stored; judged under \(then.version))")"),
                ("then", "\(atTheTime.kind.label), score \(atTheTime.score.clean(decimals: 1))"),
                ("failed then", failed.isEmpty ? "no fit criterion" : failed.map(\.criterion.label).joined(separator: "; ")),
                ("now", "\(now.kind.label), score \(now.score.clean(decimals: 1)) under version \(now.definitionVersion)"),
                ("would change it", wouldChange),
            ]))
            if rejections.count > 1 { blocks.append(.note("rejected \(rejections.count) times; this is the latest")) }
            explained.append(Self.explanation(
                lead, rejected: undo == nil, by: rejection.by, byRule: rejection.byRule, at: rejection.at, reason: rejection.reasonCode,
                note: rejection.note, definitionVersion: rejection.definitionVersion, failedThen: failed.map(\.criterion.id),
                then: atTheTime, now: now, wouldChange: wouldChange, undone: undo))
        }
        if blocks.isEmpty, case .account(let account) = request.subject {
            blocks.append(.text("None of \(account.name)'s \(leads.count) leads was rejected."))
        }
        return Reply(blocks, result: .object([("rejections", .array(explained))]))
    }

    /// The move that took a rejection back, when someone undid it: the lead's next move after the
    /// rejection's own, for `undo` only ever takes back a lead's last move.
    static func undo(of rejection: Rejection, in trail: [StageTransition]) -> StageTransition? {
        guard let index = trail.lastIndex(where: { $0.to == .disqualified && $0.at == rejection.at }),
              index + 1 < trail.count, trail[index + 1].isUndo else { return nil }
        return trail[index + 1]
    }

    /// One lead's answer to `why rejected`, in one shape whoever or whatever turned it away (a
    /// rep, a rule, a stage move with no rejection recorded) or when nothing did.
    private static func explanation(
        _ lead: Lead, rejected: Bool, by: String?, byRule: Bool, at: Date?, reason: String?, note: String?,
        definitionVersion: String?, failedThen: [String], then: Verdict?, now: Verdict, wouldChange: String?, undone: StageTransition? = nil
    ) -> JSONValue {
        .object([
            ("lead", lead.json), ("rejected", .bool(rejected)),
            ("undone", undone.map { .object([("by", .string($0.by)), ("at", .string(Timestamp.iso($0.at)))]) } ?? .null),
            ("by", .optional(by)), ("by_rule", .bool(byRule)),
            ("at", at.map { .string(Timestamp.iso($0)) } ?? .null), ("reason", .optional(reason)), ("note", .optional(note)),
            ("definition_version", .optional(definitionVersion)), ("failed_then", .array(failedThen.map(JSONValue.string))),
            ("verdict_then", then?.json ?? .null), ("verdict_now", now.json), ("would_change", .optional(wouldChange)),
        ])
    }

    /// What would turn a rejection around today, following its reason: the fact sales found
    /// missing, or the fit criteria the lead failed when it was rejected as the wrong fit.
    static func remedy(_ rejection: Rejection, lead: Lead, then: Verdict, now: Verdict) -> String {
        let today = "today the lead is \(now.kind.label) at \(now.score.clean(decimals: 1))"
        if rejection.byRule {
            if let rule = now.disqualifier, rule.id == rejection.by {
                return "nothing yet: the rule still holds (\(rule.field) \(rule.condition)); fix the data or change the definition"
            }
            return "the rule no longer holds; today the lead is \(now.kind.label): `nurture \(lead.name)` to bring it back"
        }
        let fact: QualificationFacts.Fact? = switch rejection.reasonCode {
        case "no_budget": .budget
        case "no_authority": .authority
        case "no_need": .need
        case "bad_timing": .timing
        default: nil
        }
        if let fact {
            if lead.facts[fact] == true { return "sales has since confirmed \(fact.rawValue): `nurture \(lead.name)` to bring it back; \(today)" }
            return "sales confirming \(fact.rawValue); \(today)"
        }
        switch rejection.reasonCode {
        case "wrong_fit":
            let failedThen = Set(VerdictReport.lacking(then).map(\.criterion.id))
            let stillFailing = VerdictReport.lacking(now).filter { failedThen.contains($0.criterion.id) }
            if !stillFailing.isEmpty {
                let misses = stillFailing.map { "\($0.criterion.label) (\($0.value ?? "unknown"))" }.joined(separator: "; ")
                return "nothing yet: it still fails \(misses); fix the data or change the definition; \(today)"
            }
            if !failedThen.isEmpty { return "the fit it failed now holds: `nurture \(lead.name)` to bring it back; \(today)" }
            return "a rep's second look: it met every fit criterion it could when rejected; \(today)"
        case "duplicate":
            return "nothing: work the lead it duplicates; \(today)"
        default:
            return "new engagement or a rep's second look; \(today)"
        }
    }

    // MARK: stage changes

    private func lead(_ request: Request, for verb: String) throws -> Lead {
        switch request.subject {
        case .lead(let lead): return lead
        case .account(let account): throw UsageError("\(verb) needs a lead, and \(account.name) is an account", hint: "name one of its leads (`leads at \(account.name)`)")
        case nil: throw UsageError("\(verb) needs a lead", hint: "e.g. `\(verb) ada lovelace`")
        }
    }

    private func move(_ request: Request, _ context: Context, to stage: Stage, verb: String) throws -> Reply {
        let lead = try lead(request, for: request.command)
        if lead.outcome != .open, lead.stage != .won, lead.stage != .lost {
            // The CRM closed the deal (the outcome came with the lead) while its stage stayed
            // early in the funnel: moving it would make a lost deal an MQL, say. The CRM reopens it.
            throw UsageError(
                "cannot \(request.command) \(lead.name): the deal is closed as \(lead.outcome.rawValue) (the outcome came with the lead, at \(lead.stage.rawValue)), so its stage stays",
                hint: "to work it again, import it with its outcome open (an empty outcome keeps what is stored; `open` reopens it)")
        }
        if let refusal = StageRules.refusal(lead.name, from: lead.stage, to: stage) {
            throw UsageError("cannot \(request.command) \(lead.name): \(refusal)")
        }
        let transition = StageTransition(
            leadId: lead.id!, from: lead.stage, to: stage, at: context.clock.now, by: context.actor,
            reason: request.command == "stage" ? "moved by hand" : verb)
        try Self.naming(lead, request.command) { try context.store.move(transition) }
        return Reply(
            [.text("\(lead.name) \(verb): \(lead.stage.rawValue) → \(stage.rawValue) (by \(context.actor), \(Timestamp.short(context.clock.now)))")],
            result: .object([("lead", try Self.reread(lead, context).json), ("transition", transition.json)]))
    }

    private func reject(_ request: Request, _ context: Context) throws -> Reply {
        let lead = try lead(request, for: "reject")
        let text = request["reason"] ?? ""
        // The reason is looked for in the rep's own words first: a quoted note is what the
        // prospect said, and may name another reason ("no budget" in `because timing "no budget till May"`).
        let outside = QuotedPhrases.outside(text)
        guard let reason = Self.reasonCode(in: outside, definition: context.definition) ?? Self.reasonCode(in: text, definition: context.definition) else {
            let meant = Self.misspeltReason(in: outside.isEmpty ? text : outside, definition: context.definition)
            throw UsageError(
                "'\(text)' names no reason code of the definition" + (meant.map { "; did you mean \($0.code) (\($0.label))?" } ?? ""),
                hint: "reason codes: \(context.definition.reasons.map(\.code).joined(separator: ", ")) — e.g. `reject \(lead.name) because no_budget, frozen until Q3`")
        }
        if let refusal = StageRules.refusal(lead.name, from: lead.stage, to: .disqualified) {
            throw UsageError("cannot reject \(lead.name): \(refusal)")
        }
        let note = Self.note(text, after: reason)
        let rejection = Rejection(
            leadId: lead.id!, at: context.clock.now, by: context.actor, reasonCode: reason.code, note: note,
            definitionVersion: context.definition.version)
        try Self.naming(lead, "reject") { try context.store.reject(rejection) }
        return Reply(
            [.text("\(lead.name) rejected: \(reason.code) (\(reason.label))\(note.isEmpty ? "" : "; note kept: “\(note)”"). \(lead.stage.rawValue) → disqualified, by \(context.actor).")],
            result: .object([
                ("lead", try Self.reread(lead, context).json), ("rejection", rejection.json), ("from", .string(lead.stage.rawValue)),
            ]))
    }

    /// The lead as the store holds it after a write (its stage, and the outcome a closing move set).
    static func reread(_ lead: Lead, _ context: Context) throws -> Lead {
        try context.store.lead(externalId: lead.externalId) ?? lead
    }

    /// Runs a store write, naming the lead in the conflict another session's change causes (the
    /// store knows only the lead's id).
    static func naming(_ lead: Lead, _ verb: String, _ write: () throws -> Void) throws {
        do {
            try write()
        } catch let conflict as ConflictError {
            let hint = switch conflict.kind {
            case .moved: "see what happened with `history \(lead.name)`, then try again if it still applies"
            case .rejected: "see who and why with `why rejected \(lead.name)`"
            case .other: conflict.hint
            }
            throw ConflictError("cannot \(verb) \(lead.name): \(conflict.message)", hint: hint, kind: conflict.kind)
        }
    }

    /// The reason code a rep's words name: the code itself (`no_budget`), its words (`no budget`),
    /// or its label's words (`duplicate of another lead`).
    static func reasonCode(in text: String, definition: Definition) -> ReasonCode? {
        let words = text.lowercased().split(whereSeparator: { !$0.isLetter && $0 != "_" }).map(String.init)
        let joined = " " + words.joined(separator: " ") + " "
        return definition.reasons.first { reason in
            let codeWords = reason.code.replacingOccurrences(of: "_", with: " ")
            return words.contains(reason.code) || joined.contains(" \(codeWords) ")
        } ?? definition.reasons.first { reason in
            joined.contains(" \(reason.label.lowercased()) ")
        }
    }

    /// The reason a rep meant by a misspelt one ("no authorty"): the code whose words the text's
    /// first words are a typo or two from.
    static func misspeltReason(in text: String, definition: Definition) -> ReasonCode? {
        let words = text.lowercased().split(whereSeparator: { !$0.isLetter && $0 != "_" }).flatMap { $0.split(separator: "_") }.map(String.init)
        return definition.reasons.compactMap { reason -> (ReasonCode, Int)? in
            let code = reason.code.split(separator: "_").map(String.init)
            guard words.count >= code.count else { return nil }
            let distance = EditDistance.levenshtein(words.prefix(code.count).joined(separator: " "), code.joined(separator: " "))
            return distance <= 2 && distance < code.joined().count / 2 ? (reason, distance) : nil
        }.min { $0.1 < $1.1 }?.0
    }

    /// The note of a rejection: what follows the words that named its reason, when they lead
    /// (`no budget, frozen until Q3` → `frozen until Q3`; `no budget "they said it is frozen"` →
    /// `they said it is frozen`). Reason words anywhere else are part of the note, which then is
    /// the whole text: words are never taken out of the middle of a sentence or a quote.
    static func note(_ text: String, after reason: ReasonCode) -> String {
        func words(_ phrase: String) -> String {
            phrase.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map { NSRegularExpression.escapedPattern(for: String($0)) }
                .joined(separator: "[^\\p{L}\\p{N}]+")
        }
        let names = [NSRegularExpression.escapedPattern(for: reason.code), words(reason.code), words(reason.label)].filter { !$0.isEmpty }
        let pattern = "^[\\s,;:.–-]*(?:\(names.joined(separator: "|")))(?![\\p{L}\\p{N}_])"
        guard let leading = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]),
              let match = leading.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
              let range = Range(match.range, in: text)
        else { return QuotedPhrases.unwrapped(text) }
        let rest = text[range.upperBound...].trimmingCharacters(in: CharacterSet(charactersIn: ",;:.–-").union(.whitespaces))
        return QuotedPhrases.unwrapped(rest)
    }

    // MARK: undo

    /// Moves the lead back where its last move took it from. Only whoever made that move may undo
    /// it, and both moves stay in the audit trail: an undo is a new move, not an erasure.
    /// A hint names the lead so it can be typed as it stands (`accept Ada Lovelace`); when another
    /// lead has the same name, that would ask "which one?", so the hint names it by its email (or
    /// external id) instead.
    static func namingUniquely(_ hint: String, lead: Lead, context: Context) throws -> String {
        guard hint.contains(lead.name) else { return hint }
        let namesakes = try context.store.findLeads(matching: lead.name, limit: 10, loose: false)
            .filter { $0.id != lead.id && Label.key($0.name) == Label.key(lead.name) }
        guard !namesakes.isEmpty else { return hint }
        let reference = lead.email ?? lead.externalId
        // Only inside `code`: the sentence around it may still say who the lead is.
        return hint.split(separator: "`", omittingEmptySubsequences: false).enumerated().map { index, part in
            index % 2 == 1 ? part.replacingOccurrences(of: lead.name, with: reference) : String(part)
        }.joined(separator: "`")
    }

    /// The commands that move a lead, which a bare `undo` takes back.
    static let movingCommands: Set<String> = ["accept", "reject", "nurture", "stage", "undo"]

    private func undo(_ request: Request, _ context: Context) throws -> Reply {
        let lead: Lead
        if request.subject == nil, let last = context.lastChangeInSession, !Self.movingCommands.contains(last) {
            // "undo" right after logging an objection means that objection, not an older move.
            throw UsageError(
                "`undo` takes back a stage move, and your last change here was `\(last)`",
                hint: (last == "log objection" || last == "retheme" ? "`withdraw objection ID` takes an objection back (`Logged objection ID` said which); " : "")
                    + "`undo LEAD` takes back the last move of a lead")
        }
        if request.subject == nil {
            // A bare `undo`: the last move you made, whichever lead it was.
            guard let mine = try context.store.lastTransition(by: context.actor), let moved = try context.store.lead(id: mine.leadId) else {
                throw UsageError("you have made no stage move to undo", hint: "`undo LEAD` takes back your last move of that lead")
            }
            lead = moved
        } else {
            lead = try self.lead(request, for: "undo")
        }
        let trail = try context.store.transitions(leadId: lead.id!)
        guard let last = trail.last, let back = last.from else {
            throw UsageError("\(lead.name) has no move to undo: its first stage (\(lead.stage.rawValue)) came with the lead")
        }
        // An undo is undone by moving on, not by undoing it: two undos would otherwise redo the move.
        if last.isUndo {
            throw UsageError(
                "the last move of \(lead.name) (\(back.rawValue) → \(last.to.rawValue), \(Timestamp.short(last.at))) was itself an undo; there is nothing left to undo",
                hint: "`history \(lead.name)` shows every move; `stage \(lead.name) STAGE` moves the lead on")
        }
        guard last.by == context.actor else {
            throw UsageError(
                "the last move of \(lead.name) (\(back.rawValue) → \(last.to.rawValue), \(Timestamp.short(last.at))) was made by \(last.by); only they can undo it",
                hint: "`history \(lead.name)` shows every move; `stage \(lead.name) STAGE` moves the lead on")
        }
        let transition = StageTransition(
            leadId: lead.id!, from: lead.stage, to: back, at: context.clock.now, by: context.actor,
            reason: "\(Trail.undoReason)\(back.rawValue) → \(last.to.rawValue) (\(Timestamp.short(last.at)))\(last.reason.isEmpty ? "" : ": \(last.reason)")")
        try Self.naming(lead, "undo") { try context.store.move(transition) }
        return Reply(
            [.text("\(lead.name) moved back: \(lead.stage.rawValue) → \(back.rawValue) (undoing your move of \(Timestamp.short(last.at)); both stay in the history)")],
            result: .object([("lead", try Self.reread(lead, context).json), ("transition", transition.json), ("undone", last.json)]))
    }

    // MARK: history

    private func history(_ request: Request, _ context: Context) throws -> Reply {
        let lead = try lead(request, for: "history")
        let trail = try context.store.transitions(leadId: lead.id!)
        return Reply(
            [
                .heading("\(lead.name): \(trail.count) stage change\(trail.count == 1 ? "" : "s"), now \(lead.stage.rawValue)"),
                .table(Table(
                    columns: ["when", "from", "to", "by", "why"],
                    rows: trail.map { [Timestamp.short($0.at), $0.from?.rawValue ?? "—", $0.to.rawValue, $0.by, $0.reason] })),
            ],
            result: .object([("lead", lead.json), ("transitions", .array(trail.map(\.json)))]))
    }
}
