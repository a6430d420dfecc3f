/// The MCP revisions Handoff speaks, to outside plugins and as `handoff mcp` (HandoffMCPServer),
/// so both ends agree: a plugin is offered the first, and a client asking for another is answered
/// in it when it is here.
package enum MCPProtocol {
    package static let versions = ["2025-06-18", "2025-11-25", "2025-03-26", "2024-11-05"]
}
