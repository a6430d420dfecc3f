import Foundation
import Testing

/// `grid`: the fit × engagement grid, recomputed here from the verdicts and outcomes `leads` exports.
@Suite struct GridTests {
    let now = "2026-11-18T15:30:00Z"

    /// Each cell's leads, won and lost, counted from `leads --format json` at the bands the answer
    /// names, leaving out the disqualified (by a rule or a rep) and the leads created before `since`.
    static func expectedCells(leads: [[String: Any]], bands: [String: Any], since: Date? = nil) throws
        -> (cells: [String: (leads: Int, won: Int, lost: Int)], disqualified: Int)
    {
        let fit = try #require(bands["fit"] as? [String: Double])
        let engagement = try #require(bands["engagement"] as? [String: Double])
        var cells: [String: (leads: Int, won: Int, lost: Int)] = [:]
        var disqualified = 0
        for judged in leads {
            let lead = judged["lead"] as! [String: Any], verdict = judged["verdict"] as! [String: Any]
            if let since, SourcesTests.date(lead["created_at"] as! String) < since { continue }
            if verdict["verdict"] as? String == "disqualified" || lead["stage"] as? String == "disqualified" {
                disqualified += 1
                continue
            }
            let points = (fit: verdict["fit"] as! Double, engagement: verdict["engagement"] as! Double)
            let grade = points.fit >= fit["A"]! ? "A" : points.fit >= fit["B"]! ? "B" : "C"
            let column = points.engagement >= engagement["1"]! ? "1" : points.engagement >= engagement["2"]! ? "2" : "3"
            var cell = cells[grade + column] ?? (0, 0, 0)
            cell.leads += 1
            if lead["outcome"] as? String == "won" { cell.won += 1 }
            if lead["outcome"] as? String == "lost" { cell.lost += 1 }
            cells[grade + column] = cell
        }
        return (cells, disqualified)
    }

    static func check(_ result: [String: Any], against expected: (cells: [String: (leads: Int, won: Int, lost: Int)], disqualified: Int)) throws {
        let cells = try #require(result["cells"] as? [[String: Any]])
        #expect(cells.map { "\($0["fit"]!)\($0["engagement"]!)" } == ["A1", "A2", "A3", "B1", "B2", "B3", "C1", "C2", "C3"])
        for cell in cells {
            let name = "\(cell["fit"]!)\(cell["engagement"]!)"
            let want = expected.cells[name] ?? (0, 0, 0)
            #expect(cell["leads"] as? Int == want.leads, "\(name)")
            #expect(cell["won"] as? Int == want.won, "\(name)")
            #expect(cell["lost"] as? Int == want.lost, "\(name)")
            if want.won + want.lost == 0 {
                #expect(cell["conversion"] is NSNull, "\(name)")
            } else {
                #expect(cell["conversion"] as? Double == Double(want.won) / Double(want.won + want.lost), "\(name)")
            }
        }
        #expect(result["disqualified"] as? Int == expected.disqualified)
        #expect(result["leads"] as? Int == expected.cells.values.reduce(0) { $0 + $1.leads })
    }

    @Test func eachCellIsWhatTheVerdictsAndOutcomesOfItsLeadsSay() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        try handoff.run(["--now", now, "-c", "demo"])
        let answer = try handoff.run(["--now", now, "--format", "json", "-c", "show the fit and engagement grid"])
        #expect(answer.status == 0, "\(answer.stderr)")
        #expect(answer.json.first?["command"] as? String == "grid")
        let result = try #require(answer.json.first?["result"] as? [String: Any])
        let bands = try #require(result["bands"] as? [String: Any])
        // The built-in definition agrees its bands: A at 40 fit points, B at 20; engagement 1 at 30, 2 at 10.
        #expect(bands["fit"] as? [String: Double] == ["A": 40, "B": 20])
        #expect(bands["engagement"] as? [String: Double] == ["1": 30, "2": 10])
        #expect(bands["agreed"] as? Bool == true)

        let listed = try handoff.run(["--now", now, "--format", "json", "-c", "leads --limit 1000"])
        let leads = try #require((listed.json.first?["result"] as? [String: Any])?["leads"] as? [[String: Any]])
        let expected = try Self.expectedCells(leads: leads, bands: bands)
        try Self.check(result, against: expected)
        // The demo fills more than one row and column, and has cells where leads closed.
        #expect(Set(expected.cells.keys.map(\.first)).count > 1 && Set(expected.cells.keys.map(\.last)).count > 1, "\(expected.cells)")
        #expect(expected.cells.values.contains { $0.won + $0.lost > 0 })

        // The same in a period: only the leads created in it.
        let recent = try handoff.run(["--now", now, "--format", "json", "-c", "grid since 2026-11-01"])
        let recentResult = try #require(recent.json.first?["result"] as? [String: Any])
        try Self.check(recentResult, against: try Self.expectedCells(leads: leads, bands: bands, since: SourcesTests.date("2026-11-01T00:00:00Z")))

        // As a person reads it: the bands on the rows and columns, and who is left out.
        let text = try handoff.run(["--now", now, "-c", "grid"]).stdout
        #expect(text.contains("Fit × engagement: \(result["leads"] as! Int) leads"), "\(text)")
        #expect(text.contains("A (fit ≥ 40)") && text.contains("C (< 20)") && text.contains("1 (engagement ≥ 30)") && text.contains("3 (< 10)"), "\(text)")
        #expect(text.contains("Won, of the leads that closed in each cell"), "\(text)")
        #expect(text.contains("\(result["disqualified"] as! Int) disqualified leads (by a rule of the definition or by a rep) are left out"), "\(text)")
        #expect(text.contains("Bands as the definition agrees them (`grid:`)"), "\(text)")
    }

    /// X Education's definition sets no bands and scores no engagement: the fit bands are thirds
    /// of its most fit points, every lead is a 3, and `definition report` shows the grid on the
    /// leads with a known outcome.
    @Test func aDefinitionWithoutBandsGetsThirdsAndTheReportShowsTheGrid() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        let definition = try handoff.importXEducation()

        let shown = try handoff.run(definition + ["--format", "json", "-c", "definition show"])
        let fit = try #require((shown.json.first?["result"] as? [String: Any])?["fit"] as? [[String: Any]])
        let most = fit.reduce(0.0) { $0 + max($1["points"] as! Double, 0) }
        let answer = try handoff.run(definition + ["--format", "json", "-c", "grid"])
        let result = try #require(answer.json.first?["result"] as? [String: Any])
        let bands = try #require(result["bands"] as? [String: Any])
        #expect(bands["agreed"] as? Bool == false)
        #expect((bands["fit"] as? [String: Double])?["A"] == (most * 2 / 3 * 10).rounded() / 10)
        #expect((bands["fit"] as? [String: Double])?["B"] == (most / 3 * 10).rounded() / 10)
        #expect((bands["engagement"] as? [String: Any])?["1"] is NSNull)
        let cells = try #require(result["cells"] as? [[String: Any]])
        #expect(cells.filter { $0["engagement"] as? String != "3" }.allSatisfy { $0["leads"] as? Int == 0 })
        #expect(result["leads"] as? Int == 9_240 - (result["disqualified"] as! Int))
        let text = try handoff.run(definition + ["-c", "grid"]).stdout
        #expect(text.contains("3 (all: the definition scores no engagement)"), "\(text)")
        #expect(text.contains("The definition sets no bands (`grid:`)"), "\(text)")

        // The report's grid is on the leads with a known outcome, and each cell's conversion is its won of its closed.
        let report = try #require(try handoff.run(definition + ["--format", "json", "-c", "definition report"]).json.first?["result"] as? [String: Any])
        let reportGrid = try #require(report["grid"] as? [String: Any])
        #expect((reportGrid["leads"] as! Int) + (reportGrid["disqualified"] as! Int) == report["leads"] as? Int)
        let reportCells = try #require(reportGrid["cells"] as? [[String: Any]])
        #expect(reportCells.reduce(0) { $0 + ($1["won"] as! Int) + ($1["lost"] as! Int) } == reportGrid["leads"] as? Int)
        let won = zip(cells, reportCells).map { ($0["won"] as! Int, $1["won"] as! Int) }
        #expect(won.allSatisfy { $0.0 == $0.1 }, "\(won)")
    }

    @Test func bandsOutOfOrderAreRefusedAtTheirLine() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        let text = try String(contentsOfFile: "\(HandoffBinary.repositoryRoot)/examples/x-education/definition.yaml", encoding: .utf8)
            + "\ngrid:\n  fit: { A: 10, B: 20 }\n  engagement: { 1: 30, 2: 10 }\n"
        let path = handoff.home + "/definition.yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let line = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("  fit: { A: 10") }! + 1
        let answer = try handoff.run(["-c", "definition check \(path)"])
        #expect(answer.status != 0)
        #expect(answer.stderr.contains("\(path):\(line)"), "\(answer.stderr)")
        #expect(answer.stderr.contains("grid.fit.A (10) must be more points than grid.fit.B (20)"), "\(answer.stderr)")
    }
}
