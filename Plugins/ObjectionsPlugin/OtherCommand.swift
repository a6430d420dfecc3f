import Foundation
import HandoffPluginAPI

/// `objections other [PERIOD]`: what sales said that fits no theme, grouped by the words it shares,
/// with a theme id each group could become, so the taxonomy grows where sales hears something new.
enum OtherCommand {
    static let command = Command(
        name: "objections other",
        summary: "What fits no theme, grouped by shared words, each group with its quotes and a suggested theme id: objections other [PERIOD]",
        arguments: [CommandArgument("period", .timeRange, required: false, help: "default: the last 30 days")],
        phrasings: ["what fits no theme", "unthemed objections", "new objections", "objections in other", "what is new in other"],
        examples: ["objections other", "objections other last quarter", "what fits no theme this year?"], sayings: ObjectionsSayings.objectionsOther,
        run: run)

    /// The most objections read; past it, the newest are grouped and the answer says so.
    static let limit = 5_000
    /// Quotes shown per group.
    static let quoted = 3

    static func run(_ request: Request, _ context: Context) throws -> Reply {
        let range = request.range ?? TimeParser(clock: context.clock).parse("last 30 days")!
        let unthemed = try context.store.latestObjections(theme: ThemeClassifier.other, from: range.start, to: range.end, industry: nil, limit: limit)
        let (groups, alone) = NewThemes.group(unthemed)
        var blocks: [Block] = []
        if unthemed.isEmpty {
            blocks.append(.text("No objection logged \(range.label) is under other."))
        } else {
            let newest = unthemed.count == limit ? " (the newest \(limit))" : ""
            let groupsSaid = groups.count == 1 ? "1 group" : "\(groups.count) groups"
            blocks.append(.heading("\(unthemed.count) objections\(newest) fit no theme \(range.label): \(groupsSaid) share words, \(alone.count) stand alone"))
        }
        for group in groups {
            blocks.append(.text("\(group.words.joined(separator: ", ")): \(group.objections.count) objections; as a theme: \(group.suggestedTheme)"))
            blocks += group.objections.prefix(quoted).map(quote)
        }
        if !alone.isEmpty {
            blocks.append(.text("Alone (sharing no word with another): \(alone.count)"))
            blocks += alone.prefix(quoted).map(quote)
        }
        if !groups.isEmpty {
            blocks.append(.note("A group worth a theme goes in the definition (themes: with phrases or examples); `retheme N THEME` files one objection under a theme there is, and later classifications learn from it."))
        }
        func json(_ objection: Objection) -> JSONValue {
            .object([
                ("id", objection.id.map { .int(Int($0)) } ?? .null), ("text", .string(objection.text)), ("by", .string(objection.loggedBy)),
                ("at", .string(Timestamp.iso(objection.at))),
            ])
        }
        return Reply(blocks, result: .object([
            ("period", .object([("label", .string(range.label)), ("start", .string(Timestamp.iso(range.start))), ("end", .string(Timestamp.iso(range.end)))])),
            ("total", .int(unthemed.count)), ("limited", .bool(unthemed.count == limit)),
            ("groups", .array(groups.map { group in
                .object([
                    ("words", .array(group.words.map(JSONValue.string))), ("count", .int(group.objections.count)),
                    ("suggested_theme", .string(group.suggestedTheme)), ("objections", .array(group.objections.map(json))),
                ])
            })),
            ("alone", .array(alone.map(json))),
        ]))
    }

    static func quote(_ objection: Objection) -> Block {
        .quote("“\(objection.text)” — \(objection.loggedBy), \(Timestamp.isoDay(objection.at))\(objection.id.map { " (#\($0))" } ?? "")")
    }
}
