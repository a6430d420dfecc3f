import CommandLineOptions
import Foundation
import HandoffCore
import HandoffLLM
import HandoffMCPServer
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
        let (store, definition, unrecorded) = try StoreOpening.openSession(
            resolved, environment: environment, team: team, reportingWith: Renderer(format: .text, style: .plain))
        let plugins = BuiltinPlugins.all.map(\.info)
        let context = Context(
            store: store, definition: definition, clock: clock, actor: actor, paths: paths, catalogue: plugins,
            prompts: PromptLibrary(paths: paths), polisher: try? ChatCompletionsPolisher.fromEnvironment(environment))
        let router = Router(commands: plugins.flatMap(\.commands), store: store, definition: definition, clock: clock)
        try MCPServer(router: router, context: context, allowWrites: allowWrites, unrecordedDefinition: unrecorded).serve()
    }
}
