import Foundation
import HandoffCore
import HandoffMCP
public import HandoffPluginAPI
public import HandoffShell

/// `handoff mcp`: Handoff as an MCP server on stdin/stdout, so any MCP-capable assistant, and any
/// plugin that needs more data, can query the shared lead model. Each tool runs the command the
/// shell runs, and answers with the same JSON the shell prints with `--format json`; but its
/// arguments fill the command's request one by one, never a command line, so no value can add an
/// option or another command, and text arrives as it was sent.
public final class MCPServer {
    /// One tool: what its command offers, and the command.
    struct Tool: Sendable {
        let offer: AssistantTool
        let command: Command
        var name: String { offer.name }
    }

    private let router: Router
    private let context: Context
    private let allowWrites: Bool
    private let renderer = Renderer(format: .json, style: TerminalStyle(colour: false, width: 100))
    private let version: String
    /// A definition named for this run (`--definition FILE`), recorded as in force once a tool
    /// has changed the lead model under it.
    private let unrecordedDefinition: DefinitionInForce.Unrecorded

    public init(
        router: Router, context: Context, allowWrites: Bool, version: String = "1.0",
        unrecordedDefinition: DefinitionInForce.Unrecorded = DefinitionInForce.Unrecorded(nil)
    ) {
        self.unrecordedDefinition = unrecordedDefinition
        self.router = router
        var context = context
        // A brief's draft is kept only when writes are allowed.
        context.readOnly = !allowWrites
        self.context = context
        self.allowWrites = allowWrites
        self.version = version
        var named: Set<String> = []
        tools = router.commands.compactMap { command in
            guard let offer = command.tool, named.insert(offer.name).inserted else { return nil }
            return Tool(offer: offer, command: command)
        }
    }

    /// Every command a plugin offers as a tool, in the plugins' order; a name already taken by an
    /// earlier command is not offered twice.
    let tools: [Tool]

    var offered: [Tool] {
        tools.filter { tool in
            if case .model = tool.offer.writes { allowWrites } else { true }
        }
    }

    /// A longer request is answered with an error, and read past without being kept: no tool
    /// takes anything near this long.
    public static let requestLimit = 1 << 20

    /// Serves until stdin closes. Throws a `StreamError` when reading stdin or writing stdout fails.
    public func serve() throws {
        let input = LineReader(descriptor: 0, name: "standard input", limit: Self.requestLimit)
        while let line = try input.next() {
            if let reply = answer(line) {
                Terminal.write(reply + "\n", to: 1)
                try Terminal.checkOutput()
            }
        }
    }

    /// The answer to one line of input: nil for a blank line, a notification or a response.
    func answer(_ line: LineReader.Line) -> String? {
        switch line {
        case .text(let text):
            return text.trimmingWhitespace().isEmpty ? nil : handle(text)
        case .tooLong(let start):
            // Answered to the id when the request names it before the limit, so the client
            // waiting on that id hears back.
            let id = JSONParser.memberText("id", inStartOf: start).flatMap(Self.validID) ?? "null"
            return Self.error(id, -32600, "request too large: a request may be at most \(Self.requestLimit) bytes")
        }
    }

    /// The answer to one message (a line of JSON text), or nil for a notification or a response.
    /// Anything that is not a JSON-RPC 2.0 request gets an error, so no client waits forever.
    func handle(_ line: String) -> String? {
        let message: JSONValue
        let idText: String?
        do { (message, idText) = try JSONParser.parse(line, keepingTextOf: "id") } catch {
            return Self.error("null", -32700, "parse error: \(error)")
        }
        guard case .object = message else {
            let what = if case .array = message { "batches are not supported; send one request per line" } else { "expected a request object" }
            return Self.error("null", -32600, "invalid request: \(what)")
        }
        // The id as the client wrote it: a string, a number (its own digits) or null.
        let id = idText.flatMap(Self.validID)
        if idText != nil && id == nil {
            return Self.error("null", -32600, "invalid request: the id must be a string, a number or null")
        }
        guard message["jsonrpc"]?.stringValue == "2.0" else {
            return Self.error(id ?? "null", -32600, "invalid request: \"jsonrpc\" must be \"2.0\"")
        }
        guard let method = message["method"]?.stringValue else {
            // A client's answer to a request: this server sends none, so there is nothing to say.
            if id != nil, message["method"] == nil, message["result"] != nil || message["error"] != nil { return nil }
            return Self.error(id ?? "null", -32600, "invalid request: \"method\" must be a string")
        }
        guard let id else { return nil }
        let params = message["params"] ?? .object([])
        switch method {
        case "initialize":
            let asked = params["protocolVersion"]?.stringValue ?? ""
            let version = MCPProtocol.versions.contains(asked) ? asked : MCPProtocol.versions[0]
            return Self.result(id, .object([
                ("protocolVersion", .string(version)),
                ("capabilities", .object([("tools", .object([("listChanged", .bool(false))]))])),
                ("serverInfo", .object([("name", .string("handoff")), ("version", .string(self.version))])),
                ("instructions", .string("The shared lead model of the marketing–sales hand-off. Tools answer with the JSON `handoff --format json` prints.")),
            ]))
        case "ping":
            return Self.result(id, .object([]))
        case "tools/list":
            return Self.result(id, .object([("tools", .array(offered.map(describe)))]))
        case "tools/call":
            return Self.result(id, call(params))
        default:
            return Self.error(id, -32601, "method not found: \(method)")
        }
    }

    /// `text` when it is an id JSON-RPC allows (a string, a number or null), else nil.
    private static func validID(_ text: String) -> String? {
        switch try? JSONParser.parse(text) {
        case .string, .int, .double, .null: text
        default: nil
        }
    }

    func describe(_ tool: Tool) -> JSONValue {
        let properties: [(String, JSONValue)] = tool.offer.arguments.map { argument in
            (argument.name, .object([("type", .string(argument.kind.schemaType)), ("description", .string(argument.description))]))
        }
        // Every tool reads and writes the lead model alone: none reaches anything outside it.
        var annotations: [(String, JSONValue)] = [("openWorldHint", .bool(false))]
        switch tool.offer.writes {
        case .nothing:
            annotations.append(("readOnlyHint", .bool(true)))
        case .model(let destructive):
            annotations += [("readOnlyHint", .bool(false)), ("destructiveHint", .bool(destructive))]
        case .keepsAnswer:
            // Each call keeps one more draft: nothing already kept changes.
            annotations += allowWrites ? [("readOnlyHint", .bool(false)), ("destructiveHint", .bool(false))] : [("readOnlyHint", .bool(true))]
        }
        return .object([
            ("name", .string(tool.name)), ("description", .string(tool.offer.description)),
            ("inputSchema", .object([
                ("type", .string("object")), ("properties", .object(properties)),
                ("required", .array(tool.offer.arguments.filter(\.required).map { .string($0.name) })), ("additionalProperties", .bool(false)),
            ])),
            ("annotations", .object(annotations)),
        ])
    }

    /// Runs a tool's command with the request its arguments make; the shell's JSON answer is the result.
    func call(_ params: JSONValue) -> JSONValue {
        let name = params["name"]?.stringValue ?? ""
        guard let tool = tools.first(where: { $0.name == name }) else {
            return Self.toolError("no tool '\(name)'; the tools are \(offered.map(\.name).joined(separator: ", "))")
        }
        if case .model = tool.offer.writes, !allowWrites {
            return Self.toolError("\(name) changes the lead model; start the server with `handoff mcp --allow-writes` to allow it")
        }
        let command = tool.command
        let request: Request
        do {
            switch try Self.request(for: tool, arguments: params["arguments"] ?? .object([]), router: router) {
            case .ready(let ready): request = ready
            case .choose(let question, let candidates):
                return Self.toolError("\(question) \(candidates.map(\.name).joined(separator: ", "))")
            }
        } catch let error as ArgumentError {
            return Self.toolError(error.message)
        } catch {
            let output = renderer.render(error, command: command.name, request: Request(command: command.name))
            return Self.answer(output.stdout, isError: true)
        }
        do {
            let reply = try command.run(request, context)
            if case .model = tool.offer.writes, command.changedData(request, reply) {
                try unrecordedDefinition.recordAfterChanging(context.store, at: context.clock.now, by: context.actor)
            }
            let output = renderer.render(reply, command: command.name, request: request)
            return Self.answer(output.stdout, isError: reply.failure != nil)
        } catch {
            let output = renderer.render(error, command: command.name, request: request)
            return Self.answer(output.stdout, isError: true)
        }
    }

    private static func answer(_ json: String, isError: Bool) -> JSONValue {
        let text = json.trimmingCharacters(in: .whitespacesAndNewlines)
        return .object([
            ("content", .array([.object([("type", .string("text")), ("text", .string(text))])])),
            ("structuredContent", (try? JSONParser.parse(text)) ?? .null), ("isError", .bool(isError)),
        ])
    }

    private static func toolError(_ message: String) -> JSONValue {
        .object([("content", .array([.object([("type", .string("text")), ("text", .string(message))])])), ("isError", .bool(true))])
    }

    /// A response line; `id` is JSON text, as the request wrote it.
    private static func result(_ id: String, _ result: JSONValue) -> String {
        #"{"jsonrpc":"2.0","id":"# + id + #","result":"# + result.encoded() + "}"
    }

    private static func error(_ id: String, _ code: Int, _ message: String) -> String {
        #"{"jsonrpc":"2.0","id":"# + id + #","error":"# + JSONValue.object([("code", .int(code)), ("message", .string(message))]).encoded() + "}"
    }
}
