import Foundation
import GRDB
import GRDBSQLite
import HandoffCore

// Decoding the model from rows, by column position, through SQLite's C API: GRDB's `Row` copies
// every value into boxes of its own (and looks names up lower-cased), which was most of the time
// of a listing or a qualify in a long script. The positions are each table's `SELECT *` order,
// which migrations only ever extend at the end, pinned by StoreTests.theColumnsAreWhereTheDecodersReadThem.

/// The current row of a statement being stepped, read by column position. Valid until the next step.
struct StatementRow {
    let statement: SQLiteStatement

    func int(_ column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }

    func optionalInt(_ column: Int32) -> Int64? { isNull(column) ? nil : int(column) }

    func optionalDouble(_ column: Int32) -> Double? { isNull(column) ? nil : sqlite3_column_double(statement, column) }

    func flag(_ column: Int32) -> Bool? { optionalInt(column).map { $0 != 0 } }

    func date(_ column: Int32) -> Date { Date(timeIntervalSince1970: Double(int(column))) }

    func text(_ column: Int32) -> String { optionalText(column) ?? "" }

    func optionalText(_ column: Int32) -> String? {
        guard let bytes = sqlite3_column_text(statement, column) else { return nil }
        return String(decoding: UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(statement, column))), as: UTF8.self)
    }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(statement, column) == SQLITE_NULL }

    /// The column's text as bytes, valid until the next step.
    func bytes(_ column: Int32) -> UnsafeBufferPointer<UInt8> {
        guard let bytes = sqlite3_column_text(statement, column) else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(statement, column)))
    }
}

/// A prepared statement stepped by hand; `row` reads the row it is on. For reading several
/// statements side by side (the definition report's scan) or one through a callback.
struct StatementCursor {
    let row: StatementRow
    private let db: Database
    private let sql: String?

    init(_ statement: Statement, _ db: Database) {
        row = StatementRow(statement: statement.sqliteStatement)
        self.db = db
        sql = statement.sql
    }

    /// Steps to the next row; false past the last one.
    func next() throws -> Bool {
        switch sqlite3_step(row.statement) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let code: throw DatabaseError(resultCode: ResultCode(rawValue: code), message: db.lastErrorMessage, sql: sql)
        }
    }
}

extension Database {
    /// Every row of `sql` (through this connection's statement cache), decoded by `decode`.
    func all<T>(cached sql: String, _ arguments: StatementArguments, _ decode: (StatementRow) throws -> T) throws -> [T] {
        var rows: [T] = []
        try step(cached: sql, arguments) { row in
            rows.append(try decode(row))
            return true
        }
        return rows
    }

    /// The first row of `sql`, decoded, or nil.
    func one<T>(cached sql: String, _ arguments: StatementArguments, _ decode: (StatementRow) throws -> T) throws -> T? {
        var first: T?
        try step(cached: sql, arguments) { row in
            first = try decode(row)
            return false
        }
        return first
    }

    /// Hands each row of `sql` to `body`.
    func each(cached sql: String, _ arguments: StatementArguments, _ body: (StatementRow) throws -> Void) throws {
        try step(cached: sql, arguments) { row in
            try body(row)
            return true
        }
    }

    /// Steps `sql` with `arguments` while `body` returns true, and resets it.
    private func step(cached sql: String, _ arguments: StatementArguments, while body: (StatementRow) throws -> Bool) throws {
        let statement = try cachedStatement(sql: sql)
        try statement.setArguments(arguments)
        let cursor = StatementCursor(statement, self)
        defer { sqlite3_reset(statement.sqliteStatement) }
        while try cursor.next() {
            if try !body(cursor.row) { return }
        }
    }
}

extension Lead {
    /// A `SELECT * FROM leads` row.
    init(_ row: StatementRow) {
        self.init(
            id: row.int(0), externalId: row.text(1), accountId: row.optionalInt(2), name: row.text(3), email: row.optionalText(4),
            title: row.optionalText(5), seniority: row.optionalText(6).flatMap(Seniority.init(rawValue:)), source: row.optionalText(7),
            owner: row.optionalText(8), createdAt: row.date(9),
            stage: Stage(rawValue: row.text(10)) ?? .inquiry, outcome: Outcome(rawValue: row.text(11)) ?? .open,
            facts: QualificationFacts(budget: row.flag(12), authority: row.flag(13), need: row.flag(14), timing: row.flag(15)),
            notes: row.optionalText(16), attributes: AttributesJSON.decode(row.optionalText(17) ?? "{}"))
    }
}

extension Account {
    /// A `SELECT * FROM accounts` row: id, name, name_key, domain, industry, employees, revenue_band, country.
    init(_ row: StatementRow) {
        self.init(
            id: row.int(0), name: row.text(1), domain: row.optionalText(3), industry: row.optionalText(4),
            employees: row.optionalInt(5).map(Int.init), revenueBand: row.optionalText(6), country: row.optionalText(7))
    }
}

extension EngagementEvent {
    /// id, lead_id, kind, occurred_at, detail
    init(_ row: StatementRow) {
        self.init(id: row.int(0), leadId: row.int(1), kind: row.text(2), occurredAt: row.date(3), detail: row.text(4))
    }
}

extension StageTransition {
    /// id, lead_id, from_stage, to_stage, at, by, reason
    init(_ row: StatementRow) {
        self.init(
            id: row.int(0), leadId: row.int(1), from: row.optionalText(2).flatMap(Stage.init(rawValue:)),
            to: Stage(rawValue: row.text(3)) ?? .inquiry, at: row.date(4), by: row.text(5), reason: row.text(6))
    }
}

extension Move {
    /// Each stage with its name's bytes, to match a column's text without making a string of it.
    static let stages = Stage.allCases.map { (stage: $0, name: Array($0.rawValue.utf8)) }
    static let undo = Array(Trail.undoReason.utf8)

    /// id, lead_id, from_stage, to_stage, at, reason
    init(_ row: StatementRow) {
        func stage(_ column: Int32) -> Stage? {
            let bytes = row.bytes(column)
            return Self.stages.first { $0.name.count == bytes.count && $0.name.elementsEqual(bytes) }?.stage
        }
        self.init(
            id: row.int(0), leadId: row.int(1), from: stage(2), to: stage(3) ?? .inquiry, at: row.date(4),
            isUndo: row.bytes(5).starts(with: Self.undo))
    }
}

extension Rejection {
    /// id, lead_id, at, by, by_rule, reason_code, note, definition_version
    init(_ row: StatementRow) {
        self.init(
            id: row.int(0), leadId: row.int(1), at: row.date(2), by: row.text(3), byRule: row.int(4) != 0,
            reasonCode: row.text(5), note: row.text(6), definitionVersion: row.text(7))
    }
}

extension Objection {
    /// id, external_id, lead_id, account_id, text, theme, logged_by, at, deal_stage, industry,
    /// confidence: the table's columns in order (`SELECT *`).
    init(_ row: StatementRow) {
        self.init(
            id: row.int(0), externalId: row.optionalText(1), leadId: row.optionalInt(2), accountId: row.optionalInt(3), text: row.text(4),
            theme: row.text(5), loggedBy: row.text(6), at: row.date(7), dealStage: row.optionalText(8).flatMap(Stage.init(rawValue:)),
            confidence: row.optionalDouble(10))
    }
}

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
