/// The definition Handoff ships: a B2B software company selling to mid-sized firms. Used until the
/// team writes its own (`definition init` copies it to the config dir to edit).
public enum DefaultDefinition {
    /// The built-in definition, as `yaml` parses: compiled in (`DefaultDefinition+Compiled.swift`,
    /// generated from `yaml` by a test that fails when the two drift), since parsing YAML was the
    /// largest part of a one-shot start-up.
    public static func load() -> Definition { compiled }

    public static let yaml = #"""
# The agreed definition of a qualified lead: marketing and sales edit this file together.
# Raise `version` whenever you change it: every verdict names the version that produced it.
name: B2B software — default
version: "2026.11-1"

# Fit: who the lead is. Each criterion that holds adds its points.
fit:
  - id: senior_role
    label: Director, VP or C-level
    field: lead.seniority
    in: [c-level, vp, director]
    points: 25
  - id: manager_role
    label: Manager
    field: lead.seniority
    in: [manager]
    points: 10
  - id: target_industry
    label: Target industry
    field: account.industry
    in: [software, financial services, healthcare, manufacturing, retail, logistics]
    points: 15
  - id: company_size
    label: 50 to 5,000 employees
    field: account.employees
    min: 50
    max: 5000
    points: 15
  - id: target_country
    label: Sells where we do
    field: account.country
    in: [US, USA, United States, Canada, UK, United Kingdom, Germany, France, Netherlands, Ireland]
    points: 5

# Engagement: what the lead did. Points halve every half_life_days; each kind has its own cap,
# and engagement as a whole is capped too.
engagement:
  half_life_days: 30
  cap: 60
  events:
    demo_request: { points: 30, cap: 30 }
    free_trial: { points: 25, cap: 25 }
    pricing_page_visit: { points: 10, cap: 20 }
    webinar_attended: { points: 10, cap: 20 }
    trade_show_visit: { points: 10, cap: 10 }
    web_form: { points: 8, cap: 16 }
    whitepaper_download: { points: 6, cap: 18 }
    webinar_registered: { points: 3, cap: 6 }
    email_click: { points: 2, cap: 10 }
    web_visit: { points: 1, cap: 10 }
    email_open: { points: 0.5, cap: 3 }

# Hard disqualifiers: any one of these sends the lead to `disqualified`, whatever the score.
disqualifiers:
  - id: competitor
    label: Works for a competitor
    field: lead.email_domain
    in: [rivalsoft.com, competeco.com]
    reason: competitor
  - id: student
    label: Student or intern
    field: lead.seniority
    in: [student]
    reason: student
  - id: personal_email
    label: Personal email address
    field: lead.email_domain
    in: [gmail.com, yahoo.com, hotmail.com, outlook.com, aol.com, icloud.com, gmx.de, proton.me]
    reason: personal_email
  - id: do_not_contact
    label: Asked not to be contacted
    field: attribute.do_not_contact
    in: ["yes", "true", "1"]
    reason: do_not_contact
  - id: no_email
    label: No way to reach them
    field: lead.email
    present: false
    reason: invalid_contact

# Thresholds: an MQL needs `mql` points; sales-ready (SQL) also needs these facts confirmed by sales.
thresholds:
  mql: 60
  sql:
    min_score: 60
    confirmed: [budget, authority, need, timing]

# Reason codes for rejections, by a rep or by a rule above.
reasons:
  competitor: Works for a competitor
  student: Student or intern
  personal_email: Personal email, no company
  do_not_contact: Asked not to be contacted
  invalid_contact: Contact details invalid or missing
  no_budget: No budget
  no_authority: Not the decision maker and no path to one
  no_need: No need for what we sell
  bad_timing: Not buying in the next two quarters
  wrong_fit: Company outside our market
  duplicate: Duplicate of another lead
  unresponsive: Did not respond after several attempts

# The objection taxonomy: themes, the phrases that signal them, and the answer marketing owes, with the
# proof points, content pieces and call to action a campaign brief draws on.
themes:
  price:
    label: Price / budget
    phrases: [too expensive, expensive, price, pricing, cost, costs, budget, afford, cheaper, discount, money, financial, funds, roi, pay]
    answer: Show the cost of doing nothing and the payback period; lead with the ROI calculator and customer savings, not the list price.
    proof: ["payback period from three customers of a similar size", "cost of the status quo in hours and money"]
    content: ["ROI calculator", "one-page business case", "customer savings story"]
    cta: "Run the ROI calculator with us: 20 minutes, your numbers."
  timing:
    label: Timing
    phrases: [not now, next quarter, next year, later, timing, busy, bad time, next month, coming month, revisit, after, wait, not ready, freeze, someday, call me back, next batch, january, february, september]
    answer: Stay useful until they are ready; a nurture track with a dated trigger and a small first step they can take now.
    proof: ["how fast customers went live", "what a first step costs now"]
    content: ["90-day launch plan", "nurture sequence with a dated trigger"]
    cta: "Book a check-in for the date that suits you, and start with a free pilot."
  authority:
    label: Authority / decision process
    phrases: [decision maker, boss, approval, sign off, committee, procurement, my manager, leadership, board, cfo, not my call, stakeholders, check with, run it by]
    answer: Equip the champion to sell internally; a business-case deck and an executive one-pager for the people who sign.
    proof: ["who signed at similar companies", "the questions finance and procurement ask"]
    content: ["executive one-pager", "business-case deck for the champion", "procurement FAQ"]
    cta: "Bring your approver to a 30-minute executive briefing."
  need:
    label: Need / fit
    phrases: [dont need, do not need, no need, not a priority, not relevant, not interested, already have, works fine, not for us, too small, too big, no use, overkill, not looking, further education, other courses]
    answer: Sharpen the problem before the product; show the pain in their own numbers and peer stories from companies like theirs.
    proof: ["the problem in peers' own numbers", "what changed for teams like theirs"]
    content: ["peer case study", "self-assessment quiz", "problem-first webinar"]
    cta: "Take the five-minute assessment and see where you stand."
  competition:
    label: Competition
    phrases: [competitor, competition, alternative, other vendor, another vendor, current vendor, went with, going with, chose, using, switching, cheaper option, quoted, lost to, rival, rivalsoft, competeco, comparison, versus, vs]
    answer: Win the comparison honestly; a side-by-side on what we do better and migration help that takes the risk out of switching.
    proof: ["an honest side-by-side on the points buyers weigh", "switching stories with timelines"]
    content: ["comparison page", "migration guide", "switcher testimonial"]
    cta: "Get a migration plan and a side-by-side for your setup."
  risk:
    label: Risk / trust / security
    phrases: [security, secure, risk, risky, trust, compliance, gdpr, soc 2, soc2, hipaa, privacy, data protection, audit, reputation, references, unproven, startup, breach, not recognized, accredited]
    answer: Lead with proof; security documentation, certifications, reference customers in their industry and a named contact for the audit.
    proof: ["certifications and audit reports", "reference customers in their industry"]
    content: ["security and compliance pack", "trust centre page", "reference call programme"]
    cta: "Request the security pack and a call with a reference customer."
  integration:
    label: Integration / technical
    phrases: [integration, integrate, api, technical, salesforce, sso, migration, migrate, legacy, it team, implementation, setup, compatible, works with, connector, data import, our stack, tech stack, wont run]
    answer: Make it concrete; integration guides, a technical workshop and an implementation plan with a named engineer.
    proof: ["integrations in production at named customers", "typical implementation time"]
    content: ["integration guides", "technical workshop", "implementation plan template"]
    cta: "Book a technical workshop with a named engineer."
  contract:
    label: Contract / terms
    phrases: [contract, terms, lock in, locked in, commitment, annual, multi year, cancel, cancellation, legal, sla, liability, renewal, notice period, payment terms]
    answer: Lower the commitment; a pilot, monthly terms or an exit clause, and a plain-language summary of the contract.
    proof: ["plain-language contract summary", "how often customers use the exit clause"]
    content: ["pilot offer", "monthly-terms option sheet", "contract FAQ"]
    cta: "Start with a pilot on monthly terms."
"""#
}
