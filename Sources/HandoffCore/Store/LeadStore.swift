public import Foundation

/// The one store every plugin reads and writes the lead model through. Implementations are
/// thread-safe and keep every write atomic: a batch lands whole or not at all.
public protocol LeadStore: LeadScanning {
    /// A human-readable location (`/home/me/.local/share/handoff/handoff.sqlite`), for messages.
    var location: String { get }

    func counts() throws -> StoreCounts

    func lead(id: Int64) throws -> Lead?
    /// The leads with these ids, by id: one query instead of one per lead (the leads a report names).
    func leads(ids: [Int64]) throws -> [Int64: Lead]
    func lead(externalId: String) throws -> Lead?
    /// The external ids of the leads with these emails (lower-cased, as the keys), the oldest lead
    /// for an email two leads share: how an import without external ids finds the leads it updates.
    func externalIds(ofLeadsWithEmails emails: [String]) throws -> [String: String]
    func leads(_ query: LeadQuery) throws -> [Lead]
    /// How many leads `query` matches, whatever its limit.
    func countLeads(_ query: LeadQuery) throws -> Int
    /// How many leads `query` matches for each source or stage, most first.
    func countLeads(_ query: LeadQuery, by grouping: LeadGrouping) throws -> [(value: String, count: Int)]
    /// Leads a name, email or external id may mean, best first: exact matches, then names that
    /// start with `text`, then (when `loose`) names with a word that does.
    func findLeads(matching text: String, limit: Int, loose: Bool) throws -> [Lead]
    /// Accounts a name may mean, best first, the same way (and when `loose`, one typo apart if
    /// nothing else matches).
    func findAccounts(matching text: String, limit: Int, loose: Bool) throws -> [Account]
    /// Lead and account names with a word starting with `prefix`, for completion.
    func names(startingWith prefix: String, limit: Int) throws -> [String]
    /// Every lead source in the store, for filters and completion.
    func sources() throws -> [String]
    func account(id: Int64) throws -> Account?
    /// The accounts with these ids, by id: one query instead of one per account (a listing's leads).
    func accounts(ids: [Int64]) throws -> [Int64: Account]
    func account(named name: String) throws -> Account?
    func accounts() throws -> [Account]

    func events(leadId: Int64) throws -> [EngagementEvent]
    /// The events of many leads at once, by lead, oldest first: one query instead of one per lead.
    func events(leadIds: [Int64]) throws -> [Int64: [EngagementEvent]]
    func transitions(leadId: Int64) throws -> [StageTransition]
    /// The newest move `actor` made, of any lead (what a bare `undo` takes back): a lead's first
    /// stage, which came with it, is no move.
    func lastTransition(by actor: String) throws -> StageTransition?
    /// The moves of every lead created in [from, to) (all leads when both are nil), by lead, time
    /// and id: the trails a count over every lead walks, without who moved them and why.
    func moves(ofLeadsCreatedFrom from: Date?, to: Date?) throws -> [Move]
    /// The whole trail of every lead with a move in [start, end), by lead and time: what a period's
    /// hand-offs need, with the moves before and after that say whether one was undone.
    func transitions(ofLeadsMovedFrom start: Date, to end: Date) throws -> [StageTransition]
    /// The moves of every lead that stands at `stage` now or moved into it in [start, end), each
    /// lead's whole trail, by lead, time and id: what `sla` needs (the MQLs still waiting and a
    /// period's), without every lead's trail.
    func moves(ofLeadsAt stage: Stage, orMovedIntoItFrom start: Date, to end: Date) throws -> [Move]
    func rejections(leadId: Int64) throws -> [Rejection]
    /// The rejections made in [start, end), by a rep or a rule, oldest first.
    func rejections(from start: Date, to end: Date) throws -> [Rejection]
    func objections(from start: Date, to end: Date) throws -> [Objection]
    /// The objections logged for a lead or heard at an account (its leads' included), newest first.
    func objections(leadId: Int64?, accountId: Int64?, limit: Int) throws -> [Objection]
    /// How many objections each theme had in [start, end), split by a segment when `by` is given,
    /// and only from accounts in `industry` when it is: counted by the store, not loaded.
    func countObjections(from start: Date, to end: Date, by: ObjectionSegment?, industry: String?) throws -> [ObjectionCount]
    /// The latest objections of one theme in [start, end) (from `industry` when given), newest first.
    func latestObjections(theme: String, from start: Date, to end: Date, industry: String?, limit: Int) throws -> [Objection]

    /// Writes one batch of imported records in one transaction, upserting leads and accounts by
    /// their keys. Records the store cannot place (an event for an unknown lead) are rejected
    /// with their line; the rest land.
    func apply(_ batch: ImportBatch, dryRun: Bool) throws -> BatchOutcome

    /// A large import is about to write `expectedRows` rows of `kind`: the store may set index
    /// upkeep aside until `finishImport` (SQLite rebuilds its secondary indexes once, sorted,
    /// instead of inserting into them in random order). A store must stay consistent and
    /// complete whatever happens in between, including the process being killed.
    func prepareImport(of kind: ImportKind, expectedRows: Int) throws
    /// The import is over (finished, cancelled or failed): whatever `prepareImport` set aside is
    /// back in place. Returns how many of the rows the batches counted as inserted turned out to
    /// repeat a stored one (an event already there) and were dropped: they count as already stored.
    func finishImport(of kind: ImportKind) throws -> Int
    /// The pass over a file is over (finished, cancelled or failed): whatever the store kept from
    /// one of its batches for the next can go.
    func endImportPass(_ pass: ImportPass)

    /// Adds a rejection and moves the lead to `disqualified`, recording the transition, atomically.
    /// Throws `ConflictError` when the lead is already disqualified (two reps rejecting one lead
    /// at once record one rejection).
    func reject(_ rejection: Rejection) throws

    /// Moves a lead to another stage and records the transition, atomically. When the transition
    /// names the stage it moves from and the lead is no longer there (someone else moved it since
    /// it was read), nothing is written and `ConflictError` says where the lead is now.
    func move(_ transition: StageTransition) throws

    /// Stores an objection as sales heard it; returns its id.
    func log(_ objection: Objection) throws -> Int64

    /// One objection by its number.
    func objection(id: Int64) throws -> Objection?
    /// Files an objection under another theme, keeping who changed it, when, from what; the same
    /// theme again confirms one the classifier filed (its confidence goes), and is kept the same way.
    func retheme(objectionId: Int64, to theme: String, by: String, at: Date) throws
    /// Takes back a wrongly logged objection: it leaves every count, quote and brief, and the audit
    /// trail keeps it whole (as JSON) with who withdrew it, when and why.
    func withdraw(objectionId: Int64, by: String, at: Date, note: String) throws
    /// What was changed about an objection, oldest first.
    func objectionChanges(objectionId: Int64) throws -> [ObjectionChange]
    /// The objections someone filed under another theme by hand (`retheme`) and did not withdraw,
    /// each with the theme it has now, most recently logged first: what the classifier learns
    /// from the team.
    func themeCorrections(limit: Int) throws -> [ThemeClassifier.Correction]
    /// The objections the classifier filed with a confidence below `confidence` (those under
    /// `other` have 0), newest first; none whose theme a person or a file named.
    func objectionsToReview(below confidence: Double, limit: Int) throws -> [Objection]
    /// A language model's theme for a text, as `cacheThemeAnswer` kept it (`key` is `ThemeAnswer.key`).
    func cachedThemeAnswer(key: String) throws -> ThemeAnswer?
    /// Keeps a language model's theme for a text, so the same words never ask it twice.
    func cacheThemeAnswer(key: String, _ answer: ThemeAnswer) throws

    /// Stores a drafted brief with the objections it was drawn from; returns its id.
    func save(_ brief: Brief) throws -> Int64

    /// Marks fields (`lead.notes`, `attribute.lead_quality`) as filled in by sales after the first
    /// contact, as the mapping `mapping` said when it imported them. A mark stays: a later import
    /// that does not repeat it does not make the field known before contact.
    func markFilledAfterContact(_ fields: [String], mapping: String, at: Date) throws
    /// The fields marked filled in after contact, each with the mapping that marked it first.
    func fieldsFilledAfterContact() throws -> [String: String]

    /// Runs `body` (one command) with its reads sharing one read transaction, so they cost one
    /// snapshot instead of one each and see one state of the data. A write inside ends the
    /// sharing: what is read after it sees the write.
    func readingTogether<T>(_ body: () throws -> T) throws -> T

    /// Keeps the text of every definition version that was ever in force (each text once), and
    /// that it is in force from `at`, put there by `by`, unless it already was at `at`.
    func remember(_ definition: Definition, at: Date, by: String) throws
    /// Each time a definition text came into force, oldest first.
    func definitionHistory() throws -> [DefinitionRecord]
    /// The most recently remembered definition's text and origin, for when the file is broken.
    func lastDefinition() throws -> (text: String, origin: String)?
    /// The text and origin of a version that was in force, for judging a lead as it was then.
    func definition(version: String) throws -> (text: String, origin: String)?

    /// `ok`, or what SQLite/PostgreSQL found wrong.
    func integrityCheck() throws -> String

    /// Ends the session's use of the store as a clean exit does (SQLite checkpoints and empties
    /// its WAL; PostgreSQL's connection says goodbye), for a program about to exit without
    /// releasing it. Nothing may use the store afterwards.
    func close()
}

/// How many of each thing the store holds.
public struct StoreCounts: Sendable, Hashable, Codable {
    public var accounts = 0
    public var leads = 0
    public var events = 0
    public var transitions = 0
    public var rejections = 0
    public var objections = 0
    public var briefs = 0

    public init() {}
}

/// What to split objection counts by.
public enum ObjectionSegment: String, Sendable, CaseIterable {
    case industry, stage, rep
}

/// One cell of an objection tally.
public struct ObjectionCount: Sendable, Hashable {
    public var theme: String
    /// The segment (industry, deal stage or rep), or nil when none was asked for or known.
    public var segment: String?
    public var count: Int

    public init(theme: String, segment: String?, count: Int) {
        self.theme = theme
        self.segment = segment
        self.count = count
    }
}

/// What to count leads by.
public enum LeadGrouping: Sendable {
    case source, stage, owner
}

/// Which leads to list.
public struct LeadQuery: Sendable, Hashable {
    public var stages: [Stage] = []
    /// With `stages`, the created range means when the lead entered one of them ("MQLs this
    /// week" are leads that became MQLs this week), not when it was created.
    public var rangeIsStageEntry = false
    public var source: String?
    /// Only leads with one of these outcomes (the definition report wants won and lost).
    public var outcomes: [Outcome] = []
    public var createdFrom: Date?
    public var createdTo: Date?
    public var accountId: Int64?
    /// Only leads this person owns (case-insensitive).
    public var owner: String?
    /// Only leads at accounts of this industry (case-insensitive).
    public var industry: String?
    /// Case-insensitive text in the name, email, external id or account name.
    public var text: String?
    public var limit: Int?

    public init() {}
}

extension LeadStore {
    /// One look-up per lead, for stores where that costs no more than a query for all of them.
    public func leads(ids: [Int64]) throws -> [Int64: Lead] {
        var found: [Int64: Lead] = [:]
        for id in Set(ids) { found[id] = try lead(id: id) }
        return found
    }

    /// One look-up per account, for stores where that costs no more than a query for all of them.
    public func accounts(ids: [Int64]) throws -> [Int64: Account] {
        var found: [Int64: Account] = [:]
        for id in Set(ids) { found[id] = try account(id: id) }
        return found
    }

    /// Stores whose reads cost little apart run them apart.
    public func readingTogether<T>(_ body: () throws -> T) throws -> T { try body() }

    /// Stores without bulk-load tricks import batch by batch as they are.
    public func prepareImport(of kind: ImportKind, expectedRows: Int) throws {}
    public func finishImport(of kind: ImportKind) throws -> Int { 0 }
    public func endImportPass(_ pass: ImportPass) {}
}
