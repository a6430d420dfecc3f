import Foundation
import Testing

/// The measure the hand-off is judged by, on real data: X Education's 9,240 leads.
@Suite struct DefinitionReportTests {
    static let root = HandoffBinary.repositoryRoot
    static let csv = "\(root)/../shared/data/x-education/Leads.csv"

    @Test func theXEducationDefinitionSeparatesConvertersAndAnIndependentComputationAgrees() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        let definition = "\(Self.root)/examples/x-education/definition.yaml"
        let imported = try handoff.run(["-c", "import leads \(Self.csv) --mapping \(Self.root)/examples/x-education/mapping.yaml"])
        #expect(imported.status == 0, "\(imported.stderr)")

        let report = try handoff.run(["--definition", definition, "--format", "json", "-c", "definition report"])
        #expect(report.status == 0, "\(report.stderr)")
        let figures = try #require(report.json.first?["result"] as? [String: Any])
        let auc = try #require(figures["auc"] as? Double)
        let precision = try #require(figures["precision"] as? Double)
        #expect(auc >= 0.85)
        #expect(precision >= 0.80)
        #expect(figures["leads"] as? Int == 9_240)
        #expect(figures["converted"] as? Int == 3_561)

        // Recompute every figure from the per-lead scores the lead export carries.
        let export = try handoff.run(["--definition", definition, "--format", "json", "-c", "leads --limit 10000"])
        let leads = try #require((export.json.first?["result"] as? [String: Any])?["leads"] as? [[String: Any]])
        #expect(leads.count == 9_240)
        let rows = leads.map { (score: $0["score"] as! Double, mql: ["mql", "sql"].contains($0["verdict"] as! String), won: $0["outcome"] as! String == "won") }
        let positives = rows.filter(\.won).count
        let negatives = rows.count - positives
        var concordant = 0.0
        let negativeScores = rows.filter { !$0.won }.map(\.score).sorted()
        for row in rows where row.won {
            // Count non-converters scoring below (1) or equal (½) by binary search over the sorted scores.
            let below = negativeScores.partitioningIndex { $0 >= row.score }
            let notAbove = negativeScores.partitioningIndex { $0 > row.score }
            concordant += Double(below) + Double(notAbove - below) / 2
        }
        let independentAUC = concordant / Double(positives * negatives)
        let mqls = rows.filter(\.mql)
        let truePositives = mqls.filter(\.won).count
        #expect(abs(independentAUC - auc) < 1e-9)
        #expect(abs(Double(truePositives) / Double(mqls.count) - precision) < 1e-9)
        #expect(abs(Double(truePositives) / Double(positives) - (figures["recall"] as! Double)) < 1e-9)
        #expect(figures["mqls"] as? Int == mqls.count)
        let baseRate = Double(positives) / Double(rows.count)
        #expect(abs(Double(truePositives) / Double(mqls.count) / baseRate - (figures["lift"] as! Double)) < 1e-9)
    }

    @Test func theReportNeedsLeadsWithAKnownOutcome() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        let result = try handoff.run(["-c", "definition report"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("no lead has a known outcome yet"))
    }
}

extension Array {
    /// The first index whose element satisfies `predicate`, for a predicate that is false then true.
    func partitioningIndex(where predicate: (Element) -> Bool) -> Int {
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if predicate(self[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
