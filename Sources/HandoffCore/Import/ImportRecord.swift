public import Foundation
import Synchronization

/// A batch of rows from one file, converted to typed records, ready for the store.
public struct ImportBatch: Sendable {
    public var records: [ImportRecord]
    /// Who is importing: recorded on the stage transitions the import causes.
    public var actor: String
    /// When the import runs: the time of those transitions.
    public var at: Date
    /// The file, for the transitions' reasons.
    public var sourceName: String
    /// The pass over one file this batch belongs to: a store may keep what it learned in one
    /// batch for the next of the same pass, in its own types, until `endImportPass`.
    public var pass: ImportPass

    public init(records: [ImportRecord], actor: String, at: Date, sourceName: String, pass: ImportPass = ImportPass()) {
        self.records = records
        self.actor = actor
        self.at = at
        self.sourceName = sourceName
        self.pass = pass
    }
}

/// One pass of an import over a file, told apart from every other pass in the process.
public struct ImportPass: Sendable, Hashable {
    private static let passes = Atomic<UInt64>(0)
    public let id: UInt64

    public init() { id = Self.passes.wrappingAdd(1, ordering: .relaxed).newValue }
}

public enum ImportRecord: Sendable {
    case lead(LeadRecord)
    case event(EventRecord)
    case objection(ObjectionRecord)

    public var line: Int {
        switch self {
        case .lead(let record): record.line
        case .event(let record): record.line
        case .objection(let record): record.line
        }
    }

    /// The kind of file the record comes from.
    public var importKind: ImportKind {
        switch self {
        case .lead: .leads
        case .event: .events
        case .objection: .objections
        }
    }
}

/// A lead as one CSV row describes it. `nil` means the row did not say: the stored value stays.
public struct LeadRecord: Sendable {
    public var line: Int
    public var externalId: String
    public var name: String?
    public var email: String?
    public var title: String?
    public var seniority: Seniority?
    public var source: String?
    public var owner: String?
    public var createdAt: Date?
    public var stage: Stage?
    public var outcome: Outcome?
    public var facts = QualificationFacts()
    public var notes: String?
    public var attributes: [String: String] = [:]
    public var account: AccountRecord?
    /// An objection the row's notes record (`objections_from` in the mapping): its text and theme.
    public var notedObjection: (text: String, theme: String)?
    /// The row gave no external id, so its email is its key: it updates the stored lead with
    /// that email, if there is one, whatever that lead's external id.
    public var keyedByEmail = false

    public init(line: Int, externalId: String) {
        self.line = line
        self.externalId = externalId
    }
}

extension LeadRecord {
    /// This row over an earlier row of the same lead: what this row says wins, what it leaves
    /// empty comes from the earlier one.
    public mutating func absorb(earlier: LeadRecord) {
        name = name ?? earlier.name
        email = email ?? earlier.email
        title = title ?? earlier.title
        seniority = seniority ?? earlier.seniority
        source = source ?? earlier.source
        owner = owner ?? earlier.owner
        createdAt = createdAt ?? earlier.createdAt
        stage = stage ?? earlier.stage
        outcome = outcome ?? earlier.outcome
        for fact in QualificationFacts.Fact.allCases where facts[fact] == nil { facts[fact] = earlier.facts[fact] }
        notes = notes ?? earlier.notes
        attributes = earlier.attributes.merging(attributes) { $1 }
        if var newer = account, let older = earlier.account, Account.key(newer.name) == Account.key(older.name) {
            newer.domain = newer.domain ?? older.domain
            newer.industry = newer.industry ?? older.industry
            newer.employees = newer.employees ?? older.employees
            newer.revenueBand = newer.revenueBand ?? older.revenueBand
            newer.country = newer.country ?? older.country
            account = newer
        } else if account == nil {
            account = earlier.account
        }
        notedObjection = notedObjection ?? earlier.notedObjection
    }
}

public struct AccountRecord: Sendable, Hashable {
    public var name: String
    public var domain: String?
    public var industry: String?
    public var employees: Int?
    public var revenueBand: String?
    public var country: String?

    public init(name: String) { self.name = name }
}

/// How a row names the lead it belongs to.
public enum LeadReference: Sendable, Hashable, CustomStringConvertible {
    case externalId(String)
    case email(String)

    public var description: String {
        switch self {
        case .externalId(let id): "external id '\(id)'"
        case .email(let email): "email '\(email)'"
        }
    }
}

public struct EventRecord: Sendable {
    public var line: Int
    public var lead: LeadReference
    public var kind: String
    public var occurredAt: Date
    public var detail: String

    public init(line: Int, lead: LeadReference, kind: String, occurredAt: Date, detail: String) {
        self.line = line
        self.lead = lead
        self.kind = kind
        self.occurredAt = occurredAt
        self.detail = detail
    }
}

public struct ObjectionRecord: Sendable {
    public var line: Int
    /// The CRM's id, or one derived from the row so a re-import finds it again.
    public var externalId: String
    public var lead: LeadReference?
    public var accountName: String?
    public var text: String
    public var theme: String
    public var loggedBy: String
    public var at: Date
    public var dealStage: Stage?
    /// The classifier's share when it chose the theme; nil when the file named it.
    public var confidence: Double?

    public init(
        line: Int, externalId: String, lead: LeadReference?, accountName: String?, text: String,
        theme: String, loggedBy: String, at: Date, dealStage: Stage?, confidence: Double? = nil
    ) {
        self.line = line
        self.externalId = externalId
        self.lead = lead
        self.accountName = accountName
        self.text = text
        self.theme = theme
        self.loggedBy = loggedBy
        self.at = at
        self.dealStage = dealStage
        self.confidence = confidence
    }
}

/// What one batch did.
public struct BatchOutcome: Sendable, Hashable {
    public var inserted = 0
    public var updated = 0
    /// Rows that gave a stored lead (event, objection) exactly as it is stored.
    public var unchanged = 0
    public var rejected: [RowProblem] = []

    public init() {}
}

/// A row that did not land, and why.
public struct RowProblem: Error, Sendable, Hashable, Codable {
    public var line: Int
    public var reason: String

    public init(line: Int, reason: String) {
        self.line = line
        self.reason = reason
    }
}
