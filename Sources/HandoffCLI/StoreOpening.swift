import Foundation
import HandoffCore
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
}
