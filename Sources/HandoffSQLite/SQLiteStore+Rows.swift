import Foundation
import GRDB
import HandoffCore

// Decoding the model from rows, by column position (see Lead(row:)).

extension Lead {
    /// Reads a `SELECT * FROM leads` row by position: GRDB's lookup by name lower-cases the name on
    /// every access, which dominated reading many leads. The positions are the table's column
    /// order, which migrations only ever extend at the end.
    init(row: Row) {
        let attributesJSON: String = row[17]
        func flag(_ index: Int) -> Bool? { (row[index] as Int64?).map { $0 != 0 } }
        self.init(
            id: row[0], externalId: row[1], accountId: row[2], name: row[3], email: row[4], title: row[5],
            seniority: (row[6] as String?).flatMap(Seniority.init(rawValue:)), source: row[7], owner: row[8],
            createdAt: Date(timeIntervalSince1970: Double(row[9] as Int64)),
            stage: Stage(rawValue: row[10]) ?? .inquiry, outcome: Outcome(rawValue: row[11]) ?? .open,
            facts: QualificationFacts(budget: flag(12), authority: flag(13), need: flag(14), timing: flag(15)),
            notes: row[16], attributes: AttributesJSON.decode(attributesJSON))
    }
}

extension Account {
    /// Reads a `SELECT * FROM accounts` row by position, like `Lead(row:)`: id, name, name_key,
    /// domain, industry, employees, revenue_band, country.
    init(row: Row) {
        self.init(id: row[0], name: row[1], domain: row[3], industry: row[4], employees: row[5], revenueBand: row[6], country: row[7])
    }
}

// The rest are read by position too, for the same reason (a script's objection summaries and
// listings decode thousands of rows): the positions are each table's `SELECT *` order, pinned by
// StoreTests.theColumnsAreWhereTheDecodersReadThem.

extension EngagementEvent {
    /// id, lead_id, kind, occurred_at, detail
    init(row: Row) {
        self.init(id: row[0], leadId: row[1], kind: row[2], occurredAt: Date(timeIntervalSince1970: Double(row[3] as Int64)), detail: row[4])
    }
}

extension StageTransition {
    /// id, lead_id, from_stage, to_stage, at, by, reason
    init(row: Row) {
        self.init(
            id: row[0], leadId: row[1], from: (row[2] as String?).flatMap(Stage.init(rawValue:)),
            to: Stage(rawValue: row[3]) ?? .inquiry, at: Date(timeIntervalSince1970: Double(row[4] as Int64)), by: row[5], reason: row[6])
    }
}

extension Rejection {
    /// id, lead_id, at, by, by_rule, reason_code, note, definition_version
    init(row: Row) {
        self.init(
            id: row[0], leadId: row[1], at: Date(timeIntervalSince1970: Double(row[2] as Int64)), by: row[3], byRule: row[4],
            reasonCode: row[5], note: row[6], definitionVersion: row[7])
    }
}

extension Objection {
    /// id, external_id, lead_id, account_id, text, theme, logged_by, at, deal_stage (then industry)
    init(row: Row) {
        self.init(
            id: row[0], externalId: row[1], leadId: row[2], accountId: row[3], text: row[4], theme: row[5], loggedBy: row[6],
            at: Date(timeIntervalSince1970: Double(row[7] as Int64)), dealStage: (row[8] as String?).flatMap(Stage.init(rawValue:)))
    }
}

// Fetching through each connection's statement cache: compiling a statement again for every
// command (with GRDB's authorizer called back for every column) was a good part of a short
// command's time in a long script.

extension Row {
    static func fetchAll(cached db: Database, sql: String, arguments: StatementArguments = StatementArguments()) throws -> [Row] {
        try fetchAll(db.cachedStatement(sql: sql), arguments: arguments)
    }

    static func fetchOne(cached db: Database, sql: String, arguments: StatementArguments = StatementArguments()) throws -> Row? {
        try fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
    }

    static func fetchCursor(cached db: Database, sql: String, arguments: StatementArguments = StatementArguments()) throws -> RowCursor {
        try fetchCursor(db.cachedStatement(sql: sql), arguments: arguments)
    }
}

extension DatabaseValueConvertible where Self: StatementColumnConvertible {
    static func fetchAll(cached db: Database, sql: String, arguments: StatementArguments = StatementArguments()) throws -> [Self] {
        try fetchAll(db.cachedStatement(sql: sql), arguments: arguments)
    }

    static func fetchOne(cached db: Database, sql: String, arguments: StatementArguments = StatementArguments()) throws -> Self? {
        try fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
    }
}
