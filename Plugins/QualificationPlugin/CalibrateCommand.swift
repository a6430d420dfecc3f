import Foundation
import HandoffPluginAPI

/// `definition calibrate [--out FILE]`: points learnt from the leads that were won or lost. A
/// regularised logistic regression on a random 70% of them weighs the definition's own criteria and
/// candidates drawn from the fields the data has (a value of a categorical field with enough leads
/// behind it, "at least" a quartile of a numeric one), keeping a candidate only when it raises the
/// AUC on leads it was not fitted on; today's definition and the proposal are then measured side by
/// side on the other 30%. Fields sales fills in after the first contact are never candidates.
enum CalibrateCommand {
    static let command = Command(
        name: "definition calibrate",
        summary: "Learn points from won and lost leads (logistic regression on 70%, measured on the other 30%) and propose a new definition version",
        options: [CommandOption("out", value: "FILE", help: "write the proposal there, as a definition file")],
        phrasings: ["calibrate the definition", "learn points from outcomes", "fit the scoring to outcomes", "recalibrate"],
        examples: ["definition calibrate", "definition calibrate --out proposal.yaml"], sayings: QualificationSayings.calibrate,
        run: run)

    /// One lead with a known outcome, as the calibration reads it.
    struct Sample: Sendable {
        var lead: Lead
        var judged: DefinitionReport.Judged
    }

    /// A criterion the data suggests: a condition on one field, and which samples it holds for.
    struct Candidate {
        var criterion: Criterion
        var holds: [Bool]
    }

    /// The most candidate criteria added to the definition's own, and the least rise in AUC on the
    /// selection's held-out leads that earns one its place.
    static let mostAdded = 12
    static let leastGain = 0.002
    static let seed: UInt64 = 70
    /// How many leads the selection fits and judges on, and the final weights are learnt from, at
    /// most: the models' cost grows with the leads, their worth hardly past these.
    static let selectionLeads = 20_000
    static let weightLeads = 60_000

    static func run(_ request: Request, _ context: Context) throws -> Reply {
        let today = context.definition
        let afterContact = try context.store.fieldsFilledAfterContact()
        var accounts: [Int64: Account] = [:]
        var scorer = BulkScorer(definition: today, now: context.clock.now)
        try context.store.scanAccounts {
            scorer.add($0)
            if let id = $0.id { accounts[id] = $0 }
        }
        let read: Set<FieldPath.LeadField> = [.title, .seniority, .source, .emailDomain]
        let parts = try context.store.scanLeadsInParallel(
            outcomes: [.won, .lost], fields: read.union(scorer.leadFields), attributes: true, eventKinds: scorer.eventKinds,
            isCancelled: context.isCancelled, start: { [scorer] in (scorer: scorer, samples: [Sample]()) },
            finish: { $0.samples.sort { ($0.lead.id ?? 0) < ($1.lead.id ?? 0) } }
        ) { part, lead, events in
            part.samples.append(Sample(lead: lead, judged: part.scorer.judge(lead, events: events)))
        }
        let samples = parts.flatMap(\.samples)
        let converted = samples.filter(\.judged.converted).count
        guard converted > 0, converted < samples.count, samples.count >= 100 else {
            throw NotFoundError(
                "calibration needs won and lost leads, at least 100 in all; there are \(converted) won and \(samples.count - converted) lost",
                hint: "import leads with an outcome column (won/lost)")
        }

        // A random 70% to learn from (the first five sevenths fitted, the rest judging which
        // candidates earn a place), the other 30% to measure on. Seeded: the same data gives the
        // same proposal.
        var random = SeededRandom(seed: seed)
        var order = Array(samples.indices)
        for index in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(index, random.next(below: index + 1)) }
        let trainCount = samples.count * 7 / 10
        let train = Array(order[..<trainCount]), test = Array(order[trainCount...])
        // The selection fits many models: it works on at most `selectionLeads` of each part, drawn
        // at random like the rest, which is plenty to tell a criterion's worth.
        let fitPart = Array(train[..<(trainCount * 5 / 7)].prefix(selectionLeads))
        let choosePart = Array(train[(trainCount * 5 / 7)...].prefix(selectionLeads))

        let (candidates, leftOut) = Self.candidates(samples, train: train, accounts: accounts, today: today, afterContact: afterContact)
        let scored = today.engagement.kinds.isEmpty ? 0 : 1
        func row(_ sample: Int, _ chosen: [Int]) -> [Double] {
            let s = samples[sample]
            return today.fit.indices.map { s.judged.passed.contains($0) ? 1.0 : 0 } + (scored == 1 ? [s.judged.engagement] : [])
                + chosen.map { candidates[$0].holds[sample] ? 1.0 : 0 }
        }
        func fit(_ indices: [Int], _ chosen: [Int]) -> LogisticRegression {
            let kept = indices.filter { !samples[$0].judged.disqualified }
            return LogisticRegression(rows: kept.map { row($0, chosen) }, converted: kept.map { samples[$0].judged.converted })
        }
        func auc(_ indices: [Int], _ model: LogisticRegression, _ chosen: [Int]) -> Double {
            DefinitionReport.auc(indices.map { index in
                let s = samples[index]
                return DefinitionReport.Judged(
                    score: s.judged.disqualified ? DefinitionReport.disqualifiedScore : model.score(row(index, chosen)), isMQL: false,
                    converted: s.judged.converted, passed: [])
            }) ?? 0
        }

        // Forward selection: the candidates whose score test says they would explain most of what
        // the model misses, fitted one at a time; the best joins if it raises the held-out AUC.
        var chosen: [Int] = []
        var model = fit(fitPart, chosen)
        var best = auc(choosePart, model, chosen)
        while chosen.count < mostAdded {
            let fitted = fitPart.filter { !samples[$0].judged.disqualified }
            let chances = fitted.map { 1 / (1 + exp(-(model.intercept + model.score(row($0, chosen))))) }
            let ranked = candidates.indices.filter { !chosen.contains($0) }.map { candidate -> (Int, Double) in
                var gradient = 0.0, information = 0.0
                for (position, index) in fitted.enumerated() where candidates[candidate].holds[index] {
                    gradient += (samples[index].judged.converted ? 1 : 0) - chances[position]
                    information += chances[position] * (1 - chances[position])
                }
                return (candidate, gradient * gradient / (information + 1e-9))
            }.sorted { $0.1 > $1.1 }.prefix(4)
            let tried = ranked.map { candidate -> (Int, LogisticRegression, Double) in
                let next = fit(fitPart, chosen + [candidate.0])
                return (candidate.0, next, auc(choosePart, next, chosen + [candidate.0]))
            }
            guard let winner = tried.max(by: { $0.2 < $1.2 }), winner.2 >= best + leastGain else { break }
            chosen.append(winner.0)
            model = winner.1
            best = winner.2
        }

        // The weights of the whole 70%, as points: per engagement point when engagement is
        // scored (so event points keep their meaning), else ten points to a unit of log-odds.
        let final = fit(Array(train.prefix(weightLeads)), chosen)
        let engagementWeight = scored == 1 ? final.weights[today.fit.count] : 0
        let scale = engagementWeight > 0.01 ? 1 / engagementWeight : 10
        var proposal = today
        var changes: [(criterion: Criterion, was: Double?, why: String)] = []
        for index in today.fit.indices {
            let points = (final.weights[index] * scale).rounded()
            proposal.fit[index].points = points
            changes.append((proposal.fit[index], today.fit[index].points, Self.why(index: index, samples: samples, train: train, weight: final.weights[index])))
        }
        for (position, candidate) in chosen.enumerated() {
            let points = (final.weights[today.fit.count + scored + position] * scale).rounded()
            guard points != 0 else { continue }
            var criterion = candidates[candidate].criterion
            criterion.points = points
            proposal.fit.append(criterion)
            let holding = train.filter { candidates[candidate].holds[$0] }
            let rate = Double(holding.filter { samples[$0].judged.converted }.count) / Double(max(holding.count, 1))
            changes.append((criterion, nil, String(format: "holds for %d of the leads learnt from, %.0f%% of them converted", holding.count, rate * 100)))
        }
        func proposed(_ index: Int) -> Double {
            let s = samples[index]
            var points = 0.0
            for (position, criterion) in proposal.fit.enumerated() {
                let holds = position < today.fit.count ? s.judged.passed.contains(position)
                    : candidates.first { $0.criterion.id == criterion.id }!.holds[index]
                if holds { points += criterion.points }
            }
            return ((points * 10).rounded() / 10 + s.judged.engagement)
        }
        // The MQL threshold: the lowest score at which the leads learnt from are at least as often
        // won as today's MQLs among them (as many MQLs as that precision allows).
        let todayPrecision = Self.precision(train.map { (samples[$0].judged.isMQL, samples[$0].judged.converted) })
        let scores = train.filter { !samples[$0].judged.disqualified }.map { (proposed($0), samples[$0].judged.converted) }
        let threshold = Self.threshold(scores, atLeast: todayPrecision ?? 0)
        proposal.thresholds.mql = threshold
        if today.thresholds.sqlScore.isFinite { proposal.thresholds.sqlScore = threshold + today.thresholds.sqlScore - today.thresholds.mql }
        proposal.version = today.version + "-calibrated"

        // Side by side on the 30% nothing was learnt from.
        func measured(_ score: (Int) -> Double, mql: Double) -> (auc: Double?, precision: Double?, recall: Double?) {
            let judged = test.map { index in
                let s = samples[index]
                let value = s.judged.disqualified ? DefinitionReport.disqualifiedScore : score(index)
                return DefinitionReport.Judged(score: value, isMQL: !s.judged.disqualified && value >= mql, converted: s.judged.converted, passed: [])
            }
            let hits = judged.filter { $0.isMQL && $0.converted }.count
            let won = judged.filter(\.converted).count
            return (DefinitionReport.auc(judged), Self.precision(judged.map { ($0.isMQL, $0.converted) }), won == 0 ? nil : Double(hits) / Double(won))
        }
        let before = measured({ samples[$0].judged.score }, mql: today.thresholds.mql)
        let after = measured(proposed, mql: threshold)

        let text = Self.yaml(proposal, from: today, changes: changes, threshold: threshold, todayPrecision: todayPrecision)
        var written: String?
        if let out = request["out"] {
            do {
                try text.write(toFile: out, atomically: true, encoding: .utf8)
            } catch {
                throw UsageError("cannot write \(out): \(error.localizedDescription)", hint: "name a file in a folder you can write to")
            }
            written = out
        }

        func figure(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "—" }
        var blocks: [Block] = [
            .heading("Calibrated on \(train.count) of \(samples.count) leads with a known outcome (a random 70%), measured on the other \(test.count)"),
            .table(Table(
                columns: ["", "today (\(today.version))", "proposal (\(proposal.version))"],
                rows: [
                    ["AUC", figure(before.auc), figure(after.auc)], ["precision", figure(before.precision), figure(after.precision)],
                    ["recall", figure(before.recall), figure(after.recall)], ["MQL at", today.thresholds.mql.clean, threshold.clean],
                ], numeric: [1, 2])),
            .heading("Points"),
            .table(Table(
                columns: ["criterion", "was", "now", "why"],
                rows: changes.map { [$0.criterion.label, $0.was?.clean ?? "new", $0.criterion.points.clean, $0.why] }, numeric: [1, 2])),
        ]
        if !leftOut.isEmpty {
            blocks.append(.note("Left out, filled in after the first contact (so says the import's mapping): \(leftOut.joined(separator: ", "))."))
        }
        blocks.append(.note(written.map { "Written to \($0) as version \(proposal.version): `definition check \($0)` and `what if definition \($0)` take it." }
            ?? "`definition calibrate --out FILE` writes the proposal as a definition file; nothing is written without it."))
        func json(_ m: (auc: Double?, precision: Double?, recall: Double?), mql: Double) -> JSONValue {
            .object([("auc", m.auc.map(JSONValue.double) ?? .null), ("precision", m.precision.map(JSONValue.double) ?? .null),
                     ("recall", m.recall.map(JSONValue.double) ?? .null), ("mql_threshold", .double(mql))])
        }
        return Reply(blocks, result: .object([
            ("leads", .int(samples.count)), ("learnt_from", .int(train.count)), ("measured_on", .int(test.count)),
            ("today", json(before, mql: today.thresholds.mql)), ("proposal", json(after, mql: threshold)),
            ("version", .string(proposal.version)),
            ("criteria", .array(changes.map {
                .object([("id", .string($0.criterion.id)), ("label", .string($0.criterion.label)), ("field", .string($0.criterion.field.description)),
                         ("test", .string($0.criterion.condition.description)), ("was", $0.was.map(JSONValue.double) ?? .null),
                         ("points", .double($0.criterion.points))])
            })),
            ("left_out", .array(leftOut.map(JSONValue.string))), ("file", written.map(JSONValue.string) ?? .null),
        ]))
    }

    /// "holds for 1,234 of the leads learnt from, 71% of them converted; weight 1.23".
    static func why(index: Int, samples: [Sample], train: [Int], weight: Double) -> String {
        let holding = train.filter { samples[$0].judged.passed.contains(index) }
        let rate = Double(holding.filter { samples[$0].judged.converted }.count) / Double(max(holding.count, 1))
        return String(format: "holds for %d of the leads learnt from, %.0f%% of them converted", holding.count, rate * 100)
    }

    static func precision(_ leads: [(isMQL: Bool, converted: Bool)]) -> Double? {
        let mqls = leads.filter(\.isMQL)
        return mqls.isEmpty ? nil : Double(mqls.filter(\.converted).count) / Double(mqls.count)
    }

    /// The lowest score at which the leads scoring that or more are won at least `precision` of the
    /// time; the highest score when none is.
    static func threshold(_ scores: [(Double, Bool)], atLeast precision: Double) -> Double {
        let sorted = scores.sorted { $0.0 > $1.0 }
        var won = 0, best = sorted.first?.0 ?? 0
        for (index, lead) in sorted.enumerated() {
            if lead.1 { won += 1 }
            let last = index == sorted.count - 1 || sorted[index + 1].0 != lead.0
            if last, Double(won) / Double(index + 1) >= precision { best = lead.0 }
        }
        return best
    }

    /// The criteria the data suggests, and the fields left out because sales fills them in after
    /// the first contact.
    static func candidates(_ samples: [Sample], train: [Int], accounts: [Int64: Account], today: Definition, afterContact: [String: String])
        -> (candidates: [Candidate], leftOut: [String])
    {
        var fields: [FieldPath] = [.lead(.source), .lead(.seniority), .lead(.emailDomain), .account(.industry), .account(.country), .account(.employees), .account(.revenueBand)]
        var keys = Set<String>()
        for index in train { keys.formUnion(samples[index].lead.attributes.keys) }
        fields += keys.sorted().map { .attribute($0) }
        // Every field the mappings mark, as the import listed them: the sales notes too, which
        // are no candidate anyway (free text).
        let leftOut = afterContact.keys.sorted()
        fields.removeAll { afterContact[$0.description] != nil }
        let least = max(30, train.count / 200)
        var candidates: [Candidate] = []
        var used = Set(today.fit.map(\.id))
        func add(_ field: FieldPath, _ condition: Condition, _ label: String, _ name: String) {
            guard !today.fit.contains(where: { $0.field == field && $0.condition == condition }) else { return }
            var id = "calibrated_" + (field.description + "_" + name).lowercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }.reduce(into: "") { $0.append($1) }
            id = String(id.prefix(60))
            while used.contains(id) { id += "_" }
            used.insert(id)
            let holds = samples.map { sample in
                condition.holds(for: field.value(of: sample.lead, account: sample.lead.accountId.flatMap { accounts[$0] }))
            }
            guard train.filter({ holds[$0] }).count >= least else { return }
            candidates.append(Candidate(criterion: Criterion(id: id, label: label, field: field, condition: condition, points: 0), holds: holds))
        }
        for field in fields {
            let values = train.compactMap { field.value(of: samples[$0].lead, account: samples[$0].lead.accountId.flatMap { accounts[$0] })?.trimmingWhitespace() }
                .filter { !$0.isEmpty }
            let words = inWords(field)
            if train.count - values.count >= least { add(field, .present(false), "\(words) not given", "missing") }
            let numbers = values.compactMap(Double.init).sorted()
            if numbers.count * 10 >= values.count * 9, Set(numbers).count >= 10 {
                for quarter in [1, 2, 3] {
                    let cut = numbers[numbers.count * quarter / 4]
                    add(field, .range(min: cut, max: nil), "\(words) at least \(cut.clean)", "at_least_\(cut.clean)")
                }
                continue
            }
            let counts = Dictionary(values.map { ($0, 1) }, uniquingKeysWith: +)
            for (value, count) in counts.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }).prefix(40) where count >= least {
                add(field, .oneOf([value]), "\(words) is \(value)", value)
            }
        }
        return (candidates, leftOut)
    }

    /// A field as a label says it: "Total visits" for `attribute.total_visits`, "Industry" for
    /// `account.industry`, a CRM's own column name ("Last Notable Activity") as it is.
    static func inWords(_ field: FieldPath) -> String {
        let name = switch field {
        case .lead(let part): part.rawValue
        case .account(let part): part.rawValue
        case .attribute(let key): key
        }
        let words = name.replacingOccurrences(of: "_", with: " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }

    /// The proposal as a definition file: today's text with the version, the fit criteria and the
    /// thresholds written anew, each criterion with a comment saying why it has its points.
    static func yaml(
        _ proposal: Definition, from today: Definition, changes: [(criterion: Criterion, was: Double?, why: String)], threshold: Double,
        todayPrecision: Double?
    ) -> String {
        func quoted(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
        func list(_ values: [String]) -> String { "[" + values.map(quoted).joined(separator: ", ") + "]" }
        var fit = ["# Fit, calibrated: points learnt from won and lost leads by `definition calibrate` (logistic",
                   "# regression on a random 70% of them; ten points to a unit of log-odds, or one per engagement point).", "fit:"]
        for change in changes {
            let criterion = change.criterion
            fit.append("  # " + (change.was.map { "was \($0.clean) points; " } ?? "new: ") + change.why)
            fit.append("  - id: \(criterion.id)")
            fit.append("    label: \(quoted(criterion.label))")
            fit.append("    field: \(quoted(criterion.field.description))")
            switch criterion.condition {
            case .oneOf(let values): fit.append("    in: \(list(values))")
            case .containsAny(let values): fit.append("    contains: \(list(values))")
            case .range(let min, let max):
                if let min { fit.append("    min: \(min.clean)") }
                if let max { fit.append("    max: \(max.clean)") }
            case .present(let wanted): fit.append("    present: \(wanted)")
            }
            fit.append("    points: \(criterion.points.clean)")
        }
        var thresholds = ["thresholds:",
                          "  # was \(today.thresholds.mql.clean): the lowest score at which the leads learnt from are won at least as often"
                            + " as today's MQLs among them (\(todayPrecision.map { String(format: "%.3f", $0) } ?? "none"))",
                          "  mql: \(threshold.clean)"]
        if proposal.thresholds.sqlScore.isFinite {
            thresholds += ["  sql:", "    min_score: \(proposal.thresholds.sqlScore.clean)"]
            if !proposal.thresholds.sqlConfirmed.isEmpty {
                thresholds.append("    confirmed: [\(proposal.thresholds.sqlConfirmed.map(\.rawValue).joined(separator: ", "))]")
            }
        }
        // Today's text, block by top-level key (a block keeps the comment lines just above it).
        var blocks: [(key: String?, lines: [String])] = [(nil, [])]
        var pending: [String] = []
        for line in today.text.components(separatedBy: "\n") {
            if let colon = line.firstIndex(of: ":"), let first = line.first, first.isLetter {
                blocks.append((String(line[..<colon]), pending + [line]))
                pending = []
            } else if line.hasPrefix("#") || line.trimmingCharacters(in: .whitespaces).isEmpty, blocks.count > 0, line.first != " " {
                pending.append(line)
            } else {
                blocks[blocks.count - 1].lines += pending + [line]
                pending = []
            }
        }
        var out: [String] = []
        for block in blocks {
            switch block.key {
            case "version": out.append("version: \(quoted(proposal.version))")
            case "fit": out += fit
            case "thresholds": out += thresholds
            default: out += block.lines
            }
        }
        return (out + pending).joined(separator: "\n")
    }
}
