import DefinitionPlugin
import DemoPlugin
import Foundation
import HandoffCore
import HandoffPluginAPI
import HandoffPrompts
import HandoffSQLite
import HandoffShell
import HelpPlugin
import ImportPlugin
import LeadsPlugin
import ObjectionsPlugin
import QualificationPlugin

/// What the router and `handoff mcp` targets read names against: a scratch SQLite database with
/// the demo data, the built-in plugins' commands, and a fixed clock, made once per process (as the
/// shell makes them once per session), so each input sees the same world.
final class DemoSession {
    let directory: String
    let store: SQLiteStore
    let context: Context
    let router: Router

    init() {
        do {
            directory = NSTemporaryDirectory() + "handoff-fuzz-\(getpid())"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            store = try SQLiteStore(path: "\(directory)/handoff.sqlite")
            let plugins: [any Plugin] = [
                HelpPlugin(), LeadsPlugin(), QualificationPlugin(), ObjectionsPlugin(), ImportPlugin(), DemoPlugin(), DefinitionPlugin(),
            ]
            let clock = Clock(fixed: Timestamp.parse("2026-11-18T15:30:00Z")!)
            let definition = DefaultDefinition.load()
            context = Context(
                store: store, definition: definition, clock: clock, actor: "fuzz",
                paths: Paths(environment: ["HOME": directory]), catalogue: plugins.map(\.info),
                prompts: PromptLibrary(overrides: "\(directory)/prompts"))
            let commands = plugins.flatMap(\.commands)
            router = Router(commands: commands, store: store, definition: definition, clock: clock)
            _ = try commands.first { $0.name == "demo" }!.run(Request(command: "demo"), context)
        } catch {
            fatalError("the fuzz target's demo database could not be made: \(error)")
        }
        // The database is only read from here on; the folder goes when the process does.
        atexit { try? FileManager.default.removeItem(atPath: NSTemporaryDirectory() + "handoff-fuzz-\(getpid())") }
    }
}
