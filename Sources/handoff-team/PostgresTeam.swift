import Foundation
import HandoffCLI
import HandoffCore
import HandoffMigrate
import HandoffPostgres
import HandoffShell
import HandoffSQLite

/// Team databases are PostgreSQL ones.
struct PostgresTeam: TeamStores {
    func open(_ url: String, environment: [String: String]) throws -> any LeadStore {
        try PostgresStore(url: PostgresURL(url, environment: environment))
    }

    func moveIn(_ source: SQLiteStore, from path: String, to url: String, environment: [String: String]) throws {
        let postgres = try PostgresStore(url: PostgresURL(url, environment: environment))
        Terminal.write("moving \(path) into \(postgres.location)\n", to: 1)
        let landed = try postgres.moveIn(source) { table, rows in
            Terminal.write("  \(table.padding(toLength: 17, withPad: " ", startingAt: 0)) \(rows)\n", to: 1)
        }
        let total = landed.values.reduce(0, +)
        Terminal.write("moved \(total) rows; every table's count matches the source. Point Handoff at it with --db or HANDOFF_DB.\n", to: 1)
    }
}
