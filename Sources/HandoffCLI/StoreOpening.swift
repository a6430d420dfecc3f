import Foundation
import HandoffCore
import HandoffShell
import HandoffSQLite

/// Which database a run uses, and opening it: an SQLite file by default, PostgreSQL when the
/// location is a postgres:// URL (team mode).
enum StoreOpening {
    /// The command line first, then the environment, then the settings file, then the default file.
    static func location(flag: String?, environment: [String: String], settings: Settings, paths: Paths) -> String {
        flag ?? environment["HANDOFF_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? settings.database ?? paths.defaultDatabase
    }

    static func open(_ location: String, environment: [String: String], team: (any TeamStores)?) throws -> any LeadStore {
        if DatabaseLocation.isTeam(location) {
            guard let team else { try TeamProgram.takeOver() }
            return try team.open(location, environment: environment)
        }
        return try SQLiteStore(path: location)
    }

    /// Opens the store while the definition in force is read and parsed on a thread of its own,
    /// then settles which definition is in force (saying so when a file was refused). A store that
    /// cannot be opened is reported with `renderer`, and ends the run with status 1.
    static func openSession(
        _ resolved: SessionOptions.Resolved, environment: [String: String], team: (any TeamStores)?, reportingWith renderer: Renderer
    ) throws -> (store: any LeadStore, definition: Definition) {
        let read = Prefetch { [path = resolved.definitionPath, paths = resolved.paths] in DefinitionInForce.read(explicit: path, paths: paths) }
        let store: any LeadStore
        do {
            store = try open(resolved.databaseLocation, environment: environment, team: team)
        } catch {
            Terminal.write(renderer.render(error, command: nil, request: nil))
            throw ExitStatus(1)
        }
        let choice = DefinitionInForce.settle(read.value(), store: store, now: resolved.clock.now)
        if let warning = choice.warning { Terminal.write("warning: \(warning)\n", to: 2) }
        return (store, choice.definition)
    }
}
