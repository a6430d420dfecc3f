import Foundation
import HandoffPluginAPI

/// `what if CHANGE [--list]`: the definition report for a changed definition beside today's, and
/// which open leads would enter or leave MQL and sales-ready, before anyone edits the file. Nothing
/// is written.
enum WhatIfCommand {
    static let command = Command(
        name: "what if",
        summary: "The definition report for a changed definition beside today's (MQLs, precision, recall, lift, AUC), and the open leads that would enter or leave MQL and sales-ready; nothing is written",
        arguments: [CommandArgument("change", .rest, help: "mql N, sql N, a fit criterion's or event kind's id and its new points, or definition FILE")],
        options: [CommandOption("list", help: "name the open leads that would enter or leave MQL and sales-ready")],
        phrasings: ["what if", "what would happen if", "simulate the definition", "try a threshold", "try the definition"],
        examples: ["what if mql 70", "what if webinar_attended 15", "what if definition team-draft.yaml --list"],
        sayings: QualificationSayings.whatIf,
        run: run)

    static let usage = "say what to change: `what if mql 70` (the MQL threshold), `what if sql 70` (sales-ready's), `what if webinar_attended 15` "
        + "(a fit criterion's or an event kind's id and its new points), or `what if definition FILE` (a whole edited definition)"

    /// The change asked for, applied to today's definition.
    struct Change {
        var definition: Definition
        /// "the MQL threshold were 70 points (today 60)", after "What if".
        var description: String
        var json: JSONValue
        /// Only a threshold moves: every lead keeps its score, and only its verdict may change.
        var keepsScores = false
    }

    /// Reads the change from the line's words: a file after `definition` (or any word that is a
    /// `.yaml` file or a path), else the one target named (the MQL or sales-ready threshold, a fit criterion
    /// or an event kind, by its id or its words with any word form: "free trials" is `free_trial`)
    /// and the number that follows it. A line with two numbers, or none, is refused, not guessed.
    static func change(_ text: String, of today: Definition) throws -> Change {
        let words = text.split(whereSeparator: \.isWhitespace).map(String.init)
        func isFile(_ word: String) -> Bool {
            let lower = word.lowercased()
            return lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") || word.contains("/")
        }
        let fileIndex = words.firstIndex { $0.lowercased() == "definition" }.map { $0 + 1 }.flatMap { $0 < words.count && isFile(words[$0]) ? $0 : nil }
            ?? words.firstIndex(where: isFile)
        if let fileIndex {
            let path = words[fileIndex...].joined(separator: " ")
            let changed = try DefinitionParser.load(path: path)
            return Change(
                definition: changed, description: "the definition were the one in \(path) (version \(changed.version))",
                json: .object([("definition", .string(path)), ("version", .string(changed.version))]))
        }
        let trimmed = words.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "?.,!'\"")) }
        let numbers = trimmed.indices.filter { Double(trimmed[$0]) != nil }
        let stems = trimmed.map { Stemmer.stem($0.lowercased()) }
        // Where a target is named: its id as one word, or its words in a row by stem.
        func position(of id: String) -> Int? {
            let parts = id.lowercased().split(separator: "_").map { Stemmer.stem(String($0)) }
            if let index = trimmed.firstIndex(where: { $0.lowercased() == id.lowercased() }) { return index }
            return stems.indices.first { start in start + parts.count <= stems.count && Array(stems[start..<start + parts.count]) == parts }
        }
        func number(after index: Int, what: String, example: String) throws -> Double {
            // The numbers after the target: a label's own ("50 to 5,000 employees") are its words.
            let after = numbers.filter { $0 > index }
            guard after.count == 1, let at = after.first else {
                throw UsageError(
                    after.count > 1 ? "one change at a time: '\(text)' has \(after.count) numbers" : "what should \(what) be? `what if \(example)`",
                    hint: usage)
            }
            let value = Double(trimmed[at])!
            guard value.isFinite else { throw UsageError("\(trimmed[at]) is not a number of points", hint: usage) }
            return value
        }
        var changed = today
        if let at = position(of: "mql") ?? position(of: "mqls") ?? position(of: "threshold"), position(of: "sql") == nil, position(of: "sales_ready") == nil {
            let value = try number(after: at, what: "the MQL threshold", example: "mql 70")
            let before = today.thresholds.mql
            changed.thresholds.mql = value
            var description = "the MQL threshold were \(value.clean(decimals: 1)) points (today \(before.clean(decimals: 1)))"
            // Sales-ready needs at least the MQL score: it rises with it, and the answer says so.
            if today.thresholds.sqlScore.isFinite, today.thresholds.sqlScore < value {
                changed.thresholds.sqlScore = value
                description += ", and sales-ready with it (today \(today.thresholds.sqlScore.clean(decimals: 1)))"
            }
            return Change(
                definition: changed, description: description,
                json: .object([("target", .string("mql")), ("from", .double(before)), ("to", .double(value)),
                               ("sql_to", changed.thresholds.sqlScore.isFinite ? .double(changed.thresholds.sqlScore) : .null)]),
                keepsScores: true)
        }
        if let at = position(of: "sql") ?? position(of: "sqls") ?? position(of: "sales_ready") {
            let value = try number(after: at, what: "the sales-ready threshold", example: "sql 70")
            guard today.thresholds.sqlScore.isFinite else {
                throw UsageError("the definition has no `sql:` rule, so there is no sales-ready threshold to change", hint: "add `sql: { min_score: N }` under thresholds")
            }
            guard value >= today.thresholds.mql else {
                throw UsageError("sales-ready at \(value.clean(decimals: 1)) would be below the MQL threshold (\(today.thresholds.mql.clean(decimals: 1)))", hint: usage)
            }
            let before = today.thresholds.sqlScore
            changed.thresholds.sqlScore = value
            return Change(
                definition: changed, description: "sales-ready took \(value.clean(decimals: 1)) points (today \(before.clean(decimals: 1)))",
                json: .object([("target", .string("sql")), ("from", .double(before)), ("to", .double(value))]), keepsScores: true)
        }
        // A criterion by its id ("manager_role") or by the words of its label, as `definition show`
        // shows it ("manager", "sells where we do"): the longest label the line holds wins.
        func parts(_ text: String) -> [String] {
            text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map { Stemmer.stem(String($0)) }
        }
        // The line's words cut where a label's are ("c-level" is "c" and "level"), each part with the
        // word it came from.
        let lineParts = trimmed.indices.flatMap { index in parts(trimmed[index]).map { (stem: $0, word: index) } }
        func labelPosition(_ label: String) -> (at: Int, length: Int)? {
            let wanted = parts(label)
            guard !wanted.isEmpty else { return nil }
            return lineParts.indices.first { start in
                start + wanted.count <= lineParts.count && lineParts[start..<start + wanted.count].map(\.stem) == wanted
            }.map { (lineParts[$0 + wanted.count - 1].word, wanted.count) }
        }
        let byId = today.fit.indices.first { position(of: today.fit[$0].id) != nil }
        let byLabel = today.fit.indices.compactMap { index in labelPosition(today.fit[index].label).map { (index, $0) } }
            .max { $0.1.length < $1.1.length }
        // "senior 30": a word of one criterion's id that no other criterion's id has.
        let idWords = today.fit.map { Set(parts($0.id)) }
        let byIdWord = today.fit.indices.compactMap { index -> (Int, Int)? in
            let others = idWords.indices.filter { $0 != index }.reduce(into: Set<String>()) { $0.formUnion(idWords[$1]) }
            return lineParts.first { idWords[index].contains($0.stem) && !others.contains($0.stem) }.map { (index, $0.word) }
        }
        if let (index, at) = byId.map({ ($0, position(of: today.fit[$0].id)!) }) ?? byLabel.map({ ($0.0, $0.1.at) })
            ?? (byIdWord.count == 1 ? byIdWord[0] : nil) {
            let criterion = today.fit[index]
            let value = try number(after: at, what: "the points of '\(criterion.label)'", example: "\(criterion.id) 15")
            changed.fit[index].points = value
            return Change(
                definition: changed, description: "'\(criterion.label)' gave \(value.clean(decimals: 1)) points (today \(criterion.points.clean(decimals: 1)))",
                json: .object([("target", .string(criterion.id)), ("from", .double(criterion.points)), ("to", .double(value))]))
        }
        if let kind = today.engagement.kinds.keys.sorted().first(where: { position(of: $0) != nil }), let score = today.engagement.kinds[kind] {
            let value = try number(after: position(of: kind)!, what: "the points of an event of \(kind)", example: "\(kind) 15")
            changed.engagement.kinds[kind]?.points = value
            return Change(
                definition: changed, description: "\(kind) gave \(value.clean(decimals: 1)) points an event (today \(score.points.clean(decimals: 1)))",
                json: .object([("target", .string(kind)), ("from", .double(score.points)), ("to", .double(value))]))
        }
        throw UsageError(
            text.isEmpty ? "what if what?" : "'\(text)' names nothing the definition scores",
            hint: usage + "; `definition show` lists the criteria with their ids")
    }

    /// A lead's standing under one definition, as far as the hand-off goes.
    enum Standing: String {
        case disqualified, nurture, mql, sql

        init(_ judged: DefinitionReport.Judged) {
            self = judged.disqualified ? .disqualified : judged.salesReady ? .sql : judged.isMQL ? .mql : .nurture
        }

        var isMQL: Bool { self == .mql || self == .sql }
        var shown: String { self == .sql ? "sales-ready" : self == .mql ? "MQL" : rawValue }
    }

    /// An open lead whose standing the change would move.
    struct Moved: Sendable {
        var id: Int64
        var before: DefinitionReport.Judged
        var after: DefinitionReport.Judged
    }

    /// One part of the scan: a scorer for each definition, the closed leads each ranked, and the
    /// open leads the change moves.
    struct Part: Sendable {
        var today: BulkScorer
        var changed: BulkScorer
        var ranked: ([RankedPart.Item], [RankedPart.Item]) = ([], [])
        var open = 0
        var moved: [Moved] = []
    }

    static func run(_ request: Request, _ context: Context) throws -> Reply {
        let change = try Self.change(request["change"] ?? "", of: context.definition)
        let today = context.definition
        // One scan for both definitions: the events of every kind either scores, indexed alike.
        let kinds = Set(today.engagement.kinds.keys).union(change.definition.engagement.kinds.keys).sorted()
        var todayScorer = BulkScorer(definition: today, now: context.clock.now, eventKinds: kinds)
        var changedScorer = BulkScorer(definition: change.definition, now: context.clock.now, eventKinds: kinds)
        try context.store.scanAccounts {
            todayScorer.add($0)
            changedScorer.add($0)
        }
        let parts = try context.store.scanLeadsInParallel(
            outcomes: Outcome.allCases, fields: todayScorer.leadFields.union(changedScorer.leadFields).union([.stage]),
            attributes: todayScorer.readsAttributes || changedScorer.readsAttributes, eventKinds: kinds, isCancelled: context.isCancelled,
            start: { [todayScorer, changedScorer] in Part(today: todayScorer, changed: changedScorer) },
            finish: {
                $0.ranked.0.sort(by: RankedPart.Item.ranksBelow)
                $0.ranked.1.sort(by: RankedPart.Item.ranksBelow)
            }
        ) { part, lead, events in
            let before = part.today.judge(lead, events: events)
            // A threshold alone changes no score: judging the lead again would only add it up twice.
            let after = change.keepsScores ? part.changed.verdict(of: before, for: lead) : part.changed.judge(lead, events: events)
            if lead.outcome == .open {
                // The open pipeline: leads still to be won, not those a rep already disqualified.
                guard lead.stage != .disqualified else { return }
                part.open += 1
                let (was, would) = (Standing(before), Standing(after))
                if was.isMQL != would.isMQL || (was == .sql) != (would == .sql) { part.moved.append(Moved(id: lead.id ?? 0, before: before, after: after)) }
            } else {
                let createdAt = Int64(lead.createdAt.timeIntervalSince1970), id = lead.id ?? 0
                part.ranked.0.append(RankedPart.Item(createdAt: createdAt, id: id, judged: before))
                part.ranked.1.append(RankedPart.Item(createdAt: createdAt, id: id, judged: after))
            }
        }
        let reports = (
            DefinitionReport(judged: RankedPart.merged(parts.map(\.ranked.0)), criteria: today.fit),
            DefinitionReport(judged: RankedPart.merged(parts.map(\.ranked.1)), criteria: change.definition.fit))
        let open = parts.reduce(0) { $0 + $1.open }
        let moved = parts.flatMap(\.moved)
        let enterMQL = moved.filter { !Standing($0.before).isMQL && Standing($0.after).isMQL }
        let leaveMQL = moved.filter { Standing($0.before).isMQL && !Standing($0.after).isMQL }
        let enterReady = moved.filter { Standing($0.before) != .sql && Standing($0.after) == .sql }
        let leaveReady = moved.filter { Standing($0.before) == .sql && Standing($0.after) != .sql }

        func percent(_ value: Double?) -> String { value.map { String(format: "%.1f%%", $0 * 100) } ?? "—" }
        func figure(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "—" }
        func lift(_ value: Double?) -> String { value.map { String(format: "%.2f×", $0) } ?? "—" }
        let rows: [(String, (DefinitionReport) -> String)] = [
            ("MQLs", { "\($0.mqls)" }),
            ("MQL conversion", { percent($0.mqlConversion) }),
            ("precision", { figure($0.precision) }),
            ("recall", { figure($0.recall) }),
            ("lift", { lift($0.lift) }),
            ("AUC", { figure($0.auc) }),
        ]
        var blocks: [Block] = [
            .heading("What if \(change.description)? Nothing is written."),
            .text("On the \(counted(reports.0.leads, "lead")) with a known outcome (\(reports.0.converted) converted):"),
            .table(Table(
                columns: ["", "today (\(today.version))", "what if"],
                rows: rows.map { [$0.0, $0.1(reports.0), $0.1(reports.1)] }, numeric: [1, 2])),
            .text("On the open pipeline (\(counted(open, "lead")) not yet won, lost or disqualified by a rep): \(enterMQL.count) would become MQL and \(leaveMQL.count) would stop being one; "
                + "\(enterReady.count) would become sales-ready and \(leaveReady.count) would stop being so."
                + (moved.isEmpty || request.has("list") ? "" : " `--list` names them.")),
        ]
        // A changed definition that scores what sales writes after the first call looks better
        // than any can be: say so beside its figures, as `definition report` does.
        let afterContact = change.definition.rules(readingAfterContact: try context.store.fieldsFilledAfterContact())
        if !afterContact.isEmpty {
            blocks.append(.warning(
                "the changed definition scores what sales fills in after the first contact (\(afterContact.map { "'\($0.label)' reads \($0.field)" }.joined(separator: ", "))): "
                    + "its figures know the outcome, and `definition check` refuses it"))
        }
        if reports.0.leads == 0 { blocks.append(.note("No lead has a known outcome yet, so precision, recall, lift and AUC wait for won and lost leads.")) }
        if let few = ReportCommand.fewLeads(reports.0.leads) { blocks.append(.note(few)) }
        var listed: [JSONValue] = []
        if request.has("list"), !moved.isEmpty {
            let shown = moved.sorted { ($0.after.score, $1.id) > ($1.after.score, $0.id) }.prefix(listLimit)
            var table: [[String]] = []
            for lead in shown {
                let stored = try context.store.lead(id: lead.id)
                let (was, would) = (Standing(lead.before), Standing(lead.after))
                // A disqualified lead has no score to show: a rule ruled it out, whatever its points.
                func score(_ judged: DefinitionReport.Judged) -> String { judged.disqualified ? "—" : judged.score.clean(decimals: 1) }
                table.append([stored?.name ?? "#\(lead.id)", "\(was.shown) → \(would.shown)", "\(score(lead.before)) → \(score(lead.after))"])
                listed.append(.object([
                    ("lead", stored.map { Subject.lead($0).json } ?? .null),
                    ("today", .string(was.rawValue)), ("what_if", .string(would.rawValue)),
                    ("score_today", lead.before.disqualified ? .null : .double(lead.before.score)),
                    ("score_what_if", lead.after.disqualified ? .null : .double(lead.after.score)),
                ]))
            }
            blocks.append(.table(Table(columns: ["lead", "verdict", "score"], rows: table)))
            if moved.count > shown.count { blocks.append(.note("and \(moved.count - shown.count) more; the JSON answer lists the first \(listLimit) too")) }
        }
        func figures(_ report: DefinitionReport, _ definition: Definition) -> JSONValue {
            .object([
                ("definition_version", .string(definition.version)), ("mql_threshold", .double(definition.thresholds.mql)),
                ("sql_threshold", definition.thresholds.sqlScore.isFinite ? .double(definition.thresholds.sqlScore) : .null),
                ("mqls", .int(report.mqls)), ("true_positives", .int(report.truePositives)),
                ("precision", report.precision.map(JSONValue.double) ?? .null), ("recall", report.recall.map(JSONValue.double) ?? .null),
                ("lift", report.lift.map(JSONValue.double) ?? .null), ("mql_conversion", report.mqlConversion.map(JSONValue.double) ?? .null),
                ("auc", report.auc.map(JSONValue.double) ?? .null),
            ])
        }
        return Reply(blocks, result: .object([
            ("change", change.json), ("leads", .int(reports.0.leads)), ("converted", .int(reports.0.converted)),
            ("today", figures(reports.0, today)), ("what_if", figures(reports.1, change.definition)),
            ("open", .int(open)), ("enter_mql", .int(enterMQL.count)), ("leave_mql", .int(leaveMQL.count)),
            ("enter_sales_ready", .int(enterReady.count)), ("leave_sales_ready", .int(leaveReady.count)),
            ("moved", request.has("list") ? .array(listed) : .null),
            ("after_contact", .array(afterContact.map { .string($0.id) })),
        ]))
    }

    /// How many moved leads `--list` names.
    static let listLimit = 200
}
