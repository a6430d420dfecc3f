import CommandLineOptions
import Foundation
import HandoffCore
import HandoffPostgres
import HandoffShell
import HandoffSQLite

/// `handoff migrate --to postgres://…`: moves a laptop's SQLite database into the team's
/// PostgreSQL one, every row with its id, in one transaction that commits only when every
/// table's count matches the source's.
struct Migrate {
    let from: String?
    let to: String

    init(options: ParsedOptions) {
        from = options.value("--from")
        to = options.value("--to") ?? ""  // required: the parser refuses a command line without it
    }

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let paths = Paths(environment: environment)
        do {
            let settings = try Settings.load(path: paths.settingsFile, home: environment["HOME"] ?? NSHomeDirectory())
            let source = from ?? StoreOpening.location(flag: nil, environment: environment, settings: settings, paths: paths)
            guard !PostgresURL.isPostgres(source) else {
                throw CommandLineError("--from must be an SQLite file; \(source.prefix(11))… is already a PostgreSQL database")
            }
            guard FileManager.default.fileExists(atPath: source) else {
                throw CommandLineError("--from: there is no database at \(source)")
            }
            let sqlite = try SQLiteStore(path: source)
            let postgres = try PostgresStore(url: PostgresURL(to, environment: environment))
            let expected = try sqlite.tableCounts()
            Terminal.write("moving \(source) into \(postgres.location)\n", to: 1)
            let landed = try postgres.receive(expected: expected) { send in
                for (table, columns) in CopiedTables.all {
                    var after: Int64 = 0
                    while true {
                        let (rows, last) = try sqlite.rows(of: table, columns: columns, after: after, limit: 5_000)
                        if rows.isEmpty { break }
                        try send(table, columns, rows)
                        after = last
                    }
                    Terminal.write("  \(table.padding(toLength: 17, withPad: " ", startingAt: 0)) \(expected[table] ?? 0)\n", to: 1)
                }
            }
            let total = landed.values.reduce(0, +)
            Terminal.write("moved \(total) rows; every table's count matches the source. Point Handoff at it with --db or HANDOFF_DB.\n", to: 1)
        } catch let error as CommandLineError {
            throw error
        } catch {
            Terminal.write(Renderer(format: .text, style: .plain).render(error, command: nil, request: nil))
            throw ExitStatus(1)
        }
    }
}
