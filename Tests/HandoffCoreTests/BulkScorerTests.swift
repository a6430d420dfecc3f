import Foundation
import HandoffTestSupport
import Testing
@testable import HandoffCore

/// The definition report scores a million leads through `BulkScorer`; its figures must be the ones
/// `Qualifier.verdict` gives lead by lead.
@Suite struct BulkScorerTests {
    let now = Timestamp.parse("2026-11-18T12:00:30.25Z")!
    let definition = DefaultDefinition.load()

    @Test func judgesEveryLeadAsTheQualifierDoes() {
        var random = SeededGenerator(seed: 20_261_206)
        var scorer = BulkScorer(definition: definition, now: now)
        let kinds = definition.engagement.kinds.keys.sorted() + ["unscored_kind"]
        let accounts = (1...6).map { id in
            Account(
                id: Int64(id), name: "Account \(id)", industry: ["Software", "retail", "education", nil][id % 4],
                employees: [12, 850, 5000, nil, 40_000][id % 5], country: ["US", "Brazil", nil][id % 3])
        }
        for account in accounts { scorer.add(account) }
        let qualifier = Qualifier(definition: definition)
        for id in 1...400 {
            let account = Int.random(in: 0...6, using: &random) == 0 ? nil : accounts.randomElement(using: &random)
            let facts = QualificationFacts(
                budget: [true, false, nil].randomElement()!, authority: [true, nil].randomElement()!,
                need: [true, nil].randomElement()!, timing: [true, false].randomElement()!)
            let lead = Lead(
                id: Int64(id), externalId: "L\(id)", accountId: account?.id, name: "Lead \(id)",
                email: ["a@acme.com", "b@gmail.com", "c@rivalsoft.com", nil].randomElement()!,
                title: ["VP Sales", "Student", "Manager", nil].randomElement()!, seniority: Seniority.allCases.randomElement(),
                createdAt: now, outcome: [.won, .lost].randomElement()!, facts: facts)
            // Several events at the same second, in the future, and of a kind the definition does not score.
            let events = (0..<Int.random(in: 0...30, using: &random)).map { n in
                EngagementEvent(
                    id: Int64(n), leadId: Int64(id), kind: kinds.randomElement(using: &random)!,
                    occurredAt: Date(timeIntervalSince1970: (now.timeIntervalSince1970 - Double(Int.random(in: -86_400...86_400 * 200, using: &random))).rounded(.down)))
            }.sorted { ($0.occurredAt, $0.id!) < ($1.occurredAt, $1.id!) }
            let verdict = qualifier.verdict(for: lead, account: account, events: events, at: now)
            // The scanning store's order: by kind, then time.
            let scanned = events.compactMap { event in
                scorer.eventKinds.firstIndex(of: event.kind).map { ScannedEvent(kind: Int32($0), at: Int64(event.occurredAt.timeIntervalSince1970)) }
            }.sorted { ($0.kind, $0.at) < ($1.kind, $1.at) }
            let judged = scanned.withUnsafeBufferPointer { scorer.judge(lead, events: $0) }
            #expect(judged.score == (verdict.kind == .disqualified ? DefinitionReport.disqualifiedScore : verdict.score))
            #expect(judged.isMQL == (verdict.kind == .mql || verdict.kind == .sql))
            #expect(judged.converted == (lead.outcome == .won))
            for (index, result) in verdict.criteria.enumerated() {
                #expect(judged.passed.contains(index) == result.passed)
            }
        }
    }

    /// Two rules on one account field with different bounds: each gets its own answer.
    @Test func rulesOnTheSameAccountFieldAreAnsweredApart() throws {
        let yaml = DefaultDefinition.yaml.replacingOccurrences(of: """
              - id: target_country
            """, with: """
              - id: small_company
                label: Under 100 employees
                field: account.employees
                max: 99
                points: -10
              - id: target_country
            """)
        let definition = try DefinitionParser.parse(yaml, origin: "test")
        var scorer = BulkScorer(definition: definition, now: now)
        let qualifier = Qualifier(definition: definition)
        let accounts = [40, 850, 40, 12_000, 850].enumerated().map { Account(id: Int64($0 + 1), name: "A\($0)", industry: "software", employees: $1, country: "US") }
        for account in accounts { scorer.add(account) }
        for account in accounts {
            let lead = Lead(id: account.id, externalId: "L\(account.id!)", accountId: account.id, name: "Lead", email: "a@acme.com",
                            seniority: .vp, createdAt: now, outcome: .won)
            let verdict = qualifier.verdict(for: lead, account: account, events: [], at: now)
            let judged = scorer.judge(lead, events: UnsafeBufferPointer(start: nil, count: 0))
            #expect(judged.score == verdict.score, "employees \(account.employees!)")
            for (index, result) in verdict.criteria.enumerated() { #expect(judged.passed.contains(index) == result.passed) }
        }
    }
}
