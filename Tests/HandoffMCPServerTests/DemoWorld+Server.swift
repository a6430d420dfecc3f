import HandoffDemoWorld
@testable import HandoffMCPServer

extension DemoWorld {
    /// `handoff mcp` over this world's data and commands.
    func server(allowWrites: Bool) -> MCPServer {
        MCPServer(router: router, context: context, allowWrites: allowWrites)
    }
}
