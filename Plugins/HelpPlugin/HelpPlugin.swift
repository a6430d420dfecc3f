public import HandoffPluginAPI

/// `help` and `plugins`: what Handoff can do, and where each command comes from.
public struct HelpPlugin: Plugin {
    public init() {}

    public let name = "help"
    public let summary = "Lists the commands and the plugins that answer them"

    public var commands: [Command] {
        [
            Command(
                name: "help",
                summary: "List the commands, or explain one: help [COMMAND]",
                arguments: [CommandArgument("topic", .rest, required: false, help: "a command")],
                phrasings: ["commands", "what can you do", "how do i", "usage"],
                examples: ["help", "help import"], sayings: HelpSayings.help,
                run: help),
            Command(
                name: "plugins",
                summary: "List the plugins, built-in and outside: name, version, source, commands, state",
                phrasings: ["list plugins", "which plugins", "loaded plugins", "extensions"], sayings: HelpSayings.plugins,
                run: plugins),
        ]
    }

    /// The shell's own words, which no plugin answers.
    static let shellWords: [(String, String)] = [
        ("explain QUESTION", "show how a line would be understood, without running it"),
        ("exit, quit, Ctrl-D", "leave"),
        ("Ctrl-C", "clear the line, or cancel the running command"),
        ("and last month?", "ask the last question again for another period, lead or account"),
        ("NUMBER", "answer the question the last answer asked: which lead, or which theme an unsure objection goes under"),
    ]

    private func help(_ request: Request, _ context: Context) throws -> Reply {
        let all = context.catalogue.flatMap { plugin in plugin.commands.map { (plugin, $0) } }
        if let topic = request["topic"]?.lowercased() {
            guard let (plugin, command) = all.first(where: { $0.1.name == topic })
                    ?? all.first(where: { $0.1.name.hasPrefix(topic) || $0.1.phrasings.contains(topic) }) else {
                let names = all.map(\.1.name)
                let near = names.filter { EditDistance.levenshtein($0, topic, limit: 3) <= 2 }
                throw NotFoundError(
                    "no command '\(topic)'", hint: near.isEmpty ? "type `help` for the list" : "did you mean \(near.map { "`help \($0)`" }.joined(separator: " or "))?")
            }
            return describe(command, plugin: plugin)
        }
        var rows: [[String]] = []
        for (_, command) in all { rows.append([command.name, command.summary]) }
        let blocks: [Block] = [
            .heading("Commands"),
            .table(Table(columns: ["command", "what it does"], rows: rows)),
            .heading("Ask in your own words"),
            .text("  leads from webinar this month · mqls this week · who is wile coyote · and last month?"),
            .text("  would mindy simmons pass as an mql · wile coyote is closed won! · oops, undo"),
            .text("  Each command learns from lines people type for it (help COMMAND shows some); `explain LINE` shows how sure."),
            .text("  A line that fits two commands about equally is asked about: type the number of the one you meant."),
            .text("  Time words: today, yesterday, this/last week, this/last month, this/last quarter, last N days,"),
            .text("  since 2026-10-01, 2026-10-01..2026-10-31, Q3, in may"),
            .heading("Shell"),
            .keyValues(Self.shellWords),
            .note("help COMMAND shows its arguments, options and examples."),
            .note("More commands come from outside plugins (see `plugins` and docs/plugins.md); `handoff mcp` serves these to MCP clients."),
        ]
        let result = JSONValue.array(all.map { plugin, command in
            .object([("command", .string(command.name)), ("summary", .string(command.summary)), ("usage", .string(command.usage)),
                     ("plugin", .string(plugin.name))])
        })
        return Reply(blocks, result: .object([("commands", result)]))
    }

    private func describe(_ command: Command, plugin: PluginInfo) -> Reply {
        var blocks: [Block] = [.heading(command.usage), .text(command.summary)]
        var details: [(String, String)] = command.arguments.filter { !$0.help.isEmpty }.map { ($0.kind == .subject ? "LEAD|ACCOUNT" : $0.name.uppercased(), $0.help) }
        details += command.options.map { ("--\($0.name)\($0.value.map { " \($0)" } ?? "")", $0.help) }
        if !details.isEmpty { blocks.append(.keyValues(details)) }
        if !command.phrasings.isEmpty { blocks.append(.text("Also: " + command.phrasings.map { "“\($0)”" }.joined(separator: ", "))) }
        if !command.examples.isEmpty {
            blocks.append(.heading("Examples"))
            blocks += command.examples.map { .text("  \($0)") }
        }
        if !command.sayings.isEmpty {
            let some = command.sayings.prefix(3).map { "“\($0)”" }.joined(separator: ", ")
            blocks.append(.text("Learned from \(command.sayings.count) sayings, e.g. \(some) ({who} is a lead or an account)."))
        }
        blocks.append(.note("From the \(plugin.name) plugin (\(plugin.source))."))
        return Reply(blocks, result: .object([
            ("command", .string(command.name)), ("usage", .string(command.usage)), ("summary", .string(command.summary)),
            ("options", .array(command.options.map { .object([("name", .string($0.name)), ("value", .optional($0.value)), ("help", .string($0.help))]) })),
            ("phrasings", .array(command.phrasings.map(JSONValue.string))), ("examples", .array(command.examples.map(JSONValue.string))),
            ("sayings", .array(command.sayings.map(JSONValue.string))),
            ("plugin", .string(plugin.name)),
        ]))
    }

    private func plugins(_ request: Request, _ context: Context) throws -> Reply {
        let states = context.catalogue.map { $0.state() }
        let rows = zip(context.catalogue, states).map { plugin, state in
            [plugin.name, plugin.version, plugin.source, plugin.commands.map(\.name).joined(separator: ", "), state]
        }
        var blocks: [Block] = [.table(Table(columns: ["plugin", "version", "source", "commands", "state"], rows: rows))]
        if context.catalogue.contains(where: { $0.source != "built-in" }) {
            blocks.append(.note("Outside plugins start on first use; their stderr goes to \(context.paths.state)/plugins/NAME.log."))
        }
        return Reply(
            blocks,
            result: .object([("plugins", .array(zip(context.catalogue, states).map { plugin, state in
                .object([("name", .string(plugin.name)), ("version", .string(plugin.version)), ("source", .string(plugin.source)),
                         ("state", .string(state)), ("summary", .string(plugin.summary)),
                         ("commands", .array(plugin.commands.map { .string($0.name) }))])
            }))]))
    }
}
