import ArgumentParser
import Foundation
import HandoffCore
import HandoffLLM
import HandoffMCP
import HandoffPluginAPI
import HandoffPrompts
import HandoffShell

/// `handoff mcp`: the lead model and the commands as MCP tools on stdin/stdout.
struct MCPServe: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve the lead model and the commands as MCP tools over stdio (JSON-RPC 2.0).",
        discussion: """
            Read-only unless --allow-writes: find_leads, lead, qualify, why_rejected, objections, brief, \
            definition_report; with --allow-writes also log_objection, accept, reject. Each tool answers \
            with the JSON `handoff --format json` prints for the same command.
            """)

    @Option(name: .customLong("db"), help: ArgumentHelp(
        "The database: an SQLite file, or postgres://user@host:5432/name for a team's shared one (also HANDOFF_DB).",
        valueName: "path|url"))
    var database: String?

    @Option(help: ArgumentHelp("The agreed-definition file.", valueName: "path"))
    var definition: String?

    @Option(help: ArgumentHelp("Answer as if it were this time (ISO 8601; also HANDOFF_NOW).", valueName: "time"))
    var now: String?

    @Option(name: .customLong("as"), help: ArgumentHelp("Who is acting, recorded on every change (also HANDOFF_USER).", valueName: "name"))
    var actor: String?

    @Flag(help: "Also offer the tools that change the lead model: log_objection, accept, reject.")
    var allowWrites = false

    mutating func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let nonEmpty = { (key: String) in environment[key].flatMap { $0.isEmpty ? nil : $0 } }
        var fixedNow: Date?
        if let text = now ?? nonEmpty("HANDOFF_NOW") {
            guard let date = Timestamp.parse(text) else { throw ValidationError("--now '\(text)' is not a time") }
            fixedNow = date
        }
        let paths = Paths(environment: environment)
        let clock = Clock(fixed: fixedNow)
        let plain = Renderer(format: .text, style: .plain)
        let settings: Settings
        do {
            settings = try Settings.load(path: paths.settingsFile, home: environment["HOME"] ?? NSHomeDirectory())
        } catch {
            Terminal.write(plain.render(error, command: nil, request: nil))
            throw ExitCode(2)
        }
        let login = environment["USER"] ?? "unknown"
        let actor = actor ?? nonEmpty("HANDOFF_USER") ?? settings.user ?? login
        let store: any LeadStore
        do {
            store = try StoreOpening.open(
                StoreOpening.location(flag: database, environment: environment, settings: settings, paths: paths), environment: environment)
        } catch {
            Terminal.write(plain.render(error, command: nil, request: nil))
            throw ExitCode(1)
        }
        let choice = DefinitionInForce.choose(explicit: definition ?? settings.definition, paths: paths, store: store, now: clock.now)
        if let warning = choice.warning { Terminal.write("warning: \(warning)\n", to: 2) }
        let plugins = BuiltinPlugins.all.map(\.info)
        let context = Context(
            store: store, definition: choice.definition, clock: clock, actor: actor, paths: paths, catalogue: plugins,
            prompts: PromptLibrary(paths: paths), polisher: try? ChatCompletionsPolisher.fromEnvironment(environment))
        let router = Router(commands: plugins.flatMap(\.commands), store: store, definition: choice.definition, clock: clock)
        MCPServer(router: router, context: context, allowWrites: allowWrites).serve()
    }
}
