import AlignmentPlugin
import DefinitionPlugin
import DemoPlugin
import Foundation
import HandoffCore
import HandoffPluginAPI
import HandoffPrompts
import HandoffSQLite
import HelpPlugin
import ImportPlugin
import LeadsPlugin
import ObjectionsPlugin
import QualificationPlugin
@testable import HandoffShell

/// A database with the demo data and two leads called Ada, the built-in plugins, and a router
/// over them, at a fixed clock: Wednesday 2026-11-18 15:30 UTC.
final class Fixture {
    let directory: String
    let store: SQLiteStore
    let context: Context
    let router: Router
    let conversation = Conversation()
    static let now = Timestamp.parse("2026-11-18T15:30:00Z")!

    init() throws {
        directory = NSTemporaryDirectory() + "handoff-shell-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        store = try SQLiteStore(path: "\(directory)/handoff.sqlite")
        let plugins: [any Plugin] = [HelpPlugin(), LeadsPlugin(), QualificationPlugin(), ObjectionsPlugin(), ImportPlugin(), DemoPlugin(), DefinitionPlugin(), AlignmentPlugin()]
        let clock = Clock(fixed: Self.now)
        let definition = DefaultDefinition.load()
        context = Context(
            store: store, definition: definition, clock: clock, actor: "tester",
            paths: Paths(environment: ["HOME": directory]), catalogue: plugins.map(\.info),
            prompts: PromptLibrary(overrides: "\(directory)/prompts"))
        let commands = plugins.flatMap(\.commands)
        router = Router(commands: commands, store: store, definition: definition, clock: clock)
        _ = try commands.first { $0.name == "demo" }!.run(Request(command: "demo"), context)
        let csv = "\(directory)/ada.csv"
        try """
            external_id,name,email,title,company
            ada-1,Ada Lovelace,ada@analytical.org,CTO,Analytical Engines
            ada-2,Ada King,ada.king@initech.com,Engineer,Initech
            """.write(toFile: csv, atomically: true, encoding: .utf8)
        _ = try commands.first { $0.name == "import" }!.run(Request(command: "import", values: ["kind": "leads", "file": csv]), context)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// Routes a line as the shell would and, like the shell, remembers it in the conversation.
    func route(_ line: String) throws -> Router.Outcome {
        let outcome = try router.route(line, conversation: conversation)
        switch outcome {
        case .run(let routed): conversation.remember(routed.command, routed.request)
        case .choose(_, let candidates, let pending):
            conversation.pendingChoice = .init(candidates: candidates, command: pending.command, request: pending.request)
        case .chooseCommand(_, let options): conversation.pendingCommands = options
        }
        return outcome
    }

    /// Routes and runs a line, as the shell does, and returns the answer.
    @discardableResult
    func run(_ line: String) throws -> (command: String, request: Request, reply: Reply) {
        let routed = try routed(line)
        return (routed.command.name, routed.request, try routed.command.run(routed.request, context))
    }

    func routed(_ line: String) throws -> Router.Routed {
        guard case .run(let routed) = try route(line) else { throw UsageError("'\(line)' asked a question instead of running") }
        return routed
    }
}
