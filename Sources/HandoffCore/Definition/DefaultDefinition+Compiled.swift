// Generated from the YAML text `DefaultDefinition.yaml` (in DefaultDefinition.swift) by CompiledDefaultDefinitionTests: do not edit.
// After changing the YAML: HANDOFF_REGENERATE=1 swift test --filter CompiledDefaultDefinitionTests

extension DefaultDefinition {
    static let compiled = Definition(
        name: "B2B software — default", version: "2026.11-1",
        fit: [
            Criterion(id: "senior_role", label: "Director, VP or C-level", field: .lead(.seniority), condition: .oneOf(["c-level", "vp", "director"]), points: 25.0),
            Criterion(id: "manager_role", label: "Manager", field: .lead(.seniority), condition: .oneOf(["manager"]), points: 10.0),
            Criterion(id: "target_industry", label: "Target industry", field: .account(.industry), condition: .oneOf(["software", "financial services", "healthcare", "manufacturing", "retail", "logistics"]), points: 15.0),
            Criterion(id: "company_size", label: "50 to 5,000 employees", field: .account(.employees), condition: .range(min: 50.0, max: 5000.0), points: 15.0),
            Criterion(id: "target_country", label: "Sells where we do", field: .account(.country), condition: .oneOf(["US", "USA", "United States", "Canada", "UK", "United Kingdom", "Germany", "France", "Netherlands", "Ireland"]), points: 5.0),
        ],
        engagement: EngagementRules(halfLifeDays: 30.0, cap: 60.0, kinds: [
            "demo_request": .init(points: 30.0, cap: 30.0),
            "email_click": .init(points: 2.0, cap: 10.0),
            "email_open": .init(points: 0.5, cap: 3.0),
            "free_trial": .init(points: 25.0, cap: 25.0),
            "pricing_page_visit": .init(points: 10.0, cap: 20.0),
            "trade_show_visit": .init(points: 10.0, cap: 10.0),
            "web_form": .init(points: 8.0, cap: 16.0),
            "web_visit": .init(points: 1.0, cap: 10.0),
            "webinar_attended": .init(points: 10.0, cap: 20.0),
            "webinar_registered": .init(points: 3.0, cap: 6.0),
            "whitepaper_download": .init(points: 6.0, cap: 18.0),
        ]),
        disqualifiers: [
            Disqualifier(id: "competitor", label: "Works for a competitor", field: .lead(.emailDomain), condition: .oneOf(["rivalsoft.com", "competeco.com"]), reasonCode: "competitor"),
            Disqualifier(id: "student", label: "Student or intern", field: .lead(.seniority), condition: .oneOf(["student"]), reasonCode: "student"),
            Disqualifier(id: "personal_email", label: "Personal email address", field: .lead(.emailDomain), condition: .oneOf(["gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "aol.com", "icloud.com", "gmx.de", "proton.me"]), reasonCode: "personal_email"),
            Disqualifier(id: "do_not_contact", label: "Asked not to be contacted", field: .attribute("do_not_contact"), condition: .oneOf(["yes", "true", "1"]), reasonCode: "do_not_contact"),
            Disqualifier(id: "no_email", label: "No way to reach them", field: .lead(.email), condition: .present(false), reasonCode: "invalid_contact"),
        ],
        thresholds: Thresholds(mql: 60.0, sqlScore: 60.0, sqlConfirmed: [.budget, .authority, .need, .timing]),
        reasons: [
            ReasonCode(code: "competitor", label: "Works for a competitor"),
            ReasonCode(code: "student", label: "Student or intern"),
            ReasonCode(code: "personal_email", label: "Personal email, no company"),
            ReasonCode(code: "do_not_contact", label: "Asked not to be contacted"),
            ReasonCode(code: "invalid_contact", label: "Contact details invalid or missing"),
            ReasonCode(code: "no_budget", label: "No budget"),
            ReasonCode(code: "no_authority", label: "Not the decision maker and no path to one"),
            ReasonCode(code: "no_need", label: "No need for what we sell"),
            ReasonCode(code: "bad_timing", label: "Not buying in the next two quarters"),
            ReasonCode(code: "wrong_fit", label: "Company outside our market"),
            ReasonCode(code: "duplicate", label: "Duplicate of another lead"),
            ReasonCode(code: "unresponsive", label: "Did not respond after several attempts"),
        ],
        themes: [
            Theme(id: "price", label: "Price / budget", phrases: ["too expensive", "expensive", "price", "pricing", "cost", "costs", "budget", "afford", "cheaper", "discount", "money", "financial", "funds", "roi", "pay"], answer: "Show the cost of doing nothing and the payback period; lead with the ROI calculator and customer savings, not the list price.", proof: ["payback period from three customers of a similar size", "cost of the status quo in hours and money"], content: ["ROI calculator", "one-page business case", "customer savings story"], callToAction: "Run the ROI calculator with us: 20 minutes, your numbers."),
            Theme(id: "timing", label: "Timing", phrases: ["not now", "next quarter", "next year", "later", "timing", "busy", "bad time", "next month", "coming month", "revisit", "after", "wait", "not ready", "freeze", "someday", "call me back", "next batch", "january", "february", "september"], answer: "Stay useful until they are ready; a nurture track with a dated trigger and a small first step they can take now.", proof: ["how fast customers went live", "what a first step costs now"], content: ["90-day launch plan", "nurture sequence with a dated trigger"], callToAction: "Book a check-in for the date that suits you, and start with a free pilot."),
            Theme(id: "authority", label: "Authority / decision process", phrases: ["decision maker", "boss", "approval", "sign off", "committee", "procurement", "my manager", "leadership", "board", "cfo", "not my call", "stakeholders", "check with", "run it by"], answer: "Equip the champion to sell internally; a business-case deck and an executive one-pager for the people who sign.", proof: ["who signed at similar companies", "the questions finance and procurement ask"], content: ["executive one-pager", "business-case deck for the champion", "procurement FAQ"], callToAction: "Bring your approver to a 30-minute executive briefing."),
            Theme(id: "need", label: "Need / fit", phrases: ["dont need", "do not need", "no need", "not a priority", "not relevant", "not interested", "already have", "works fine", "not for us", "too small", "too big", "no use", "overkill", "not looking", "further education", "other courses"], answer: "Sharpen the problem before the product; show the pain in their own numbers and peer stories from companies like theirs.", proof: ["the problem in peers' own numbers", "what changed for teams like theirs"], content: ["peer case study", "self-assessment quiz", "problem-first webinar"], callToAction: "Take the five-minute assessment and see where you stand."),
            Theme(id: "competition", label: "Competition", phrases: ["competitor", "competition", "alternative", "other vendor", "another vendor", "current vendor", "went with", "going with", "chose", "using", "switching", "cheaper option", "quoted", "lost to", "rival", "rivalsoft", "competeco", "comparison", "versus", "vs"], answer: "Win the comparison honestly; a side-by-side on what we do better and migration help that takes the risk out of switching.", proof: ["an honest side-by-side on the points buyers weigh", "switching stories with timelines"], content: ["comparison page", "migration guide", "switcher testimonial"], callToAction: "Get a migration plan and a side-by-side for your setup."),
            Theme(id: "risk", label: "Risk / trust / security", phrases: ["security", "secure", "risk", "risky", "trust", "compliance", "gdpr", "soc 2", "soc2", "hipaa", "privacy", "data protection", "audit", "reputation", "references", "unproven", "startup", "breach", "not recognized", "accredited"], answer: "Lead with proof; security documentation, certifications, reference customers in their industry and a named contact for the audit.", proof: ["certifications and audit reports", "reference customers in their industry"], content: ["security and compliance pack", "trust centre page", "reference call programme"], callToAction: "Request the security pack and a call with a reference customer."),
            Theme(id: "integration", label: "Integration / technical", phrases: ["integration", "integrate", "api", "technical", "salesforce", "sso", "migration", "migrate", "legacy", "it team", "implementation", "setup", "compatible", "works with", "connector", "data import", "our stack", "tech stack", "wont run"], answer: "Make it concrete; integration guides, a technical workshop and an implementation plan with a named engineer.", proof: ["integrations in production at named customers", "typical implementation time"], content: ["integration guides", "technical workshop", "implementation plan template"], callToAction: "Book a technical workshop with a named engineer."),
            Theme(id: "contract", label: "Contract / terms", phrases: ["contract", "terms", "lock in", "locked in", "commitment", "annual", "multi year", "cancel", "cancellation", "legal", "sla", "liability", "renewal", "notice period", "payment terms"], answer: "Lower the commitment; a pilot, monthly terms or an exit clause, and a plain-language summary of the contract.", proof: ["plain-language contract summary", "how often customers use the exit clause"], content: ["pilot offer", "monthly-terms option sheet", "contract FAQ"], callToAction: "Start with a pilot on monthly terms."),
        ],
        origin: "built-in", text: yaml)
}
