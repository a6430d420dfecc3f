import Foundation
import GRDB
import HandoffTestSupport
import HandoffCore
import HandoffSQLite
import Testing
@testable import HandoffPostgres

/// The stores every contract test runs against.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres
    var testDescription: String { rawValue }
}

/// The test server `scripts/test` starts. Its absence fails the test that needs it, saying why,
/// rather than skipping PostgreSQL quietly.
struct TestServer {
    static func url() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["HANDOFF_TEST_POSTGRES"], !url.isEmpty else {
            throw StoreError(
                "HANDOFF_TEST_POSTGRES is not set, so the PostgreSQL half of the contract suite cannot run",
                hint: "run bash scripts/test, which starts a throw-away server and sets it")
        }
        return url
    }

    /// The test server's self-signed certificate.
    static func certificate() throws -> String {
        guard let directory = ProcessInfo.processInfo.environment["HANDOFF_TEST_POSTGRES_DIR"], !directory.isEmpty else {
            throw StoreError("HANDOFF_TEST_POSTGRES_DIR is not set", hint: "run bash scripts/test, which starts the server and sets it")
        }
        return "\(directory)/server.crt"
    }

    /// A new, empty database on the test server, and its URL.
    static func createDatabase() throws -> (name: String, url: String) {
        let admin = try url()
        let name = "handoff_test_\(UUID().uuidString.prefix(8).lowercased())"
        let link = try PostgresLink(url: PostgresURL(admin))
        try link.withConnection { try $0.execute("CREATE DATABASE \(name)") }
        return (name, databaseURL(admin, name))
    }

    static func dropDatabase(_ name: String) {
        guard let admin = try? url(), let link = try? PostgresLink(url: PostgresURL(admin)) else { return }
        _ = try? link.withConnection { try $0.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
    }

    /// `url` pointing at database `name` instead.
    static func databaseURL(_ url: String, _ name: String) -> String {
        var components = URLComponents(string: url)!
        components.path = "/\(name)"
        return components.string!
    }
}

/// A throw-away folder, and on demand a fresh database of either kind; both removed when the test ends.
final class Scratch: ScratchFolder {
    private var postgresDatabase: (name: String, url: String)?

    deinit {
        if let postgresDatabase { TestServer.dropDatabase(postgresDatabase.name) }
    }

    /// Where the store of `kind` lives: a file path or a postgres:// URL (the same one each call).
    func location(_ kind: StoreKind) throws -> String {
        switch kind {
        case .sqlite:
            return "\(directory)/handoff.sqlite"
        case .postgres:
            if postgresDatabase == nil { postgresDatabase = try TestServer.createDatabase() }
            return postgresDatabase!.url
        }
    }

    /// Records `identifier` as applied, as a Handoff that knows that migration would have.
    func recordMigration(_ identifier: String, _ kind: StoreKind) throws {
        let location = try location(kind)
        switch kind {
        case .sqlite:
            try DatabaseQueue(path: location).write { try $0.execute(sql: "INSERT INTO grdb_migrations VALUES (?)", arguments: [identifier]) }
        case .postgres:
            var binds = Binds()
            try PostgresLink(url: PostgresURL(location)).withConnection {
                try $0.execute("INSERT INTO handoff_migrations (identifier) VALUES (\(binds.add(identifier)))", binds.bindings)
            }
        }
    }

    /// Opens (a new connection to) the store of `kind`, creating it the first time.
    func store(_ kind: StoreKind) throws -> any LeadStore {
        let location = try location(kind)
        switch kind {
        case .sqlite: return try SQLiteStore(path: location)
        case .postgres: return try PostgresStore(url: PostgresURL(location))
        }
    }
}
