import Foundation
import Testing

/// Marketing ops' side: scripts piped in, -c and -f, exit codes, stderr, and the JSON contract.
@Suite struct ScriptingTests {
    let now = "2026-11-18T15:30:00Z"

    @Test func inAScriptAnAmbiguousNameIsAnErrorThatNoLaterLineAnswers() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        try handoff.run(["--now", now, "-c", "demo"])
        let csv = handoff.write("adas.csv", "external_id,name,email,title,company\na1,Ada Lovelace,ada@ae.com,CTO,Analytical Engines\na2,Ada Lovelace,ada@x.com,Analyst,Xerox\n")
        try handoff.run(["--now", now, "-c", "import leads \(csv)"])
        let result = try handoff.run(["--now", now], stdin: "qualify ada lovelace\n1\n")
        #expect(result.status == 1)
        #expect(result.stderr.contains("error: 'ada lovelace' could be several; which one? Ada Lovelace (lead at Analytical Engines, CTO, inquiry); Ada Lovelace (lead at Xerox, Analyst, inquiry)"))
        #expect(!result.stdout.contains("is nurture") && !result.stdout.contains("is MQL"), "the bare number picked no one: \(result.stdout)")
        #expect(!result.stdout.contains("Type the number"), "no invitation a script cannot take up: \(result.stdout)")
    }

    /// "undo" right after logging an objection means the objection: it does not reach back to the
    /// lead accepted before it. It says how to take the objection back, and `undo LEAD` still works.
    @Test func undoAfterAnObjectionDoesNotTakeBackAnOlderMove() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        try handoff.run(["--now", now, "-c", "demo"])
        let result = try handoff.run(["--now", now], stdin: """
            accept pepper potts
            log objection rachael rosen "the price is too high for us"
            undo
            objections this week
            undo
            lead pepper potts

            """)
        #expect(result.stdout.contains("Logged objection "), "\(result.stdout)")
        #expect(result.stderr.contains("<stdin>:3: error: `undo` takes back a stage move, and your last change here was `log objection`"), "\(result.stderr)")
        #expect(result.stderr.contains("<stdin>:5: error: `undo` takes back a stage move"), "\(result.stderr)")
        #expect(result.stderr.contains("hint: `withdraw objection ID` takes an objection back"), "\(result.stderr)")
        let pepper = try #require(try handoff.run(["--now", now, "--format", "json", "-c", "lead pepper potts"]).json.first?["result"] as? [String: Any])
        #expect((pepper["lead"] as? [String: Any])?["stage"] as? String == "sal", "the accept stands")
        // A dry run changed nothing: `undo` still means the accept before it.
        let csv = handoff.write("dry.csv", "external_id,name\nd-1,Dry Run\n")
        let undone = try handoff.run(["--now", now, "-c", "accept kim wexler", "-c", "import leads \(csv) --dry-run", "-c", "undo"])
        #expect(undone.stdout.contains("Kim Wexler moved back: sal → mql"), "\(undone.stdout)\(undone.stderr)")
    }

    @Test func inAScriptALineThatFitsTwoCommandsIsAnAmbiguousErrorNamingBoth() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        try handoff.run(["--now", now, "-c", "demo"])
        let result = try handoff.run(["--now", now], stdin: "what's holding nora green back\n1\n")
        #expect(result.status == 1)
        #expect(result.stderr.contains(
            "<stdin>:1: error: 'what's holding nora green back' fits two commands about equally: `qualify` and `objections`; say which"), "\(result.stderr)")
        #expect(result.stdout.isEmpty, "nothing ran, and the bare number picked nothing: \(result.stdout)")
        let json = try handoff.run(["--now", now, "--format", "json", "-c", "what's holding nora green back"])
        let error = try #require(json.json.first)
        #expect(error["ok"] as? Bool == false)
        #expect((error["error"] as? [String: Any])?["code"] as? String == "ambiguous")
        #expect((error["result"] as? [String: Any])?["commands"] as? [String] == ["qualify", "objections"])
    }

    @Test func aDatabaseInAFolderThatIsNotThereIsRefusedButTheDefaultFolderIsMade() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        let missing = try handoff.run(["--db", "\(handoff.home)/no/such/folder/x.sqlite", "-c", "leads"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("error: there is no folder \(handoff.home)/no/such/folder for the database"))
        #expect(!FileManager.default.fileExists(atPath: "\(handoff.home)/no"), "nothing was made")
        let fresh = try handoff.run(["-c", "leads"], extraEnvironment: ["HANDOFF_DB": "", "XDG_DATA_HOME": "\(handoff.home)/data"])
        #expect(fresh.status == 0, "\(fresh.stderr)")
        #expect(FileManager.default.fileExists(atPath: "\(handoff.home)/data/handoff/handoff.sqlite"))
    }

    @Test func versionSaysWhichHandoffThisIs() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        let version = try handoff.run(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.hasPrefix("handoff 0."), "\(version.stdout)")
        #expect(version.stdout.contains("built-in definition 2026.11-1"))
        // Anywhere among the options, as psql and git read it: the version, and no command run.
        for arguments in [["--db", "elsewhere.sqlite", "--version"], ["-c", "demo", "--version"], ["--version", "-c", "demo"]] {
            let later = try handoff.run(arguments)
            #expect(later.status == 0, "\(arguments)")
            #expect(later.stdout == version.stdout, "\(arguments)")
            #expect(later.stderr.isEmpty, "\(arguments): \(later.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: "\(handoff.home)/elsewhere.sqlite"), "no database was opened")
        #expect(!FileManager.default.fileExists(atPath: handoff.database), "no command was run")
        // A `-c` whose text is `--version` is a command, not the option.
        let command = try handoff.run(["-c", "--version"])
        #expect(!command.stdout.hasPrefix("handoff 0."), "\(command.stdout)")
    }

    @Test func aScriptErrorNamesTheFileAndLineItCameFrom() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        try handoff.run(["--now", now, "-c", "demo"])
        handoff.write("weekly.txt", "leads\n\n# who is next\nqualify nobody-here\n")
        let file = try handoff.run(["--now", now, "-f", "weekly.txt"])
        #expect(file.status == 1)
        #expect(file.stderr.hasPrefix("weekly.txt:4: error: no lead or account matches 'nobody-here'\n"), "\(file.stderr)")
        let piped = try handoff.run(["--now", now], stdin: "leads\nqualify nobody-here\n")
        #expect(piped.stderr.hasPrefix("<stdin>:2: error: no lead or account matches 'nobody-here'\n"), "\(piped.stderr)")
    }

    @Test func anyListIsWrittenAsCSVWithTheRestOnStandardError() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        try handoff.run(["--now", now, "-c", "demo"])
        let result = try handoff.run(["--now", now, "--format", "csv", "-c", "leads scored over 80 --limit 3"])
        #expect(result.status == 0)
        let rows = result.stdout.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        #expect(rows.first == "name,account,title,source,stage,created,score")
        #expect(rows.filter { !$0.isEmpty }.count == 4, "a header and three leads: \(result.stdout)")
        #expect(result.stderr.contains("Leads scored over 80:"), "the heading goes to stderr")
        let titled = try handoff.run(["--now", now, "--format", "csv", "-c", "lead wile coyote"])
        #expect(titled.stdout.contains(",\"accepted: fits the profile, follow-up booked\"\r\n"), "cells are whole, quoted when they hold a comma")
        let echoed = try handoff.run(["--now", now, "-a", "--format", "csv", "-c", "leads --limit 1"])
        #expect(!echoed.stdout.contains("handoff>"), "--echo-all leaves a CSV alone")
        handoff.write("formula.csv", "external_id,name,title\nf1,Frank Formula,=HYPERLINK(\"http://x\")\nf2,Minnie Minus,-2+3\nf3,Nick Negative,-12.5\n")
        try handoff.run(["--now", now, "-c", "import leads formula.csv"])
        let formula = try handoff.run(["--now", now, "--format", "csv", "-c", "leads --limit 100"])
        #expect(formula.stdout.contains("'=HYPERLINK") && !formula.stdout.contains(",=HYPERLINK"), "a cell a spreadsheet would run starts with an apostrophe: \(formula.stdout)")
        // `-2+3` is a formula too (a spreadsheet shows 1); a negative number stays a number.
        #expect(formula.stdout.contains(",'-2+3,") && formula.stdout.contains(",-12.5,"), "\(formula.stdout)")
    }

    @Test func everyJSONAnswerHasTheStableSchema() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        try handoff.run(["--now", now, "-c", "demo"])
        let script = """
            leads from webinar this month
            who is wile coyote
            plugins
            leads from narnia
            """
        let result = try handoff.run(["--now", now, "--format", "json"], stdin: script)
        #expect(result.status == 1, "one command failed")
        let answers = result.json
        #expect(answers.count == 4, "one JSON object per command: \(result.stdout)")
        for answer in answers {
            #expect(Set(answer.keys).isSuperset(of: ["command", "args", "ok", "result"]))
            #expect(answer["args"] is [String: Any])
            if answer["ok"] as? Bool == false {
                let error = try #require(answer["error"] as? [String: Any])
                #expect(error["code"] is String && error["message"] is String)
            } else {
                #expect(answer["error"] == nil)
            }
        }
        #expect(answers.map { $0["command"] as? String } == ["leads", "lead", "plugins", "leads"])

        let range = try #require((answers[0]["args"] as? [String: Any])?["range"] as? [String: Any])
        #expect(range["label"] as? String == "this month")
        #expect(range["start"] as? String == "2026-11-01T00:00:00Z")
        #expect(range["end"] as? String == "2026-12-01T00:00:00Z")
        let lead = try #require((answers[1]["args"] as? [String: Any])?["lead"] as? [String: Any])
        #expect(lead["name"] as? String == "Wile Coyote")
        #expect(lead["external_id"] as? String == "demo-001")
        #expect(lead["id"] is Int)
        #expect((answers[3]["error"] as? [String: Any])?["code"] as? String == "not_found")
        #expect(result.stderr.contains("no stage, source or industry called 'narnia', and no lead or account matches it"))
        #expect(!result.stdout.contains("error:"), "errors go to stderr; stdout holds only the JSON")
    }

    @Test func textScriptsHaveNoPromptNoEchoAndNoColour() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        try handoff.run(["--now", now, "-c", "demo"])
        let result = try handoff.run(["--now", now], stdin: "# a comment\n\nlead globex\n", extraEnvironment: ["NO_COLOR": ""])
        #expect(result.status == 0)
        #expect(!result.stdout.contains("handoff>"))
        #expect(!result.stdout.contains("lead globex"), "the command is not echoed")
        #expect(!result.stdout.contains("\u{1B}["))
        #expect(result.stdout.hasPrefix("Globex\n"))
        #expect(result.stderr.isEmpty)
    }

    @Test func echoAllPrintsEachCommandBeforeItsAnswerExceptInJSON() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        try handoff.run(["--now", now, "-c", "demo"])
        let script = handoff.write("echo.txt", "# a comment\n\n  lead globex  \nfrobnicate\nleads\u{01} at acme\n")
        // stdout and stderr into one file, as a terminal shows them: the echo comes before each answer.
        let transcript = "\(handoff.home)/transcript.txt"
        _ = FileManager.default.createFile(atPath: transcript, contents: nil)
        let process = try handoff.process(["--now", now, "--echo-all", "-f", script])
        let output = try #require(FileHandle(forWritingAtPath: transcript))
        (process.standardOutput, process.standardError) = (output, output)
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        let text = try String(contentsOfFile: transcript, encoding: .utf8)
        #expect(text.hasPrefix("handoff> lead globex\nGlobex\n"), "\(text)")
        #expect(!text.contains("a comment"), "comments and blank lines are not echoed")
        let unknown = try #require(text.range(of: "handoff> frobnicate\n"))
        #expect(text[unknown.upperBound...].hasPrefix("\(handoff.home)/echo.txt:4: error: I don't know what 'frobnicate' asks for\n"), "\(text)")
        #expect(text.contains("handoff> leads\u{2401} at acme\n"), "a control character is echoed as its picture")
        let long = try handoff.run(["-a", "-c", String(repeating: "a", count: 20_000)])
        #expect(long.stdout == "handoff> \(String(repeating: "a", count: 60))… (20000 bytes)\n", "a refused line is not echoed whole")

        let short = try handoff.run(["--now", now, "-a", "-c", "plugins", "-c", "leads at acme --limit 1"])
        #expect(short.stdout.hasPrefix("handoff> plugins\n"))
        #expect(short.stdout.contains("\nhandoff> leads at acme --limit 1\nLeads at Acme Corp"))
        let piped = try handoff.run(["--now", now, "-a"], stdin: "lead globex\n")
        #expect(piped.stdout.hasPrefix("handoff> lead globex\nGlobex\n"))
        let markdown = try handoff.run(["--now", now, "-a", "--format", "markdown", "-c", "leads at acme"])
        #expect(markdown.stdout.hasPrefix("handoff> leads at acme\n"))
        #expect(markdown.stdout.contains("## Leads at Acme Corp: 4"))

        let json = try handoff.run(["--now", now, "-a", "--format", "json", "-f", script])
        #expect(json.json.count == 3, "one JSON line per command and nothing else: \(json.stdout)")
        #expect(json.stdout.split(separator: "\n").count == 3)
        #expect(!json.stdout.contains("handoff>"))
    }

    @Test func fileScriptsAndStopOnError() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        let script = handoff.write("weekly.txt", "demo\nfrobnicate\nplugins\n")
        let carryOn = try handoff.run(["--now", now, "--format", "json", "-f", script])
        #expect(carryOn.status == 1)
        #expect(carryOn.json.map { $0["command"] as? String } == ["demo", nil, "plugins"])
        // Each JSON answer says which line asked it: a comment answers nothing, and the lines still match.
        let commented = handoff.write("commented.txt", "plugins\n# what follows fails\nfrobnicate\n\nhelp\n")
        let located = try handoff.run(["--now", now, "--format", "json", "-f", commented])
        #expect(located.json.map { $0["script_line"] as? String } == ["\(commented):1", "\(commented):3", "\(commented):5"], "\(located.stdout)")
        #expect(located.stdout.hasPrefix("{\"schema\":1,\"script_line\":"), "schema stays first")
        #expect(try handoff.run(["--format", "json", "-c", "plugins"]).json.first?["script_line"] == nil, "-c is no script")
        let stop = try handoff.run(["--now", now, "--format", "json", "--on-error", "stop", "-f", script])
        #expect(stop.status == 1)
        #expect(stop.json.count == 2)
        #expect(stop.stderr.contains("\(script):2: stopped (--on-error stop): the lines after it did not run"), "\(stop.stderr)")
        let stopC = try handoff.run(["--now", now, "--on-error", "stop", "-c", "frobnicate", "-c", "plugins", "-c", "help"])
        #expect(stopC.stderr.contains("-c 1: stopped (--on-error stop): 2 -c commands after it did not run"), "\(stopC.stderr)")
        // From a pipe, which may stay open, it does not wait for another line to say so.
        let piped = try handoff.run(["--now", now, "--on-error", "stop"], stdin: "plugins\nfrobnicate\nhelp\n")
        #expect(piped.stderr.contains("<stdin>:2: stopped (--on-error stop): nothing after it is read"), "\(piped.stderr)")
        #expect(!piped.stdout.contains("Commands"), "help did not run")
        let missing = try handoff.run(["-f", "/nonexistent/script.txt"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("/nonexistent/script.txt"))
        let several = try handoff.run(["--format", "json", "-c", "plugins", "-c", "help"])
        #expect(several.json.map { $0["command"] as? String } == ["plugins", "help"])
        #expect(several.status == 0)
    }

    @Test func aCommandLineHandoffCannotRunWithSaysWhyAndExits64() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        let unknown = try handoff.run(["--formt", "json", "-c", "help"])
        #expect(unknown.status == 64)
        #expect(unknown.stdout.isEmpty)
        #expect(unknown.stderr.hasPrefix("Error: Unknown option '--formt'\nUsage: handoff [--db <path|url>]"))
        #expect(unknown.stderr.contains("See 'handoff --help' for more information."))
        let missing = try handoff.run(["-c", "help", "--format"])
        #expect(missing.status == 64)
        #expect(missing.stderr.hasPrefix("Error: Missing value for '--format <format>'\nHelp:  --format <format>  text, json, markdown or csv."))
        let bad = try handoff.run(["--on-error=sometimes", "-c", "help"])
        #expect(bad.status == 64)
        #expect(bad.stderr.hasPrefix("Error: --on-error must be stop or continue, not 'sometimes'\n"))
        let migrate = try handoff.run(["migrate", "--from", handoff.database])
        #expect(migrate.status == 64)
        #expect(migrate.stderr.hasPrefix("Error: Missing expected argument '--to <url>'"))
        #expect(migrate.stderr.contains("See 'handoff migrate --help'"))
        #expect(try handoff.run(["mcp", "--allow-write"]).stderr.hasPrefix("Error: Unknown option '--allow-write'\nUsage: handoff mcp "))
    }

    @Test func helpListsEveryOptionOfEachCommand() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        let root = try handoff.run(["--help"])
        #expect(root.status == 0)
        for option in ["--db <path|url>", "--definition <path>", "--now <time>", "--as <name>", "--format <format>",
                       "--on-error <stop|continue>", "-c <command> ...", "-f <file>", "--explain", "-a, --echo-all", "-h, --help", "mcp", "migrate"] {
            #expect(root.stdout.contains("\n  \(option) ") || root.stdout.contains("\n  \(option)\n"), "\(option)")
        }
        #expect(root.stdout.contains("--format <format>       text, json, markdown or csv. (default: text)"))
        let mcp = try handoff.run(["mcp", "--help"])
        #expect(mcp.status == 0)
        #expect(mcp.stdout.contains("USAGE: handoff mcp [--db <path|url>] [--definition <path>] [--now <time>] [--as <name>] [--allow-writes]"))
        #expect(mcp.stdout.contains("  --allow-writes          Also offer the tools that change the lead model:"))
        let migrate = try handoff.run(["help", "migrate"])
        #expect(migrate.status == 0)
        #expect(migrate.stdout.contains("USAGE: handoff migrate [--from <path>] --to <url>"))
    }

    @Test func markdownIsAvailableForReports() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        try handoff.run(["--now", now, "-c", "demo"])
        let result = try handoff.run(["--now", now, "--format", "markdown", "-c", "leads at acme"])
        #expect(result.stdout.contains("## Leads at Acme Corp: 4"))
        #expect(result.stdout.contains("| name | account | title | source | stage | created |"))
        #expect(result.stdout.contains("| Wile Coyote | Acme Corp |"))
    }

    @Test func badInputGetsAClearMessageAndTheScriptGoesOn() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        var bytes = Array("\n".utf8)                                               // an empty line
        bytes += Array(String(repeating: "a", count: 1 << 20).utf8) + [0x0A]     // 1 MB on one line
        bytes += Array("leads from ".utf8) + [0xFF, 0xFE] + [0x0A]              // invalid UTF-8
        bytes += Array("leads\u{01}\u{02} at acme\n".utf8)                       // control characters
        bytes += Array("flibbertigibbet\n".utf8)                                 // unknown
        bytes += Array("lead \"acme\n".utf8)                                    // a quote left open
        bytes += Array("plugins\n".utf8)                                         // still answering
        let script = handoff.write("bad.txt", String(decoding: bytes, as: UTF8.self))
        let result = try handoff.run(["--format", "json", "-f", script])
        #expect(result.status == 1)
        let answers = result.json
        #expect(answers.count == 6, "five refusals and one answer; the empty line is skipped")
        #expect(answers.last?["command"] as? String == "plugins")
        #expect(answers.last?["ok"] as? Bool == true)
        let messages = answers.dropLast().map { (($0["error"] as? [String: Any])?["message"] as? String) ?? "" }
        #expect(messages[0] == "the line is longer than 16384 bytes (it starts \"\(String(repeating: "a", count: 80))\"…)")
        #expect(messages[1].contains("not valid UTF-8"))
        #expect(messages[2].contains("control character (U+0001"))
        #expect(messages[3].contains("flibbertigibbet"))
        #expect(messages[4].contains("never closed"))
        #expect(result.stdout.utf8.count < 10_000, "a refused line is not echoed back whole")
    }

    @Test func tenThousandLinesRunInOneProcessWithoutSlowingDown() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        try handoff.run(["--now", now, "-c", "demo"])
        let mix = ["leads at acme", "who is wile coyote", "mqls this month", "and last month?", "# comment", "plugins", "sqls", "lead globex"]
        let lines = (0..<10_000).map { mix[$0 % mix.count] }
        let script = handoff.write("ten-thousand.txt", lines.joined(separator: "\n") + "\n")

        // Read the answers as they arrive and note when each thousandth lands.
        let process = try handoff.process(["--now", now, "--format", "json", "-f", script])
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        let started = Date()
        try process.run()
        var marks: [TimeInterval] = []
        var count = 0
        var pending = Data()
        let expected = lines.filter { !$0.hasPrefix("#") }.count
        while true {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            pending.append(chunk)
            while let newline = pending.firstIndex(of: 0x0A) {
                pending.removeSubrange(pending.startIndex...newline)
                count += 1
                if count % 1_000 == 0 { marks.append(Date().timeIntervalSince(started)) }
            }
        }
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(count == expected, "every command answered once")
        #expect(marks.count >= 8)
        // The last thousand answers take no longer than the first thousand, give or take.
        let first = marks[1] - marks[0]
        let last = marks[marks.count - 1] - marks[marks.count - 2]
        #expect(last < first * 3 + 0.5, "the first thousand took \(first) s, the last \(last) s")
    }
}

/// The rep's commands from a script: context carries from line to line, and every answer is JSON.
@Suite struct QualificationScriptTests {
    @Test func aScriptQualifiesAsksWhyAndChangesStagesWithContext() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        let now = "2026-11-18T15:30:00Z"
        try handoff.run(["--now", now, "-c", "demo"])
        let script = """
            qualify rita rival
            why rejected
            accept mindy simmons
            history
            is globex qualified?
            """
        let result = try handoff.run(["--now", now, "--as", "Dana Reyes", "--format", "json"], stdin: script)
        #expect(result.status == 0, "\(result.stderr)")
        let answers = result.json
        #expect(answers.map { $0["command"] as? String } == ["qualify", "why rejected", "accept", "history", "qualify"])
        #expect(((answers[0]["result"] as? [String: Any])?["verdict"] as? [String: Any])?["verdict"] as? String == "disqualified")
        #expect(((answers[1]["args"] as? [String: Any])?["lead"] as? [String: Any])?["name"] as? String == "Rita Rival")
        let trail = try #require((answers[3]["result"] as? [String: Any])?["transitions"] as? [[String: Any]])
        #expect(trail.last?["by"] as? String == "Dana Reyes")
        #expect(trail.last?["to"] as? String == "sal")
        #expect(((answers[4]["result"] as? [String: Any])?["best"] as? [String: Any]) != nil)
        #expect(try handoff.sqlite("SELECT by FROM transitions ORDER BY id DESC LIMIT 1") == "Dana Reyes")
    }
}

@Suite struct PromptOverrideTests {
    @Test func aTemplateInTheConfigDirReshapesTheAnswerWithoutARebuild() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        try handoff.run(["-c", "demo"])
        let shipped = try handoff.run(["-c", "qualify pepper potts"])
        #expect(shipped.stdout.hasPrefix("Pepper Potts (Stark Logistics) is MQL:"))
        let folder = "\(handoff.home)/.config/handoff/prompts"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "Verdict for {{lead}}: {{verdict}} ({{score}}).".write(toFile: "\(folder)/qualification.mustache", atomically: true, encoding: .utf8)
        let overridden = try handoff.run(["--format", "json", "-c", "qualify pepper potts"])
        #expect((overridden.json.first?["result"] as? [String: Any])?["explanation"] as? String == "Verdict for Pepper Potts: MQL (94.9).")
        try "{{#lead}}unclosed".write(toFile: "\(folder)/qualification.mustache", atomically: true, encoding: .utf8)
        let broken = try handoff.run(["-c", "qualify pepper potts"])
        #expect(broken.status == 1)
        #expect(broken.stderr.contains("\(folder)/qualification.mustache"))
    }
}
