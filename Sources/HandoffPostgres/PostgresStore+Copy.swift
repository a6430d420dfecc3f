import HandoffCore
public import HandoffStoreSQL
import PostgresNIO

extension PostgresStore {
    /// Receives a whole database in one transaction: `copy` sends the tables' rows through the
    /// function it is given, ids and all. Refused unless this database holds no leads, objections
    /// or accounts yet; rolled back, leaving it as it was, unless every table ends with the count
    /// `expected` says. Returns the counts it found.
    public func receive(
        expected: [String: Int], _ copy: (_ send: (_ table: String, _ columns: [String], _ rows: [[StoredValue]]) throws -> Void) throws -> Void
    ) throws -> [String: Int] {
        let landed = try run {
            try link.transaction { statements in
                // The whole database, so no session writes into it halfway through the move.
                try statements.execute("LOCK TABLE accounts, leads, events, transitions, rejections, objections, briefs, brief_objections, definitions, definitions_in_force IN EXCLUSIVE MODE")
                let held = try Self.counts(statements)
                guard held.leads == 0, held.objections == 0, held.accounts == 0, held.briefs == 0 else {
                    throw StoreError(
                        "\(location) already holds \(held.leads) leads, \(held.accounts) accounts and \(held.objections) objections",
                        hint: "migrate into a new, empty database so nothing there is mixed with what moves in")
                }
                // Definitions recorded when this database was first opened make way for the full history.
                try statements.execute("DELETE FROM definitions_in_force")
                try statements.execute("DELETE FROM definitions")
                try copy { table, columns, rows in try Self.insert(statements, table: table, columns: columns, rows: rows) }
                for (table, columns) in CopiedTables.all where columns.first == "id" {
                    // The next id continues after the copied ones.
                    try statements.execute("""
                        SELECT setval(pg_get_serial_sequence('\(table)', 'id'), COALESCE((SELECT max(id) FROM \(table)), 0) + 1, false)
                        """)
                }
                var landed: [String: Int] = [:]
                for (table, _) in CopiedTables.all {
                    landed[table] = try statements.value(Int.self, "SELECT count(*) FROM \(table)") ?? 0
                }
                for (table, _) in CopiedTables.all where landed[table] != expected[table] {
                    throw StoreError(
                        "the move was rolled back, leaving \(location) as it was: \(table) has \(landed[table] ?? 0) rows here "
                            + "and \(expected[table] ?? 0) in the source")
                }
                return landed
            }
        }
        // Fresh statistics and visibility maps, so the planner and index-only scans serve the
        // moved rows at once rather than after autovacuum finds them.
        try run { try link.withConnection { try $0.execute("VACUUM ANALYZE") } }
        return landed
    }

    /// Many rows in one statement each, under PostgreSQL's limit of 65,535 parameters.
    private static func insert(_ statements: Statements, table: String, columns: [String], rows: [[StoredValue]]) throws {
        let perStatement = max(1, min(1_000, 65_535 / columns.count))
        let list = columns.map { "\"\($0)\"" }.joined(separator: ", ")
        for start in stride(from: 0, to: rows.count, by: perStatement) {
            var binds = Binds()
            var tuples: [String] = []
            for row in rows[start..<min(start + perStatement, rows.count)] {
                let placeholders = row.map { value -> String in
                    switch value {
                    case .null: return binds.addNull()
                    case .integer(let integer): return binds.add(integer)
                    case .real(let real): return binds.add(real)
                    case .text(let text): return binds.add(text)
                    }
                }
                tuples.append("(\(placeholders.joined(separator: ", ")))")
            }
            try statements.execute("INSERT INTO \(table) (\(list)) VALUES \(tuples.joined(separator: ", "))", binds.bindings)
        }
    }
}
