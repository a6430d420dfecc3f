import HandoffCore
import HandoffStoreSQL
public import HandoffPostgres
public import HandoffSQLite

extension PostgresStore {
    /// Copies every row of `source` into this database, ids and all, in one transaction that
    /// commits only when every table's count matches the source's (`receive`, which also refuses a
    /// database that is not empty). Tables go in `CopiedTables` order, parents first, `batch` rows
    /// at a time in rowid order; `copied` is told each table as it is done, with its count in the
    /// source. Returns the counts that landed. `handoff migrate` runs this; so does the contract suite.
    public func moveIn(
        _ source: SQLiteStore, batch: Int = 5_000, copied: (_ table: String, _ rows: Int) -> Void = { _, _ in }
    ) throws -> [String: Int] {
        let expected = try source.tableCounts()
        return try receive(expected: expected) { send in
            for (table, columns) in CopiedTables.all {
                var after: Int64 = 0
                while true {
                    let (rows, last) = try source.rows(of: table, columns: columns, after: after, limit: batch)
                    if rows.isEmpty { break }
                    try send(table, columns, rows)
                    after = last
                }
                copied(table, expected[table] ?? 0)
            }
        }
    }
}
