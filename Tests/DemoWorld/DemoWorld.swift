import DemoPlugin
import Foundation
import HandoffCore
import HandoffMCP
package import HandoffPluginAPI
import HandoffPrompts
package import HandoffSQLite
package import HandoffShell
import LeadsPlugin
import ObjectionsPlugin
import QualificationPlugin

/// What `handoff mcp` and outside plugins read, stood up in the test's process: a scratch SQLite
/// file with the demo data, the commands of the plugins the tools run, and a fixed clock. Shared by
/// HandoffMCPTests (the records plugins read) and HandoffMCPServerTests (the server's answers).
package struct DemoWorld {
    package let directory = NSTemporaryDirectory() + "handoff-mcp-\(UUID().uuidString)"
    package let store: SQLiteStore
    package let context: Context
    package let router: Router

    package init() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        store = try SQLiteStore(path: "\(directory)/handoff.sqlite")
        let plugins: [any Plugin] = [LeadsPlugin(), QualificationPlugin(), ObjectionsPlugin(), DemoPlugin()]
        let clock = Clock(fixed: Timestamp.parse("2026-11-20T12:00:00Z")!)
        let definition = DefaultDefinition.load()
        context = Context(
            store: store, definition: definition, clock: clock, actor: "tester", paths: Paths(environment: ["HOME": directory]),
            catalogue: plugins.map(\.info), prompts: PromptLibrary(overrides: "\(directory)/prompts"))
        let commands = plugins.flatMap(\.commands)
        router = Router(commands: commands, store: store, definition: definition, clock: clock)
        _ = try commands.first { $0.name == "demo" }!.run(Request(command: "demo"), context)
    }

    /// What the shell prints for `line` with `--format json`, parsed: the line routed as the shell
    /// routes it, run, and rendered by the same renderer.
    package func shellJSON(_ line: String) throws -> JSONValue {
        guard case .run(let routed) = try router.route(line, conversation: Conversation()) else { throw CancellationError() }
        let command = routed.command
        let reply = try command.run(routed.request, context)
        let renderer = Renderer(format: .json, style: TerminalStyle(colour: false, width: 100))
        return try JSONParser.parse(renderer.render(reply, command: command.name, request: routed.request).stdout)
    }

    package func remove() { try? FileManager.default.removeItem(atPath: directory) }
}
