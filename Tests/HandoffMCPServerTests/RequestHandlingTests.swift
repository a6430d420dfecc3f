import Foundation
import HandoffCore
import HandoffDemoWorld
import HandoffPluginAPI
import HandoffSQLite
import HandoffShell
import Testing
@testable import HandoffMCP
@testable import HandoffMCPServer

/// `handoff mcp` answering one line at a time, in the test's process, over the demo data: what a
/// client is told for each kind of message. (Tests/EndToEndTests/MCPServerTests.swift drives the
/// binary through a real MCP client; ToolArgumentsTests checks that arguments stay values.)
@Suite struct RequestHandlingTests {
    let world: DemoWorld

    init() throws { world = try DemoWorld() }

    /// The answer to `line`, parsed; fails the test when there is none.
    func reply(_ server: MCPServer, _ line: String) throws -> JSONValue {
        try JSONParser.parse(try #require(server.handle(line), "no answer to \(line)"))
    }

    /// The error a message is answered with: its id as written, code and message.
    func error(_ server: MCPServer, _ line: String) throws -> (id: String, code: Int?, message: String?) {
        let text = try #require(server.handle(line), "no answer to \(line)")
        let answer = try JSONParser.parse(text)
        #expect(answer["result"] == nil, "\(text)")
        let id = try #require(JSONParser.memberText("id", inStartOf: text))
        return (id, answer["error"]?["code"]?.intValue, answer["error"]?["message"]?.stringValue)
    }

    func call(_ server: MCPServer, _ tool: String, _ arguments: String) throws -> JSONValue {
        let answer = try reply(server, #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"\#(tool)","arguments":\#(arguments)}}"#)
        return try #require(answer["result"])
    }

    @Test func initializeAgreesOnAVersionAndOffersTools() throws {
        defer { world.remove() }
        let server = MCPServer(router: world.router, context: world.context, allowWrites: false, version: "4.2.1")
        for (asked, agreed) in [("2025-03-26", "2025-03-26"), ("2024-11-05", "2024-11-05"), ("1999-01-01", "2025-06-18"), ("", "2025-06-18")] {
            let answer = try reply(server, #"{"jsonrpc":"2.0","id":"init-1","method":"initialize","params":{"protocolVersion":"\#(asked)","capabilities":{}}}"#)
            #expect(answer["jsonrpc"] == .string("2.0"))
            #expect(answer["id"] == .string("init-1"))
            #expect(answer["result"]?["protocolVersion"] == .string(agreed), "asked \(asked)")
        }
        // A client that sends no params at all still gets the newest version the server speaks.
        let bare = try reply(server, #"{"jsonrpc":"2.0","id":1,"method":"initialize"}"#)
        let result = try #require(bare["result"])
        #expect(result["protocolVersion"] == .string(MCPProtocol.versions[0]))
        #expect(result["capabilities"] == .object([("tools", .object([("listChanged", .bool(false))]))]))
        #expect(result["serverInfo"] == .object([("name", .string("handoff")), ("version", .string("4.2.1"))]))
        #expect(result["instructions"]?.stringValue?.contains("--format json") == true)
        #expect(try reply(server, #"{"jsonrpc":"2.0","id":2,"method":"ping"}"#)["result"] == .object([]))
    }

    @Test func toolsListDescribesEachToolsArguments() throws {
        defer { world.remove() }
        let listed = try reply(world.server(allowWrites: true), #"{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{}}"#)
        let tools = try #require(listed["result"]?["tools"]?.arrayValue)
        #expect(tools.compactMap { $0["name"]?.stringValue } == [
            "find_leads", "lead", "qualify", "why_rejected", "accept", "reject", "definition_report", "log_objection", "objections", "brief",
        ], "in the order of the plugins and their commands")
        var schemas: [String: JSONValue] = [:]
        for tool in tools {
            let name = try #require(tool["name"]?.stringValue)
            let schema = try #require(tool["inputSchema"])
            #expect(tool["description"]?.stringValue?.isEmpty == false, "\(name)")
            #expect(schema["type"] == .string("object"), "\(name)")
            #expect(schema["additionalProperties"] == .bool(false), "\(name): an argument it does not take is refused")
            schemas[name] = schema
        }
        func types(_ tool: String) -> [String: String] {
            let properties = schemas[tool]?["properties"]?.objectValue ?? []
            return Dictionary(uniqueKeysWithValues: properties.map { ($0.0, $0.1["type"]?.stringValue ?? "") })
        }
        func required(_ tool: String) -> [String] { schemas[tool]?["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] }
        #expect(types("find_leads") == ["query": "string", "limit": "integer"])
        #expect(required("find_leads") == [])
        #expect(types("qualify") == ["lead": "string"])
        #expect(required("qualify") == ["lead"])
        #expect(types("objections") == ["period": "string", "by": "string"])
        #expect(required("objections") == [])
        #expect(types("brief") == ["theme": "string", "period": "string"])
        #expect(required("brief") == ["theme"])
        #expect(types("definition_report") == [:])
        #expect(types("log_objection") == ["lead": "string", "text": "string", "theme": "string"])
        #expect(required("log_objection") == ["lead", "text"])
        #expect(required("reject") == ["lead", "reason"])
    }

    /// Each read tool, called with typed arguments, answers with the JSON the shell prints for the
    /// same question, as text and as structured content.
    @Test func eachReadToolAnswersTheShellsJSON() throws {
        defer { world.remove() }
        let server = world.server(allowWrites: false)
        let cases: [(tool: String, arguments: String, line: String)] = [
            ("find_leads", #"{"query":"mqls from webinar","limit":3}"#, "leads mqls from webinar --limit 3"),
            ("find_leads", #"{}"#, "leads"),
            ("lead", #"{"lead":"pepper potts"}"#, "lead pepper potts"),
            ("lead", #"{"lead":"Stark Logistics"}"#, "lead stark logistics"),
            ("qualify", #"{"lead":"tony stark"}"#, "qualify tony stark"),
            ("why_rejected", #"{"lead":"art vandelay"}"#, "why rejected art vandelay"),
            ("objections", #"{"period":"last quarter","by":"industry"}"#, "objections last quarter by industry"),
            ("definition_report", #"{}"#, "definition report"),
        ]
        for (tool, arguments, line) in cases {
            let result = try call(server, tool, arguments)
            #expect(result["isError"] == .bool(false), "\(tool) \(arguments): \(result.encoded())")
            let content = try #require(result["content"]?.arrayValue?.first)
            #expect(content["type"] == .string("text"))
            let structured = try #require(result["structuredContent"])
            #expect(try JSONParser.parse(try #require(content["text"]?.stringValue)) == structured, "the text is the structured content")
            #expect(structured == (try world.shellJSON(line)), "\(tool) \(arguments) answers as `\(line) --format json`")
            #expect(structured["ok"] == .bool(true))
            #expect(structured["schema"] == .int(1))
        }
        let found = try call(server, "find_leads", #"{"query":"mqls from webinar","limit":3}"#)["structuredContent"]?["result"]
        let leads = try #require(found?["leads"]?.arrayValue)
        #expect((1...3).contains(leads.count))
        #expect(leads.allSatisfy { $0["lead"]?["stage"] == .string("mql") && $0["lead"]?["source"] == .string("webinar") })
        let tony = try call(server, "qualify", #"{"lead":"tony stark"}"#)["structuredContent"]?["result"]
        #expect(tony?["lead"]?["name"] == .string("Tony Stark"))
        #expect(tony?["verdict"]?["definition_version"] == .string(world.context.definition.version))
        let art = try call(server, "why_rejected", #"{"lead":"art vandelay"}"#)["structuredContent"]?["result"]?["rejections"]?.arrayValue?.first
        #expect(art?["reason"] == .string("no_budget"))
        #expect(art?["by_rule"] == .bool(false))
    }

    @Test func argumentsThatDoNotFitTheSchemaAreRefusedInWords() throws {
        defer { world.remove() }
        let server = world.server(allowWrites: true)
        let before = try world.store.counts()
        let refusals: [(tool: String, arguments: String, message: String)] = [
            ("qualify", #"{}"#, "the argument 'lead' is required"),
            ("qualify", #"{"lead":null}"#, "the argument 'lead' is required"),
            ("qualify", #"{"lead":" \t "}"#, "the argument 'lead' is required"),
            ("qualify", #"{"lead":42}"#, "the argument 'lead' must be a string, not 42"),
            ("qualify", #"{"lead":{"name":"tony stark"}}"#, #"the argument 'lead' must be a string, not {"name":"tony stark"}"#),
            ("qualify", #"["tony stark"]"#, "qualify takes its arguments as an object"),
            ("qualify", #""tony stark""#, "qualify takes its arguments as an object"),
            ("qualify", #"{"lead":"tony stark","format":"text"}"#, "qualify takes no argument 'format'"),
            ("find_leads", #"{"limit":2.5}"#, "the argument 'limit' must be a whole number, not 2.5"),
            ("find_leads", #"{"limit":"3"}"#, #"the argument 'limit' must be a whole number, not "3""#),
            ("find_leads", #"{"query":7}"#, "the argument 'query' must be a string, not 7"),
            ("objections", #"{"period":true}"#, "the argument 'period' must be a string, not true"),
            ("brief", #"{"period":"last quarter"}"#, "the argument 'theme' is required"),
            ("log_objection", #"{"lead":"pepper potts"}"#, "the argument 'text' is required"),
            ("reject", #"{"lead":"pepper potts","reason":["no_budget"]}"#, #"the argument 'reason' must be a string, not ["no_budget"]"#),
        ]
        for (tool, arguments, message) in refusals {
            let result = try call(server, tool, arguments)
            #expect(result["isError"] == .bool(true), "\(tool) \(arguments)")
            #expect(result["content"]?.arrayValue?.first?["text"] == .string(message), "\(tool) \(arguments)")
            #expect(result["structuredContent"] == nil, "refused before any command ran")
        }
        // An argument that looks like an option is the value it was sent as: no lead is called that.
        let option = try call(server, "lead", #"{"lead":"--format text"}"#)
        #expect(option["isError"] == .bool(true))
        #expect(option["structuredContent"]?["error"]?["code"] == .string("not_found"))
        let noName = try call(server, "", #"{}"#)
        #expect(noName["content"]?.arrayValue?.first?["text"]?.stringValue?.hasPrefix("no tool ''; the tools are find_leads, lead, qualify") == true)
        #expect(try world.store.counts() == before, "nothing was written")
    }

    @Test func aWriteToolIsRefusedByAReadOnlyServer() throws {
        defer { world.remove() }
        let result = try call(world.server(allowWrites: false), "accept", #"{"lead":"pepper potts"}"#)
        #expect(result["isError"] == .bool(true))
        #expect(result["content"]?.arrayValue?.first?["text"] == .string(
            "accept changes the lead model; start the server with `handoff mcp --allow-writes` to allow it"))
        #expect(try world.store.lead(externalId: "demo-017")?.stage == .mql)
    }

    @Test func anUnknownMethodIsNotFound() throws {
        defer { world.remove() }
        let server = world.server(allowWrites: false)
        let unknown = try error(server, #"{"jsonrpc":"2.0","id":5,"method":"resources/list"}"#)
        #expect(unknown.id == "5")
        #expect(unknown.code == -32601)
        #expect(unknown.message == "method not found: resources/list")
        // Method names are exact: no case folding, no spaces trimmed.
        #expect(try error(server, #"{"jsonrpc":"2.0","id":6,"method":"Tools/List"}"#).code == -32601)
        #expect(try error(server, #"{"jsonrpc":"2.0","id":7,"method":" ping"}"#).code == -32601)
    }

    @Test func whatIsNotARequestObjectIsAnInvalidRequest() throws {
        defer { world.remove() }
        let server = world.server(allowWrites: false)
        let batch = try error(server, #"[{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","id":2,"method":"ping"}]"#)
        #expect(batch.id == "null")
        #expect(batch.code == -32600)
        #expect(batch.message == "invalid request: batches are not supported; send one request per line")
        for line in [#""ping""#, "42", "null", "true"] {
            let answer = try error(server, line)
            #expect(answer.code == -32600, "\(line)")
            #expect(answer.message == "invalid request: expected a request object", "\(line)")
        }
        let badId = try error(server, #"{"jsonrpc":"2.0","id":{"n":1},"method":"ping"}"#)
        #expect(badId.id == "null")
        #expect(badId.message == "invalid request: the id must be a string, a number or null")
        #expect(try error(server, #"{"jsonrpc":"2.0","id":[1],"method":"ping"}"#).code == -32600)
        let noMethod = try error(server, #"{"jsonrpc":"2.0","id":3}"#)
        #expect(noMethod.id == "3")
        #expect(noMethod.message == #"invalid request: "method" must be a string"#)
        #expect(try error(server, #"{"jsonrpc":"2.0","id":4,"method":42}"#).message == #"invalid request: "method" must be a string"#)
        let notJSON = try error(server, #"{"jsonrpc":"2.0","id":5,"method":"ping""#)
        #expect(notJSON.id == "null")
        #expect(notJSON.code == -32700)
    }

    @Test func onlyJSONRPC20IsAnswered() throws {
        defer { world.remove() }
        let server = world.server(allowWrites: true)
        for version in [#""1.0""#, #""2""#, "2.0", "null"] {
            let refused = try error(server, #"{"jsonrpc":\#(version),"id":7,"method":"tools/call","params":{"name":"accept","arguments":{"lead":"pepper potts"}}}"#)
            #expect(refused.id == "7", "\(version)")
            #expect(refused.code == -32600, "\(version)")
            #expect(refused.message == #"invalid request: "jsonrpc" must be "2.0""#, "\(version)")
        }
        let missing = try error(server, #"{"id":8,"method":"ping"}"#)
        #expect(missing.code == -32600)
        #expect(try world.store.lead(externalId: "demo-017")?.stage == .mql, "a refused request runs nothing")
    }

    /// The id goes back as the client wrote it: a number keeps all its digits (past what a Double
    /// or an Int64 holds), a string its escapes.
    @Test func anIdIsAnsweredAsItWasWritten() throws {
        defer { world.remove() }
        let server = world.server(allowWrites: false)
        for id in ["12345678901234567890", "-98765432109876543210987", "1.50", "2e3", "0", #""abc""#, #""caf\u00e9""#, #""""#, "null"] {
            let text = try #require(server.handle(#"{"jsonrpc":"2.0","id":\#(id),"method":"ping"}"#))
            #expect(text == #"{"jsonrpc":"2.0","id":\#(id),"result":{}}"#)
        }
        // The same for an error, and for an id written after the method.
        let text = try #require(server.handle(#"{"method":"nope","id":12345678901234567890,"jsonrpc":"2.0"}"#))
        #expect(text.hasPrefix(#"{"jsonrpc":"2.0","id":12345678901234567890,"error":{"code":-32601,"#))
    }

    @Test func aNotificationOrAResponseIsNotAnswered() throws {
        defer { world.remove() }
        let server = world.server(allowWrites: true)
        #expect(server.handle(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#) == nil)
        #expect(server.handle(#"{"jsonrpc":"2.0","method":"no/such/method","params":{}}"#) == nil)
        // A notification runs nothing, even a write on a server that allows writes.
        #expect(server.handle(#"{"jsonrpc":"2.0","method":"tools/call","params":{"name":"accept","arguments":{"lead":"pepper potts"}}}"#) == nil)
        #expect(try world.store.lead(externalId: "demo-017")?.stage == .mql)
        // A client's answer to a request (this server sends none) needs no answer either.
        #expect(server.handle(#"{"jsonrpc":"2.0","id":3,"result":{}}"#) == nil)
        #expect(server.handle(#"{"jsonrpc":"2.0","id":"x","error":{"code":-1,"message":"no"}}"#) == nil)
        #expect(server.answer(.text(" \t ")) == nil, "a blank line")
        #expect(server.answer(.text("")) == nil)
    }

    /// A line past the limit, as the server reads it from its input: refused to the id it names
    /// before the limit, and the next request is answered.
    @Test func aRequestOverTheCapIsRefused() throws {
        defer { world.remove() }
        let server = world.server(allowWrites: false)
        let path = "\(world.directory)/requests.jsonl"
        let padding = String(repeating: "x", count: MCPServer.requestLimit)
        let lines = [
            #"{"jsonrpc":"2.0","id":12345678901234567890,"method":"tools/call","params":{"name":"qualify","arguments":{"lead":"\#(padding)"}}}"#,
            #"{"jsonrpc":"2.0","method":"tools/call","params":{"name":"qualify","arguments":{"lead":"\#(padding)"}},"id":11}"#,
            #"{"jsonrpc":"2.0","id":12,"method":"ping"}"#,
        ]
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let input = try LineReader(path: path, limit: MCPServer.requestLimit)
        let message = "request too large: a request may be at most 1048576 bytes"

        let first = try #require(try input.next())
        guard case .tooLong(let start) = first else {
            Issue.record("a line of \(lines[0].utf8.count) bytes was read whole")
            return
        }
        #expect(start.utf8.count <= MCPServer.requestLimit)
        #expect(try #require(server.answer(first)) == #"{"jsonrpc":"2.0","id":12345678901234567890,"error":{"code":-32600,"message":"\#(message)"}}"#)
        // The id comes after the limit: the answer cannot name it.
        let second = try #require(try input.next())
        #expect(try #require(server.answer(second)) == #"{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"\#(message)"}}"#)
        #expect(try input.next().flatMap(server.answer) == #"{"jsonrpc":"2.0","id":12,"result":{}}"#)
        #expect(try input.next() == nil)
    }
}
