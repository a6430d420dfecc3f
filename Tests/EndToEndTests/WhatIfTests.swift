import Foundation
import Testing

/// `what if`: a changed definition's report beside today's, recomputed here from what `leads`
/// exports and from `definition report` run on the changed file itself.
@Suite struct WhatIfTests {
    let now = "2026-11-18T15:30:00Z"

    static func judgedLeads(_ handoff: HandoffBinary, _ arguments: [String]) throws -> [[String: Any]] {
        let listed = try handoff.run(arguments + ["--format", "json", "-c", "leads --limit 100000"])
        return try #require((listed.json.first?["result"] as? [String: Any])?["leads"] as? [[String: Any]])
    }

    /// Precision and recall of "MQL at `threshold`" over the leads with a known outcome, and which
    /// open leads cross it, from each lead's score, verdict and outcome.
    static func atThreshold(_ leads: [[String: Any]], _ threshold: Double)
        -> (mqls: Int, precision: Double?, recall: Double?, enter: Set<String>, leave: Set<String>)
    {
        var mqls = 0, truePositives = 0, won = 0
        var enter = Set<String>(), leave = Set<String>()
        for judged in leads {
            let lead = judged["lead"] as! [String: Any], verdict = judged["verdict"] as! [String: Any]
            let scored = verdict["verdict"] as! String != "disqualified"
            let isMQL = scored && verdict["score"] as! Double >= threshold
            let wasMQL = ["mql", "sql"].contains(verdict["verdict"] as! String)
            switch lead["outcome"] as! String {
            case "open" where lead["stage"] as? String == "disqualified":
                continue  // a rep ruled it out: not in the open pipeline
            case "open":
                if isMQL && !wasMQL { enter.insert(lead["name"] as! String) }
                if wasMQL && !isMQL { leave.insert(lead["name"] as! String) }
            case let outcome:
                if outcome == "won" { won += 1 }
                if isMQL { mqls += 1 }
                if isMQL && outcome == "won" { truePositives += 1 }
            }
        }
        return (mqls, mqls == 0 ? nil : Double(truePositives) / Double(mqls), won == 0 ? nil : Double(truePositives) / Double(won), enter, leave)
    }

    static func digest(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    @Test func aThresholdChangeIsTheReportAtThatThresholdAndNamesTheOpenLeadsItMoves() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        try handoff.run(["--now", now, "-c", "demo"])
        let leads = try Self.judgedLeads(handoff, ["--now", now])
        let before = try Self.digest(handoff.database)

        let answer = try handoff.run(["--now", now, "--format", "json", "-c", "what if mql 50 --list"])
        #expect(answer.status == 0, "\(answer.stderr)")
        #expect(answer.json.first?["command"] as? String == "what if")
        let result = try #require(answer.json.first?["result"] as? [String: Any])
        let expected = Self.atThreshold(leads, 50)
        let today = Self.atThreshold(leads, 60)
        let whatIf = try #require(result["what_if"] as? [String: Any])
        #expect(whatIf["mqls"] as? Int == expected.mqls)
        #expect(whatIf["precision"] as? Double == expected.precision)
        #expect(whatIf["recall"] as? Double == expected.recall)
        #expect((result["today"] as? [String: Any])?["mqls"] as? Int == today.mqls)
        #expect(result["enter_mql"] as? Int == expected.enter.count)
        #expect(result["leave_mql"] as? Int == expected.leave.count)
        #expect(!expected.enter.isEmpty, "the demo has open leads between 50 and 60 points")
        let moved = try #require(result["moved"] as? [[String: Any]])
        #expect(Set(moved.compactMap { ($0["lead"] as? [String: Any])?["name"] as? String }) == expected.enter.union(expected.leave))
        #expect(moved.allSatisfy { $0["today"] as? String == "nurture" && $0["what_if"] as? String == "mql" })

        // As a person reads it, and nothing was written.
        let text = try handoff.run(["--now", now, "-c", "what would happen if we raised the mql bar to 70"]).stdout
        #expect(text.hasPrefix("What if the MQL threshold were 70 points (today 60), and sales-ready with it (today 60)? Nothing is written."), "\(text)")
        let raised = Self.atThreshold(leads, 70)
        #expect(text.contains("\(raised.enter.count) would become MQL and \(raised.leave.count) would stop being one"), "\(text)")
        let listed = try handoff.run(["--now", now, "-c", "what if mql 50 --list"]).stdout
        for name in expected.enter {
            #expect(listed.split(separator: "\n").contains { $0.hasPrefix("  \(name) ") && $0.contains("nurture → MQL") }, "\(listed)")
        }
        #expect(try Self.digest(handoff.database) == before)
    }

    /// On X Education: `what if definition FILE` gives the figures `definition report` gives with
    /// that file in force, and warns when it scores what sales wrote after the call; a changed
    /// criterion's points give what the file with those points gives.
    @Test func aChangedDefinitionGivesWhatItsOwnReportGives() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        let root = HandoffBinary.repositoryRoot
        let today = try handoff.importXEducation()

        func report(_ definition: String) throws -> [String: Any] {
            try #require(try handoff.run(["--definition", definition, "--format", "json", "-c", "definition report"]).json.first?["result"] as? [String: Any])
        }
        func expectSame(_ whatIf: [String: Any], _ report: [String: Any]) {
            for key in ["mqls", "true_positives", "precision", "recall", "lift", "auc"] {
                #expect("\(whatIf[key] ?? "none")" == "\(report[key] ?? "none")", "\(key)")
            }
        }

        let old = "\(root)/Tests/EndToEndTests/Fixtures/x-education-xed-1.yaml"
        let answer = try handoff.run(today + ["--format", "json", "-c", "what if definition \(old)"])
        let result = try #require(answer.json.first?["result"] as? [String: Any])
        expectSame(try #require(result["what_if"] as? [String: Any]), try report(old))
        expectSame(try #require(result["today"] as? [String: Any]), try report(today[1]))
        #expect((result["after_contact"] as? [String])?.contains("high_relevance") == true, "\(result)")
        let warned = try handoff.run(today + ["-c", "what if definition \(old)"]).stderr
        #expect(warned.contains("warning: the changed definition scores what sales fills in after the first contact ('"), "\(warned)")

        // 'Working professional' at 30 points, as a file and as a what-if.
        let edited = try String(contentsOfFile: today[1], encoding: .utf8).replacingOccurrences(
            of: "    in: [Working Professional]\n    points: 20", with: "    in: [Working Professional]\n    points: 30")
        #expect(edited.contains("points: 30"))
        let path = handoff.home + "/edited.yaml"
        try edited.write(toFile: path, atomically: true, encoding: .utf8)
        let changed = try #require(try handoff.run(today + ["--format", "json", "-c", "what if working professional 30"]).json.first?["result"] as? [String: Any])
        #expect((changed["change"] as? [String: Any])?["target"] as? String == "working_professional")
        expectSame(try #require(changed["what_if"] as? [String: Any]), try report(path))
    }

    /// A threshold alone keeps every score, and the answer says what the whole edited file says:
    /// the same figures, and the same open leads moved, in and out of sales-ready too.
    @Test func aThresholdGivesWhatTheFileWithThatThresholdGives() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        try handoff.run(["--now", now, "-c", "demo"])
        let file = handoff.home + "/today.yaml"
        #expect(try handoff.run(["-c", "definition init \(file)"]).status == 0)
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.contains("  mql: 60\n  sql:\n    min_score: 60\n"), "\(text)")
        for (line, mql, sql) in [("what if sql 80", 60, 80), ("what if mql 50", 50, 60), ("what if mql 75", 75, 75)] {
            let edited = handoff.home + "/edited.yaml"
            try text.replacingOccurrences(of: "  mql: 60\n  sql:\n    min_score: 60\n", with: "  mql: \(mql)\n  sql:\n    min_score: \(sql)\n")
                .write(toFile: edited, atomically: true, encoding: .utf8)
            func answer(_ command: String) throws -> [String: Any] {
                let run = try handoff.run(["--now", now, "--format", "json", "-c", command + " --list"])
                return try #require(run.json.first?["result"] as? [String: Any], "\(run.stderr)")
            }
            let (asked, whole) = (try answer(line), try answer("what if definition \(edited)"))
            for key in ["open", "enter_mql", "leave_mql", "enter_sales_ready", "leave_sales_ready"] {
                #expect(asked[key] as? Int == whole[key] as? Int, "\(line): \(key)")
            }
            for side in ["today", "what_if"] {
                let (a, b) = (try #require(asked[side] as? [String: Any]), try #require(whole[side] as? [String: Any]))
                for key in ["mql_threshold", "sql_threshold", "mqls", "true_positives", "precision", "recall", "lift", "auc"] {
                    #expect("\(a[key] ?? "none")" == "\(b[key] ?? "none")", "\(line): \(side) \(key)")
                }
            }
            let moved = { (result: [String: Any]) in (result["moved"] as? [[String: Any]] ?? []).map { "\(($0["lead"] as? [String: Any])?["name"] ?? "") \($0["today"] ?? "") \($0["what_if"] ?? "")" } }
            #expect(moved(asked) == moved(whole), "\(line)")
        }
        let raised = try #require(try handoff.run(["--now", now, "--format", "json", "-c", "what if sql 80"]).json.first?["result"] as? [String: Any])
        #expect((raised["leave_sales_ready"] as? Int ?? 0) > 0, "the demo has sales-ready leads between 60 and 80 points")
    }

    /// Raising the MQL bar past sales-ready's raises that too, and the answer says so; an event
    /// kind is found by its words in any form.
    @Test func theAnswerSaysEverythingTheChangeMoves() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        try handoff.run(["--now", now, "-c", "demo"])
        let raised = try handoff.run(["--now", now, "--format", "json", "-c", "what if mql 100"])
        let result = try #require(raised.json.first?["result"] as? [String: Any])
        #expect((result["change"] as? [String: Any])?["sql_to"] as? Double == 100)
        #expect((result["what_if"] as? [String: Any])?["sql_threshold"] as? Double == 100)
        let text = try handoff.run(["--now", now, "-c", "what if mql 100"]).stdout
        #expect(text.hasPrefix("What if the MQL threshold were 100 points (today 60), and sales-ready with it (today 60)?"), "\(text)")
        let trials = try handoff.run(["--now", now, "--format", "json", "-c", "what if we scored free trials at 30"])
        #expect(trials.json.first?["command"] as? String == "what if", "\(trials.stderr)")
        #expect(((trials.json.first?["result"] as? [String: Any])?["change"] as? [String: Any])?["target"] as? String == "free_trial")
        // A criterion by the words of its label, as `definition show` shows it beside its id.
        let shown = try handoff.run(["--now", now, "-c", "definition show"]).stdout
        #expect(shown.contains("  Manager                  manager_role"), "\(shown)")
        for line in ["what if manager 20", "what if Manager 20", "what if manager_role 20"] {
            let answer = try handoff.run(["--now", now, "--format", "json", "-c", line])
            #expect(((answer.json.first?["result"] as? [String: Any])?["change"] as? [String: Any])?["target"] as? String == "manager_role", "\(line): \(answer.stderr)")
        }
        let country = try handoff.run(["--now", now, "--format", "json", "-c", "what if sells where we do 10"])
        #expect(((country.json.first?["result"] as? [String: Any])?["change"] as? [String: Any])?["target"] as? String == "target_country", "\(country.stderr)")
        // A word only one criterion's id has finds it ("senior" is senior_role's); one two share does not.
        let senior = try handoff.run(["--now", now, "--format", "json", "-c", "what if senior 30"])
        #expect(((senior.json.first?["result"] as? [String: Any])?["change"] as? [String: Any])?["target"] as? String == "senior_role", "\(senior.stderr)")
        #expect(try handoff.run(["--now", now, "-c", "what if role 30"]).stderr.contains("'role 30' names nothing the definition scores"))
    }

    @Test func aChangeThatNamesNothingSaysWhatCanBeChanged() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        let unknown = try handoff.run(["-c", "what if frobnicate 3"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("'frobnicate 3' names nothing the definition scores"), "\(unknown.stderr)")
        #expect(unknown.stderr.contains("`what if mql 70`"), "\(unknown.stderr)")
        let two = try handoff.run(["-c", "what if mql 70 and webinar_attended 20"])
        #expect(two.stderr.contains("one change at a time: 'mql 70 and webinar_attended 20' has 2 numbers"), "\(two.stderr)")
        // A criterion named without its points is asked about in words.
        let bare = try handoff.run(["-c", "what if senior"])
        #expect(bare.stderr.contains("what should the points of 'Director, VP or C-level' be? `what if senior_role 15`"), "\(bare.stderr)")
        let event = try handoff.run(["-c", "what if webinar_attended"])
        #expect(event.stderr.contains("what should the points of an event of webinar_attended be?"), "\(event.stderr)")
        let none = try handoff.run(["-c", "what if mql nan"])
        #expect(none.status != 0, "\(none.stdout)")
        let below = try handoff.run(["-c", "what if sql 50"])
        #expect(below.stderr.contains("sales-ready at 50 would be below the MQL threshold (60)"), "\(below.stderr)")
        let missing = try handoff.run(["-c", "what if definition /nonexistent/draft.yaml"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("/nonexistent/draft.yaml"), "\(missing.stderr)")
    }
}
