import CommandLineOptions
import Foundation
import HandoffCore
import HandoffLLM
import HandoffMCP
import HandoffPluginAPI
import HandoffPrompts
import HandoffShell

/// `handoff mcp`: the lead model and the commands as MCP tools on stdin/stdout.
struct MCPServe {
    let session: SessionOptions
    let allowWrites: Bool
    let team: (any TeamStores)?

    init(options: ParsedOptions, team: (any TeamStores)?) {
        self.team = team
        session = SessionOptions(options)
        allowWrites = options.isSet("--allow-writes")
    }

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let resolved = try session.resolve(environment)
        let (paths, clock, actor) = (resolved.paths, resolved.clock, resolved.actor)
        let definition = Prefetch { [definitionPath = resolved.definitionPath] in DefinitionInForce.read(explicit: definitionPath, paths: paths) }
        let plain = Renderer(format: .text, style: .plain)
        let store: any LeadStore
        do {
            store = try StoreOpening.open(resolved.databaseLocation, environment: environment, team: team)
        } catch {
            Terminal.write(plain.render(error, command: nil, request: nil))
            throw ExitStatus(1)
        }
        let choice = DefinitionInForce.settle(definition.value(), store: store, now: clock.now)
        if let warning = choice.warning { Terminal.write("warning: \(warning)\n", to: 2) }
        let plugins = BuiltinPlugins.all.map(\.info)
        let context = Context(
            store: store, definition: choice.definition, clock: clock, actor: actor, paths: paths, catalogue: plugins,
            prompts: PromptLibrary(paths: paths), polisher: try? ChatCompletionsPolisher.fromEnvironment(environment))
        let router = Router(commands: plugins.flatMap(\.commands), store: store, definition: choice.definition, clock: clock)
        MCPServer(router: router, context: context, allowWrites: allowWrites).serve()
    }
}
