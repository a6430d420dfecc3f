import Foundation
import Testing

/// `handoff mcp` driven by the official Python MCP client (Fixtures/mcp_client.py): every tool's
/// answer must be the JSON the shell prints for the same command.
@Suite(.serialized) struct MCPServerTests {
    static let now = "2026-11-20T12:00:00Z"
    let handoff = HandoffBinary()

    init() throws {
        try handoff.run(["--now", Self.now, "-c", "demo"])
    }

    /// Runs the client script with `calls`; returns what it printed, parsed.
    func client(_ calls: [[String: Any]], allowWrites: Bool = false) throws -> [String: Any] {
        let calls = String(decoding: try JSONSerialization.data(withJSONObject: calls), as: UTF8.self)
        let (status, data, problems) = try HandoffBinary.python(
            "mcp_client.py", [HandoffBinary.path, calls] + (allowWrites ? ["--allow-writes"] : []),
            environment: handoff.environment.merging(["HANDOFF_NOW": Self.now]) { $1 })
        #expect(status == 0, "mcp_client.py failed (is `mcp` installed? scripts/install-dependencies does it): \(problems)")
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }

    /// What the shell prints with --format json for `line`, parsed.
    func shell(_ line: String) throws -> NSDictionary {
        let result = try handoff.run(["--now", Self.now, "--format", "json", "-c", line])
        return (result.json.first ?? [:]) as NSDictionary
    }

    @Test func everyReadToolAnswersWhatTheShellAnswers() throws {
        defer { handoff.remove() }
        // The demo has no closed deals; the definition report measures against some.
        _ = try handoff.sqlite("UPDATE leads SET outcome = 'won' WHERE stage IN ('sql', 'opportunity', 'sal'); UPDATE leads SET outcome = 'lost' WHERE stage IN ('disqualified', 'nurture')")
        let cases: [(tool: String, arguments: [String: Any], line: String)] = [
            ("find_leads", ["query": "mqls", "limit": 5], "leads mqls --limit 5"),
            ("lead", ["lead": "pepper potts"], "lead pepper potts"),
            ("qualify", ["lead": "pepper potts"], "qualify pepper potts"),
            ("why_rejected", ["lead": "tom student"], "why rejected tom student"),
            ("objections", ["period": "last 30 days", "by": "industry"], "objections last 30 days by industry"),
            ("brief", ["theme": "pricing"], "brief pricing"),
            ("definition_report", [:], "definition report"),
        ]
        let answer = try client(cases.map { ["tool": $0.tool, "arguments": $0.arguments] })
        #expect(answer["protocol"] as? String == "2025-11-25")
        #expect(answer["tools"] as? [String] == ["find_leads", "lead", "qualify", "why_rejected", "definition_report", "objections", "brief"])
        let schemas = answer["schemas"] as? [String: [String: Any]] ?? [:]
        #expect(schemas["qualify"]?["required"] as? [String] == ["lead"])
        #expect((schemas["find_leads"]?["properties"] as? [String: Any])?.keys.sorted() == ["limit", "query"])

        let calls = answer["calls"] as? [[String: Any]] ?? []
        #expect(calls.count == cases.count)
        for (call, expected) in zip(calls, cases) {
            #expect(call["is_error"] as? Bool == false, "\(expected.tool): \(call["text"] ?? "")")
            var structured = call["structured"] as? [String: Any] ?? [:]
            var shell = try shell(expected.line) as? [String: Any] ?? [:]
            if expected.tool == "brief" {
                // The shell keeps each draft with its own number; a server that may only read keeps
                // none, so the two differ there and only there.
                #expect((structured["result"] as? [String: Any])?["brief_id"] is NSNull)
                #expect(shell["result"].flatMap { ($0 as? [String: Any])?["brief_id"] as? Int } == 1)
                structured["result"] = (structured["result"] as? [String: Any])?.filter { $0.key != "brief_id" }
                shell["result"] = (shell["result"] as? [String: Any])?.filter { $0.key != "brief_id" }
            }
            #expect(shell["ok"] as? Bool == true, "\(expected.line)")
            #expect(structured as NSDictionary == shell as NSDictionary, "\(expected.tool) answers as `\(expected.line)` does")
        }
        let annotations = answer["annotations"] as? [String: [String: Bool]] ?? [:]
        #expect(annotations.count == cases.count)
        #expect(annotations.values.allSatisfy { $0 == ["readOnlyHint": true, "openWorldHint": false] }, "\(annotations)")
        #expect(try handoff.sqlite("SELECT count(*) FROM briefs") == "1", "only the shell's brief is kept")
    }

    @Test func anArgumentIsAValueNeverAnOption() throws {
        defer { handoff.remove() }
        let out = "\(handoff.home)/briefs"
        let answer = try client([
            ["tool": "brief", "arguments": ["theme": "price --out \(out)"]],
            ["tool": "brief", "arguments": ["theme": "price", "period": "last 90 days --out \(out)"]],
            ["tool": "find_leads", "arguments": ["query": "mqls --limit 1"]],
        ])
        let calls = answer["calls"] as? [[String: Any]] ?? []
        let errors = calls.map { (($0["structured"] as? [String: Any])?["error"] as? [String: Any])?["message"] as? String }
        #expect(calls.map { $0["is_error"] as? Bool } == [true, true, true])
        #expect(errors == [
            "no objection theme called 'price --out \(out)'", "'last 90 days --out \(out)' is not a period",
            "no stage, source or industry called '--limit', and no lead or account matches it",
        ])
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(try handoff.sqlite("SELECT count(*) FROM briefs") == "0")
    }

    @Test func writesNeedTheFlag() throws {
        defer { handoff.remove() }
        let readOnly = try client([["tool": "accept", "arguments": ["lead": "pepper potts"]]])
        #expect((readOnly["tools"] as? [String])?.contains("accept") == false)
        let refused = (readOnly["calls"] as? [[String: Any]])?.first ?? [:]
        #expect(refused["is_error"] as? Bool == true)
        #expect((refused["text"] as? String)?.contains("handoff mcp --allow-writes") == true)
        #expect(try handoff.sqlite("SELECT stage FROM leads WHERE external_id = 'demo-017'") == "mql")

        let writing = try client([
            ["tool": "accept", "arguments": ["lead": "pepper potts"]],
            ["tool": "log_objection", "arguments": ["lead": "pepper potts", "text": "the \"annual\" contract; it's too long --theme other"]],
            ["tool": "reject", "arguments": ["lead": "elmer fudd", "reason": "no budget this year"]],
            ["tool": "brief", "arguments": ["theme": "price"]],
            ["tool": "qualify", "arguments": ["lead": "nobody at all"]],
        ], allowWrites: true)
        let added = Set(writing["tools"] as? [String] ?? []).subtracting(readOnly["tools"] as? [String] ?? [])
        #expect(added == ["log_objection", "accept", "reject"])
        let hints = writing["annotations"] as? [String: [String: Bool]] ?? [:]
        #expect(hints["brief"] == ["readOnlyHint": false, "destructiveHint": false, "openWorldHint": false])
        #expect(hints["accept"] == ["readOnlyHint": false, "destructiveHint": true, "openWorldHint": false])
        let calls = writing["calls"] as? [[String: Any]] ?? []
        #expect(calls.map { $0["is_error"] as? Bool } == [false, false, false, false, true])
        #expect(try handoff.sqlite("SELECT stage FROM leads WHERE external_id = 'demo-017'") == "sal")
        // The text as sent, quotes and all; its words chose no theme.
        #expect(try handoff.sqlite(#"SELECT theme FROM objections WHERE text = 'the "annual" contract; it''s too long --theme other'"#) == "contract")
        #expect(try handoff.sqlite("SELECT count(*) FROM briefs") == "1")
        #expect(try handoff.sqlite("SELECT l.stage FROM leads l WHERE l.name = 'Elmer Fudd'") == "disqualified")
        // A tool error carries the shell's JSON error too.
        let notFound = (calls.last?["structured"] as? [String: Any])?["error"] as? [String: Any]
        #expect(notFound?["code"] as? String == "not_found")
    }

    @Test func badMessagesGetJSONRPCErrorsAndTheServerGoesOn() throws {
        defer { handoff.remove() }
        let lines = [
            "this is not json",
            #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"1999-01-01","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}"#,
            #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#,
            #"{"jsonrpc":"2.0","id":2,"method":"resources/list"}"#,
            #"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"drop_tables","arguments":{}}}"#,
            #"{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"qualify","arguments":{"lead":"pepper potts","colour":"red"}}}"#,
            #"{"jsonrpc":"2.0","id":5,"method":"ping"}"#,
        ]
        let result = try handoff.run(["mcp", "--now", Self.now], stdin: lines.joined(separator: "\n") + "\n")
        #expect(result.status == 0)
        let replies = result.json
        #expect(replies.count == 6, "one answer per message with an id, and one for the line that is not JSON")
        #expect((replies[0]["error"] as? [String: Any])?["code"] as? Int == -32700)
        // An unknown protocol version is answered with the one Handoff offers.
        #expect((replies[1]["result"] as? [String: Any])?["protocolVersion"] as? String == "2025-06-18")
        #expect((replies[2]["error"] as? [String: Any])?["code"] as? Int == -32601)
        let unknownTool = replies[3]["result"] as? [String: Any]
        #expect(unknownTool?["isError"] as? Bool == true)
        #expect((((unknownTool?["content"] as? [[String: Any]])?.first)?["text"] as? String)?.hasPrefix("no tool 'drop_tables'") == true)
        let extra = replies[4]["result"] as? [String: Any]
        #expect((((extra?["content"] as? [[String: Any]])?.first)?["text"] as? String) == "qualify takes no argument 'colour'")
        #expect(replies[5]["id"] as? Int == 5)
        #expect(replies[5]["result"] as? [String: Any] != nil)
    }

    @Test func messagesThatAreNotRequestsAreAnsweredWithInvalidRequest() throws {
        defer { handoff.remove() }
        let lines = [
            "42",
            "{}",
            #"[{"jsonrpc":"2.0","id":1,"method":"ping"}]"#,
            #"{"jsonrpc":"1.0","id":7,"method":"ping"}"#,
            #"{"id":8,"method":"ping"}"#,
            #"{"jsonrpc":"2.0","id":{"a":1},"method":"ping"}"#,
            #"{"jsonrpc":"2.0","id":12345678901234567890,"method":"ping"}"#,
            #"{"jsonrpc":"2.0","id":2.50,"method":"ping"}"#,
            #"{"jsonrpc":"2.0","id":3,"result":{}}"#,
            #"{"jsonrpc":"2.0","id":5,"method":"ping"}"#,
        ]
        let result = try handoff.run(["mcp", "--now", Self.now], stdin: lines.joined(separator: "\n") + "\n")
        #expect(result.status == 0)
        let invalid = { (id: String, message: String) in
            #"{"jsonrpc":"2.0","id":\#(id),"error":{"code":-32600,"message":"invalid request: \#(message)"}}"#
        }
        let version = #"\"jsonrpc\" must be \"2.0\""#
        #expect(result.stdout.split(separator: "\n").map(String.init) == [
            invalid("null", "expected a request object"),
            invalid("null", version),
            invalid("null", "batches are not supported; send one request per line"),
            invalid("7", version),
            invalid("8", version),
            invalid("null", "the id must be a string, a number or null"),
            // A number id is answered with its own digits.
            #"{"jsonrpc":"2.0","id":12345678901234567890,"result":{}}"#,
            #"{"jsonrpc":"2.0","id":2.50,"result":{}}"#,
            // (a client's response to a request is not answered)
            #"{"jsonrpc":"2.0","id":5,"result":{}}"#,
        ])
    }

    @Test func aRequestPastOneMebibyteIsRefusedWithoutBeingKept() throws {
        defer { handoff.remove() }
        // A server that dies must fail the test, not end the test run with SIGPIPE.
        let previous = signal(SIGPIPE, SIG_IGN)
        defer { signal(SIGPIPE, previous) }
        let process = try handoff.process(["mcp", "--now", Self.now])
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // A server that does not answer in time is stopped, so the test fails instead of waiting.
        DispatchQueue.global().asyncAfter(deadline: .now() + 60) { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        var pending = Data()
        var scanned = 0
        func reply() -> [String: Any] {
            var newline = pending[(pending.startIndex + scanned)...].firstIndex(of: 0x0A)
            while newline == nil {
                scanned = pending.count
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { return [:] }
                pending.append(chunk)
                newline = pending[(pending.startIndex + scanned)...].firstIndex(of: 0x0A)
            }
            let line = pending[pending.startIndex..<newline!]
            pending = Data(pending[(newline! + 1)...])
            scanned = 0
            return (try? JSONSerialization.jsonObject(with: line)) as? [String: Any] ?? [:]
        }
        let argument = String(repeating: "x", count: 20_000_000)
        let request = #"{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"qualify","arguments":{"lead":"\#(argument)"}}}"#
        try input.fileHandleForWriting.write(contentsOf: Data((request + "\n").utf8))
        let refused = reply()
        #expect(refused["id"] as? Int == 9, "the id read before the limit is answered")
        #expect((refused["error"] as? [String: Any])?["code"] as? Int == -32600)
        #expect((refused["error"] as? [String: Any])?["message"] as? String == "request too large: a request may be at most 1048576 bytes")
        // The peak memory of the server so far, while it waits for the next request.
        let status = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)) ?? ""
        let peak = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }
            .flatMap { Int($0.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first ?? "") } ?? .max
        #expect(peak < 150_000, "the server peaked at \(peak) kB")
        try input.fileHandleForWriting.write(contentsOf: Data(#"{"jsonrpc":"2.0","id":10,"method":"ping"}"#.utf8 + [0x0A]))
        #expect(reply()["id"] as? Int == 10, "the server goes on")
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }
}
