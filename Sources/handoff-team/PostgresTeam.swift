import Foundation
import HandoffCLI
import HandoffCore
import HandoffPostgres
import HandoffShell
import HandoffSQLite
import HandoffStoreSQL

/// Team databases are PostgreSQL ones.
struct PostgresTeam: TeamStores {
    func open(_ url: String, environment: [String: String]) throws -> any LeadStore {
        try PostgresStore(url: PostgresURL(url, environment: environment))
    }

    func moveIn(_ source: SQLiteStore, from path: String, to url: String, environment: [String: String]) throws {
        let postgres = try PostgresStore(url: PostgresURL(url, environment: environment))
        let expected = try source.tableCounts()
        Terminal.write("moving \(path) into \(postgres.location)\n", to: 1)
        let landed = try postgres.receive(expected: expected) { send in
            for (table, columns) in CopiedTables.all {
                var after: Int64 = 0
                while true {
                    let (rows, last) = try source.rows(of: table, columns: columns, after: after, limit: 5_000)
                    if rows.isEmpty { break }
                    try send(table, columns, rows)
                    after = last
                }
                Terminal.write("  \(table.padding(toLength: 17, withPad: " ", startingAt: 0)) \(expected[table] ?? 0)\n", to: 1)
            }
        }
        let total = landed.values.reduce(0, +)
        Terminal.write("moved \(total) rows; every table's count matches the source. Point Handoff at it with --db or HANDOFF_DB.\n", to: 1)
    }
}
