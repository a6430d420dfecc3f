import Foundation
public import HandoffPluginAPI

/// `definition show|check|init|log|diff`: the agreed definition in force, checking an edited file,
/// starting one from the shipped default, and the versions that were in force and what changed.
public struct DefinitionPlugin: Plugin {
    public init() {}

    public let name = "definition"
    public let summary = "Shows, checks and starts the agreed definition of a qualified lead"

    public var commands: [Command] {
        [
            Command(
                name: "definition show",
                summary: "Show the definition in force: version, fit criteria, engagement points, disqualifiers, thresholds",
                phrasings: [
                    "definition", "show definition", "what is an mql", "what counts as qualified", "mql definition", "mql defined",
                    "definition of mql", "qualified lead definition",
                ],
                sayings: DefinitionSayings.definitionShow,
                run: show),
            Command(
                name: "definition check",
                summary: "Check a definition file and say what is wrong, with file and line; a rule on a field sales fills in after contact is refused",
                arguments: [CommandArgument("file", .path, required: false, help: "the file (default: the one in force)")],
                phrasings: ["validate definition", "check definition", "lint definition"],
                examples: ["definition check ~/.config/handoff/definition.yaml"], sayings: DefinitionSayings.definitionCheck,
                run: check),
            Command(
                name: "definition init",
                summary: "Write the shipped default definition to the config dir, to edit together",
                arguments: [CommandArgument("file", .path, required: false, help: "where to write it (default: the config dir)")],
                phrasings: ["create definition", "new definition"], sayings: DefinitionSayings.definitionInit, writes: true,
                run: initialise),
            DefinitionHistory.log,
            DefinitionHistory.diff,
        ]
    }

    private func show(_ request: Request, _ context: Context) throws -> Reply {
        let definition = context.definition
        var blocks: [Block] = [
            .heading("\(definition.name) — version \(definition.version)"),
            .keyValues([
                ("from", definition.origin),
                ("MQL at", "\(definition.thresholds.mql.clean) points"),
                ("sales-ready", definition.thresholds.sqlRule),
                ("engagement", "halves every \(definition.engagement.halfLifeDays.clean) days, \(definition.engagement.cap.isFinite ? "capped at \(definition.engagement.cap.clean)" : "with no cap")"),
                ("sales SLA", definition.sla.map { "accept or reject an MQL within \($0.text)" } ?? "none agreed (`sla:`)"),
                ("grid", gridBands(definition.grid)),
            ]),
            .heading("Fit"),
            .table(Table(
                columns: ["criterion", "id", "field", "test", "points"],
                rows: definition.fit.map { [$0.label, $0.id, $0.field.description, $0.condition.description, $0.points.clean] },
                numeric: [4])),
            .heading("Engagement"),
            .table(Table(
                columns: ["event", "points", "cap"],
                rows: definition.engagement.kinds.sorted { ($0.value.points, $1.key) > ($1.value.points, $0.key) }
                    .map { [$0.key, $0.value.points.clean, $0.value.cap?.clean ?? "—"] },
                numeric: [1, 2])),
        ]
        if definition.engagement.kinds.isEmpty { blocks.append(.text("No event gives points: the score is fit alone.")) }
        blocks.append(.heading("Disqualifiers"))
        blocks.append(.table(Table(
            columns: ["rule", "field", "test", "reason"],
            rows: definition.disqualifiers.map { [$0.label, $0.field.description, $0.condition.description, $0.reasonCode] })))
        if definition.disqualifiers.isEmpty { blocks.append(.text("None: no rule turns a lead away whatever its score.")) }
        if !definition.themes.isEmpty {
            blocks.append(.heading("Objection themes"))
            blocks.append(.table(Table(
                columns: ["theme", "label", "phrases", "examples"],
                rows: definition.themes.map { [$0.id, $0.label, "\($0.phrases.count)", "\($0.examples.count)"] }, numeric: [2, 3])))
        }
        let result = JSONValue.object([
            ("name", .string(definition.name)),
            ("version", .string(definition.version)),
            ("origin", .string(definition.origin)),
            ("thresholds", .object([
                ("mql", .double(definition.thresholds.mql)),
                ("sql_score", .double(definition.thresholds.sqlScore)),
                ("sql_confirmed", .array(definition.thresholds.sqlConfirmed.map { .string($0.rawValue) })),
            ])),
            ("fit", .array(definition.fit.map {
                .object([("id", .string($0.id)), ("label", .string($0.label)), ("field", .string($0.field.description)),
                         ("test", .string($0.condition.description)), ("points", .double($0.points))])
            })),
            ("engagement", .object([
                ("half_life_days", .double(definition.engagement.halfLifeDays)),
                ("cap", definition.engagement.cap.isFinite ? .double(definition.engagement.cap) : .null),
                ("events", .object(definition.engagement.kinds.sorted { $0.key < $1.key }.map {
                    ($0.key, .object([("points", .double($0.value.points)), ("cap", $0.value.cap.map(JSONValue.double) ?? .null)]))
                })),
            ])),
            ("disqualifiers", .array(definition.disqualifiers.map {
                .object([("id", .string($0.id)), ("label", .string($0.label)), ("field", .string($0.field.description)),
                         ("test", .string($0.condition.description)), ("reason", .string($0.reasonCode))])
            })),
            ("sla", definition.sla.map { .object([("mql_response", .string($0.text)), ("business_days", .bool($0.businessDays))]) } ?? .null),
            ("grid", definition.grid.json),
            ("reasons", .object(definition.reasons.map { ($0.code, .string($0.label)) })),
            ("themes", .array(definition.themes.map {
                .object([("id", .string($0.id)), ("label", .string($0.label)), ("phrases", .int($0.phrases.count)), ("examples", .int($0.examples.count))])
            })),
        ])
        return Reply(blocks, result: result)
    }

    private func check(_ request: Request, _ context: Context) throws -> Reply {
        let definition: Definition
        if let file = request["file"] {
            definition = try DefinitionParser.load(path: file)
        } else if FileManager.default.fileExists(atPath: context.definition.origin) {
            definition = try DefinitionParser.load(path: context.definition.origin)
        } else {
            // The built-in one, or the text in force that the database keeps (its file is elsewhere).
            definition = context.definition
        }
        try definition.refuseRulesReadingAfterContact(try context.store.fieldsFilledAfterContact())
        // An edit that keeps the version of a text already in force: verdicts that name the
        // version would no longer say which text gave them. Said now, before it comes into force.
        let clash = try context.store.definitionHistory().last { $0.version == definition.version && $0.text != definition.text }
        let warnings = clash.map {
            ["version \(definition.version) was in force from \(Timestamp.short($0.loadedAt))\($0.loadedBy.map { " (by \($0))" } ?? "") with another text: raise `version` in this file, or the verdicts that name \(definition.version) will not say which text gave them"]
        } ?? []
        return Reply(
            [.text("\(definition.origin): ok — \(definition.name), version \(definition.version): \(definition.fit.count) fit criteria, \(definition.engagement.kinds.count) event kinds, \(definition.disqualifiers.count) disqualifiers, \(definition.themes.count) themes")]
                + warnings.map { .warning($0) },
            result: .object([
                ("file", .string(definition.origin)), ("ok", .bool(true)), ("version", .string(definition.version)),
                ("fit", .int(definition.fit.count)), ("events", .int(definition.engagement.kinds.count)),
                ("disqualifiers", .int(definition.disqualifiers.count)), ("themes", .int(definition.themes.count)),
                ("warnings", .array(warnings.map(JSONValue.string))),
            ]))
    }

    private func initialise(_ request: Request, _ context: Context) throws -> Reply {
        let path = request["file"] ?? context.paths.definitionFile
        if FileManager.default.fileExists(atPath: path) {
            throw UsageError("\(path) already exists; not overwriting it", hint: "edit it, or name another file: definition init FILE")
        }
        let directory = (path as NSString).deletingLastPathComponent
        do {
            if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
            try DefaultDefinition.yaml.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw StoreError("cannot write \(path): \(error.localizedDescription)")
        }
        return Reply(
            [.text("Wrote the default definition (version \(DefaultDefinition.load().version)) to \(path). Edit it together, raise its version, and check it with `definition check`.")],
            result: .object([("file", .string(path)), ("version", .string(DefaultDefinition.load().version))]))
    }
}

/// The grid's bands in words: "fit A at 40 points, B at 20; engagement 1 at 30, 2 at 10".
private func gridBands(_ bands: GridBands) -> String {
    let fit = bands.fitB.isFinite ? "fit A at \(bands.fitA.clean(decimals: 1)) points, B at \(bands.fitB.clean(decimals: 1))" : "no fit points, so every lead's fit is C"
    let engagement = bands.engagement2.isFinite
        ? "engagement 1 at \(bands.engagement1.clean(decimals: 1)), 2 at \(bands.engagement2.clean(decimals: 1))" : "no engagement scored, so every lead is a 3"
    return "\(fit); \(engagement)" + (bands.agreed ? "" : " (thirds of the most points: no `grid:` agreed)")
}
