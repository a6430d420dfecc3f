import Foundation
import HandoffCore
import HandoffPluginAPI
import HandoffShell

/// `handoff mcp`: Handoff as an MCP server on stdin/stdout, so any MCP-capable assistant, and any
/// plugin that needs more data, can query the shared lead model. Each tool runs the same command
/// the shell runs, and answers with the same JSON the shell prints with `--format json`.
public final class MCPServer {
    /// One tool: its JSON Schema, and the command line it stands for.
    struct Tool: Sendable {
        let name: String
        let description: String
        /// (name, description, required); every argument is a string except `limit`.
        let arguments: [(name: String, description: String, required: Bool)]
        let writes: Bool
        let line: @Sendable ([String: String]) throws -> String
    }

    private let router: Router
    private let context: Context
    private let allowWrites: Bool
    private let renderer = Renderer(format: .json, style: TerminalStyle(colour: false, width: 100))
    private let version: String

    public init(router: Router, context: Context, allowWrites: Bool, version: String = "1.0") {
        self.router = router
        self.context = context
        self.allowWrites = allowWrites
        self.version = version
    }

    /// The argument the lookup tools take.
    static let leadOrAccount = (name: "lead", description: "a lead or account: name, email or external id", required: true)

    static let tools: [Tool] = [
        Tool(
            name: "find_leads", description: "List leads, filtered the way the shell's `leads` command reads them: a stage (mqls, sqls…), a source (from webinar), an account (at acme), a period (this month).",
            arguments: [("query", "filters in words, e.g. 'mqls from webinar this month'; empty for all", false), ("limit", "at most this many leads (default 50)", false)],
            writes: false,
            line: { "leads \(clean($0["query"] ?? ""))" + ($0["limit"].map { " --limit \(clean($0))" } ?? "") }),
        Tool(
            name: "lead", description: "One lead (profile, facts, engagement, stage history) or one account and its leads.",
            arguments: [leadOrAccount], writes: false,
            line: { "lead \(try need($0, "lead"))" }),
        Tool(
            name: "qualify", description: "The verdict for a lead under the agreed definition: score, criteria, unknown facts, next step.",
            arguments: [leadOrAccount], writes: false,
            line: { "qualify \(try need($0, "lead"))" }),
        Tool(
            name: "why_rejected", description: "Who or which rule rejected a lead, when and why, and what would change it now.",
            arguments: [leadOrAccount], writes: false,
            line: { "why rejected \(try need($0, "lead"))" }),
        Tool(
            name: "objections", description: "Objection themes ranked, with the change against the period before, quotes and segments.",
            arguments: [("period", "time words, e.g. 'this week', 'last quarter' (default: last 30 days)", false), ("by", "split by industry, stage or rep", false)],
            writes: false,
            line: { "objections \(clean($0["period"] ?? ""))" + ($0["by"].map { " by \(clean($0))" } ?? "") }),
        Tool(
            name: "brief", description: "A draft campaign brief (Markdown) that answers one objection theme.",
            arguments: [("theme", "an objection theme, e.g. pricing", true), ("period", "the objections to draw on (default: last 90 days)", false)],
            writes: false,
            line: { "brief \(try need($0, "theme")) \(clean($0["period"] ?? ""))" }),
        Tool(
            name: "definition_report", description: "How well the agreed definition predicts conversion: MQL precision and recall, lift, AUC.",
            arguments: [], writes: false, line: { _ in "definition report" }),
        Tool(
            name: "log_objection", description: "Log what a prospect said against a lead or account (a write: needs `handoff mcp --allow-writes`).",
            arguments: [("lead", "who said it: a lead or account", true), ("text", "what they said", true), ("theme", "a theme of the taxonomy (default: classified)", false)],
            writes: true,
            line: { "log objection \(try need($0, "lead")) \"\(try need($0, "text"))\"" + ($0["theme"].map { " \(clean($0))" } ?? "") }),
        Tool(
            name: "accept", description: "Sales accepts a lead, MQL to SAL (a write: needs --allow-writes).",
            arguments: [("lead", "a lead: name, email or external id", true)], writes: true,
            line: { "accept \(try need($0, "lead"))" }),
        Tool(
            name: "reject", description: "Reject a lead with a reason code and note (a write: needs --allow-writes).",
            arguments: [("lead", "a lead: name, email or external id", true), ("reason", "a reason code and note, e.g. 'no budget this year'", true)],
            writes: true,
            line: { "reject \(try need($0, "lead")) because \(try need($0, "reason"))" }),
    ]

    /// Words as the shell would read them, without quotes or control characters that would change the line's shape.
    static func clean(_ text: String) -> String {
        String(text.unicodeScalars.map { $0 == "\"" || $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0) })
            .split(separator: " ").joined(separator: " ")
    }

    static func need(_ arguments: [String: String], _ name: String) throws -> String {
        let value = clean(arguments[name] ?? "")
        if value.isEmpty { throw UsageError("the argument '\(name)' is required") }
        return value
    }

    var offered: [Tool] { Self.tools.filter { allowWrites || !$0.writes } }

    /// A longer request is answered with an error, and read past without being kept: no tool
    /// takes anything near this long.
    public static let requestLimit = 1 << 20

    /// Serves until stdin closes. Throws a `StreamError` when reading stdin or writing stdout fails.
    public func serve() throws {
        let input = LineReader(descriptor: 0, name: "standard input", limit: Self.requestLimit)
        while let line = try input.next() {
            let reply: String?
            switch line {
            case .text(let text):
                if text.trimmingWhitespace().isEmpty { continue }
                reply = handle(text)
            case .tooLong(let start):
                // Answered to the id when the request names it before the limit, so the client
                // waiting on that id hears back.
                let id = JSONParser.memberText("id", inStartOf: start).flatMap(Self.validID) ?? "null"
                reply = Self.error(id, -32600, "request too large: a request may be at most \(Self.requestLimit) bytes")
            }
            if let reply {
                Terminal.write(reply + "\n", to: 1)
                try Terminal.checkOutput()
            }
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
            let version = PluginConnection.protocolVersions.contains(asked) ? asked : PluginConnection.protocolVersions[0]
            return Self.result(id, .object([
                ("protocolVersion", .string(version)),
                ("capabilities", .object([("tools", .object([("listChanged", .bool(false))]))])),
                ("serverInfo", .object([("name", .string("handoff")), ("version", .string(self.version))])),
                ("instructions", .string("The shared lead model of the marketing–sales hand-off. Tools answer with the JSON `handoff --format json` prints.")),
            ]))
        case "ping":
            return Self.result(id, .object([]))
        case "tools/list":
            return Self.result(id, .object([("tools", .array(offered.map(Self.describe)))]))
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

    static func describe(_ tool: Tool) -> JSONValue {
        let properties: [(String, JSONValue)] = tool.arguments.map { argument in
            (argument.name, .object([("type", .string(argument.name == "limit" ? "integer" : "string")), ("description", .string(argument.description))]))
        }
        return .object([
            ("name", .string(tool.name)), ("description", .string(tool.description)),
            ("inputSchema", .object([
                ("type", .string("object")), ("properties", .object(properties)),
                ("required", .array(tool.arguments.filter(\.required).map { .string($0.name) })), ("additionalProperties", .bool(false)),
            ])),
            ("annotations", .object([("readOnlyHint", .bool(!tool.writes))])),
        ])
    }

    /// Runs a tool as the shell would run its command line; the shell's JSON answer is the result.
    func call(_ params: JSONValue) -> JSONValue {
        let name = params["name"]?.stringValue ?? ""
        guard let tool = Self.tools.first(where: { $0.name == name }) else {
            return Self.toolError("no tool '\(name)'; the tools are \(offered.map(\.name).joined(separator: ", "))", structured: nil)
        }
        if tool.writes && !allowWrites {
            return Self.toolError("\(name) changes the lead model; start the server with `handoff mcp --allow-writes` to allow it", structured: nil)
        }
        var arguments: [String: String] = [:]
        for (key, value) in params["arguments"]?.objectValue ?? [] {
            guard tool.arguments.contains(where: { $0.name == key }) else {
                return Self.toolError("\(name) takes no argument '\(key)'", structured: nil)
            }
            arguments[key] = value.display
        }
        let line: String
        do { line = try tool.line(arguments) } catch {
            return Self.toolError("\(name): \(Renderer.describeMessage(error))", structured: nil)
        }
        var routed: Router.Routed?
        do {
            switch try router.route(line, conversation: Conversation()) {
            case .run(let found):
                routed = found
                let reply = try found.command.run(found.request, context)
                let output = renderer.render(reply, command: found.command.name, request: found.request)
                return Self.answer(output.stdout, isError: reply.failure != nil)
            case .choose(let question, let candidates, _):
                return Self.toolError("\(question) \(candidates.map(\.name).joined(separator: ", "))", structured: nil)
            }
        } catch {
            let output = renderer.render(error, command: routed?.command.name, request: routed?.request)
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

    private static func toolError(_ message: String, structured: JSONValue?) -> JSONValue {
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

extension Renderer {
    /// The message of an error as the shell shows it.
    static func describeMessage(_ error: any Error) -> String {
        (error as? any HandoffError)?.message ?? "\(error)"
    }
}
