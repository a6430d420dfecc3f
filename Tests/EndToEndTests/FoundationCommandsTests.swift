import Foundation
import Testing

/// The foundation's commands from the command line: `-c`, exit codes, JSON, errors.
@Suite struct FoundationCommandsTests {
    let now = "2026-11-22T12:00:00Z"

    @Test func demoLoadsOnceAndDatesEverythingFromTheClock() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        let first = try handoff.run(["--now", now, "--format", "json", "-c", "demo"])
        #expect(first.status == 0, "\(first.stderr)")
        let answer = try #require(first.json.first)
        #expect(answer["command"] as? String == "demo")
        #expect(answer["ok"] as? Bool == true)
        let result = try #require(answer["result"] as? [String: Any])
        #expect(result["loaded"] as? Bool == true)
        #expect((result["leads"] as? Int ?? 0) >= 30)
        #expect((result["rejections"] as? Int ?? 0) >= 5)
        #expect((result["objections"] as? Int ?? 0) >= 24)
        #expect(try handoff.sqlite("SELECT count(DISTINCT theme) FROM objections") == "8", "objections in every theme")
        for account in ["Acme Corp", "Globex", "Initech"] {
            #expect(try handoff.sqlite("SELECT count(*) FROM accounts WHERE name = '\(account)'") == "1")
        }
        let nowSeconds = 1_795_356_000  // 2026-11-22T12:00:00Z
        let span = try handoff.sqlite("SELECT min(occurred_at), max(occurred_at) FROM events").split(separator: "|").map { Int($0)! }
        #expect(span[1] <= nowSeconds)
        #expect(span[0] >= nowSeconds - 90 * 86_400, "90 days of events")

        let snapshot = try handoff.sqlite("SELECT count(*) FROM leads; SELECT count(*) FROM events; SELECT count(*) FROM transitions")
        let second = try handoff.run(["--now", now, "-c", "demo"])
        #expect(second.status == 0)
        #expect(second.stdout.contains("already loaded"))
        #expect(try handoff.sqlite("SELECT count(*) FROM leads; SELECT count(*) FROM events; SELECT count(*) FROM transitions") == snapshot)
    }

    @Test func theSameClockGivesTheSameDemo() throws {
        let one = HandoffBinary(), two = HandoffBinary()
        defer { one.remove(); two.remove() }
        try one.run(["--now", now, "-c", "demo"])
        try two.run(["--now", now, "-c", "demo"])
        let query = "SELECT lead_id, kind, occurred_at FROM events ORDER BY 1, 2, 3"
        #expect(try one.sqlite(query) == two.sqlite(query))
        #expect(try one.sqlite(query).split(separator: "\n").count > 100)
    }

    @Test func anImportWithBadRowsReportsThemByLineAndFailsTheScript() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        let csv = handoff.write("leads.csv", "external_id,name,email,created_at\n1,Ada,ada@acme.com,2026-10-01\n2,Bob,bob@acme.com,yesterday\n3,Cy\n")
        let text = try handoff.run(["-c", "import leads \(csv)"])
        #expect(text.status == 1)
        #expect(text.stdout.contains("inserted   1"))
        #expect(text.stdout.contains("rejected   2"))
        #expect(text.stdout.contains("created_at 'yesterday' is not a date"))
        #expect(text.stderr.contains("2 row(s) rejected"))

        let json = try handoff.run(["--format", "json", "-c", "import leads \(csv) --dry-run"])
        let answer = try #require(json.json.first)
        #expect(answer["command"] as? String == "import")
        #expect(answer["ok"] as? Bool == false)
        let args = try #require(answer["args"] as? [String: Any])
        #expect(args["kind"] as? String == "leads")
        #expect(args["file"] as? String == csv)
        #expect(args["dry-run"] as? Bool == true)
        let problems = try #require((answer["result"] as? [String: Any])?["problems"] as? [[String: Any]])
        #expect(problems.map { $0["line"] as? Int } == [3, 4])
        #expect((answer["error"] as? [String: Any])?["code"] as? String == "rows_rejected")
    }

    /// A file without external ids updates the lead with each row's email, whatever its external id
    /// and whatever the email's case; a new email is a new lead; the same file again adds nobody.
    @Test func aFileWithoutExternalIdsUpdatesTheLeadsWithItsEmails() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        let now = "2026-11-18T15:30:00Z"
        try handoff.run(["--now", now, "-c", "demo"])
        func leads() throws -> [[String: Any]] {
            let listed = try handoff.run(["--now", now, "--format", "json", "-c", "leads --limit 1000"])
            return try #require((listed.json.first?["result"] as? [String: Any])?["leads"] as? [[String: Any]]).map { $0["lead"] as! [String: Any] }
        }
        let before = try leads()
        let csv = handoff.write("by-email.csv", "email,name,stage\nPepper.Potts@Stark-Logistics.de,,sal\nnew.person@acme.com,New Person,inquiry\n")
        for round in 1...2 {
            let text = try handoff.run(["--now", now, "-c", "import leads \(csv)"])
            #expect(text.status == 0, "\(text.stderr)")
            #expect(text.stdout.contains(round == 1 ? "inserted   1" : "inserted   0"), "\(text.stdout)")
            #expect(text.stdout.contains(round == 1 ? "updated    1" : "unchanged  2"), "the second time nothing changes: \(text.stdout)")
            let after = try leads()
            #expect(after.count == before.count + 1, "round \(round)")
            let pepper = after.filter { ($0["email"] as? String)?.lowercased() == "pepper.potts@stark-logistics.de" }
            #expect(pepper.count == 1)
            #expect(pepper.first?["external_id"] as? String == "demo-017" && pepper.first?["name"] as? String == "Pepper Potts")
            #expect(pepper.first?["stage"] as? String == "sal")
        }
    }

    /// A file whose header has no key column, imported without a mapping, is named with its
    /// header, not a mapping nobody wrote.
    @Test func aHeaderWithoutAKeyColumnIsNamedWithItsColumns() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        let csv = handoff.write("unknown.csv", "foo,bar,baz\n1,2,3\n")
        let answer = try handoff.run(["-c", "import leads \(csv)"])
        #expect(answer.status != 0)
        #expect(answer.stderr.hasPrefix("error: \(csv):1: no column holds external_id (or email): the header has 'foo', 'bar', 'baz'\n"), "\(answer.stderr)")
        #expect(answer.stderr.contains("import leads \(csv) --mapping FILE"), "\(answer.stderr)")
    }

    /// Events kept but counted by no score are said: dated after the import, or of a kind the
    /// definition gives no points. A row refused is not counted among them.
    @Test func eventsNoScoreCountsAreSaid() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        let now = "2026-11-18T15:30:00Z"
        try handoff.run(["--now", now, "-c", "demo"])
        let csv = handoff.write("events.csv", """
            email,kind,occurred_at,detail
            kim.wexler@tyrell.nl,teleport,2026-11-10,beamed in
            kim.wexler@tyrell.nl,webinar_attended,2027-01-01,a webinar still to come
            kim.wexler@tyrell.nl,web_visit,2026-11-10,pricing page
            nobody@nowhere.example,teleport,2026-11-10,no such lead

            """)
        let answer = try handoff.run(["--now", now, "-c", "import events \(csv)"])
        #expect(answer.stdout.contains("inserted   3"), "\(answer.stdout)")
        #expect(answer.stdout.contains("1 event is dated after 2026-11-18T15:30:00Z, the time of the import: no score counts it until then"), "\(answer.stdout)")
        #expect(answer.stdout.contains("1 event is of a kind the definition in force gives no points: teleport (1)"), "\(answer.stdout)")
    }

    /// A new person given twice in one file, once with an id and once by email alone (in either
    /// order), made two leads with one email: the row without the id is refused, naming the other.
    @Test func aRowWithoutAnIdWhoseEmailAnotherRowGivesWithOneIsRefused() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        let now = "2026-11-18T15:30:00Z"
        let csv = handoff.write("mixed.csv", """
            external_id,name,email,title
            x-2,Bob Baker,bob@newco.com,CTO
            ,Bob Baker,BOB@newco.com,
            ,Carl Email,carl@newco.com,Engineer
            x-3,Carl Email,carl@newco.com,
            """)
        for dryRun in [true, false] {
            let answer = try handoff.run(["--now", now, "--format", "json", "-c", "import leads \(csv)\(dryRun ? " --dry-run" : "")"])
            let result = try #require(answer.json.first?["result"] as? [String: Any] ?? (answer.json.first?["error"] as? [String: Any])?["result"] as? [String: Any], "\(answer.stdout)")
            #expect(result["inserted"] as? Int == 2, "dry run \(dryRun): \(result)")
            let problems = try #require(result["problems"] as? [[String: Any]])
            #expect(problems.map { $0["line"] as? Int } == [3, 4])
            #expect((problems.first?["reason"] as? String)?.contains("its email is that of line 2's lead x-2") == true, "\(problems)")
            #expect((problems.last?["reason"] as? String)?.contains("line 5's lead x-3") == true, "\(problems)")
        }
        let listed = try handoff.run(["--now", now, "--format", "json", "-c", "leads --limit 100"])
        let leads = try #require((listed.json.first?["result"] as? [String: Any])?["leads"] as? [[String: Any]]).map { $0["lead"] as! [String: Any] }
        #expect(leads.compactMap { $0["external_id"] as? String }.sorted() == ["x-2", "x-3"])
    }

    /// On an empty database, `funnel` said to try a longer period or `funnel` itself.
    @Test func anEmptyFunnelSaysHowToBringLeadsIn() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        let answer = try handoff.run(["-c", "funnel"])
        #expect(answer.stdout == "No leads yet: the funnel is empty.\n`import leads FILE` brings leads in (`demo` loads an example).\n", "\(answer.stdout)")
    }

    /// A lead created after the import (2030 for 2026) landed without a word.
    @Test func leadsCreatedAfterTheImportAreSaid() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        let csv = handoff.write("dates.csv", "external_id,name,created_at\nd-1,Dee One,2026-11-01\nd-5,Dee Five,2030-01-01\n")
        let answer = try handoff.run(["--now", "2026-11-18T15:30:00Z", "-c", "import leads \(csv)"])
        #expect(answer.status == 0, "\(answer.stderr)")
        #expect(answer.stdout.contains("1 lead is created after 2026-11-18T15:30:00Z, the time of the import: check the dates (a year mistyped?)"), "\(answer.stdout)")
    }

    @Test func mistakesGetAClearMessageAndANonZeroStatus() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        let typo = try handoff.run(["-c", "imprt leads x.csv"])
        #expect(typo.status == 1)
        #expect(typo.stderr.contains("'imprt' looks like a misspelt command"))
        #expect(typo.stderr.contains("did you mean `import`"))

        let missing = try handoff.run(["-c", "import leads /nonexistent/leads.csv"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("/nonexistent/leads.csv:1: cannot open the file: no such file"))

        let badOption = try handoff.run(["-c", "import leads x.csv --mapp hubspot"])
        #expect(badOption.stderr.contains("import has no option --mapp"))

        let quote = try handoff.run(["-c", "import leads \"x.csv"])
        #expect(quote.stderr.contains("never closed"))

        let clock = try handoff.run(["--now", "soon", "-c", "demo"])
        #expect(clock.status != 0)
        #expect(clock.stderr.contains("--now 'soon' is not a time"))

        let json = try handoff.run(["--format", "json", "-c", "frobnicate"])
        let answer = try #require(json.json.first)
        #expect(answer["ok"] as? Bool == false)
        #expect((answer["error"] as? [String: Any])?["code"] as? String == "usage")
    }

    @Test func aBrokenDefinitionIsRefusedWithFileAndLineAndThePreviousStaysInForce() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        let good = handoff.write("good.yaml", """
            name: Team definition
            version: "team-7"
            fit:
              - id: senior
                field: lead.seniority
                in: [vp, c-level]
                points: 40
            engagement:
              half_life_days: 21
              events:
                demo_request: 30
            thresholds:
              mql: 40
            """)
        let first = try handoff.run(["--definition", good, "--format", "json", "-c", "definition show"])
        #expect(first.status == 0)
        #expect((first.json.first?["result"] as? [String: Any])?["version"] as? String == "team-7")

        let broken = handoff.write("broken.yaml", try String(contentsOfFile: good, encoding: .utf8)
            .replacingOccurrences(of: "points: 40", with: "points: forty"))
        // A script that names a broken definition stops: its answers would come from another.
        let named = try handoff.run(["--definition", broken, "--format", "json", "-c", "definition show"])
        #expect(named.status == 1)
        #expect(named.stderr.contains("broken.yaml:7:13: fit[0].points must be a number, found 'forty'"))
        #expect((named.json.first?["result"] as? [String: Any]) == nil, "no command ran")
        // The one in the config folder, put in force by a run, then edited by the team, is refused
        // and the previous stays in force.
        try FileManager.default.createDirectory(atPath: "\(handoff.home)/.config/handoff", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: good, toPath: "\(handoff.home)/.config/handoff/definition.yaml")
        #expect(try handoff.run(["-c", "definition show"]).status == 0)
        try FileManager.default.removeItem(atPath: "\(handoff.home)/.config/handoff/definition.yaml")
        try FileManager.default.copyItem(atPath: broken, toPath: "\(handoff.home)/.config/handoff/definition.yaml")
        let second = try handoff.run(["--format", "json", "-c", "definition show"])
        #expect(second.stderr.contains("definition.yaml:7:13: fit[0].points must be a number, found 'forty'"))
        #expect(second.stderr.contains("previous version team-7"))
        #expect((second.json.first?["result"] as? [String: Any])?["version"] as? String == "team-7")

        let check = try handoff.run(["-c", "definition check \(broken)"])
        #expect(check.status == 1)
        #expect(check.stderr.contains("broken.yaml:7:13"))
        #expect(try handoff.run(["-c", "definition check \(good)"]).status == 0)
    }

    @Test func definitionInitWritesAnEditableCopyOnce() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        let first = try handoff.run(["-c", "definition init"])
        #expect(first.status == 0, "\(first.stderr)")
        let path = "\(handoff.home)/.config/handoff/definition.yaml"
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(try handoff.run(["-c", "definition check"]).stdout.contains("\(path): ok"))
        let again = try handoff.run(["-c", "definition init"])
        #expect(again.status == 1)
        #expect(again.stderr.contains("already exists"))
    }

    @Test func aPipedScriptRunsEveryLineSkipsCommentsAndReportsFailure() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        let script = """
            # load the sample, then look at the definition
            demo

            definition show
            nonsense here
            definition check
            """
        let result = try handoff.run(["--format", "json"], stdin: script)
        #expect(result.status == 1)
        #expect(result.json.map { $0["command"] as? String } == ["demo", "definition show", nil, "definition check"])
        #expect(result.stderr.contains("I don't know what 'nonsense here' asks for"))
        let stopped = try handoff.run(["--format", "json", "--on-error", "stop"], stdin: script)
        #expect(stopped.json.count == 3)
    }
}

@Suite struct SettingsFileTests {
    @Test func theSettingsFileGivesDefaultsThatFlagsAndTheEnvironmentOverride() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        let folder = "\(handoff.home)/.config/handoff"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "user: Priya Natarajan\ndb: ~/team.sqlite\n".write(toFile: "\(folder)/config.yaml", atomically: true, encoding: .utf8)
        let unset = ["HANDOFF_DB": "", "HANDOFF_USER": ""]
        try handoff.run(["-c", "demo"], extraEnvironment: unset)
        #expect(FileManager.default.fileExists(atPath: "\(handoff.home)/team.sqlite"), "db: from the settings, with ~ expanded")
        let accepted = try handoff.run(["--format", "json", "-c", "accept mindy simmons"], extraEnvironment: unset)
        #expect(((accepted.json.first?["result"] as? [String: Any])?["transition"] as? [String: Any])?["by"] as? String == "Priya Natarajan")
        let flagged = try handoff.run(["--as", "Sam Okafor", "--format", "json", "-c", "nurture mindy simmons"], extraEnvironment: unset)
        #expect(((flagged.json.first?["result"] as? [String: Any])?["transition"] as? [String: Any])?["by"] as? String == "Sam Okafor", "--as wins over the settings")

        try "user: [not, a, name\n".write(toFile: "\(folder)/config.yaml", atomically: true, encoding: .utf8)
        let broken = try handoff.run(["-c", "plugins"], extraEnvironment: unset)
        #expect(broken.status == 2)
        #expect(broken.stderr.contains("\(folder)/config.yaml:"))
        try "colour: blue\n".write(toFile: "\(folder)/config.yaml", atomically: true, encoding: .utf8)
        let unknown = try handoff.run(["-c", "plugins"], extraEnvironment: unset)
        #expect(unknown.stderr.contains("unknown key 'colour'"))
    }

    @Test func theWriteAheadLogIsEmptyWhenHandoffExits() throws {
        // A log left full after a big write is read back whole by every later start.
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        var rows = "external_id,name\n"
        for n in 0..<2_000 { rows += "L\(n),Lead \(n)\n" }
        #expect(try handoff.run(["-c", "import leads \(handoff.write("leads.csv", rows))"]).status == 0)
        let size = (try? FileManager.default.attributesOfItem(atPath: handoff.database + "-wal")[.size] as? Int) ?? 0
        #expect(size == 0)
        #expect(try handoff.sqlite("SELECT count(*) FROM leads") == "2000")
    }
}
