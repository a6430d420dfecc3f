import GRDB
import HandoffCore
public import HandoffStoreSQL

extension SQLiteStore {
    /// Up to `limit` rows of `table` after the row `after` (a rowid), as stored, in rowid order,
    /// with the rowid of the last one to continue from.
    public func rows(of table: String, columns: [String], after: Int64, limit: Int) throws -> (rows: [[StoredValue]], last: Int64) {
        let list = columns.map { "\"\($0)\"" }.joined(separator: ", ")
        return try read { db in
            var last = after
            var rows: [[StoredValue]] = []
            let cursor = try Row.fetchCursor(
                db, sql: "SELECT rowid, \(list) FROM \(table) WHERE rowid > ? ORDER BY rowid LIMIT ?", arguments: [after, limit])
            while let row = try cursor.next() {
                last = row[0]
                rows.append(try (1...columns.count).map { index in
                    switch (row[index] as DatabaseValue).storage {
                    case .null: return .null
                    case .int64(let integer): return .integer(integer)
                    case .string(let text): return .text(text)
                    case .double(let real): return .real(real)
                    case .blob:
                        throw StoreError("\(table) row \(last), column \(columns[index - 1]), holds a value that is neither text nor a number")
                    }
                })
            }
            return (rows, last)
        }
    }
}

extension SQLiteStore {
    /// How many rows each copied table holds.
    public func tableCounts() throws -> [String: Int] {
        try read { db in
            var counts: [String: Int] = [:]
            for (table, _) in CopiedTables.all {
                counts[table] = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0
            }
            return counts
        }
    }
}
