import Foundation
import HandoffPluginAPI

/// `definition report`: how well the definition in force predicts conversion.
enum ReportCommand {
    static let command = Command(
        name: "definition report",
        summary: "How well the definition predicts conversion: MQL precision and recall, lift, AUC, the criteria that matter, the fit × engagement grid, and where the outcome leaks into the score",
        phrasings: ["how good is our mql definition", "how good is the definition", "definition quality", "mql accuracy", "report on definition", "how predictive is", "how accurate is our lead scoring", "criteria matter for conversion", "precision and recall", "lift of our mql", "auc of the definition"],
        examples: ["definition report", "how good is our MQL definition?"], sayings: QualificationSayings.definitionReport,
        tool: AssistantTool(
            name: "definition_report", description: "How well the agreed definition predicts conversion: MQL precision and recall, lift, AUC."),
        run: run)

    /// Disqualified leads rank below every scored one, whatever their points.
    static func rankingScore(_ verdict: Verdict) -> Double { verdict.kind == .disqualified ? DefinitionReport.disqualifiedScore : verdict.score }

    static func run(_ request: Request, _ context: Context) throws -> Reply {
        let judged = try judge(context)
        guard !judged.isEmpty else {
            throw NotFoundError("no lead has a known outcome yet", hint: "import leads with an outcome column (won/lost) to measure the definition")
        }
        let report = DefinitionReport(judged: judged, criteria: context.definition.fit)
        let leaks = try Leak.all(in: report, context)
        var grid = GridCommand.Grid(bands: context.definition.grid)
        for lead in judged { grid.add(lead, outcome: lead.converted ? .won : .lost) }
        func percent(_ value: Double?) -> String { value.map { String(format: "%.1f%%", $0 * 100) } ?? "—" }
        func figure(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "—" }
        let blocks: [Block] = [
            .heading("\(context.definition.name), version \(context.definition.version): \(report.leads) leads with a known outcome, \(report.converted) converted (\(percent(report.baseRate)))"),
            .keyValues([
                ("MQLs", "\(report.mqls) (score ≥ \(context.definition.thresholds.mql.clean))"),
                ("MQL conversion", "\(percent(report.mqlConversion)) against \(percent(report.nonMQLConversion)) for the rest"),
                ("precision", "\(figure(report.precision)) (MQLs that converted)"),
                ("recall", "\(figure(report.recall)) (converters that were MQLs)"),
                ("lift", report.lift.map { String(format: "%.2f×", $0) } ?? "—"),
                ("AUC", "\(figure(report.auc)) (chance a converter outscores a non-converter)"),
            ]),
            .chart(BarChart(
                title: "Conversion by score band (about fifths of the leads; equal scores in one band)",
                bars: report.bands.map { (label: $0.label, value: $0.conversion, shown: percent($0.conversion)) })),
            .heading("What carries the weight"),
            .table(Table(
                columns: ["criterion", "points", "leads", "converted when it holds", "otherwise"],
                rows: report.weights.map { [$0.criterion.label, $0.criterion.points.clean, "\($0.passing)", percent($0.conversionWhenPassed), percent($0.conversionOtherwise)] },
                numeric: [1, 2, 3, 4])),
            .heading("Fit × engagement, on the same leads"),
        ] + grid.blocks() + leaks.map { .warning($0.message) } + (fewLeads(report.leads).map { [.note($0)] } ?? [])
        let result = JSONValue.object([
            ("definition_version", .string(context.definition.version)),
            ("leads", .int(report.leads)), ("converted", .int(report.converted)), ("mqls", .int(report.mqls)),
            ("true_positives", .int(report.truePositives)),
            ("precision", report.precision.map(JSONValue.double) ?? .null), ("recall", report.recall.map(JSONValue.double) ?? .null),
            ("base_rate", report.baseRate.map(JSONValue.double) ?? .null), ("lift", report.lift.map(JSONValue.double) ?? .null),
            ("mql_conversion", report.mqlConversion.map(JSONValue.double) ?? .null),
            ("non_mql_conversion", report.nonMQLConversion.map(JSONValue.double) ?? .null),
            ("auc", report.auc.map(JSONValue.double) ?? .null),
            ("bands", .array(report.bands.map { .object([("scores", .string($0.label)), ("leads", .int($0.leads)), ("conversion", .double($0.conversion))]) })),
            ("grid", grid.json(version: context.definition.version)),
            ("warnings", .array(leaks.map(\.json))),
            ("criteria", .array(report.weights.map {
                .object([("id", .string($0.criterion.id)), ("points", .double($0.criterion.points)), ("passing", .int($0.passing)),
                         ("conversion_when_passed", $0.conversionWhenPassed.map(JSONValue.double) ?? .null),
                         ("conversion_otherwise", $0.conversionOtherwise.map(JSONValue.double) ?? .null)])
            })),
        ])
        return Reply(blocks, result: result)
    }

    /// Below this many leads with a known outcome, one more lead moves precision, lift and AUC by
    /// points, not fractions: the figures are a sketch, and the answer says so.
    static let fewOutcomes = 30

    static func fewLeads(_ known: Int) -> String? {
        guard known > 0, known < fewOutcomes else { return nil }
        return "Only \(known) lead\(known == 1 ? " has" : "s have") a known outcome: each one more moves these figures a lot, so read them as a sketch until there are \(fewOutcomes) or so."
    }

    /// A sign that the outcome leaks into the score: a rule on a field sales fills in after the
    /// first contact, or a criterion that holds almost only for one outcome.
    struct Leak {
        var message: String
        var json: JSONValue

        static func all(in report: DefinitionReport, _ context: Context) throws -> [Leak] {
            let afterContact = context.definition.rules(readingAfterContact: try context.store.fieldsFilledAfterContact())
            let marked = afterContact.map { rule in
                Leak(
                    message: "'\(rule.label)' reads \(rule.field), which sales fills in after the first contact (so says \(rule.mapping)): "
                        + "the outcome leaks into the score, and `definition check` refuses the \(rule.kind)",
                    json: .object([("criterion", .string(rule.id)), ("kind", .string("after_contact")), ("field", .string(rule.field)),
                                   ("mapping", .string(rule.mapping))]))
            }
            let named = Set(afterContact.map(\.id))
            let oneSided = report.weights.compactMap { weight -> Leak? in
                guard !named.contains(weight.criterion.id), let (converted, share) = weight.oneOutcome else { return nil }
                let outcome = converted ? "converted" : "did not convert"
                let percent = String(format: "%.1f%%", share * 100)
                return Leak(
                    message: "'\(weight.criterion.label)' holds for \(weight.passing) leads and \(percent) of them \(outcome): a criterion "
                        + "that knows the outcome this well often reads what sales wrote after the first call (\(weight.criterion.field)); "
                        + "make sure marketing knows it before then",
                    json: .object([("criterion", .string(weight.criterion.id)), ("kind", .string("one_outcome")),
                                   ("field", .string(weight.criterion.field.description)), ("leads", .int(weight.passing)),
                                   ("outcome", .string(converted ? "won" : "lost")), ("share", .double(share))]))
            }
            return marked + oneSided
        }
    }

    /// Every lead with a known outcome, judged, ranked as the report ranks them: the store hands
    /// over just what the definition scores, in parts read at once, and each part is ranked
    /// before the parts are merged.
    static func judge(_ context: Context) throws -> [DefinitionReport.Judged] {
        var scorer = BulkScorer(definition: context.definition, now: context.clock.now)
        try context.store.scanAccounts { scorer.add($0) }
        let parts = try context.store.scanLeadsInParallel(
            outcomes: [.won, .lost], fields: scorer.leadFields, attributes: scorer.readsAttributes, eventKinds: scorer.eventKinds,
            isCancelled: context.isCancelled, start: { [scorer] in RankedPart(scorer: scorer) },
            finish: { $0.items.sort(by: RankedPart.Item.ranksBelow) }
        ) { part, lead, events in
            part.items.append(RankedPart.Item(
                createdAt: Int64(lead.createdAt.timeIntervalSince1970), id: lead.id ?? 0, judged: part.scorer.judge(lead, events: events)))
        }
        // Already in the order `DefinitionReport` ranks them, so its own (stable) sort finds nothing to do.
        return RankedPart.merged(parts.map(\.items))
    }
}

/// One part of the scan: its own copy of the scorer, and the leads it judged.
struct RankedPart: Sendable {
    var scorer: BulkScorer
    var items: [Item] = []

    /// A judged lead with what orders it in the listing (creation time in whole seconds, as stored).
    struct Item {
        var createdAt: Int64
        var id: Int64
        var judged: DefinitionReport.Judged

        /// The report's ranking: by score, and among equal scores in the listing's order (newest
        /// first), so the ranking is the same on every run.
        static func ranksBelow(_ a: Item, _ b: Item) -> Bool {
            a.judged.score != b.judged.score ? a.judged.score < b.judged.score : (a.createdAt, a.id) > (b.createdAt, b.id)
        }
    }

    /// The parts, each ranked, merged into one ranking: a heap of the parts by their next item,
    /// so each item costs a few comparisons, not one per part.
    static func merged(_ parts: [[Item]]) -> [DefinitionReport.Judged] {
        var heads = parts.map(\.startIndex)
        func below(_ a: Int, _ b: Int) -> Bool { Item.ranksBelow(parts[a][heads[a]], parts[b][heads[b]]) }
        var heap = parts.indices.filter { !parts[$0].isEmpty }
        func siftDown(_ start: Int) {
            var parent = start
            while true {
                var lowest = parent
                let left = 2 * parent + 1, right = left + 1
                if left < heap.count && below(heap[left], heap[lowest]) { lowest = left }
                if right < heap.count && below(heap[right], heap[lowest]) { lowest = right }
                guard lowest != parent else { return }
                heap.swapAt(parent, lowest)
                parent = lowest
            }
        }
        for index in stride(from: heap.count / 2 - 1, through: 0, by: -1) { siftDown(index) }
        var all: [DefinitionReport.Judged] = []
        all.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        while let part = heap.first {
            all.append(parts[part][heads[part]].judged)
            heads[part] += 1
            if heads[part] == parts[part].endIndex {
                heap[0] = heap[heap.count - 1]
                heap.removeLast()
            }
            siftDown(0)
        }
        return all
    }
}
