import Foundation
import HandoffPluginAPI

/// `definition log` and `definition diff`: the versions the two teams put in force, who put each
/// in force and when, and what changed between two of them.
enum DefinitionHistory {
    static let log = Command(
        name: "definition log",
        summary: "Every definition version that was in force: when it came into force, who put it there, and where it was read from",
        phrasings: ["definition history", "definition versions", "versions of the definition", "who changed the definition"],
        examples: ["definition log", "who changed the definition and when?"], sayings: DefinitionSayings.definitionLog,
        run: runLog)

    static let diff = Command(
        name: "definition diff",
        summary: "What changed between two definition versions: criteria, points, thresholds, the SLA, the grid, reasons and themes",
        arguments: [
            CommandArgument("from", required: false, help: "the older version (default: the one before the version in force)"),
            CommandArgument("to", required: false, help: "the newer version (default: the one in force)"),
        ],
        phrasings: ["compare definition versions", "what changed in the definition", "definition changes"],
        examples: ["definition diff", "definition diff 2026.09-1 2026.11-1", "what changed in the definition?"],
        sayings: DefinitionSayings.definitionDiff,
        run: runDiff)

    /// The versions as kept, each text once, in the order they came into force; the one in force
    /// now is the last record with its version and text.
    static func runLog(_ request: Request, _ context: Context) throws -> Reply {
        let history = try context.store.definitionHistory()
        // The run's own version; or, when the run tries a file not in force (`--definition`), the
        // last one put in force, which everyone else runs.
        let ownVersion = history.lastIndex { $0.version == context.definition.version && $0.text == context.definition.text }
        let current = ownVersion ?? history.indices.last
        // A version kept with two texts was edited without raising its version: verdicts that name
        // it do not say which text gave them.
        let reused = Set(Dictionary(grouping: history, by: \.version).filter { Set($0.value.map(\.text)).count > 1 }.keys)
        let rows = history.enumerated().map { index, record in
            [record.version, Timestamp.short(record.loadedAt), record.loadedBy ?? "—", record.origin,
             index == current ? "in force now" : reused.contains(record.version) ? "same version, other text" : ""]
        }
        var blocks: [Block] = [
            .heading("Definition versions, in the order they came into force: \(history.count)"),
            .table(Table(columns: ["version", "in force from", "by", "read from", "now"], rows: rows)),
            .note("A version comes into force when Handoff first runs with it (the config dir's file, the settings' or, on a database with none in force yet, the built-in one; a run with no file keeps the version in force); a file named with `--definition` does when a change to the data (a move, a rejection, an import, an objection) is first made under it. \"by\" is who ran it (`--as`, HANDOFF_USER or the login). `definition diff` shows what changed between two."),
        ]
        if ownVersion == nil {
            // Tried for this run (`--definition FILE`, only read so far): what the log shows is in
            // force for everyone else.
            blocks.append(.note("This run reads version \(context.definition.version) from \(context.definition.origin), which is not in force: it comes into force with the first change to the data made under it."))
        }
        if !reused.isEmpty {
            blocks.append(.warning(
                "version \(reused.sorted().joined(separator: ", ")) was kept with more than one text: it was edited without raising `version`, so the verdicts that name it do not say which text gave them"))
        }
        return Reply(blocks, result: .object([
            ("versions", .array(history.enumerated().map { index, record in
                .object([
                    ("version", .string(record.version)), ("in_force_from", .string(Timestamp.iso(record.loadedAt))),
                    ("by", record.loadedBy.map(JSONValue.string) ?? .null), ("origin", .string(record.origin)),
                    ("in_force_now", .bool(index == current)), ("version_reused", .bool(reused.contains(record.version))),
                ])
            })),
        ]))
    }

    /// A version to compare: the newest text kept under it, or the one in force.
    struct Side {
        var definition: Definition
        var record: DefinitionRecord?
    }

    static func runDiff(_ request: Request, _ context: Context) throws -> Reply {
        let history = try context.store.definitionHistory()
        func side(_ version: String) throws -> Side {
            if version == context.definition.version {
                return Side(definition: context.definition, record: history.last { $0.version == version && $0.text == context.definition.text })
            }
            guard let record = history.last(where: { $0.version == version }) else {
                throw NotFoundError(
                    "no definition version '\(version)' was ever in force",
                    hint: "the versions are: " + Array(Set(history.map(\.version))).sorted().joined(separator: ", ") + " (`definition log`)")
            }
            return Side(definition: try DefinitionParser.parse(record.text, origin: record.origin), record: record)
        }
        let to = try request["to"].map(side) ?? Side(
            definition: context.definition,
            record: history.last { $0.version == context.definition.version && $0.text == context.definition.text })
        func json(_ side: Side) -> JSONValue {
            .object([
                ("version", .string(side.definition.version)),
                ("in_force_from", side.record.map { .string(Timestamp.iso($0.loadedAt)) } ?? .null),
                ("by", side.record?.loadedBy.map(JSONValue.string) ?? .null),
            ])
        }
        let from: Side
        if let version = request["from"] {
            from = try side(version)
        } else {
            // The version before the one in force: the newest text kept that is not its text.
            guard let record = history.last(where: { $0.text != to.definition.text && $0.loadedAt <= (to.record?.loadedAt ?? .distantFuture) })
                ?? history.last(where: { $0.text != to.definition.text })
            else {
                return Reply(
                    [.text("Only version \(to.definition.version) has been in force: there is nothing to compare it with yet.")],
                    result: .object([("from", .null), ("to", json(to)), ("changes", .array([]))]))
            }
            from = Side(definition: try DefinitionParser.parse(record.text, origin: record.origin), record: record)
        }
        let changes = from.definition.changes(to: to.definition)
        func described(_ side: Side) -> String {
            "version \(side.definition.version)" + (side.record.map { " (in force from \(Timestamp.short($0.loadedAt))\($0.loadedBy.map { ", by \($0)" } ?? ""))" } ?? "")
        }
        var blocks: [Block] = [.heading("From \(described(from)) to \(described(to)): \(counted(changes.count, "change"))")]
        if changes.isEmpty {
            blocks.append(.text("The two say the same: no criterion, point, threshold, SLA, band, reason or theme differs."))
        } else {
            let rows: [[String]] = changes.map { change in [change.part, change.id, change.kind, change.before ?? "—", change.after ?? "—"] }
            blocks.append(.table(Table(columns: ["part", "rule", "change", "was", "now"], rows: rows)))
        }
        if from.definition.version == to.definition.version, !changes.isEmpty {
            blocks.append(.warning("both texts call themselves version \(to.definition.version): raise `version` whenever the file changes"))
        }
        return Reply(blocks, result: .object([
            ("from", json(from)), ("to", json(to)),
            ("changes", .array(changes.map {
                .object([("part", .string($0.part)), ("id", .string($0.id)), ("change", .string($0.kind)),
                         ("was", $0.before.map(JSONValue.string) ?? .null), ("now", $0.after.map(JSONValue.string) ?? .null)])
            })),
        ]))
    }
}
