import CommandLineOptions
import Foundation
import HandoffCore
import HandoffShell
import HandoffSQLite

/// `handoff migrate --to postgres://…`: moves a laptop's SQLite database into the team's
/// PostgreSQL one, every row with its id, in one transaction that commits only when every
/// table's count matches the source's (the moving itself is `PostgresStore.moveIn`, in
/// HandoffMigrate, which handoff-team runs for `TeamStores.moveIn`).
struct Migrate {
    let from: String?
    let to: String
    let team: (any TeamStores)?

    init(options: ParsedOptions, team: (any TeamStores)?) {
        from = options.value("--from")
        to = options.value("--to") ?? ""  // required: the parser refuses a command line without it
        self.team = team
    }

    func run() throws {
        guard let team else { try TeamProgram.takeOver() }
        let environment = ProcessInfo.processInfo.environment
        let paths = Paths(environment: environment)
        do {
            let settings = try Settings.load(path: paths.settingsFile, home: environment["HOME"] ?? NSHomeDirectory())
            let source = from ?? StoreOpening.location(flag: nil, environment: environment, settings: settings, paths: paths)
            guard !DatabaseLocation.isTeam(source) else {
                throw CommandLineError("--from must be an SQLite file; \(source.prefix(11))… is already a PostgreSQL database")
            }
            guard FileManager.default.fileExists(atPath: source) else {
                throw CommandLineError("--from: there is no database at \(source)")
            }
            try team.moveIn(
                try SQLiteStore(path: source), from: source, to: TeamHandOver.url(to, environment: environment), environment: environment)
        } catch let error as CommandLineError {
            throw error
        } catch {
            Terminal.write(Renderer(format: .text, style: .plain).render(error, command: nil, request: nil))
            throw ExitStatus(1)
        }
    }
}
