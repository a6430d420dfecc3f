import Foundation
import GRDB
import HandoffCore

// Decoding the model from rows. Columns are read by name so a new column never shifts them.

private func date(_ row: Row, _ column: String) -> Date {
    Date(timeIntervalSince1970: Double(row[column] as Int64))
}

private func flag(_ row: Row, _ column: String) -> Bool? {
    (row[column] as Int64?).map { $0 != 0 }
}

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

extension EngagementEvent {
    init(row: Row) {
        self.init(id: row["id"], leadId: row["lead_id"], kind: row["kind"], occurredAt: date(row, "occurred_at"), detail: row["detail"])
    }
}

extension StageTransition {
    init(row: Row) {
        self.init(
            id: row["id"], leadId: row["lead_id"], from: (row["from_stage"] as String?).flatMap(Stage.init(rawValue:)),
            to: Stage(rawValue: row["to_stage"]) ?? .inquiry, at: date(row, "at"), by: row["by"], reason: row["reason"])
    }
}

extension Rejection {
    init(row: Row) {
        self.init(
            id: row["id"], leadId: row["lead_id"], at: date(row, "at"), by: row["by"], byRule: row["by_rule"],
            reasonCode: row["reason_code"], note: row["note"], definitionVersion: row["definition_version"])
    }
}

extension Objection {
    init(row: Row) {
        self.init(
            id: row["id"], externalId: row["external_id"], leadId: row["lead_id"], accountId: row["account_id"], text: row["text"],
            theme: row["theme"], loggedBy: row["logged_by"], at: date(row, "at"),
            dealStage: (row["deal_stage"] as String?).flatMap(Stage.init(rawValue:)))
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
