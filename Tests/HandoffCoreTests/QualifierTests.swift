import Foundation
import Testing
@testable import HandoffCore

@Suite struct QualifierTests {
    let now = Timestamp.parse("2026-11-18T12:00:00Z")!
    let definition = DefaultDefinition.load()
    var qualifier: Qualifier { Qualifier(definition: definition) }

    /// A VP at a mid-sized US software company: full fit (60 points).
    func fitLead(facts: QualificationFacts = .init(), email: String? = "vp@acme.com") -> (Lead, Account) {
        (Lead(id: 1, externalId: "L1", accountId: 1, name: "Vera Paul", email: email, title: "VP Sales", seniority: .vp,
              createdAt: now.addingTimeInterval(-86_400 * 30), facts: facts),
         Account(id: 1, name: "Acme", industry: "Software", employees: 850, country: "US"))
    }

    func event(_ kind: String, daysAgo: Double) -> EngagementEvent {
        EngagementEvent(leadId: 1, kind: kind, occurredAt: now.addingTimeInterval(-daysAgo * 86_400))
    }

    @Test func aFullFitAloneReachesMQLAndASmallCompanyStaysInNurture() {
        let (lead, account) = fitLead()
        let verdict = qualifier.verdict(for: lead, account: account, events: [], at: now)
        #expect(verdict.fit == 60)
        #expect(verdict.engagement == 0)
        #expect(verdict.kind == .mql, "60 fit points reach the MQL threshold of 60")
        let small = Account(id: 1, name: "Tiny", industry: "Software", employees: 12, country: "US")
        let nurtured = qualifier.verdict(for: lead, account: small, events: [], at: now)
        #expect(nurtured.kind == .nurture)
        #expect(nurtured.score == 45)
        #expect(nurtured.criteria.first { $0.criterion.id == "company_size" }?.passed == false)
        #expect(nurtured.nextStep.contains("15 more points to MQL"))
    }

    /// What a rep sees is what is judged: 45 fit points and 14.96 of engagement are shown as 60.0,
    /// and 60.0 reaches the MQL threshold of 60 (it did not, for the hundredths out of sight).
    @Test func theScoreShownIsTheScoreJudged() {
        let (lead, _) = fitLead()
        let small = Account(id: 1, name: "Tiny", industry: "Software", employees: 12, country: "US")
        let daysAgo = 30 * log2(30 / 14.96)
        let verdict = qualifier.verdict(for: lead, account: small, events: [event("demo_request", daysAgo: daysAgo)], at: now)
        #expect(verdict.fit == 45)
        #expect(verdict.engagement == 15)
        #expect(verdict.score == 60)
        #expect(verdict.kind == .mql)
        // And a sum of one-decimal parts is written with one decimal.
        #expect(Qualifier.shownScore(fit: 6.1, engagement: 10.3) == 16.4)
        #expect(Verdict(kind: .nurture, fit: 6.1, engagement: 10.3, criteria: [], activity: [], disqualifier: nil, unknownFacts: [],
                        missingForSQL: [], definitionVersion: "t", nextStep: "").score == 16.4)
    }

    @Test func engagementHalvesEveryHalfLifeAndRespectsCaps() {
        let (lead, _) = fitLead()
        let fresh = qualifier.verdict(for: lead, account: nil, events: [event("demo_request", daysAgo: 0)], at: now)
        #expect(fresh.engagement == 30)
        let halfLife = qualifier.verdict(for: lead, account: nil, events: [event("demo_request", daysAgo: 30)], at: now)
        #expect(halfLife.engagement == 15)
        let twoHalfLives = qualifier.verdict(for: lead, account: nil, events: [event("demo_request", daysAgo: 60)], at: now)
        #expect(twoHalfLives.engagement == 7.5)
        // Ten pricing visits today: 10 points each, capped at 20 for the kind.
        let capped = qualifier.verdict(for: lead, account: nil, events: (0..<10).map { _ in event("pricing_page_visit", daysAgo: 0) }, at: now)
        #expect(capped.engagement == 20)
        // Everything at once is capped at 60 overall.
        let all = definition.engagement.kinds.keys.flatMap { kind in (0..<5).map { _ in event(kind, daysAgo: 0) } }
        #expect(qualifier.verdict(for: lead, account: nil, events: all, at: now).engagement == 60)
        // Events after the clock and kinds the definition does not score count for nothing.
        let ignored = [event("demo_request", daysAgo: -3), event("carrier_pigeon", daysAgo: 0)]
        #expect(qualifier.verdict(for: lead, account: nil, events: ignored, at: now).engagement == 0)
    }

    @Test func everyVerdictKind() {
        let (lead, account) = fitLead()
        let demo = [event("demo_request", daysAgo: 1)]
        #expect(qualifier.verdict(for: lead, account: account, events: demo, at: now).kind == .mql)
        let (confirmed, _) = fitLead(facts: .init(budget: true, authority: true, need: true, timing: true))
        let sql = qualifier.verdict(for: confirmed, account: account, events: demo, at: now)
        #expect(sql.kind == .sql)
        #expect(sql.unknownFacts.isEmpty)
        let (denied, _) = fitLead(facts: .init(budget: false, authority: true, need: true, timing: true))
        let notYet = qualifier.verdict(for: denied, account: account, events: demo, at: now)
        #expect(notYet.kind == .mql, "a denied fact keeps a lead from SQL")
        #expect(notYet.missingForSQL == [.budget])
        #expect(notYet.nextStep.contains("budget"))
        let (personal, _) = fitLead(email: "vera@gmail.com")
        #expect(qualifier.verdict(for: personal, account: account, events: demo, at: now).kind == .disqualified)
        var cold = lead
        cold.seniority = .individual
        #expect(qualifier.verdict(for: cold, account: nil, events: [], at: now).kind == .nurture)
    }

    @Test(arguments: [
        ("competitor", "spy@rivalsoft.com", Seniority.vp, [String: String]()),
        ("student", "kid@acme.com", Seniority.student, [:]),
        ("personal_email", "me@gmail.com", Seniority.vp, [:]),
        ("do_not_contact", "vp@acme.com", Seniority.vp, ["do_not_contact": "yes"]),
        ("no_email", nil, Seniority.vp, [:]),
    ] as [(String, String?, Seniority, [String: String])])
    func eachDisqualifierFiresAndNamesItsReason(rule: String, email: String?, seniority: Seniority, attributes: [String: String]) {
        var (lead, account) = fitLead(facts: .init(budget: true, authority: true, need: true, timing: true), email: email)
        lead.seniority = seniority
        lead.attributes = attributes
        let verdict = qualifier.verdict(for: lead, account: account, events: [event("demo_request", daysAgo: 0)], at: now)
        #expect(verdict.kind == .disqualified)
        #expect(verdict.disqualifier?.id == rule)
        #expect(verdict.nextStep.hasPrefix("Do not hand to sales"))
        #expect(verdict.definitionVersion == definition.version)
    }
}

@Suite struct DefinitionReportMathTests {
    func judged(_ pairs: [(Double, Bool)], threshold: Double = 50) -> [DefinitionReport.Judged] {
        pairs.map { .init(score: $0.0, isMQL: $0.0 >= threshold, converted: $0.1, passed: []) }
    }

    @Test func aucCountsTiesAsHalf() {
        #expect(DefinitionReport.auc(judged([(90, true), (80, true), (20, false), (10, false)])) == 1)
        #expect(DefinitionReport.auc(judged([(10, true), (90, false)])) == 0)
        #expect(DefinitionReport.auc(judged([(50, true), (50, false)])) == 0.5)
        // 3 converters, 2 non-converters: pairs (60>40 ✓, 60>50 ✓, 50=50 ½, 50>40 ✓, 30<40 ✗, 30<50 ✗) = 3.5 / 6
        #expect(DefinitionReport.auc(judged([(60, true), (50, true), (30, true), (40, false), (50, false)])) == 3.5 / 6)
        #expect(DefinitionReport.auc(judged([(60, true)])) == nil)
    }

    @Test func precisionRecallAndLiftFollowTheirDefinitions() {
        let report = DefinitionReport(judged: judged([(90, true), (70, false), (60, true), (20, true), (10, false), (5, false)]), criteria: [])
        #expect(report.mqls == 3)
        #expect(report.precision == 2.0 / 3)
        #expect(report.recall == 2.0 / 3)
        #expect(report.baseRate == 0.5)
        #expect(report.lift == (2.0 / 3) / 0.5)
        #expect(report.nonMQLConversion == 1.0 / 3)
    }

    /// X Education's 1,409 leads at exactly 20 points fell in two bands that read 60.9% and 86.3%:
    /// a band is cut only where the score changes, at the change nearest its fifth.
    @Test func leadsWithOneScoreAreOneBand() {
        // Ten leads: the fifth at 2 and 4 falls inside the run of 20s (positions 1–5).
        let scores: [Double] = [10, 20, 20, 20, 20, 20, 30, 40, 50, 60]
        #expect(DefinitionReport.bandCuts(scores) == [0..<1, 1..<6, 6..<8, 8..<10])
        let report = DefinitionReport(judged: judged(scores.enumerated().map { ($0.element, $0.offset % 2 == 0) }), criteria: [])
        #expect(report.bands.map(\.label) == ["10", "20", "30–40", "50–60"])
        #expect(report.bands.map(\.leads) == [1, 5, 2, 2])
        // One score throughout is one band; distinct scores are fifths.
        #expect(DefinitionReport.bandCuts(Array(repeating: 5, count: 7)) == [0..<7])
        #expect(DefinitionReport.bandCuts((0..<10).map(Double.init)) == [0..<2, 2..<4, 4..<6, 6..<8, 8..<10])
    }
}
