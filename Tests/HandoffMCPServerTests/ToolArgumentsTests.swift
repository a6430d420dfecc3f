import Foundation
import HandoffCore
import HandoffDemoWorld
import HandoffPluginAPI
import HandoffSQLite
import Testing
@testable import HandoffMCP
@testable import HandoffMCPServer

/// A tool's arguments are values, never a command line: whatever a value holds (an option, a quote,
/// `;`, a line break), it is the one argument it was sent as.
@Suite struct ToolArgumentsTests {
    let world: DemoWorld
    var directory: String { world.directory }
    var store: SQLiteStore { world.store }

    init() throws { world = try DemoWorld() }

    func server(allowWrites: Bool) -> MCPServer { world.server(allowWrites: allowWrites) }

    /// The result of calling `tool` with `arguments` (JSON text), as the client reads it.
    func call(_ server: MCPServer, _ tool: String, _ arguments: String) throws -> (isError: Bool, text: String, structured: JSONValue?) {
        let line = #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"\#(tool)","arguments":\#(arguments)}}"#
        let result = try JSONParser.parse(try #require(server.handle(line)))["result"]
        let text = result?["content"]?.arrayValue?.first?["text"]?.stringValue ?? ""
        return (result?["isError"]?.boolValue ?? false, text, result?["structuredContent"])
    }

    func errorMessage(_ answer: (isError: Bool, text: String, structured: JSONValue?)) -> String? {
        answer.structured?["error"]?["message"]?.stringValue
    }

    @Test func anOptionInABriefsThemeIsNoThemeAndWritesNothing() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let out = "\(directory)/briefs"
        for allowWrites in [false, true] {
            let answer = try call(server(allowWrites: allowWrites), "brief", #"{"theme":"price --out \#(out)"}"#)
            #expect(answer.isError)
            #expect(errorMessage(answer) == "no objection theme called 'price --out \(out)'")
        }
        let period = try call(server(allowWrites: true), "brief", #"{"theme":"price","period":"last 90 days --out \#(out)"}"#)
        #expect(errorMessage(period) == "'last 90 days --out \(out)' is not a period")
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(try store.counts().briefs == 0)
    }

    @Test func aBriefIsKeptOnlyWhenWritesAreAllowed() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let readOnly = try call(server(allowWrites: false), "brief", #"{"theme":"pricing"}"#)
        #expect(!readOnly.isError, "\(readOnly.text)")
        #expect(readOnly.structured?["result"]?["brief_id"] == .null)
        #expect(readOnly.structured?["result"]?["markdown"]?.stringValue?.isEmpty == false)
        #expect(try store.counts().briefs == 0)

        let writing = try call(server(allowWrites: true), "brief", #"{"theme":"pricing"}"#)
        #expect(writing.structured?["result"]?["brief_id"] == .int(1))
        #expect(try store.counts().briefs == 1)
    }

    @Test func everyToolSaysTrulyWhetherItWrites() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        func annotations(_ server: MCPServer) throws -> [String: JSONValue] {
            let listed = try JSONParser.parse(try #require(server.handle(#"{"jsonrpc":"2.0","id":1,"method":"tools/list"}"#)))
            let tools = listed["result"]?["tools"]?.arrayValue ?? []
            return Dictionary(uniqueKeysWithValues: tools.map { ($0["name"]?.stringValue ?? "", $0["annotations"] ?? .null) })
        }
        let readOnly = try annotations(server(allowWrites: false))
        #expect(readOnly.keys.sorted() == ["brief", "definition_report", "find_leads", "lead", "objections", "qualify", "why_rejected"])
        for (tool, hints) in readOnly {
            #expect(hints == .object([("openWorldHint", .bool(false)), ("readOnlyHint", .bool(true))]), "\(tool)")
        }
        let writing = try annotations(server(allowWrites: true))
        #expect(writing["qualify"]?["readOnlyHint"] == .bool(true))
        #expect(writing["brief"]?["readOnlyHint"] == .bool(false))
        #expect(writing["brief"]?["destructiveHint"] == .bool(false))
        #expect(writing["log_objection"]?["destructiveHint"] == .bool(false))
        #expect(writing["accept"]?["destructiveHint"] == .bool(true))
        #expect(writing["reject"]?["readOnlyHint"] == .bool(false))
    }

    @Test func textIsKeptExactlyAsSent() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let said = "the \"annual\" contract; it's 'too long'\n--theme other\t$(rm -rf ~) \\ accept tony stark"
        let escaped = JSONValue.string(said).encoded()
        let answer = try call(server(allowWrites: true), "log_objection", #"{"lead":"pepper potts","text":\#(escaped)}"#)
        #expect(!answer.isError, "\(answer.text)")
        #expect(answer.structured?["result"]?["objection"]?["text"]?.stringValue == said)
        let pepper = try #require(try store.lead(externalId: "demo-017"))
        #expect(try store.objections(leadId: pepper.id, accountId: nil, limit: 10).map(\.text).contains(said))
        // The words of the text choose no theme and run nothing: it is classified, and Tony is untouched.
        #expect(answer.structured?["result"]?["objection"]?["theme"] == .string("contract"))
        #expect(try store.lead(externalId: "demo-016")?.stage == .sql)

        let reason = "no budget \"this year\"; --theme x\naccept tony stark"
        let rejected = try call(server(allowWrites: true), "reject", #"{"lead":"elmer fudd","reason":\#(JSONValue.string(reason).encoded())}"#)
        #expect(!rejected.isError, "\(rejected.text)")
        // The leading words name the reason; the rest is the note, as sent.
        #expect(rejected.structured?["result"]?["rejection"]?["reason_code"]?.stringValue == "no_budget")
        #expect(rejected.structured?["result"]?["rejection"]?["note"]?.stringValue == String(reason.dropFirst("no budget ".count)))
        #expect(try store.lead(externalId: "demo-016")?.stage == .sql)
    }

    @Test func aNameIsOnlyAName() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let writes = server(allowWrites: true)
        for name in ["pepper potts; accept tony stark", "pepper potts\naccept tony stark", "\"pepper potts\" --limit 1", "tony stark because no budget"] {
            let answer = try call(writes, "accept", #"{"lead":\#(JSONValue.string(name).encoded())}"#)
            #expect(answer.isError, "\(name)")
            #expect(answer.structured?["error"]?["code"]?.stringValue == "not_found", "\(name)")
        }
        #expect(try store.lead(externalId: "demo-017")?.stage == .mql)
        #expect(try store.lead(externalId: "demo-016")?.stage == .sql)
        // Quotes in a name are part of what is looked up, not a way to end it.
        let quoted = try call(writes, "qualify", #"{"lead":"\"pepper potts\""}"#)
        #expect(quoted.structured?["error"]?["code"]?.stringValue == "not_found")
        #expect(try call(writes, "qualify", #"{"lead":"pepper potts"}"#).isError == false)
    }

    @Test func filterWordsTakeNoOptions() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let reads = server(allowWrites: false)
        let listed = try call(reads, "find_leads", #"{"query":"mqls","limit":2}"#)
        #expect(listed.structured?["result"]?["leads"]?.arrayValue?.count == 2, "\(listed.text)")
        let injected = try call(reads, "find_leads", #"{"query":"mqls --limit 1"}"#)
        #expect(errorMessage(injected) == "no stage, source or industry called '--limit', and no lead or account matches it")
        let limitAsText = try call(reads, "find_leads", #"{"limit":"1; accept tony stark"}"#)
        #expect(limitAsText.text == #"the argument 'limit' must be a whole number, not "1; accept tony stark""#)
        let grouping = try call(reads, "objections", #"{"by":"industry --out /tmp"}"#)
        #expect(errorMessage(grouping) == "objections can be grouped by theme, industry, stage or rep, not 'industry --out /tmp'")
        let notText = try call(reads, "qualify", #"{"lead":["pepper potts"]}"#)
        #expect(notText.text == #"the argument 'lead' must be a string, not ["pepper potts"]"#)
    }
}
