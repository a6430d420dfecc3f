import Foundation
import GRDB
import HandoffCore
import HandoffTestSupport
import PostgresNIO
import Testing
@testable import HandoffPostgres
@testable import HandoffSQLite

/// Reaching the team's server: where credentials come from, and what a user reads when it fails.
@Suite struct PostgresConnectionTests {
    @Test func aURLIsReadTheWayLibpqReadsIt() throws {
        let url = try PostgresURL("postgresql://dana:p%40ss@db.example.com:6543/sales?sslmode=verify-full", environment: [:])
        #expect((url.user, url.password, url.host, url.port, url.database) == ("dana", "p@ss", "db.example.com", 6543, "sales"))
        #expect(url.sslMode == .verifyFull)
        #expect(url.description == "postgres://dana@db.example.com:6543/sales?sslmode=verify-full", "the password is never shown")

        let defaults = try PostgresURL("postgres://db", environment: ["USER": "sam", "PGSSLMODE": "require"])
        #expect((defaults.user, defaults.port, defaults.database, defaults.sslMode) == ("sam", 5432, "sam", .require))

        #expect(throws: StoreError.self) { try PostgresURL("postgres://db/x?sslmode=sometimes", environment: [:]) }
        #expect(throws: StoreError.self) { try PostgresURL("postgres://db/x?sslcert=a.pem", environment: [:]) }
        #expect(throws: StoreError.self) { try PostgresURL("postgres://db/x?connect_timeout=soon", environment: [:]) }
    }

    @Test func thePasswordComesFromTheURLThenPGPASSWORDThenAPrivatePgpassFile() throws {
        let scratch = Scratch()
        let passFile = scratch.file("pgpass", """
            # host:port:database:user:password
            other.example.com:*:*:dana:wrong
            db.example.com:5432:sales:dana:from\\:file
            *:*:*:*:fallback
            """)
        chmod(passFile, 0o600)
        let environment = ["PGPASSFILE": passFile]
        #expect(try PostgresURL("postgres://dana@db.example.com/sales", environment: environment).password == "from:file")
        #expect(try PostgresURL("postgres://sam@elsewhere/x", environment: environment).password == "fallback")
        #expect(try PostgresURL("postgres://dana@db.example.com/sales", environment: environment.merging(["PGPASSWORD": "env"]) { $1 }).password == "env")
        #expect(try PostgresURL("postgres://dana:url@db.example.com/sales", environment: environment).password == "url")
        chmod(passFile, 0o644)
        #expect(try PostgresURL("postgres://dana@db.example.com/sales", environment: environment).password == nil,
                "a pgpass file others can read is ignored, as libpq ignores it")
    }

    @Test func theTestServerIsReachedWithThePasswordFromPgpass() throws {
        let scratch = Scratch()
        let server = try PostgresURL(try TestServer.url(), environment: [:])
        let passFile = scratch.file("pgpass", "127.0.0.1:\(server.port):*:\(server.user):\(server.password!)\n")
        chmod(passFile, 0o600)
        let url = try PostgresURL("postgres://\(server.user)@127.0.0.1:\(server.port)/postgres?sslmode=disable", environment: ["PGPASSFILE": passFile])
        _ = try PostgresLink(url: url)
    }

    @Test func aWrongPasswordSaysSoWithoutShowingIt() throws {
        let server = try PostgresURL(try TestServer.url(), environment: [:])
        let url = try PostgresURL("postgres://\(server.user):hunter2-secret@127.0.0.1:\(server.port)/postgres?sslmode=disable", environment: [:])
        do {
            _ = try PostgresStore(url: url)
            Issue.record("connected with a wrong password")
        } catch let error as StoreError {
            #expect(error.message.contains("password authentication failed"))
            #expect(error.message.contains("127.0.0.1:\(server.port)"))
            #expect(!error.message.contains("hunter2"))
        }
    }

    /// The test server offers TLS with a self-signed certificate (scripts/postgres-server).
    @Test func eachSslmodeDoesWhatLibpqDoes() throws {
        let server = try PostgresURL(try TestServer.url(), environment: [:])
        let certificate = try TestServer.certificate()
        func usesTLS(_ parameters: String, host: String = "127.0.0.1") throws -> Bool {
            let url = try PostgresURL(
                "postgres://\(server.user)@\(host):\(server.port)/postgres?\(parameters)", environment: ["PGPASSWORD": server.password!])
            return try PostgresLink(url: url).withConnection {
                try $0.value(Bool.self, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            } == true
        }
        #expect(try usesTLS("sslmode=disable") == false)
        #expect(try usesTLS("sslmode=prefer") == true, "prefer takes TLS when the server offers it")
        #expect(try usesTLS("sslmode=require") == true)
        #expect(try usesTLS("sslmode=verify-ca&sslrootcert=\(certificate)") == true)
        #expect(try usesTLS("sslmode=verify-full&sslrootcert=\(certificate)", host: "localhost") == true)
        for (parameters, why, says) in [
            ("sslmode=verify-full", "a certificate no trusted authority signed", "not signed by an authority Handoff trusts"),
            ("sslmode=verify-ca", "a certificate no trusted authority signed", "not signed by an authority Handoff trusts"),
            ("sslmode=verify-full&sslrootcert=\(certificate)", "a certificate for localhost, reached as 127.0.0.1", "does not name the host"),
        ] {
            do {
                _ = try usesTLS(parameters)
                Issue.record("connected despite \(why)")
            } catch let error as StoreError {
                #expect(error.message.contains(says), "\(why): \(error.message)")
            }
        }
    }

    @Test func aServerThatIsNotThereIsNamedInTheError() throws {
        let url = try PostgresURL("postgres://nobody@127.0.0.1:1/none?connect_timeout=2", environment: ["PGPASSWORD": "x"])
        do {
            _ = try PostgresStore(url: url)
            Issue.record("connected to port 1")
        } catch let error as StoreError {
            #expect(error.message.contains("cannot connect to postgres://nobody@127.0.0.1:1/none"))
            #expect(error.message.contains("connection refused"), "\(error.message)")
        }
    }

    @Test func sessionsStartingAtOnceOnANewDatabaseMigrateItOnce() async throws {
        let scratch = Scratch()
        let location = try scratch.location(.postgres)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<6 {
                group.addTask { _ = try PostgresStore(url: PostgresURL(location)) }
            }
            try await group.waitForAll()
        }
        let store = try PostgresStore(url: PostgresURL(location))
        let applied = try store.read { try $0.query("SELECT identifier FROM handoff_migrations ORDER BY identifier").map { try $0[0].decode(String.self) } }
        // The same named steps as SQLite's, in the same order.
        let sqlite = try SQLiteStore(path: try scratch.location(.sqlite))
        let sqliteSteps = try await sqlite.database.read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid") }
        let postgresSteps = try store.read { try $0.query("SELECT identifier FROM handoff_migrations ORDER BY applied_at, identifier").map { try $0[0].decode(String.self) } }
        #expect(Set(applied) == Set(sqliteSteps))
        #expect(PostgresMigrations.all.map(\.identifier) == sqliteSteps)
        #expect(postgresSteps.count == sqliteSteps.count)
    }
}
