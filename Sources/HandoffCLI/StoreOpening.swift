import Foundation
import HandoffCore
import HandoffPluginAPI
import HandoffShell
import HandoffSQLite

/// Which database a run uses, and opening it: an SQLite file by default, PostgreSQL when the
/// location is a postgres:// URL (team mode).
enum StoreOpening {
    /// The command line first, then the environment, then the settings file, then the default file.
    static func location(flag: String?, environment: [String: String], settings: Settings, paths: Paths) -> String {
        flag ?? environment["HANDOFF_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? settings.database ?? paths.defaultDatabase
    }

    static func open(_ location: String, environment: [String: String], team: (any TeamStores)?, paths: Paths) throws -> any LeadStore {
        if DatabaseLocation.isTeam(location) {
            guard let team else { try TeamProgram.takeOver() }
            return try team.open(TeamHandOver.url(location, environment: environment), environment: environment)
        }
        // Handoff makes its own data folder; a folder someone named that is not there is more
        // likely a typo than a wish, and a database made there would be lost from sight.
        let folder = (location as NSString).deletingLastPathComponent
        var isFolder: ObjCBool = false
        if location != paths.defaultDatabase, !folder.isEmpty,
           !(FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) && isFolder.boolValue) {
            throw UsageError(
                "there is no folder \(folder) for the database \(location)",
                hint: "create it first (mkdir -p \(folder)), or leave out --db to use \(paths.defaultDatabase)")
        }
        return try SQLiteStore(path: location)
    }

    /// Opens the store while the definition in force is read and parsed on a thread of its own,
    /// then settles which definition is in force (saying so when a file was refused). A store that
    /// cannot be opened is reported with `renderer`, and ends the run with status 1.
    static func openSession(
        _ resolved: SessionOptions.Resolved, environment: [String: String], team: (any TeamStores)?, reportingWith renderer: Renderer,
        interactive: Bool = false
    ) throws -> (store: any LeadStore, definition: Definition, unrecorded: DefinitionInForce.Unrecorded) {
        let read = Prefetch { [path = resolved.definitionPath, paths = resolved.paths] in DefinitionInForce.read(explicit: path, paths: paths) }
        let store: any LeadStore
        do {
            store = try open(resolved.databaseLocation, environment: environment, team: team, paths: resolved.paths)
        } catch {
            Terminal.write(renderer.render(error, command: nil, request: nil))
            throw ExitStatus(1)
        }
        let reading = read.value()
        if case .refused(let error) = reading, resolved.definitionPath != nil, !interactive {
            // A script that names a definition means its answers to come from it: running on
            // another would give a script's reader scores they did not ask for.
            Terminal.write(renderer.render(error, command: nil, request: nil))
            store.close()
            throw ExitStatus(1)
        }
        let choice = DefinitionInForce.settle(
            reading, store: store, now: resolved.clock.now, by: resolved.actor, forOneRun: resolved.definitionIsForOneRun)
        if let warning = choice.warning { Terminal.write("warning: \(warning.showingControlCharacters(keepingLineBreaks: false))\n", to: 2) }
        return (store, choice.definition, choice.unrecorded)
    }
}
