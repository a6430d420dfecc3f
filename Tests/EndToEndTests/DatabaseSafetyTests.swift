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

extension DatabaseSafetyTests {
    @Test func theDatabaseAndItsWalAndShmAreTheOwnersAlone() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        // Under the usual umask (022) a file SQLite makes on its own is readable by everyone.
        let result = try handoff.run(["-c", "demo"])
        #expect(result.status == 0, "\(result.stderr)")
        var checked: [String] = []
        for suffix in ["", "-wal", "-shm", "-journal"] where FileManager.default.fileExists(atPath: handoff.database + suffix) {
            let mode = try FileManager.default.attributesOfItem(atPath: handoff.database + suffix)[.posixPermissions] as? Int
            #expect(mode == 0o600, "handoff.sqlite\(suffix) is \(String(mode ?? 0, radix: 8))")
            checked.append(suffix)
        }
        #expect(checked.contains("") && checked.contains("-wal"), "\(checked)")
    }

    @Test func aDatabaseFromANewerHandoffIsRefused() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        try handoff.run(["-c", "demo"])
        _ = try handoff.sqlite("INSERT INTO grdb_migrations (identifier) VALUES ('v999-from-the-future')")
        let result = try handoff.run(["-c", "leads"])
        #expect(result.status == 1)
        #expect(result.stderr == """
            error: this database was written by a newer Handoff: \(handoff.database) has the migration 'v999-from-the-future', which this version does not know
            hint: run the newer Handoff on it, or choose another database with --db; this version would misread it

            """)
        #expect(result.stdout.isEmpty)
    }
}
