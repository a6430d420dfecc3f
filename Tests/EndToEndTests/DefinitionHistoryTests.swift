import Foundation
import Testing

/// `definition log` and `definition diff`, as the two teams read them: who put which version in
/// force and when, and what changed.
@Suite struct DefinitionHistoryTests {
    let now = "2026-11-18T15:30:00Z"

    @Test func theDemoHasTwoVersionsAndTheDiffSaysWhatTheTeamsChanged() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        try handoff.run(["--now", now, "--as", "maria", "-c", "demo"])
        let log = try handoff.run(["--now", now, "--format", "json", "-c", "definition log"])
        #expect(log.status == 0, "\(log.stderr)")
        let versions = try #require((log.json.first?["result"] as? [String: Any])?["versions"] as? [[String: Any]])
        #expect(versions.map { $0["version"] as? String } == ["2026.09-1", "2026.11-1"])
        // The shipped version came into force before the oldest rejection that names it (30 days back).
        #expect(versions.map { $0["by"] as? String } == ["Dana Reyes", "Priya Natarajan"])
        #expect(versions.map { $0["in_force_from"] as? String } == ["2026-08-10T15:30:00Z", "2026-10-04T15:30:00Z"])
        #expect(versions.map { $0["in_force_now"] as? Bool } == [false, true])

        let diff = try handoff.run(["--now", now, "--format", "json", "-c", "what changed in the definition?"])
        #expect(diff.json.first?["command"] as? String == "definition diff")
        let result = try #require(diff.json.first?["result"] as? [String: Any])
        #expect((result["from"] as? [String: Any])?["version"] as? String == "2026.09-1")
        #expect((result["to"] as? [String: Any])?["by"] as? String == "Priya Natarajan")
        let changes = try #require(result["changes"] as? [[String: Any]]).map {
            "\($0["part"]!) \($0["id"]!) \($0["change"]!): \($0["was"] as? String ?? "—") → \($0["now"] as? String ?? "—")"
        }
        #expect(changes == [
            "fit senior_role points changed: 20 → 25",
            "engagement webinar_attended changed: 15 points, capped at 30 → 10 points, capped at 20",
            "thresholds mql changed: 55 → 60",
            "sla mql_response added: — → 2 business days",
            "grid bands added: — → fit A at 40, B at 20; engagement 1 at 30, 2 at 10",
        ], "\(changes)")
        // Named the other way round, the same changes undone.
        let back = try handoff.run(["--now", now, "--format", "json", "-c", "definition diff 2026.11-1 2026.09-1"])
        let reversed = try #require((back.json.first?["result"] as? [String: Any])?["changes"] as? [[String: Any]])
        #expect(reversed.map { $0["change"] as? String } == ["changed", "changed", "changed", "removed", "removed"])

        let text = try handoff.run(["--now", now, "-c", "definition log"]).stdout
        #expect(text.contains("2026.09-1  2026-08-10 15:30  Dana Reyes"), "\(text)")
        #expect(text.contains("in force now"), "\(text)")
        let unknown = try handoff.run(["--now", now, "-c", "definition diff 1999.1"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("no definition version '1999.1' was ever in force"), "\(unknown.stderr)")
        #expect(unknown.stderr.contains("2026.09-1, 2026.11-1"), "\(unknown.stderr)")
    }

    /// A file edited without raising its version is kept as a second text under the same version:
    /// the log says so, and the diff still shows the edit.
    @Test func anEditWithoutANewVersionIsSeenAndShown() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        let first = try handoff.run(["--now", now, "--as", "dana", "-c", "definition log"])
        #expect(first.stdout.contains("Definition versions, in the order they came into force: 1"), "\(first.stdout)")
        let lonely = try handoff.run(["--now", now, "-c", "definition diff"]).stdout
        #expect(lonely.contains("Only version 2026.11-1 has been in force"), "\(lonely)")

        try handoff.run(["--now", now, "-c", "definition init"])
        let file = handoff.home + "/.config/handoff/definition.yaml"
        let text = try String(contentsOfFile: file, encoding: .utf8).replacingOccurrences(of: "  mql: 60\n", with: "  mql: 50\n")
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let later = "2026-11-19T09:00:00Z"
        let log = try handoff.run(["--now", later, "--as", "sam", "-c", "definition log"])
        #expect(log.stderr.contains("version 2026.11-1 was kept with more than one text"), "\(log.stderr)")
        #expect(log.stdout.contains("2026-11-19 09:00  sam"), "\(log.stdout)")
        let diff = try handoff.run(["--now", later, "-c", "definition diff"])
        #expect(diff.stdout.contains("thresholds  mql"), "\(diff.stdout)")
        #expect(diff.stderr.contains("both texts call themselves version 2026.11-1"), "\(diff.stderr)")

        // A run with no file keeps the text in force: the database's definition is the team's.
        try FileManager.default.removeItem(atPath: file)
        let kept = try handoff.run(["--now", "2026-11-20T09:00:00Z", "--as", "bob", "--format", "json", "-c", "definition log"])
        let keptVersions = try #require((kept.json.first?["result"] as? [String: Any])?["versions"] as? [[String: Any]])
        #expect(keptVersions.map { $0["by"] as? String } == ["dana", "sam"])
        // Put back as it was: the shipped text is in force again, from then, by who put it back.
        let back = "2026-11-20T10:00:00Z"
        #expect(try handoff.run(["--now", back, "--as", "alice", "-c", "definition init"]).status == 0)
        let log2 = try handoff.run(["--now", back, "--as", "alice", "--format", "json", "-c", "definition log"])
        let versions = try #require((log2.json.first?["result"] as? [String: Any])?["versions"] as? [[String: Any]])
        #expect(versions.map { $0["by"] as? String } == ["dana", "sam", "alice"])
        #expect(versions.map { $0["in_force_now"] as? Bool } == [false, false, true])
        let undone = try #require(try handoff.run(["--now", back, "--format", "json", "-c", "definition diff"]).json.first?["result"] as? [String: Any])
        #expect((undone["to"] as? [String: Any])?["by"] as? String == "alice")
        #expect((undone["from"] as? [String: Any])?["by"] as? String == "sam")
    }

    /// A file tried with `--definition` on a report is not put in force for everyone: the log, the
    /// diff and the weekly report still say what the team runs. The first change made under it
    /// puts it in force.
    @Test func aFileTriedOnAReportIsNotPutInForce() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        try handoff.run(["--now", now, "-c", "demo"])
        let draft = handoff.home + "/draft.yaml"
        #expect(try handoff.run(["-c", "definition init \(draft)"]).status == 0)
        let text = try String(contentsOfFile: draft, encoding: .utf8)
        try text.replacingOccurrences(of: "version: \"2026.11-1\"", with: "version: \"2026.12-draft\"").replacingOccurrences(of: "  mql: 60\n", with: "  mql: 55\n")
            .write(toFile: draft, atomically: true, encoding: .utf8)
        let tried = try handoff.run(["--now", now, "--definition", draft, "-c", "definition report", "-c", "what if mql 70", "-c", "definition log"])
        #expect(tried.status == 0, "\(tried.stderr)")
        #expect(tried.stdout.contains("This run reads version 2026.12-draft from \(draft), which is not in force"), "\(tried.stdout)")
        // The version everyone else runs is still the one in force.
        let logged = try #require(try handoff.run(["--now", now, "--definition", draft, "--format", "json", "-c", "definition log"]).json.first?["result"] as? [String: Any])
        #expect((logged["versions"] as? [[String: Any]])?.map { $0["in_force_now"] as? Bool } == [false, true])
        // The draft against the version in force, named as such.
        let compared = try handoff.run(["--now", now, "--definition", draft, "-c", "definition diff"]).stdout
        #expect(compared.hasPrefix("From version 2026.11-1 (in force from "), "\(compared)")
        #expect(compared.contains("to version 2026.12-draft: 1 change"), "\(compared)")

        func versions() throws -> [String] {
            let log = try handoff.run(["--now", now, "--format", "json", "-c", "definition log"])
            return try #require((log.json.first?["result"] as? [String: Any])?["versions"] as? [[String: Any]]).map { $0["version"] as! String }
        }
        #expect(try versions() == ["2026.09-1", "2026.11-1"])
        // Nor do commands that write and changed nothing: refused, a dry run, a file not there.
        let leads = handoff.write("one.csv", "external_id,name\nn-1,New Lead\n")
        for line in ["accept tony stark", "import leads \(leads) --dry-run", "import leads \(handoff.home)/not-there.csv", "definition init \(handoff.home)/copy.yaml"] {
            _ = try handoff.run(["--now", now, "--definition", draft, "-c", line])
            #expect(try versions() == ["2026.09-1", "2026.11-1"], "\(line)")
        }
        // The weekly report on the draft says it is tried, not in force, wherever it names it.
        let triedWeek = try handoff.run(["--now", now, "--definition", draft, "-c", "report week"]).stdout
        #expect(triedWeek.contains("the definition this run tries (version 2026.12-draft, from \(draft), not in force)"), "\(triedWeek)")
        #expect(triedWeek.contains("This run tries version 2026.12-draft from \(draft), which is not in force"), "\(triedWeek)")
        #expect(!triedWeek.contains("the definition in force (version 2026.12-draft)"))
        let week = try #require(try handoff.run(["--now", now, "--format", "json", "-c", "report week"]).json.first?["result"] as? [String: Any])
        #expect(((week["definition_changes"] as? [String: Any])?["came_into_force"] as? [Any])?.isEmpty == true)

        // A change to the data under it puts it in force, from then, by who made the change; a run
        // with no file keeps it, and one on the team's file puts that back, as any run of it does.
        #expect(try handoff.run(["--now", now, "--as", "sam", "--definition", draft, "-c", "accept kim wexler"]).status == 0)
        let log = try #require(try handoff.run(["--now", now, "--definition", draft, "--format", "json", "-c", "definition log"]).json.first?["result"] as? [String: Any])
        let last = try #require((log["versions"] as? [[String: Any]])?.last)
        #expect(last["version"] as? String == "2026.12-draft" && last["by"] as? String == "sam" && last["in_force_now"] as? Bool == true, "\(last)")
        #expect(try versions() == ["2026.09-1", "2026.11-1", "2026.12-draft"])
        let shown = try handoff.run(["--now", now, "-c", "definition show"]).stdout
        #expect(shown.contains("2026.12-draft"), "a run with no file answers under the version in force: \(shown.prefix(200))")
        #expect(try handoff.run(["--now", now, "-c", "definition init"]).status == 0)
        #expect(try versions() == ["2026.09-1", "2026.11-1", "2026.12-draft", "2026.11-1"])
    }

    /// `definition check` said "ok" to a file edited without raising its version; the warning came
    /// only once it was in force. It is said at the check now.
    @Test func aCheckSaysAnEditKeptTheVersionOfAnotherText() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        try handoff.run(["--now", now, "-c", "demo"])
        let draft = handoff.home + "/draft.yaml"
        #expect(try handoff.run(["-c", "definition init \(draft)"]).status == 0)
        let shipped = try String(contentsOfFile: draft, encoding: .utf8)
        #expect(try handoff.run(["--now", now, "-c", "definition check \(draft)"]).stderr.isEmpty, "the shipped text as it is in force")
        try shipped.replacingOccurrences(of: "  mql: 60\n", with: "  mql: 55\n").write(toFile: draft, atomically: true, encoding: .utf8)
        let checked = try handoff.run(["--now", now, "--format", "json", "-c", "definition check \(draft)"])
        #expect(checked.status == 0)
        let warnings = try #require((checked.json.first?["result"] as? [String: Any])?["warnings"] as? [String])
        #expect(warnings.first?.hasPrefix("version 2026.11-1 was in force from ") == true, "\(warnings)")
        #expect(warnings.first?.contains("with another text: raise `version` in this file") == true, "\(warnings)")
    }

    /// The database's definition in force is named as kept, and one that no longer reads is said
    /// to, with the built-in one answering and nothing put in force.
    @Test func aKeptDefinitionIsNamedAsKeptAndOneThatNoLongerReadsIsSaid() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        try handoff.run(["--now", now, "-c", "demo"])
        let draft = handoff.home + "/draft.yaml"
        #expect(try handoff.run(["-c", "definition init \(draft)"]).status == 0)
        try String(contentsOfFile: draft, encoding: .utf8).replacingOccurrences(of: "version: \"2026.11-1\"", with: "version: \"2026.12-team\"")
            .write(toFile: draft, atomically: true, encoding: .utf8)
        #expect(try handoff.run(["--now", now, "--definition", draft, "-c", "accept kim wexler"]).status == 0)
        try FileManager.default.removeItem(atPath: draft)
        let checked = try handoff.run(["--now", now, "-c", "definition check"])
        #expect(checked.stdout.hasPrefix("\(draft), as the database keeps it: ok — "), "the text in force, though its file is gone: \(checked.stdout)\(checked.stderr)")
        _ = try handoff.sqlite("UPDATE definitions SET text = 'version: [' WHERE version = '2026.12-team'")
        let shown = try handoff.run(["--now", now, "-c", "definition show"])
        #expect(shown.stderr.contains("the definition in force (as the database keeps it, from \(draft)) no longer reads"), "\(shown.stderr)")
        #expect(shown.stdout.contains("version 2026.11-1"))
        let log = try #require(try handoff.run(["--now", now, "--format", "json", "-c", "definition log"]).json.first?["result"] as? [String: Any])
        #expect((log["versions"] as? [[String: Any]])?.last?["version"] as? String == "2026.12-team", "nothing else was put in force")
    }

    /// `definition diff FROM` compares that version with the one in force.
    @Test func oneVersionNamedIsComparedWithTheOneInForce() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        try handoff.run(["--now", now, "-c", "demo"])
        let result = try #require(try handoff.run(["--now", now, "--format", "json", "-c", "definition diff 2026.09-1"]).json.first?["result"] as? [String: Any])
        #expect((result["from"] as? [String: Any])?["version"] as? String == "2026.09-1")
        #expect((result["to"] as? [String: Any])?["version"] as? String == "2026.11-1")
        #expect((result["changes"] as? [Any])?.count == 5)
    }
}
