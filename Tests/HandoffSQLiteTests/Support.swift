import Foundation
import HandoffSQLite
import HandoffTestSupport

/// A throw-away folder with a fresh database in it, removed when the test ends.
final class Scratch: ScratchFolder {
    var databasePath: String { "\(directory)/handoff.sqlite" }

    func store() throws -> SQLiteStore { try SQLiteStore(path: databasePath) }
}
