import Foundation

/// The agreed definition of a qualified lead: what marketing and sales signed up to, versioned.
/// Every verdict names the `version` that produced it.
public struct Definition: Sendable, Equatable {
    public var name: String
    public var version: String
    /// Fit criteria: who the lead is. Each that passes adds its points.
    public var fit: [Criterion]
    public var engagement: EngagementRules
    /// Hard rules: any that fires disqualifies, whatever the score.
    public var disqualifiers: [Disqualifier]
    public var thresholds: Thresholds
    /// The sales SLA, when the teams agreed one (`sla:`).
    public var sla: ServiceLevel?
    /// The fit × engagement grid's bands as the definition wrote them (`grid:`), if it did.
    public var agreedGrid: GridBands?
    /// The reason codes reps may give when they reject a lead.
    public var reasons: [ReasonCode]
    /// The objection taxonomy.
    public var themes: [Theme]
    /// Where it was read from: a path, or `built-in`.
    public var origin: String
    /// The file's text as read, kept so the store can hold every version that was ever in force.
    public var text: String
    /// The line of each rule's field in the text (`fit.ID`, `disqualifiers.ID`), for messages
    /// that point back at it.
    public var lines: [String: Int]

    public init(
        name: String, version: String, fit: [Criterion], engagement: EngagementRules,
        disqualifiers: [Disqualifier], thresholds: Thresholds, reasons: [ReasonCode], themes: [Theme],
        origin: String, text: String, lines: [String: Int] = [:], sla: ServiceLevel? = nil, grid: GridBands? = nil
    ) {
        self.lines = lines
        self.sla = sla
        self.agreedGrid = grid
        self.name = name
        self.version = version
        self.fit = fit
        self.engagement = engagement
        self.disqualifiers = disqualifiers
        self.thresholds = thresholds
        self.reasons = reasons
        self.themes = themes
        self.origin = origin
        self.text = text
    }

    /// The grid's bands: as agreed, or else thirds of the most points the definition gives.
    public var grid: GridBands { agreedGrid ?? .thirds(fit: fit, engagement: engagement) }

    public func reason(_ code: String) -> ReasonCode? { reasons.first { $0.code == code } }
    public func theme(_ id: String) -> Theme? { themes.first { $0.id == id } }
}

/// A fit criterion: a condition on one field, worth some points.
public struct Criterion: Sendable, Hashable {
    public var id: String
    public var label: String
    public var field: FieldPath
    public var condition: Condition
    public var points: Double

    public init(id: String, label: String, field: FieldPath, condition: Condition, points: Double) {
        self.id = id
        self.label = label
        self.field = field
        self.condition = condition
        self.points = points
    }
}

/// A hard disqualifier: when its condition holds, the lead is disqualified with `reasonCode`.
public struct Disqualifier: Sendable, Hashable {
    public var id: String
    public var label: String
    public var field: FieldPath
    public var condition: Condition
    public var reasonCode: String
}

/// Engagement scoring: points per event kind, halved every `halfLifeDays`, capped per kind and overall.
public struct EngagementRules: Sendable, Hashable {
    public var halfLifeDays: Double
    public var cap: Double
    public var kinds: [String: EventScore]

    public struct EventScore: Sendable, Hashable {
        public var points: Double
        public var cap: Double?
    }
}

/// The thresholds that turn a score into a stage.
public struct Thresholds: Sendable, Hashable {
    /// A lead at or above this score is an MQL.
    public var mql: Double
    /// The score a sales-ready lead needs (at least `mql`); infinite when the definition has no
    /// `sql:` rule, so no verdict claims a lead is sales-ready that nobody defined.
    public var sqlScore: Double
    /// The BANT facts sales must have confirmed before a lead counts as sales-ready.
    public var sqlConfirmed: [QualificationFacts.Fact]

    /// The SQL rule in words: "SQL at 60 points with budget, authority confirmed".
    public var sqlRule: String {
        guard sqlScore.isFinite else { return "no `sql:` rule: verdicts stop at MQL" }
        return "SQL at \(sqlScore.clean) points" + (sqlConfirmed.isEmpty ? "" : " with \(sqlConfirmed.map(\.rawValue).joined(separator: ", ")) confirmed")
    }
}

public struct ReasonCode: Sendable, Hashable {
    public var code: String
    public var label: String
}

/// An objection theme: how to recognise it and what marketing answers it with.
public struct Theme: Sendable, Hashable {
    public var id: String
    public var label: String
    public var phrases: [String]
    /// Sentences a rep might write down for this theme, in any words: the classifier learns the
    /// theme from them, beyond its phrases.
    public var examples: [String]
    /// The marketing answer to the objection: what a brief's key message says.
    public var answer: String
    /// What marketing must show to make the answer believable.
    public var proof: [String]
    /// The pieces of content that carry the answer.
    public var content: [String]
    /// What the campaign asks the prospect to do.
    public var callToAction: String

    public init(
        id: String, label: String, phrases: [String], examples: [String] = [], answer: String, proof: [String] = [], content: [String] = [],
        callToAction: String = ""
    ) {
        self.id = id
        self.label = label
        self.phrases = phrases
        self.examples = examples
        self.answer = answer
        self.proof = proof
        self.content = content
        self.callToAction = callToAction
    }
}

/// Which value of a lead a criterion reads.
public enum FieldPath: Sendable, Hashable, CustomStringConvertible {
    case lead(LeadField)
    case account(AccountField)
    /// A CRM property kept in the lead's attributes.
    case attribute(String)

    public enum LeadField: String, Sendable, CaseIterable {
        case title, seniority, source, email, emailDomain = "email_domain", owner, notes, name, stage
    }

    public enum AccountField: String, Sendable, CaseIterable {
        case name, domain, industry, employees, country, revenueBand = "revenue_band"
    }

    /// Reads `lead.title`, `account.employees`, `attribute.Lead Origin`.
    public init?(_ text: String) {
        let parts = text.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        switch parts[0] {
        case "lead": guard let field = LeadField(rawValue: parts[1]) else { return nil }; self = .lead(field)
        case "account": guard let field = AccountField(rawValue: parts[1]) else { return nil }; self = .account(field)
        case "attribute", "attributes": self = .attribute(parts[1])
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .lead(let field): "lead.\(field.rawValue)"
        case .account(let field): "account.\(field.rawValue)"
        case .attribute(let key): "attribute.\(key)"
        }
    }

    public func value(of lead: Lead, account: Account?) -> String? {
        switch self {
        case .lead(let field):
            switch field {
            case .title: lead.title
            case .seniority: lead.seniority?.rawValue
            case .source: lead.source
            case .email: lead.email
            case .emailDomain: lead.emailDomain
            case .owner: lead.owner
            case .notes: lead.notes
            case .name: lead.name
            case .stage: lead.stage.rawValue
            }
        case .account(let field):
            switch field {
            case .name: account?.name
            case .domain: account?.domain
            case .industry: account?.industry
            case .employees: account?.employees.map(String.init)
            case .country: account?.country
            case .revenueBand: account?.revenueBand
            }
        case .attribute(let key): lead.attributes[key]
        }
    }
}

/// A test on one field's value. Text comparisons ignore case.
public enum Condition: Sendable, Hashable, CustomStringConvertible {
    /// The value is one of these.
    case oneOf([String])
    /// The value contains one of these.
    case containsAny([String])
    /// The value is a number within the bounds (inclusive).
    case range(min: Double?, max: Double?)
    /// The value is present (true) or missing (false).
    case present(Bool)

    public func holds(for value: String?) -> Bool {
        let trimmed = value.map { $0.trimmingWhitespace() }
        let text = trimmed.flatMap { $0.isEmpty ? nil : $0 }
        switch self {
        case .present(let wanted):
            return (text != nil) == wanted
        case .oneOf(let options):
            guard let text else { return false }
            return options.contains { Self.sameIgnoringCase($0, text) }
        case .containsAny(let needles):
            guard let text = text?.lowercased() else { return false }
            return needles.contains { text.contains($0.lowercased()) }
        case .range(let min, let max):
            guard let text, let number = Double(text) else { return false }
            return (min.map { number >= $0 } ?? true) && (max.map { number <= $0 } ?? true)
        }
    }

    /// `caseInsensitiveCompare(_:) == .orderedSame`, by bytes when both are ASCII (where folding
    /// case is only A–Z), through Foundation otherwise.
    static func sameIgnoringCase(_ a: String, _ b: String) -> Bool {
        let (x, y) = (a.utf8, b.utf8)
        guard x.allSatisfy({ $0 < 0x80 }), y.allSatisfy({ $0 < 0x80 }) else { return a.caseInsensitiveCompare(b) == .orderedSame }
        func lower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte }
        return x.count == y.count && zip(x, y).allSatisfy { lower($0) == lower($1) }
    }

    public var description: String {
        switch self {
        case .oneOf(let options): "is one of \(options.joined(separator: ", "))"
        case .containsAny(let needles): "contains \(needles.joined(separator: " or "))"
        case .range(let min?, let max?): "is between \(min.clean) and \(max.clean)"
        case .range(let min?, nil): "is at least \(min.clean)"
        case .range(nil, let max?): "is at most \(max.clean)"
        case .range(nil, nil): "is a number"
        case .present(true): "is present"
        case .present(false): "is missing"
        }
    }
}

extension Double {
    /// `25` rather than `25.0`; used wherever points and bounds are shown.
    public var clean: String {
        self == rounded() && abs(self) < 1e15 ? String(Int(self)) : String(format: "%.2f", self)
    }
}
