import Foundation
import HandoffCore
import HandoffPluginAPI

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
                    CommandArgument("kind", .choice(ImportKind.allCases.map(\.rawValue)), help: "what the file holds"),
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
                ],
                run: run)
        ]
    }

    private func run(_ request: Request, _ context: Context) throws -> Reply {
        guard let kind = request["kind"].flatMap(ImportKind.init(rawValue:)), let file = request["file"] else {
            throw UsageError("import needs what the file holds and the file", hint: "e.g. import leads contacts.csv")
        }
        let mapping: Mapping? = try request.options["mapping"].map { name in
            if let preset = MappingPreset(rawValue: name.lowercased()) { return preset.mapping }
            return try Mapping.load(path: name)
        }
        var options = Importer.Options()
        options.dryRun = request.has("dry-run")
        options.strict = request.has("strict")
        options.actor = context.actor
        options.now = context.clock.now
        var importer = Importer(store: context.store, kind: kind, mapping: mapping, classifier: context.classifier, options: options)
        let progress = context.progress
        importer.progress = { done, total in progress(done, total, "importing \(kind.rawValue)") }
        importer.isCancelled = context.isCancelled
        let summary = try importer.run(path: file)
        return reply(summary)
    }

    /// How many bad rows the text answer lists; JSON lists them all.
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
            ("rejected", "\(summary.rejected.count)"),
        ]))
        if !summary.rejected.isEmpty {
            blocks.append(.table(Table(
                columns: ["line", "problem"],
                rows: summary.rejected.prefix(Self.shownProblems).map { ["\($0.line)", $0.reason] },
                numeric: [0])))
            if summary.rejected.count > Self.shownProblems {
                blocks.append(.note("… and \(summary.rejected.count - Self.shownProblems) more (all of them with --format json)"))
            }
        }
        if summary.refused {
            blocks.append(.warning("--strict: the file has \(summary.rejected.count) bad row(s), so nothing was written"))
        }
        if summary.cancelled {
            blocks.append(.warning("cancelled: the rows before the interruption landed; run the same import again to finish"))
        }
        for note in summary.notes { blocks.append(.note(note)) }

        let result = JSONValue.object([
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
            ("rejected", .int(summary.rejected.count)),
            ("problems", .array(summary.rejected.map { .object([("line", .int($0.line)), ("reason", .string($0.reason))]) })),
            ("notes", .array(summary.notes.map(JSONValue.string))),
        ])
        let failure: Reply.Failure? =
            summary.refused ? .init(code: "import_refused", message: "\(summary.file): \(summary.rejected.count) bad row(s); nothing written (--strict)")
            : summary.cancelled ? .init(code: "cancelled", message: "import of \(summary.file) cancelled")
            : !summary.rejected.isEmpty ? .init(code: "rows_rejected", message: "\(summary.file): \(summary.rejected.count) row(s) rejected")
            : nil
        return Reply(blocks, result: result, failure: failure)
    }
}
