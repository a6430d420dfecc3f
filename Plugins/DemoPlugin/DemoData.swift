import Foundation
import HandoffPluginAPI

/// The demo sample: a dozen accounts, their people, and 90 days of what happened between them and
/// us. Everything is fixed or drawn from a seeded generator, and dated back from `now`, so the same
/// clock always gives the same data.
struct DemoData {
    static let marker = "demo-001"
    static let reps = ["Dana Reyes", "Sam Okafor", "Priya Natarajan"]

    let now: Date
    let definition: Definition

    struct Company {
        let name, domain, industry, country: String
        let employees: Int
        let revenue: String
    }

    static let companies: [Company] = [
        .init(name: "Acme Corp", domain: "acme.com", industry: "software", country: "US", employees: 850, revenue: "$50M-$100M"),
        .init(name: "Globex", domain: "globex.com", industry: "manufacturing", country: "US", employees: 2300, revenue: "$250M-$500M"),
        .init(name: "Initech", domain: "initech.com", industry: "software", country: "US", employees: 120, revenue: "$10M-$50M"),
        .init(name: "Umbrella Health", domain: "umbrellahealth.co.uk", industry: "healthcare", country: "UK", employees: 4000, revenue: "$500M-$1B"),
        .init(name: "Hooli", domain: "hooli.com", industry: "software", country: "US", employees: 12000, revenue: "$1B+"),
        .init(name: "Soylent Foods", domain: "soylent.ca", industry: "retail", country: "Canada", employees: 600, revenue: "$50M-$100M"),
        .init(name: "Stark Logistics", domain: "stark-logistics.de", industry: "logistics", country: "Germany", employees: 1500, revenue: "$100M-$250M"),
        .init(name: "Wayne Financial", domain: "waynefinancial.com", industry: "financial services", country: "US", employees: 3000, revenue: "$500M-$1B"),
        .init(name: "Vandelay Industries", domain: "vandelay.com", industry: "manufacturing", country: "US", employees: 40, revenue: "<$10M"),
        .init(name: "Cyberdyne Systems", domain: "cyberdyne.fr", industry: "software", country: "France", employees: 300, revenue: "$10M-$50M"),
        .init(name: "Tyrell Biotech", domain: "tyrell.nl", industry: "healthcare", country: "Netherlands", employees: 900, revenue: "$100M-$250M"),
        .init(name: "Pied Piper", domain: "piedpiper.com", industry: "software", country: "US", employees: 30, revenue: "<$10M"),
        .init(name: "RivalSoft", domain: "rivalsoft.com", industry: "software", country: "US", employees: 400, revenue: "$10M-$50M"),
    ]

    /// A lead and the story the demo tells about it.
    struct Person {
        let name, title: String
        let company: Int
        let email: String?
        let source: String
        let daysAgo: Int
        /// How actively they engage: 0 (silent) to 3 (very).
        let heat: Int
        /// The stages they went through after inquiry, and the last one is where they are.
        let path: [Stage]
        let facts: QualificationFacts
        let doNotContact: Bool

        init(_ name: String, _ title: String, _ company: Int, email: String? = "", source: String, daysAgo: Int, heat: Int,
             path: [Stage] = [], facts: QualificationFacts = .init(), doNotContact: Bool = false) {
            self.name = name
            self.title = title
            self.company = company
            self.email = email
            self.source = source
            self.daysAgo = daysAgo
            self.heat = heat
            self.path = path
            self.facts = facts
            self.doNotContact = doNotContact
        }
    }

    static let bant = QualificationFacts(budget: true, authority: true, need: true, timing: true)

    static let people: [Person] = [
        .init("Wile Coyote", "VP Engineering", 0, source: "webinar", daysAgo: 84, heat: 3, path: [.mql, .sal, .sql, .opportunity], facts: bant),
        .init("Road Runner", "Director of IT", 0, source: "whitepaper", daysAgo: 40, heat: 2, path: [.mql, .sal], facts: .init(budget: true, need: true)),
        .init("Elmer Fudd", "IT Manager", 0, source: "web form", daysAgo: 12, heat: 1),
        .init("Hank Scorpio", "Chief Operating Officer", 1, source: "trade show", daysAgo: 75, heat: 3, path: [.mql, .sal, .sql, .opportunity, .won], facts: bant),
        .init("Mindy Simmons", "Operations Manager", 1, source: "webinar", daysAgo: 30, heat: 2, path: [.mql]),
        .init("Frank Grimes", "Procurement Specialist", 1, source: "paid", daysAgo: 55, heat: 1, path: [.mql, .sal]),
        .init("Bill Lumbergh", "VP Operations", 2, source: "referral", daysAgo: 66, heat: 2, path: [.mql, .sal, .sql], facts: bant),
        .init("Peter Gibbons", "Software Engineer", 2, source: "web form", daysAgo: 20, heat: 1),
        .init("Milton Waddams", "Office Manager", 2, source: "outbound", daysAgo: 80, heat: 0, path: [.mql]),
        .init("Albert Wesker", "Chief Information Security Officer", 3, source: "webinar", daysAgo: 70, heat: 3, path: [.mql, .sal, .sql, .opportunity, .lost], facts: bant),
        .init("Jill Valentine", "Head of Clinical Systems", 3, source: "whitepaper", daysAgo: 25, heat: 2, path: [.mql, .sal]),
        .init("Gavin Belson", "CEO", 4, source: "trade show", daysAgo: 60, heat: 1, path: [.mql]),
        .init("Jian Yang", "Intern", 4, source: "web form", daysAgo: 15, heat: 1),
        .init("Seth Soylent", "Director of Marketing", 5, source: "paid", daysAgo: 45, heat: 2, path: [.mql, .sal], facts: .init(need: true)),
        .init("Nora Green", "Marketing Coordinator", 5, source: "whitepaper", daysAgo: 9, heat: 1),
        .init("Tony Stark", "VP Supply Chain", 6, source: "referral", daysAgo: 50, heat: 3, path: [.mql, .sal, .sql], facts: .init(budget: true, authority: true, need: true)),
        .init("Pepper Potts", "Logistics Director", 6, source: "webinar", daysAgo: 18, heat: 2, path: [.mql]),
        .init("Bruce Wayne", "Chief Financial Officer", 7, source: "outbound", daysAgo: 88, heat: 2, path: [.mql, .sal, .sql, .opportunity], facts: bant),
        .init("Lucius Fox", "Director of Technology", 7, source: "webinar", daysAgo: 35, heat: 3, path: [.mql, .sal]),
        .init("Alfred Pennyworth", "Operations Manager", 7, source: "web form", daysAgo: 6, heat: 1, doNotContact: true),
        .init("Art Vandelay", "Owner", 8, source: "web form", daysAgo: 58, heat: 1, path: [.mql]),
        .init("George Costanza", "Assistant to the Traveling Secretary", 8, source: "paid", daysAgo: 28, heat: 0),
        .init("Miles Dyson", "Director of Special Projects", 9, source: "whitepaper", daysAgo: 62, heat: 2, path: [.mql, .sal, .nurture]),
        .init("Sarah Connor", "Security Analyst", 9, source: "webinar", daysAgo: 14, heat: 2),
        .init("Eldon Tyrell", "Founder & CEO", 10, source: "referral", daysAgo: 72, heat: 2, path: [.mql, .sal, .sql], facts: .init(budget: true, authority: true, need: true, timing: false)),
        .init("Rachael Rosen", "Research Manager", 10, source: "webinar", daysAgo: 22, heat: 3, path: [.mql]),
        .init("Richard Hendricks", "CEO", 11, source: "trade show", daysAgo: 48, heat: 2, path: [.mql, .sal]),
        .init("Dinesh Chugtai", "Engineer", 11, source: "whitepaper", daysAgo: 4, heat: 1),
        .init("Rita Rival", "Product Marketing Manager", 12, source: "whitepaper", daysAgo: 33, heat: 2),
        .init("Kim Freelance", "Consultant", 0, email: "kim.consults@gmail.com", source: "web form", daysAgo: 27, heat: 2),
        .init("Tom Student", "Student", 2, email: "tom.student@yahoo.com", source: "whitepaper", daysAgo: 16, heat: 1),
        .init("Ned Flanders", "Facilities Lead", 1, source: "outbound", daysAgo: 42, heat: 0, path: [.mql, .sal]),
        // The last week's hand-offs, for `report week`: new MQLs from three sources, accepts, a
        // rejection, a lead sent back to nurture, a deal won and one lost; and two older deals.
        .init("Walter White", "Director of Operations", 1, source: "trade show", daysAgo: 30, heat: 3, path: [.mql, .sal, .sql, .opportunity, .won], facts: bant),
        .init("Gus Fring", "Chief Operating Officer", 5, source: "paid", daysAgo: 24, heat: 1, path: [.mql, .sal, .sql, .opportunity, .lost], facts: .init(budget: false, authority: true, need: true)),
        .init("Saul Goodman", "Legal Operations Manager", 7, source: "webinar", daysAgo: 12, heat: 2, path: [.mql, .sal, .nurture]),
        .init("Jesse Pinkman", "Marketing Assistant", 2, source: "whitepaper", daysAgo: 10, heat: 1, path: [.mql]),
        .init("Diane Nguyen", "VP Marketing", 9, source: "webinar", daysAgo: 6, heat: 2, path: [.mql, .sal]),
        .init("Kim Wexler", "Director of Finance", 10, source: "referral", daysAgo: 3, heat: 2, path: [.mql]),
        .init("Mike Ehrmantraut", "Security Consultant", 8, source: "outbound", daysAgo: 70, heat: 1, path: [.mql, .sal, .sql, .opportunity, .lost]),
        .init("Lydia Rodarte", "Head of Logistics", 6, source: "webinar", daysAgo: 65, heat: 3, path: [.mql, .sal, .sql, .opportunity, .won], facts: bant),
    ]

    /// Rep rejections: who, what, why, how many days ago.
    static let rejections: [(person: String, rep: Int, code: String, note: String, daysAgo: Int)] = [
        ("Frank Grimes", 1, "no_authority", "Procurement only; no access to the ops budget owner", 10),
        ("Milton Waddams", 0, "unresponsive", "Five calls and three emails, no reply", 30),
        ("Gavin Belson", 2, "wrong_fit", "12,000 employees: needs the enterprise tier we do not sell yet", 25),
        ("Art Vandelay", 0, "no_budget", "Forty people, no budget line for tooling this year", 21),
        ("Ned Flanders", 1, "bad_timing", "Wants to revisit after their fiscal year starts in April", 10),
        ("Jesse Pinkman", 2, "no_authority", "Marketing assistant; the budget sits with the CMO, who has not replied", 2),
    ]

    /// What prospects said, by theme: text, the person, days ago.
    static let objections: [(text: String, person: String, theme: String, daysAgo: Double)] = [
        ("It's too expensive for a team our size", "Road Runner", "price", 0.1),
        ("We don't have budget left this quarter", "Mindy Simmons", "price", 1.2),
        ("Your pricing is double what we pay now", "Seth Soylent", "price", 3.5),
        ("Can't justify the cost until we see ROI numbers", "Tony Stark", "price", 9),
        ("The per-seat price kills it for us", "Lucius Fox", "price", 16),
        ("Budget is frozen until next fiscal year", "Bill Lumbergh", "price", 40),
        ("Not now, maybe next quarter", "Pepper Potts", "timing", 0.3),
        ("We're in the middle of a reorg, bad time", "Jill Valentine", "timing", 2.5),
        ("Ask me again after our busy season", "Seth Soylent", "timing", 11),
        ("We'll revisit this next year", "Ned Flanders", "timing", 10),
        ("I need sign off from my boss", "Elmer Fudd", "authority", 0.2),
        ("Procurement has to approve any new vendor", "Frank Grimes", "authority", 20),
        ("The CFO makes that call, not me", "Lucius Fox", "authority", 8),
        ("It has to go through the steering committee", "Rachael Rosen", "authority", 19),
        ("We don't really need this, spreadsheets work fine", "Art Vandelay", "need", 21),
        ("Not a priority for us this year", "Miles Dyson", "need", 34),
        ("We already have a tool that does most of this", "Richard Hendricks", "need", 5),
        ("We're already using RivalSoft and it's fine", "Road Runner", "competition", 0.4),
        ("CompeteCo offered us a cheaper option", "Bruce Wayne", "competition", 6),
        ("We went with another vendor last year", "Milton Waddams", "competition", 31),
        ("How does this compare to RivalSoft?", "Tony Stark", "competition", 13),
        ("Are you SOC 2 certified? Security will ask", "Albert Wesker", "risk", 1.5),
        ("We need a HIPAA BAA before we can go further", "Jill Valentine", "risk", 12),
        ("You're a startup, what if you go under?", "Eldon Tyrell", "risk", 26),
        ("GDPR: where is our data stored?", "Tony Stark", "risk", 45),
        ("Does it integrate with Salesforce?", "Wile Coyote", "integration", 0.6),
        ("Our IT team says the API is missing SSO", "Bruce Wayne", "integration", 4),
        ("Migration from our legacy system looks painful", "Hank Scorpio", "integration", 52),
        ("We can't sign a three year contract", "Bruce Wayne", "contract", 2),
        ("Legal won't accept the liability terms", "Albert Wesker", "contract", 15),
        ("We need monthly terms, not an annual commitment", "Richard Hendricks", "contract", 38),
        ("The cancellation clause is a deal breaker", "Eldon Tyrell", "contract", 60),
    ]

    /// Event kinds by how strongly they signal intent; hotter leads reach further down the list.
    static let eventKinds = [
        "web_visit", "email_open", "email_click", "whitepaper_download", "webinar_registered", "webinar_attended",
        "web_form", "pricing_page_visit", "demo_request", "free_trial",
    ]

    func date(daysAgo: Double) -> Date { now.addingTimeInterval(-daysAgo * 86_400) }

    func load(into store: any LeadStore) throws {
        var random = SeededRandom(seed: 20_261_122)
        let source = "demo data"
        var leads: [ImportRecord] = []
        for (index, person) in Self.people.enumerated() {
            let company = Self.companies[person.company]
            var record = LeadRecord(line: index + 1, externalId: String(format: "demo-%03d", index + 1))
            record.name = person.name
            record.email = person.email.map { $0.isEmpty ? Self.email(person.name, company.domain) : $0 }
            record.title = person.title
            record.seniority = Seniority.guess(fromTitle: person.title)
            record.source = person.source
            record.owner = Self.reps[index % Self.reps.count]
            record.createdAt = date(daysAgo: Double(person.daysAgo))
            record.facts = person.facts
            if person.doNotContact { record.attributes["do_not_contact"] = "yes" }
            var account = AccountRecord(name: company.name)
            account.domain = company.domain
            account.industry = company.industry
            account.employees = company.employees
            account.revenueBand = company.revenue
            account.country = company.country
            record.account = account
            leads.append(.lead(record))
        }
        _ = try store.apply(ImportBatch(records: leads, actor: "demo", at: now, sourceName: source), dryRun: false)

        var ids: [String: Int64] = [:]
        for (index, person) in Self.people.enumerated() {
            ids[person.name] = try store.lead(externalId: String(format: "demo-%03d", index + 1))?.id
        }

        // Engagement: each lead acts now and then from the day it arrived, hotter leads more often
        // and further down the intent list.
        var events: [ImportRecord] = []
        for (index, person) in Self.people.enumerated() {
            let reference = LeadReference.externalId(String(format: "demo-%03d", index + 1))
            let count = person.heat == 0 ? 1 : person.heat * 5 + random.next(below: 4)
            let reach = min(Self.eventKinds.count, 3 + person.heat * 2 + random.next(below: 2))
            for n in 0..<count {
                let daysAgo = Double(person.daysAgo) * Double(random.next(below: 1000)) / 1000
                let kind = Self.eventKinds[n == 0 ? 0 : random.next(below: reach)]
                events.append(.event(EventRecord(
                    line: events.count + 1, lead: reference, kind: kind, occurredAt: date(daysAgo: daysAgo),
                    detail: Self.detail(kind))))
            }
        }
        _ = try store.apply(ImportBatch(records: events, actor: "demo", at: now, sourceName: source), dryRun: false)

        // The hand-off: marketing automation makes MQLs, reps accept and qualify.
        for (index, person) in Self.people.enumerated() where !person.path.isEmpty {
            guard let id = ids[person.name] else { continue }
            let rep = Self.reps[index % Self.reps.count]
            var from = Stage.inquiry
            let steps = Double(person.path.count + 1)
            for (step, stage) in person.path.enumerated() {
                let daysAgo = Double(person.daysAgo) * (1 - Double(step + 1) / steps)
                let by = stage == .mql ? "marketing automation" : rep
                try store.move(StageTransition(
                    leadId: id, from: from, to: stage, at: date(daysAgo: daysAgo), by: by, reason: Self.why(stage)))
                from = stage
            }
        }

        for rejection in Self.rejections {
            guard let id = ids[rejection.person] else { continue }
            try store.reject(Rejection(
                leadId: id, at: date(daysAgo: Double(rejection.daysAgo)), by: Self.reps[rejection.rep], reasonCode: rejection.code,
                note: rejection.note, definitionVersion: definition.version))
        }
        // The hard rules turn away the competitor, the student and the personal address.
        for (name, rule) in [("Rita Rival", "competitor"), ("Tom Student", "student"), ("Kim Freelance", "personal_email")] {
            guard let id = ids[name] else { continue }
            let label = definition.disqualifiers.first { $0.id == rule }?.label ?? rule
            try store.reject(Rejection(
                leadId: id, at: date(daysAgo: 1), by: rule, byRule: true, reasonCode: rule, note: label,
                definitionVersion: definition.version))
        }

        var said: [ImportRecord] = []
        for (index, objection) in Self.objections.enumerated() {
            guard let personIndex = Self.people.firstIndex(where: { $0.name == objection.person }) else { continue }
            let at = date(daysAgo: objection.daysAgo)
            said.append(.objection(ObjectionRecord(
                line: index + 1, externalId: String(format: "demo-objection-%03d", index + 1),
                lead: .externalId(String(format: "demo-%03d", personIndex + 1)), accountName: nil, text: objection.text,
                theme: objection.theme, loggedBy: Self.reps[personIndex % Self.reps.count], at: at,
                dealStage: Self.people[personIndex].path.last ?? .inquiry)))
        }
        _ = try store.apply(ImportBatch(records: said, actor: "demo", at: now, sourceName: source), dryRun: false)

        // The version the teams agreed before the shipped one, so `definition log` and `definition
        // diff` have a history to show (a lower bar, webinars worth more, no SLA and no grid yet),
        // and the shipped one in force since before the oldest rejection, which names it.
        if definition.origin == "built-in", let earlier = Self.earlierDefinition() {
            try store.remember(earlier, at: date(daysAgo: 100), by: Self.reps[0])
            try store.remember(definition, at: date(daysAgo: 45), by: Self.reps[2])
        }
    }

    /// The shipped definition as it was agreed before.
    static func earlierDefinition() -> Definition? {
        var text = DefaultDefinition.yaml
        let edits = [
            ("version: \"2026.11-1\"", "version: \"2026.09-1\""),
            ("  mql: 60\n", "  mql: 55\n"),
            ("    in: [c-level, vp, director]\n    points: 25", "    in: [c-level, vp, director]\n    points: 20"),
            ("webinar_attended: { points: 10, cap: 20 }", "webinar_attended: { points: 15, cap: 30 }"),
            ("sla:\n  mql_response: 2 business days\n", ""),
            ("grid:\n  fit: { A: 40, B: 20 }\n  engagement: { 1: 30, 2: 10 }\n", ""),
        ]
        for (old, new) in edits {
            guard text.contains(old) else { return nil }
            text = text.replacingOccurrences(of: old, with: new)
        }
        // Not the built-in text: `definition log` says where it came from.
        return try? DefinitionParser.parse(text, origin: "demo data (the version before the built-in one)")
    }

    static func email(_ name: String, _ domain: String) -> String {
        let parts = name.lowercased().split(separator: " ")
        return "\(parts.first ?? "").\(parts.last ?? "")@\(domain)"
    }

    static func detail(_ kind: String) -> String {
        switch kind {
        case "whitepaper_download": "The 2026 Pipeline Benchmark Report"
        case "webinar_registered", "webinar_attended": "Webinar: Closing the marketing–sales gap"
        case "web_form": "Contact us form"
        case "pricing_page_visit": "/pricing"
        case "demo_request": "Demo request form"
        case "free_trial": "14-day trial started"
        case "email_open", "email_click": "Newsletter"
        default: "/blog"
        }
    }

    static func why(_ stage: Stage) -> String {
        switch stage {
        case .mql: "score crossed the MQL threshold"
        case .sal: "accepted: fits the profile, follow-up booked"
        case .sql: "discovery call confirmed the need"
        case .opportunity: "proposal requested"
        case .won: "contract signed"
        case .lost: "chose not to buy"
        case .nurture: "not ready: back to marketing"
        default: ""
        }
    }
}
