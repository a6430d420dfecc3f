import Foundation
import Testing

/// Outside plugins (MCP servers as child processes) through the real binary: the two examples in
/// examples/plugins/, and servers that misbehave on purpose.
@Suite(.serialized) struct OutsidePluginTests {
    static let now = "2026-11-20T12:00:00Z"
    static let examples = "\(HandoffBinary.repositoryRoot)/examples/plugins"
    static let misbehave = "\(HandoffBinary.repositoryRoot)/Tests/EndToEndTests/Fixtures/plugins/misbehave.py"

    let handoff = HandoffBinary()

    init() throws {
        try handoff.run(["--now", Self.now, "-c", "demo"])
    }

    var pluginFolder: String { "\(handoff.home)/.config/handoff/plugins" }
    var logFolder: String { "\(handoff.home)/.local/state/handoff/plugins" }

    /// Copies an example into the config dir's plugins folder, where Handoff looks by default.
    func install(example: String) throws -> String {
        try FileManager.default.createDirectory(atPath: pluginFolder, withIntermediateDirectories: true)
        let target = "\(pluginFolder)/\(example)"
        try FileManager.default.copyItem(atPath: "\(Self.examples)/\(example)", toPath: target)
        return target
    }

    func run(_ commands: [String], format: String = "text", extra: [String: String] = [:]) throws -> HandoffBinary.Result {
        try handoff.run(["--now", Self.now, "--format", format] + commands.flatMap { ["-c", $0] }, extraEnvironment: extra)
    }

    // MARK: The examples

    @Test func thePythonExampleAnswersInTextJSONAndMarkdownAndIsRoutedByItsPhrasings() throws {
        defer { handoff.remove() }
        _ = try install(example: "icp-python")

        let text = try run(["icp pepper potts", "does elmer fudd fit the profile?"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("ICP fit for Pepper Potts (Stark Logistics): strong"))
        #expect(text.stdout.contains("5 of 5 profile criteria met."))
        #expect(text.stdout.contains("company size  yes  1500 employees"))
        #expect(text.stdout.contains("ICP fit for Elmer Fudd (Acme Corp): strong"))
        #expect(text.stdout.contains("seniority     no   manager"))

        let json = try run(["icp pepper potts"], format: "json").json.first ?? [:]
        #expect(json["command"] as? String == "icp")
        #expect(json["ok"] as? Bool == true)
        #expect(((json["args"] as? [String: Any])?["lead"] as? [String: Any])?["external_id"] as? String == "demo-017")
        let result = json["result"] as? [String: Any] ?? [:]
        #expect(result["fit"] as? String == "strong")
        #expect(result["passed"] as? Int == 5)

        let markdown = try run(["icp pepper potts"], format: "markdown")
        #expect(markdown.stdout.contains("## ICP fit for Pepper Potts (Stark Logistics): strong"))
        #expect(markdown.stdout.contains("| industry | yes | logistics |"))

        // Listed by help and plugins like a built-in command; the server was started by its first use only.
        let listing = try run(["help", "plugins"], format: "json").json
        let commands = (listing.first?["result"] as? [String: Any])?["commands"] as? [[String: Any]] ?? []
        #expect(commands.contains { $0["command"] as? String == "icp" && $0["plugin"] as? String == "icp" })
        let plugins = (listing.last?["result"] as? [String: Any])?["plugins"] as? [[String: Any]] ?? []
        let icp = plugins.first { $0["name"] as? String == "icp" }
        #expect(icp?["version"] as? String == "1.0.0")
        #expect(icp?["source"] as? String == "\(pluginFolder)/icp-python")
        #expect(icp?["state"] as? String == "not started")
        #expect(icp?["commands"] as? [String] == ["icp"])
    }

    @Test func theSwiftExampleBuildsAndAnswers() throws {
        defer { handoff.remove() }
        let folder = try install(example: "next-action-swift")
        let built = try Spawn.run("/usr/bin/env", ["swiftc", "-O", "\(folder)/NextAction.swift", "-o", "\(folder)/next-action"], capture: false)
        #expect(built.status == 0)

        let answers = try run(["next action pepper potts", "what should i do with tom student?"], format: "json")
        #expect(answers.status == 0, "\(answers.stderr)")
        let results = answers.json.map { $0["result"] as? [String: Any] ?? [:] }
        #expect(answers.json.map { $0["command"] as? String } == ["next action", "next action"])
        #expect(results.first?["urgency"] as? String == "high")
        #expect((results.first?["action"] as? String)?.contains("Sales to accept or reject Pepper Potts today") == true)
        #expect(results.last?["urgency"] as? String == "none")

        let text = try run(["next action pepper potts"])
        #expect(text.stdout.hasPrefix("Next action for Pepper Potts\nSales to accept or reject Pepper Potts today"))
        #expect(text.stdout.contains("urgency  high"))

        // In the shell: Tab completes the outside command like a built-in one, and it answers.
        let tmux = try Tmux(command: [HandoffBinary.path], environment: shellEnvironment())
        try tmux.waitFor("handoff> ")
        try tmux.type("next ac")
        try tmux.press("Tab")
        try tmux.waitUntil(what: "'next action' completed") { _ in (try? tmux.currentLine().hasSuffix("> next action")) == true }
        try tmux.type(" pepper potts")
        try tmux.press("Enter")
        let screen = try tmux.waitFor("Sales to accept or reject Pepper Potts today")
        #expect(screen.contains("Next action for Pepper Potts"))
    }

    /// What the shell in tmux runs with: the test's home and database, the fixed clock, a terminal.
    func shellEnvironment(_ extra: [String: String] = [:]) -> [String: String] {
        var environment = handoff.environment.filter { ["HOME", "HANDOFF_DB", "HANDOFF_USER", "NO_COLOR", "PATH", "LANG"].contains($0.key) }
        environment["HANDOFF_NOW"] = Self.now
        environment["TERM"] = "xterm-256color"
        environment["LANG"] = "C.UTF-8"
        return environment.merging(extra) { $1 }
    }

    @Test func thePythonExampleInTheInteractiveShellNextToAPluginThatCrashes() throws {
        defer { handoff.remove() }
        _ = try install(example: "icp-python")
        try writeMisbehaving(["crash-mid-call"])
        let tmux = try Tmux(command: [HandoffBinary.path], environment: shellEnvironment(["HANDOFF_PLUGIN_PATH": "\(handoff.home)/misbehaving"]))
        try tmux.waitFor("handoff> ")

        try tmux.type("is pepper potts an ideal customer?")
        try tmux.press("Enter")
        try tmux.waitFor("ICP fit for Pepper Potts (Stark Logistics): strong")
        try tmux.type("crash-mid-call pepper potts")
        try tmux.press("Enter")
        let crashed = try tmux.waitFor("error: plugin 'crash-mid-call' stopped during tools/call: it exited with status 1")
        #expect(!crashed.contains("misbehave crash-mid-call: started"), "a plugin's stderr goes to its log, not the screen")
        try tmux.type("icp elmer fudd")
        try tmux.press("Enter")
        try tmux.waitFor("ICP fit for Elmer Fudd (Acme Corp): strong")
        #expect(try !tmux.exited())
        let log = try String(contentsOfFile: "\(logFolder)/crash-mid-call.log", encoding: .utf8)
        #expect(log.contains("misbehave crash-mid-call: started"))
    }

    @Test func theExampleInDocsPluginsWorksAsCopied() throws {
        defer { handoff.remove() }
        // Every file the guide marks with `<!-- file: NAME -->`, written as a reader would copy it.
        let guide = try String(contentsOfFile: "\(HandoffBinary.repositoryRoot)/docs/plugins.md", encoding: .utf8)
        let folder = "\(pluginFolder)/talk-track"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var written: [String] = []
        for part in guide.components(separatedBy: "<!-- file: ").dropFirst() {
            let name = String(part.prefix { $0 != " " })
            let lines = part.components(separatedBy: "\n")
            let body = lines.dropFirst(2).prefix { !$0.hasPrefix("```") }.joined(separator: "\n") + "\n"
            try body.write(toFile: "\(folder)/\(name)", atomically: true, encoding: .utf8)
            written.append(name)
        }
        #expect(written == ["plugin.yaml", "server.py"])

        let answers = try run(["talk track pricing last 30 days", "objections last 30 days"], format: "json")
        #expect(answers.status == 0, "\(answers.stderr)")
        let talk = answers.json.first?["result"] as? [String: Any] ?? [:]
        let themes = (answers.json.last?["result"] as? [String: Any])?["themes"] as? [[String: Any]] ?? []
        let price = themes.first { $0["theme"] as? String == "price" }
        #expect(talk["theme"] as? String == "price")
        #expect(talk["count"] as? Int == price?["count"] as? Int)
        #expect((talk["count"] as? Int ?? 0) > 0)

        let text = try run(["what do i say about pricing last 30 days?"])
        #expect(text.stdout.hasPrefix("Talk track: Price / budget (last 30 days)\n5 prospects raised it. Answer: Show the cost of doing nothing"))
        #expect(text.stdout.contains("“It's too expensive for a team our size” (2026-11-20, logged by Sam Okafor)"))
    }

    @Test func ctrlCStopsAPluginThatIsWorkingAndTheShellGoesOn() throws {
        defer { handoff.remove() }
        try writeMisbehaving(["hang", "good"], timeout: 120)
        let tmux = try Tmux(command: [HandoffBinary.path], environment: shellEnvironment(["HANDOFF_PLUGIN_PATH": "\(handoff.home)/misbehaving"]))
        try tmux.waitFor("handoff> ")
        try tmux.type("hang pepper potts")
        try tmux.press("Enter")
        // Interrupt once the plugin has the call (its log says it started).
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, !((try? String(contentsOfFile: "\(logFolder)/hang.log", encoding: .utf8)) ?? "").contains("started") {
            Thread.sleep(forTimeInterval: 0.05)
        }
        Thread.sleep(forTimeInterval: 0.5)
        try tmux.press("C-c")
        try tmux.waitFor("error: cancelled; plugin 'hang' was stopped and will be restarted on next use", seconds: 10)
        try tmux.type("good pepper potts")
        try tmux.press("Enter")
        try tmux.waitFor("good looked at Pepper Potts")
        #expect(try !tmux.exited())
    }

    // MARK: Misbehaving plugins

    /// One plugin per mode of Fixtures/plugins/misbehave.py, each with a one-argument tool named after the mode.
    func writeMisbehaving(_ modes: [String], timeout: Int = 2, name: String? = nil, writes: String = "[]", python: String = "python3") throws {
        for mode in modes {
            let folder = "\(handoff.home)/misbehaving/\(name ?? mode)"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let command = mode == "missing" ? "[./no-such-server]" : "[\(python), \(Self.misbehave), \(mode)]"
            try """
                name: \(name ?? mode)
                command: \(command)
                timeout: \(timeout)
                tools:
                  - tool: look
                    command: \(name ?? mode)
                    arguments: {lead: lead}
                    reads: [lead]
                    writes: \(writes)
                """.write(toFile: "\(folder)/plugin.yaml", atomically: true, encoding: .utf8)
        }
    }

    @Test func eachMisbehavingPluginCostsOneClearErrorAndTheSessionGoesOn() throws {
        defer { handoff.remove() }
        let modes = ["good", "crash-on-start", "crash-mid-call", "hang", "garbage", "huge", "wrong-version", "undeclared", "missing"]
        try writeMisbehaving(modes)
        let extra = ["HANDOFF_PLUGIN_PATH": "\(handoff.home)/misbehaving"]
        // Each bad command is followed by a built-in one and the good plugin: both must still answer.
        let commands = modes.flatMap { ["\($0) pepper potts", "qualify pepper potts", "good elmer fudd"] }
        let result = try run(commands, format: "json", extra: extra)
        #expect(result.status == 1, "some commands failed")
        let answers = result.json
        #expect(answers.count == commands.count)
        for (index, mode) in modes.enumerated() where mode != "good" {
            let failed = answers[index * 3]
            #expect(failed["ok"] as? Bool == false, "\(mode)")
            #expect(answers[index * 3 + 1]["ok"] as? Bool == true, "qualify after \(mode)")
            #expect((answers[index * 3 + 2]["result"] as? [String: Any])?["text"] as? String == "good looked at Elmer Fudd", "good after \(mode)")
        }
        let expected = [
            "error: plugin 'crash-on-start' stopped while starting: it exited with status 3",
            "error: plugin 'crash-mid-call' stopped during tools/call: it exited with status 1",
            "error: plugin 'hang' did not answer tools/call within 2 s",
            "error: plugin 'garbage' sent output that is not JSON-RPC: this is not json at all",
            "error: plugin 'huge' sent more than 4 MiB of output",
            "error: plugin 'wrong-version' speaks MCP protocol version 1999-01-01; Handoff speaks 2024-11-05, 2025-03-26, 2025-06-18, 2025-11-25",
            "error: plugin 'undeclared' asked for objections, which its manifest does not declare (reads: lead)",
            "error: plugin 'missing' cannot start: ./no-such-server is not an executable file",
        ]
        for line in expected {
            #expect(result.stderr.components(separatedBy: line).count == 2, "once: \(line)\n\(result.stderr)")
        }
        let errorLines = result.stderr.split(separator: "\n").filter { $0.hasPrefix("error: ") }
        #expect(errorLines.count == expected.count, "one error per misbehaving plugin, nothing else")
        // The plugin's own stderr went to its log file.
        #expect(!result.stderr.contains("boom: crashed on start"))
        #expect(try String(contentsOfFile: "\(logFolder)/crash-on-start.log", encoding: .utf8).contains("boom: crashed on start"))

        let plugins = try run(["plugins"], format: "json", extra: extra).json.first?["result"] as? [String: Any]
        let states = Dictionary(uniqueKeysWithValues: (plugins?["plugins"] as? [[String: Any]] ?? []).map {
            ($0["name"] as? String ?? "", $0["state"] as? String ?? "")
        })
        #expect(states["good"] == "not started")
        #expect(states["qualification"] == "loaded")
    }

    @Test func aPluginWritesOnlyWhatItsManifestDeclares() throws {
        defer { handoff.remove() }
        try writeMisbehaving(["writer"], writes: "[objections]")
        try writeMisbehaving(["writer"], name: "sneaky")
        let result = try run(["writer pepper potts", "sneaky elmer fudd", "qualify elmer fudd"], format: "json", extra: ["HANDOFF_PLUGIN_PATH": "\(handoff.home)/misbehaving"])
        #expect(result.json.map { $0["ok"] as? Bool } == [true, false, true])
        let logged = ((result.json.first?["result"] as? [String: Any])?["logged"] as? [String: Any]) ?? [:]
        #expect(logged["theme"] as? String != nil)
        #expect(try handoff.sqlite("SELECT l.name || ' / ' || o.logged_by FROM objections o JOIN leads l ON l.id = o.lead_id WHERE o.text = 'we need SSO before we sign'")
            == "Pepper Potts / tester via writer")
        #expect(result.stderr.contains("error: plugin 'sneaky' asked for writing objections, which its manifest does not declare (writes: nothing)"))
    }

    @Test func aPluginThatCrashedIsRestartedOnItsNextUse() throws {
        defer { handoff.remove() }
        try writeMisbehaving(["crash-once"])
        let result = try run(["crash-once pepper potts", "crash-once pepper potts", "plugins"], format: "json", extra: ["HANDOFF_PLUGIN_PATH": "\(handoff.home)/misbehaving"])
        #expect(result.json.map { $0["ok"] as? Bool } == [false, true, true])
        #expect((result.json[1]["result"] as? [String: Any])?["text"] as? String == "crash-once looked at Pepper Potts")
        let plugins = (result.json[2]["result"] as? [String: Any])?["plugins"] as? [[String: Any]] ?? []
        #expect(plugins.first { $0["name"] as? String == "crash-once" }?["state"] as? String == "running")
    }

    @Test func aBadManifestIsReportedWithFileAndReasonAndTheOthersStillLoad() throws {
        defer { handoff.remove() }
        try writeMisbehaving(["good"])
        let bad = "\(handoff.home)/misbehaving/bad"
        try FileManager.default.createDirectory(atPath: bad, withIntermediateDirectories: true)
        try "name: bad\ncommand: [x]\ntools:\n  - tool: look\n    command: bad\n    colour: red\n"
            .write(toFile: "\(bad)/plugin.yaml", atomically: true, encoding: .utf8)
        let result = try run(["good pepper potts", "plugins"], extra: ["HANDOFF_PLUGIN_PATH": "\(handoff.home)/misbehaving"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("good looked at Pepper Potts"))
        #expect(result.stderr.contains("warning: plugin not loaded: \(bad)/plugin.yaml: line 6, column 5: unknown key 'colour' under tools[0]"))
        let json = try run(["plugins"], format: "json", extra: ["HANDOFF_PLUGIN_PATH": "\(handoff.home)/misbehaving"])
        let plugins = (json.json.first?["result"] as? [String: Any])?["plugins"] as? [[String: Any]] ?? []
        let entry = plugins.first { $0["source"] as? String == "\(bad)/plugin.yaml" }
        #expect((entry?["state"] as? String)?.hasPrefix("broken: line 6, column 5: unknown key 'colour'") == true)
    }

    @Test func aManifestsWordsAreShownNotObeyed() throws {
        defer { handoff.remove() }
        // A folder anyone can name, quoted in the warning about its broken manifest.
        let evil = "\(handoff.home)/evil/plugin\u{1B}]0;pwned\u{07}"
        try FileManager.default.createDirectory(atPath: evil, withIntermediateDirectories: true)
        try "name: evil\ncommand: [x]\ntools:\n  - tool: look\n    command: evil\n    colour: red\n"
            .write(toFile: "\(evil)/plugin.yaml", atomically: true, encoding: .utf8)
        let result = try run(["plugins"], extra: ["HANDOFF_PLUGIN_PATH": "\(handoff.home)/evil"])
        #expect(result.stderr.contains("warning: plugin not loaded: \(handoff.home)/evil/plugin␛]0;pwned␇/plugin.yaml"), "\(result.stderr)")
        #expect(!result.stderr.contains("\u{1B}") && !result.stderr.contains("\u{07}"))
    }
}
