public import Foundation

/// A person at an account, as marketing and sales both see them.
public struct Lead: Sendable, Hashable, Codable {
    public var id: Int64?
    /// The CRM's id: imports upsert by it.
    public var externalId: String
    public var accountId: Int64?
    public var name: String
    public var email: String?
    public var title: String?
    public var seniority: Seniority?
    public var source: String?
    public var owner: String?
    public var createdAt: Date
    public var stage: Stage
    public var outcome: Outcome
    /// Budget, authority, need and timing as sales has confirmed them.
    public var facts: QualificationFacts
    /// The sales team's free-text notes (a CRM's "Tags" or "Notes" column).
    public var notes: String?
    /// CRM properties the model has no column for, kept so a definition can still score on them.
    public var attributes: [String: String]

    public init(
        id: Int64? = nil, externalId: String, accountId: Int64? = nil, name: String,
        email: String? = nil, title: String? = nil, seniority: Seniority? = nil,
        source: String? = nil, owner: String? = nil, createdAt: Date, stage: Stage = .inquiry,
        outcome: Outcome = .open, facts: QualificationFacts = .init(), notes: String? = nil,
        attributes: [String: String] = [:]
    ) {
        self.id = id
        self.externalId = externalId
        self.accountId = accountId
        self.name = name
        self.email = email
        self.title = title
        self.seniority = seniority
        self.source = source
        self.owner = owner
        self.createdAt = createdAt
        self.stage = stage
        self.outcome = outcome
        self.facts = facts
        self.notes = notes
        self.attributes = attributes
    }

    /// The part of the email after "@", lower-cased: what the personal-email and competitor rules read.
    public var emailDomain: String? {
        guard let email else { return nil }
        // ASCII addresses (nearly all) are split on bytes: a Character search cost more than the rest.
        if email.utf8.allSatisfy({ $0 < 0x80 }) {
            guard let at = email.utf8.lastIndex(of: UInt8(ascii: "@")) else { return nil }
            let domain = email.utf8[email.utf8.index(after: at)...]
            return domain.isEmpty ? nil : String(decoding: domain.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
        }
        guard let at = email.lastIndex(of: "@") else { return nil }
        let domain = email[email.index(after: at)...].lowercased()
        return domain.isEmpty ? nil : domain
    }
}

/// How senior a lead is: the role band fit criteria score on.
public enum Seniority: String, Sendable, Codable, CaseIterable {
    case cLevel = "c-level", vp, director, manager, individual, student

    /// Reads a seniority as written, or guesses it from a job title ("VP Marketing" → vp).
    public init?(loose text: String) {
        let key = text.lowercased().filter { $0.isLetter }
        switch key {
        case "clevel", "csuite", "executive", "owner", "founder": self = .cLevel
        case "vp", "vicepresident": self = .vp
        case "director", "head": self = .director
        case "manager": self = .manager
        case "individual", "ic", "individualcontributor", "staff": self = .individual
        case "student", "intern": self = .student
        default: return nil
        }
    }

    public static func guess(fromTitle title: String) -> Seniority? {
        let words = Set(title.lowercased().split(whereSeparator: { !$0.isLetter }).map(String.init))
        if words.contains("student") || words.contains("intern") { return .student }
        if !words.isDisjoint(with: ["ceo", "cfo", "cto", "cio", "cmo", "coo", "ciso", "chief", "founder", "owner", "president"]) && !words.contains("vice") {
            return .cLevel
        }
        if words.contains("vp") || words.contains("vice") || words.contains("svp") || words.contains("evp") { return .vp }
        if words.contains("director") || words.contains("head") { return .director }
        if words.contains("manager") || words.contains("lead") { return .manager }
        return words.isEmpty ? nil : .individual
    }
}

/// The four BANT facts; each is unknown until sales confirms or denies it.
public struct QualificationFacts: Sendable, Hashable, Codable {
    public var budget: Bool?
    public var authority: Bool?
    public var need: Bool?
    public var timing: Bool?

    public init(budget: Bool? = nil, authority: Bool? = nil, need: Bool? = nil, timing: Bool? = nil) {
        self.budget = budget
        self.authority = authority
        self.need = need
        self.timing = timing
    }

    public subscript(fact: Fact) -> Bool? {
        get {
            switch fact {
            case .budget: budget
            case .authority: authority
            case .need: need
            case .timing: timing
            }
        }
        set {
            switch fact {
            case .budget: budget = newValue
            case .authority: authority = newValue
            case .need: need = newValue
            case .timing: timing = newValue
            }
        }
    }

    public enum Fact: String, Sendable, Codable, CaseIterable {
        case budget, authority, need, timing
    }
}
