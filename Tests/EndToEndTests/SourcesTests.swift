import Foundation
import Testing

/// `sources`: lead value by source, recomputed here from what `leads` and `history` export.
@Suite struct SourcesTests {
    let now = "2026-11-18T15:30:00Z"

    static func date(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    @Test func eachSourcesFiguresAreWhatItsLeadsAndTheirHistoriesSay() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        try handoff.run(["--now", now, "-c", "demo"])
        let answer = try handoff.run(["--now", now, "--format", "json", "-c", "which sources convert best?"])
        #expect(answer.status == 0, "\(answer.stderr)")
        let result = try #require(answer.json.first?["result"] as? [String: Any])
        #expect(answer.json.first?["command"] as? String == "sources")
        let sources = try #require(result["sources"] as? [[String: Any]])

        let listed = try handoff.run(["--now", now, "--format", "json", "-c", "leads --limit 1000"])
        let leads = try #require((listed.json.first?["result"] as? [String: Any])?["leads"] as? [[String: Any]]).map { $0["lead"] as! [String: Any] }
        #expect(result["leads"] as? Int == leads.count)
        let rank = ["inquiry": 0, "mql": 1, "sal": 2, "sql": 3, "opportunity": 4, "won": 5]
        var expected: [String: (leads: Int, mql: Int, sql: Int, won: Int, lost: Int, disqualified: Int, marketing: [Double], cycle: [Double])] = [:]
        for lead in leads {
            let history = try handoff.run(["--now", now, "--format", "json", "-c", "history \(lead["external_id"] as! String)"])
            let moves = try #require((history.json.first?["result"] as? [String: Any])?["transitions"] as? [[String: Any]])
            let source = lead["source"] as? String ?? ""
            var tally = expected[source] ?? (0, 0, 0, 0, 0, 0, [], [])
            tally.leads += 1
            let furthest = (moves.compactMap { rank[$0["to"] as! String] } + [rank[lead["stage"] as! String]].compactMap { $0 }).max() ?? 0
            if furthest >= 1 { tally.mql += 1 }
            if furthest >= 3 { tally.sql += 1 }
            if lead["outcome"] as? String == "won" { tally.won += 1 }
            if lead["outcome"] as? String == "lost" { tally.lost += 1 }
            if lead["stage"] as? String == "disqualified" { tally.disqualified += 1 }
            let created = Self.date(lead["created_at"] as! String)
            let accepted = moves.first { move in
                guard let from = move["from"] as? String, let to = rank[move["to"] as! String], to >= 2, move["to"] as! String != "lost" else { return false }
                return (rank[from] ?? 0) < 2
            }
            if let accepted {
                let at = Self.date(accepted["at"] as! String)
                tally.marketing.append(at.timeIntervalSince(created) / 86_400)
                let outcome = lead["outcome"] as! String
                if outcome != "open", let closed = moves.last(where: { $0["to"] as! String == outcome && $0["from"] is String && Self.date($0["at"] as! String) >= at }) {
                    tally.cycle.append(Self.date(closed["at"] as! String).timeIntervalSince(at) / 86_400)
                }
            }
            expected[source] = tally
        }
        #expect(sources.count == expected.count)
        for row in sources {
            let source = row["source"] as? String ?? ""
            let tally = try #require(expected[source], "\(source)")
            #expect(row["leads"] as? Int == tally.leads, "\(source)")
            #expect(row["mql"] as? Int == tally.mql, "\(source)")
            #expect(row["sql"] as? Int == tally.sql, "\(source)")
            #expect(row["won"] as? Int == tally.won, "\(source)")
            #expect(row["lost"] as? Int == tally.lost, "\(source)")
            #expect(row["disqualified"] as? Int == tally.disqualified, "\(source)")
            #expect(row["with_marketing_leads"] as? Int == tally.marketing.count, "\(source)")
            #expect(row["sales_cycle_leads"] as? Int == tally.cycle.count, "\(source)")
            #expect((row["median_days_with_marketing"] as? Double).map { abs($0 - Self.median(tally.marketing)!) < 1e-6 } ?? tally.marketing.isEmpty, "\(source)")
            #expect((row["median_days_sales_cycle"] as? Double).map { abs($0 - Self.median(tally.cycle)!) < 1e-6 } ?? tally.cycle.isEmpty, "\(source)")
        }
        // The demo has sources that won, that sales accepted and closed, and leads that never moved.
        #expect(sources.contains { ($0["won"] as? Int ?? 0) > 0 })
        #expect(sources.contains { ($0["sales_cycle_leads"] as? Int ?? 0) > 0 })
        #expect(result["came_in_closed_or_later"] as? Int == 0)

        // A close someone undid is no close: the lead leaves the sales cycle again.
        let webinar = { () throws -> Int in
            let rows = try #require(try handoff.run(["--now", self.now, "--format", "json", "-c", "sources"]).json.first?["result"] as? [String: Any])
            return ((rows["sources"] as! [[String: Any]]).first { $0["source"] as? String == "webinar" }!)["sales_cycle_leads"] as! Int
        }
        let before = try webinar()
        #expect(try handoff.run(["--now", now, "-c", "stage wile coyote won"]).status == 0)
        #expect(try webinar() == before + 1)
        #expect(try handoff.run(["--now", now, "-c", "undo wile coyote"]).status == 0)
        #expect(try webinar() == before)

        // An accept someone undid is no acceptance, in `sources` and in `funnel` alike.
        func standing() throws -> (marketing: Int, sal: Int) {
            let sources = try #require(try handoff.run(["--now", self.now, "--format", "json", "-c", "sources"]).json.first?["result"] as? [String: Any])
            let webinar = (sources["sources"] as! [[String: Any]]).first { $0["source"] as? String == "webinar" }!
            let funnel = try #require(try handoff.run(["--now", self.now, "--format", "json", "-c", "funnel"]).json.first?["result"] as? [String: Any])
            let sal = (funnel["stages"] as! [[String: Any]]).first { $0["stage"] as? String == "sal" }!
            return (webinar["with_marketing_leads"] as! Int, sal["leads"] as! Int)
        }
        let untouched = try standing()
        #expect(try handoff.run(["--now", now, "-c", "accept mindy simmons"]).status == 0)
        let accepted = try standing()
        #expect(accepted.marketing == untouched.marketing + 1 && accepted.sal == untouched.sal + 1)
        #expect(try handoff.run(["--now", now, "-c", "undo mindy simmons"]).status == 0)
        let undone = try standing()
        #expect(undone.marketing == untouched.marketing && undone.sal == untouched.sal)
        #expect(sources.map { $0["leads"] as! Int } == sources.map { $0["leads"] as! Int }.sorted(by: >), "most leads first")

        let text = try handoff.run(["--now", now, "-c", "sources"])
        #expect(text.stdout.hasPrefix("Lead value by source: 40 leads\n"))
        #expect(text.stdout.contains("  trade show      4  100.0%  50.0%  50.0%   0.0%         25.0%   25.0 days (3)  26.3 days (2)"), "half a tenth rounds up: \(text.stdout)")
    }

    /// X Education's leads came in won or lost: they are counted where they came in, and said to be.
    @Test func leadsImportedClosedAreCountedAndSaidToBe() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        let root = HandoffBinary.repositoryRoot
        #expect(try handoff.run([
            "--definition", "\(root)/examples/x-education/definition.yaml",
            "-c", "import leads \(DefinitionReportTests.csv) --mapping \(root)/examples/x-education/mapping.yaml"]).status == 0)
        let answer = try handoff.run(["--format", "json", "-c", "lead value by source"])
        let result = try #require(answer.json.first?["result"] as? [String: Any])
        #expect(result["leads"] as? Int == 9_240)
        #expect(result["came_in_closed_or_later"] as? Int == 9_240)
        let sources = try #require(result["sources"] as? [[String: Any]])
        let reference = try #require(sources.first { $0["source"] as? String == "Reference" })
        #expect(reference["leads"] as? Int == 534)
        #expect(reference["won"] as? Int == 490)
        #expect(reference["lost"] as? Int == 44)
        #expect(reference["median_days_with_marketing"] is NSNull)
        #expect(sources.reduce(0) { $0 + ($1["won"] as! Int) } == 3_561)
        // Closed before they came, from stages nobody knows: how far they got is not counted, as
        // if only the wins had been qualified.
        #expect(sources.allSatisfy { $0["path_known"] as? Int == 0 && $0["mql"] as? Int == 0 && $0["sql"] as? Int == 0 })
        // "Google" (2,868 leads) and "google" (5) are one source.
        #expect(sources.filter { ($0["source"] as? String)?.lowercased() == "google" }.map { $0["source"] as? String } == ["Google"])
        #expect(sources.first { $0["source"] as? String == "Google" }?["leads"] as? Int == 2_873)
        let text = try handoff.run(["-c", "sources"])
        #expect(text.stderr.contains("warning: 9240 of 9240 leads came in at a later stage or closed (an import), with no move since"))
        #expect(text.stdout.contains("  Google              2873    —    —   39.9%   60.1%"), "\(text.stdout)")
        // The funnel counts them lost as well, and says nobody moved them there.
        let funnel = try #require(try handoff.run(["--format", "json", "-c", "funnel"]).json.first?["result"] as? [String: Any])
        #expect(funnel["lost"] as? Int == 5_679 && funnel["lost_by_outcome_alone"] as? Int == 5_679)
        let said = try handoff.run(["-c", "funnel"]).stdout
        #expect(said.contains("0 moves to lost (and 5679 lost by the outcome alone, with no move: an import)"), "\(said)")
        // The weekly report leaves every one of them out of the deals closed, and says how many.
        let week = try #require(try handoff.run(["--format", "json", "-c", "report week"]).json.first?["result"] as? [String: Any])
        let health = try #require(week["definition_health"] as? [String: Any])
        #expect(health["came_in_closed"] as? Int == 9_240 && health["closed"] as? Int == 0, "\(health)")
    }

    /// Where the file has a campaign column, `sources by campaign` tallies the campaigns as it
    /// tallies sources, recounted here from the leads `leads` exports with their attributes.
    @Test func campaignsAreTalliedWhereTheDataHasThem() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        let file = handoff.write("campaigns.csv", """
            external_id,name,source,stage,created_at,utm_campaign
            c1,Ann Able,webinar,inquiry,2026-11-01,Spring launch
            c2,Bob Brown,webinar,mql,2026-11-02,Spring launch
            c3,Cy Cole,paid,won,2026-11-03,Q4 retargeting
            c4,Di Dunn,paid,lost,2026-11-04,Q4 retargeting
            c5,Ed Eng,paid,inquiry,2026-11-05,

            """)
        #expect(try handoff.run(["--now", now, "-c", "import leads \(file)"]).status == 0)
        #expect(try handoff.run(["--now", now, "-c", "accept bob brown"]).status == 0)
        let answer = try handoff.run(["--now", now, "--format", "json", "-c", "which campaigns convert best?"])
        #expect(answer.json.first?["command"] as? String == "sources")
        let result = try #require(answer.json.first?["result"] as? [String: Any])
        let campaigns = try #require(result["campaigns"] as? [[String: Any]])

        let listed = try handoff.run(["--now", now, "--format", "json", "-c", "leads --limit 100"])
        let leads = try #require((listed.json.first?["result"] as? [String: Any])?["leads"] as? [[String: Any]]).map { $0["lead"] as! [String: Any] }
        var expected: [String: (leads: Int, won: Int, lost: Int)] = [:]
        for lead in leads {
            let campaign = (lead["attributes"] as? [String: String])?["utm_campaign"] ?? ""
            var tally = expected[campaign] ?? (0, 0, 0)
            tally.leads += 1
            if lead["outcome"] as? String == "won" { tally.won += 1 }
            if lead["outcome"] as? String == "lost" { tally.lost += 1 }
            expected[campaign] = tally
        }
        #expect(campaigns.count == expected.count && expected.count == 3, "two campaigns and the lead without one")
        for campaign in campaigns {
            let want = try #require(expected[campaign["campaign"] as? String ?? ""])
            #expect(campaign["leads"] as? Int == want.leads && campaign["won"] as? Int == want.won && campaign["lost"] as? Int == want.lost, "\(campaign)")
        }
        let spring = try #require(campaigns.first { $0["campaign"] as? String == "Spring launch" })
        #expect(spring["with_marketing_leads"] as? Int == 1, "Bob's accept is timed")
        #expect(campaigns.contains { $0["campaign"] is NSNull && $0["leads"] as? Int == 1 })

        let text = try handoff.run(["--now", now, "-c", "sources by campaign"])
        #expect(text.stdout.hasPrefix("Lead value by campaign: 5 leads\n  campaign "), "\(text.stdout)")
        // Data without campaigns says so, rather than showing one row of "(none)".
        try handoff.run(["--now", now, "-c", "demo"])
        let other = HandoffBinary()
        defer { other.remove() }
        try other.run(["--now", now, "-c", "demo"])
        #expect(try other.run(["--now", now, "-c", "sources by campaign"]).stdout.hasPrefix("No lead has a campaign"))
    }
}
