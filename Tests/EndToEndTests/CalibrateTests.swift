import Foundation
import Testing

/// `definition calibrate` on X Education: points learnt from won and lost leads, a proposal that
/// `definition check` and `what if` take, and no field sales fills in after the first contact.
@Suite struct CalibrateTests {
    @Test func theProposalKeepsTheIdsLeavesOutWhatSalesWroteAndIsAValidDefinition() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        let today = try handoff.importXEducation()
        let file = handoff.home + "/proposal.yaml"
        let answer = try handoff.run(today + ["--format", "json", "-c", "definition calibrate --out \(file)"])
        #expect(answer.status == 0, "\(answer.stderr)")
        let result = try #require(answer.json.first?["result"] as? [String: Any])
        #expect(result["leads"] as? Int == 9_240)
        #expect(result["learnt_from"] as? Int == 6_468)
        #expect(result["measured_on"] as? Int == 2_772)
        #expect(result["version"] as? String == "xed-3-calibrated")

        // What sales fills in after the first call is never a candidate, and says so.
        let leftOut = try #require(result["left_out"] as? [String])
        for field in ["attribute.lead_quality", "attribute.last_activity", "attribute.Lead Profile", "attribute.Asymmetrique Activity Score", "lead.notes"] {
            #expect(leftOut.contains(field), "\(leftOut)")
        }
        let criteria = try #require(result["criteria"] as? [[String: Any]])
        #expect(criteria.allSatisfy { !leftOut.contains($0["field"] as! String) && $0["field"] as? String != "lead.notes" })
        // Every criterion of today's definition keeps its id; a new one says it is new.
        let shown = try #require(try handoff.run(today + ["--format", "json", "-c", "definition show"]).json.first?["result"] as? [String: Any])
        let ids = try #require(shown["fit"] as? [[String: Any]]).map { $0["id"] as! String }
        #expect(Array(criteria.map { $0["id"] as! String }.prefix(ids.count)) == ids)
        #expect(criteria.dropFirst(ids.count).allSatisfy { $0["was"] is NSNull && ($0["id"] as! String).hasPrefix("calibrated_") })
        // A new criterion is labelled in words, not by its field's path.
        let added = criteria.dropFirst(ids.count).map { $0["label"] as! String }
        #expect(added.contains("Total visits at least 5"), "\(added)")
        #expect(added.allSatisfy { !$0.contains("attribute.") && !$0.contains("_") }, "\(added)")

        // On the 30% it did not learn from, it ranks converters at least as well as the hand-written
        // example (0.869 there; the proposal 0.870: BENCHMARKS.md says why not the 0.89).
        let before = try #require(result["today"] as? [String: Any]), after = try #require(result["proposal"] as? [String: Any])
        #expect((after["auc"] as! Double) >= 0.865, "\(after)")
        #expect((after["auc"] as! Double) >= (before["auc"] as! Double) - 0.005, "\(before) \(after)")

        // The file is a definition: checked, compared, and the same the next time.
        let check = try handoff.run(today + ["-c", "definition check \(file)"])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout.contains("version xed-3-calibrated"))
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.contains("  # was 15 points; holds for "), "\(text)")
        let compared = try #require(try handoff.run(today + ["--format", "json", "-c", "what if definition \(file)"]).json.first?["result"] as? [String: Any])
        #expect((compared["after_contact"] as? [Any])?.isEmpty == true)
        #expect((compared["what_if"] as? [String: Any])?["mql_threshold"] as? Double == after["mql_threshold"] as? Double)
        let again = handoff.home + "/again.yaml"
        try handoff.run(today + ["-c", "definition calibrate --out \(again)"])
        #expect(try String(contentsOfFile: again, encoding: .utf8) == text)
    }

    @Test func tooFewClosedLeadsIsAClearError() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        try handoff.run(["-c", "demo"])
        let answer = try handoff.run(["-c", "definition calibrate"])
        #expect(answer.status != 0)
        #expect(answer.stderr.contains("calibration needs won and lost leads, at least 100 in all"), "\(answer.stderr)")
    }
}
