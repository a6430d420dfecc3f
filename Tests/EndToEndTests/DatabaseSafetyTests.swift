import Foundation
import Testing

/// Where the data goes: never to a database that vanishes at exit, readable by its owner only,
/// and never into a file a newer Handoff wrote.
@Suite struct DatabaseSafetyTests {
    @Test func anEmptyDbIsAnErrorNotAThrowAwayDatabase() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        let result = try handoff.run(["--db", "", "-c", "demo"])
        #expect(result.status == 64)
        #expect(result.stderr.hasPrefix("Error: --db needs a path or a postgres:// URL\nHelp:  --db <path|url>  The database:"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        // An empty HANDOFF_DB is taken as unset: the default database is used.
        let unset = try handoff.run(["-c", "plugins"], extraEnvironment: ["HANDOFF_DB": ""])
        #expect(unset.status == 0, "\(unset.stderr)")
    }
}
