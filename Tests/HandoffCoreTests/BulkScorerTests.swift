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
        var random = SeededRandom(seed: 20_261_206)
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

    /// Values as a CRM export holds them: spaced, cased and accented every which way, numbers and
    /// not, emails with and without a domain. Rules draw their options from the same pool, so that
    /// they match some leads and not others.
    static let values = [
        "software", "Software", " software\t", "SOFTWARE ", "\u{00A0}software", "software\u{3000}", "soft ware", "retail",
        "education", "Éducation", "ÉDUCATION", "E\u{301}ducation", "e\u{301}ducation", "straße", "STRASSE", "東京", "VP Sales", "vp", "student",
        "850", " 12 ", "40000", "-5", "12.5", "1e3", "abc", "", " ", "\t", "\u{2003}", "US", "us", "Brazil",
        "a@acme.com", "B@Gmail.COM", "c@rivalsoft.com ", "d@ gmail.com", "no-at-sign", "e@", "@acme.com", "f@x@gmail.com",
        "g@gmail.com\u{00A0}", "h@müller.de", "i@MÜLLER.DE", "acme.com", "gmail.com", "rivalsoft.com", "müller.de",
    ]

    static func randomCondition(_ random: inout SeededRandom) -> Condition {
        func some(_ range: ClosedRange<Int>) -> [String] {
            (0..<Int.random(in: range, using: &random)).map { _ in values.randomElement(using: &random)!.trimmingWhitespace() }.filter { !$0.isEmpty }
        }
        switch Int.random(in: 0..<4, using: &random) {
        case 0: return .oneOf(some(1...4))
        case 1: return .containsAny(some(1...2).map { String($0.prefix(Int.random(in: 1...4, using: &random))) })
        case 2:
            let low = Bool.random(using: &random) ? Double(Int.random(in: -10...1000, using: &random)) : nil
            let high = Bool.random(using: &random) ? (low ?? 0) + Double(Int.random(in: 0...50_000, using: &random)) : nil
            return .range(min: low, max: high)
        default: return .present(Bool.random(using: &random))
        }
    }

    static func randomField(_ random: inout SeededRandom) -> FieldPath {
        switch Int.random(in: 0..<5, using: &random) {
        case 0, 1: .lead(FieldPath.LeadField.allCases.randomElement(using: &random)!)
        case 2, 3: .account(FieldPath.AccountField.allCases.randomElement(using: &random)!)
        default: .attribute(["tier", "region"].randomElement(using: &random)!)
        }
    }

    static func randomDefinition(_ random: inout SeededRandom, version: Int) -> Definition {
        let fit = (0..<Int.random(in: 0...12, using: &random)).map { n in
            Criterion(
                id: "c\(n)", label: "Criterion \(n)", field: randomField(&random), condition: randomCondition(&random),
                points: Double(Int.random(in: -200...400, using: &random)) / 10)
        }
        let disqualifiers = (0..<Int.random(in: 0...3, using: &random)).map { n in
            Disqualifier(id: "d\(n)", label: "Rule \(n)", field: randomField(&random), condition: randomCondition(&random), reasonCode: "r\(n)")
        }
        var kinds: [String: EngagementRules.EventScore] = [:]
        for kind in ["webinar", "demo_request", "email_open", "visit", "pricing_page"] where Bool.random(using: &random) {
            kinds[kind] = .init(
                points: Double(Int.random(in: 1...300, using: &random)) / 10,
                cap: Bool.random(using: &random) ? Double(Int.random(in: 1...60, using: &random)) : nil)
        }
        let mql = Double(Int.random(in: 0...80, using: &random))
        let facts = QualificationFacts.Fact.allCases.filter { _ in Bool.random(using: &random) }
        return Definition(
            name: "random", version: "r\(version)", fit: fit,
            engagement: EngagementRules(halfLifeDays: Double(Int.random(in: 1...90, using: &random)), cap: Double(Int.random(in: 5...120, using: &random)), kinds: kinds),
            disqualifiers: disqualifiers,
            thresholds: Thresholds(mql: mql, sqlScore: Bool.random(using: &random) ? mql + Double(Int.random(in: 0...40, using: &random)) : .infinity, sqlConfirmed: facts),
            reasons: [], themes: [], origin: "test", text: "")
    }

    /// Random definitions over random leads: every rule kind on every field, values with spaces,
    /// case and accents, events of scored and unscored kinds. `BulkScorer` (the definition report)
    /// and `Qualifier` (qualify) must judge each lead alike.
    @Test func judgesAsTheQualifierDoesUnderRandomDefinitions() {
        var random = SeededRandom(seed: 20_261_207)
        let pick = { (random: inout SeededRandom) -> String? in Bool.random(using: &random) ? nil : Self.values.randomElement(using: &random)! }
        var verdicts: [Verdict.Kind: Int] = [:]
        var criteria: [Bool: Int] = [:]
        for version in 1...60 {
            let definition = Self.randomDefinition(&random, version: version)
            let qualifier = Qualifier(definition: definition)
            var scorer = BulkScorer(definition: definition, now: now)
            let accounts = (1...8).map { id in
                Account(
                    id: Int64(id), name: pick(&random) ?? "Account \(id)", domain: pick(&random), industry: pick(&random),
                    employees: Bool.random(using: &random) ? Int.random(in: -5...50_000, using: &random) : nil,
                    revenueBand: pick(&random), country: pick(&random))
            }
            for account in accounts { scorer.add(account) }
            let kinds = definition.engagement.kinds.keys.sorted() + ["unscored_kind"]
            for id in 1...60 {
                let account = Int.random(in: 0...5, using: &random) == 0 ? nil : accounts.randomElement(using: &random)
                let facts = QualificationFacts(
                    budget: [true, false, nil].randomElement(using: &random)!, authority: [true, false, nil].randomElement(using: &random)!,
                    need: [true, false, nil].randomElement(using: &random)!, timing: [true, false, nil].randomElement(using: &random)!)
                var attributes: [String: String] = [:]
                for key in ["tier", "region"] { attributes[key] = pick(&random) }
                let lead = Lead(
                    id: Int64(id), externalId: "L\(id)", accountId: account?.id, name: pick(&random) ?? "Lead \(id)",
                    email: pick(&random), title: pick(&random), seniority: Bool.random(using: &random) ? Seniority.allCases.randomElement(using: &random) : nil,
                    source: pick(&random), owner: pick(&random), createdAt: now, stage: Stage.allCases.randomElement(using: &random)!,
                    outcome: [.open, .won, .lost].randomElement(using: &random)!, facts: facts, notes: pick(&random), attributes: attributes)
                let events = (0..<Int.random(in: 0...20, using: &random)).map { n in
                    EngagementEvent(
                        id: Int64(n), leadId: Int64(id), kind: kinds.randomElement(using: &random)!,
                        occurredAt: Date(timeIntervalSince1970: (now.timeIntervalSince1970 - Double(Int.random(in: -86_400...86_400 * 300, using: &random))).rounded(.down)))
                }.sorted { ($0.occurredAt, $0.id!) < ($1.occurredAt, $1.id!) }
                let verdict = qualifier.verdict(for: lead, account: account, events: events, at: now)
                let scanned = events.compactMap { event in
                    scorer.eventKinds.firstIndex(of: event.kind).map { ScannedEvent(kind: Int32($0), at: Int64(event.occurredAt.timeIntervalSince1970)) }
                }.sorted { ($0.kind, $0.at) < ($1.kind, $1.at) }
                let judged = scanned.withUnsafeBufferPointer { scorer.judge(lead, events: $0) }
                verdicts[verdict.kind, default: 0] += 1
                for result in verdict.criteria { criteria[result.passed, default: 0] += 1 }
                let which = "definition \(version), lead \(id)"
                #expect(judged.score == (verdict.kind == .disqualified ? DefinitionReport.disqualifiedScore : verdict.score), "\(which)")
                #expect(judged.isMQL == (verdict.kind == .mql || verdict.kind == .sql), "\(which)")
                #expect(judged.converted == (lead.outcome == .won))
                for (index, result) in verdict.criteria.enumerated() {
                    #expect(judged.passed.contains(index) == result.passed, "\(which): \(result.criterion.field) \(result.criterion.condition) of \(result.value.debugDescription)")
                }
            }
        }
        // The draw reaches every verdict, and criteria that hold as well as ones that do not.
        #expect(Verdict.Kind.allCases.allSatisfy { verdicts[$0, default: 0] > 20 }, "\(verdicts)")
        #expect(criteria[true, default: 0] > 1_000 && criteria[false, default: 0] > 1_000, "\(criteria)")
    }
}
