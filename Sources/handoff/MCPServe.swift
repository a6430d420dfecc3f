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

    @OptionGroup var session: SessionOptions

    @Flag(help: "Also offer the tools that change the lead model: log_objection, accept, reject.")
    var allowWrites = false

    mutating func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let resolved = try session.resolve(environment)
        let (paths, clock, actor) = (resolved.paths, resolved.clock, resolved.actor)
        let plain = Renderer(format: .text, style: .plain)
        let store: any LeadStore
        do {
            store = try StoreOpening.open(resolved.databaseLocation, environment: environment)
        } catch {
            Terminal.write(plain.render(error, command: nil, request: nil))
            throw ExitCode(1)
        }
        let choice = DefinitionInForce.choose(explicit: resolved.definitionPath, paths: paths, store: store, now: clock.now)
        if let warning = choice.warning { Terminal.write("warning: \(warning)\n", to: 2) }
        let plugins = BuiltinPlugins.all.map(\.info)
        let context = Context(
            store: store, definition: choice.definition, clock: clock, actor: actor, paths: paths, catalogue: plugins,
            prompts: PromptLibrary(paths: paths), polisher: try? ChatCompletionsPolisher.fromEnvironment(environment))
        let router = Router(commands: plugins.flatMap(\.commands), store: store, definition: choice.definition, clock: clock)
        MCPServer(router: router, context: context, allowWrites: allowWrites).serve()
    }
}
