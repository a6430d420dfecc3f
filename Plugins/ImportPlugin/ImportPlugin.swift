import Foundation
public import HandoffPluginAPI

/// `import leads|events|objections FILE`: CRM exports into the shared lead model.
public struct ImportPlugin: Plugin {
    public init() {}

    public let name = "import"
    public let summary = "Imports leads, engagement events and objections from CSV exports"

    public var commands: [Command] {
        [
            Command(
                name: "import",
                summary: "Import a CSV export (upserts by external id; bad rows are reported by line)",
                arguments: [
                    CommandArgument(
                        "kind", .choice(ImportKind.allCases.map(\.rawValue)), required: false,
                        help: "what the file holds (default: what its header says, as a mapping's columns or field names)"),
                    CommandArgument("file", .path, help: "the CSV file"),
                ],
                options: [
                    CommandOption("mapping", value: "FILE|hubspot|salesforce", help: "how columns map to fields (default: detected from the header)"),
                    CommandOption("dry-run", help: "check and count, write nothing"),
                    CommandOption("strict", help: "refuse the whole file if any row is bad"),
                ],
                phrasings: ["load", "upload", "import csv", "load csv"],
                examples: [
                    "import leads contacts.csv --mapping hubspot",
                    "import leads Leads.csv --mapping examples/x-education/mapping.yaml",
                    "import events events.csv --dry-run",
                ], sayings: ImportSayings.importFile, writes: true,
                run: run)
        ]
    }

    private func run(_ request: Request, _ context: Context) throws -> Reply {
        guard let file = request["file"] else {
            throw UsageError("import needs the file", hint: "e.g. import leads contacts.csv")
        }
        let mapping: Mapping? = try request.options["mapping"].map { name in
            if let preset = MappingPreset(rawValue: name.lowercased()) { return preset.mapping }
            return try Mapping.load(path: name)
        }
        // No kind named: the mapping's, or what the header says.
        var guessed = false
        let named = request["kind"].flatMap(ImportKind.init(rawValue:))
        guard let kind = try named ?? mapping?.kind ?? { guessed = true; return try Importer.guessKind(path: file) }() else {
            throw UsageError(
                "the header of \(file) does not say what it holds",
                hint: "name it: `import leads|events|objections \(file)`")
        }
        var options = Importer.Options()
        options.dryRun = request.has("dry-run")
        options.strict = request.has("strict")
        options.actor = context.actor
        options.now = context.clock.now
        options.scoredKinds = Set(context.definition.engagement.kinds.keys)
        var importer = Importer(store: context.store, kind: kind, mapping: mapping, classifier: try context.classifier(), options: options)
        let progress = context.progress
        importer.progress = { done, total in progress(done, total, "importing \(kind.rawValue)") }
        importer.isCancelled = context.isCancelled
        do {
            var reply = reply(try importer.run(path: file))
            if guessed { reply.blocks.insert(.text("read as \(kind.rawValue), as its header shows"), at: 1) }
            return reply
        } catch let mismatch as MappingKindMismatch {
            // The mapping as it was given (a preset's name, a file), so the hint runs as written.
            let given = request.options["mapping"] ?? mismatch.mapping
            throw UsageError(mismatch.message, hint: "run `import \(mismatch.mappingKind.rawValue) \(file) --mapping \(given)`")
        }
    }

    /// How many bad rows the text answer lists; JSON lists as many as the summary keeps.
    static let shownProblems = 20

    private func reply(_ summary: ImportSummary) -> Reply {
        var blocks: [Block] = []
        let verb = summary.refused ? "refused" : summary.dryRun ? "checked (dry run, nothing written)" : summary.cancelled ? "interrupted" : "imported"
        blocks.append(.heading("\(summary.kind.rawValue.capitalized) \(verb): \(summary.file)"))
        blocks.append(.keyValues([
            ("mapping", summary.mapping),
            ("read", "\(summary.read)"),
            (summary.dryRun ? "would insert" : "inserted", "\(summary.inserted)"),
            (summary.dryRun ? "would update" : "updated", "\(summary.updated)"),
            (summary.dryRun ? "would leave unchanged" : "unchanged", "\(summary.unchanged)"),
            ("rejected", "\(summary.rejectedCount)"),
        ]))
        let unlisted = summary.rejectedCount - summary.rejected.count
        if !summary.rejected.isEmpty {
            blocks.append(.table(Table(
                columns: ["line", "problem"],
                rows: summary.rejected.prefix(Self.shownProblems).map { ["\($0.line)", $0.reason] },
                numeric: [0])))
            if summary.rejectedCount > Self.shownProblems {
                let json = unlisted > 0 ? "the first \(summary.rejected.count) of them" : "all of them"
                blocks.append(.note("… and \(summary.rejectedCount - Self.shownProblems) more (\(json) with --format json)"))
            }
        }
        if summary.refused {
            blocks.append(.warning("--strict: the file has \(summary.rejectedCount) bad row(s), so nothing was written"))
        }
        if summary.cancelled {
            blocks.append(.warning("cancelled: the rows before the interruption landed; run the same import again to finish"))
        }
        for note in summary.notes { blocks.append(.note(note)) }

        var fields: [(String, JSONValue)] = [
            ("file", .string(summary.file)),
            ("kind", .string(summary.kind.rawValue)),
            ("mapping", .string(summary.mapping)),
            ("dry_run", .bool(summary.dryRun)),
            ("strict", .bool(summary.strict)),
            ("refused", .bool(summary.refused)),
            ("cancelled", .bool(summary.cancelled)),
            ("read", .int(summary.read)),
            ("inserted", .int(summary.inserted)),
            ("updated", .int(summary.updated)),
            ("unchanged", .int(summary.unchanged)),
            ("rejected", .int(summary.rejectedCount)),
            ("problems", .array(summary.rejected.map { .object([("line", .int($0.line)), ("reason", .string($0.reason))]) })),
        ]
        var notes = summary.notes
        if unlisted > 0 {
            // Only then: the answer keeps its shape for scripts written before the cap.
            fields.append(("problems_not_listed", .int(unlisted)))
            notes.append("problems lists the first \(summary.rejected.count) bad rows, and \(unlisted) more")
        }
        fields.append(("notes", .array(notes.map(JSONValue.string))))
        let result = JSONValue.object(fields)
        let failure: Reply.Failure? =
            summary.refused ? .init(code: "import_refused", message: "\(summary.file): \(summary.rejectedCount) bad row(s); nothing written (--strict)")
            : summary.cancelled ? .init(code: "cancelled", message: "import of \(summary.file) cancelled")
            : summary.rejectedCount > 0 ? .init(code: "rows_rejected", message: "\(summary.file): \(summary.rejectedCount) row(s) rejected")
            : nil
        return Reply(blocks, result: result, failure: failure)
    }
}
