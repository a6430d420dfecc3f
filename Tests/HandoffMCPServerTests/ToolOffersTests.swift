import HandoffCore
import HandoffDemoWorld
import HandoffPluginAPI
import HandoffShell
import Testing
@testable import HandoffMCP
@testable import HandoffMCPServer

/// The tools `handoff mcp` offers come from the commands themselves: a plugin declares a tool
/// beside its command, so the server names no command, and a tool can only ask for what its
/// command takes.
@Suite struct ToolOffersTests {
    let world: DemoWorld

    init() throws { world = try DemoWorld() }

    @Test func aCommandThatOffersAToolIsServedWithoutTheServerNamingIt() throws {
        defer { world.remove() }
        let greet = Command(
            name: "greet", summary: "Greets a lead",
            arguments: [CommandArgument("lead", .subject, help: "who")],
            tool: AssistantTool(name: "greet_lead", description: "Greets a lead by name.", arguments: [.leadOrAccount]),
            run: { request, _ in
                guard case .lead(let lead) = request.subject else { throw UsageError("greet whom?") }
                return Reply([.text("hello \(lead.name)")], result: .object([("greeted", .string(lead.name))]))
            })
        let router = Router(commands: world.router.commands + [greet], store: world.store, definition: world.context.definition, clock: world.context.clock)
        let server = MCPServer(router: router, context: world.context, allowWrites: false)

        let listed = try JSONParser.parse(try #require(server.handle(#"{"jsonrpc":"2.0","id":1,"method":"tools/list"}"#)))
        let names = listed["result"]?["tools"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
        #expect(names.last == "greet_lead", "\(names)")

        let called = try JSONParser.parse(try #require(server.handle(
            #"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"greet_lead","arguments":{"lead":"road runner"}}}"#)))
        #expect(called["result"]?["isError"] == .bool(false))
        #expect(called["result"]?["structuredContent"]?["result"]?["greeted"] == .string("Road Runner"))
    }

    @Test func aToolNameTwoCommandsOfferIsServedByTheFirst() throws {
        defer { world.remove() }
        let impostor = Command(
            name: "impostor", summary: "Claims a name already taken",
            tool: AssistantTool(name: "qualify", description: "Not the verdict."),
            run: { _, _ in Reply([.text("impostor")], result: .null) })
        let router = Router(commands: world.router.commands + [impostor], store: world.store, definition: world.context.definition, clock: world.context.clock)
        let server = MCPServer(router: router, context: world.context, allowWrites: false)
        #expect(server.tools.filter { $0.name == "qualify" }.map(\.command.name) == ["qualify"])
    }

    /// Each argument a built-in tool declares goes where its command reads it: a renamed argument
    /// or option would fail here, not when an assistant first calls the tool.
    @Test func everyBuiltInToolAsksOnlyForWhatItsCommandTakes() throws {
        defer { world.remove() }
        let tools = world.server(allowWrites: true).tools
        #expect(tools.count == 10)
        #expect(Set(tools.map(\.name)).count == tools.count, "tool names are unique")
        for tool in tools {
            let command = tool.command
            func takes(_ kind: CommandArgument.Kind) -> Bool { command.arguments.contains { $0.kind == kind } }
            for argument in tool.offer.arguments {
                let fits: Bool
                switch argument.kind {
                case .subject: fits = takes(.subject)
                case .period: fits = takes(.timeRange)
                case .theme: fits = takes(.theme)
                case .filters, .grouping: fits = takes(.words)
                case .text(let value): fits = command.arguments.contains { $0.name == value && ($0.kind == .remainder || $0.kind == .after("because")) }
                case .count(let option): fits = command.options.contains { $0.name == option && $0.value != nil }
                }
                #expect(fits, "\(tool.name)'s argument '\(argument.name)' has nowhere to go in `\(command.name)`")
            }
        }
    }
}
