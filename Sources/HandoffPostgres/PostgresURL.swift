public import Foundation
import HandoffCore

/// Where a team's PostgreSQL database is and how to reach it, read from a `postgres://` URL the
/// way libpq reads one: the password from the URL, else `PGPASSWORD`, else `~/.pgpass`.
public struct PostgresURL: Sendable {
    public enum SSLMode: String, Sendable, CaseIterable {
        case disable, allow, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var user: String
    public var database: String
    public var sslMode: SSLMode
    public var connectTimeout = 10
    /// The authorities that may sign the server's certificate (verify-ca, verify-full); the
    /// system's when nil.
    public var sslRootCert: String?
    /// Never printed: `description` leaves it out.
    var password: String?

    /// True when `text` names a PostgreSQL database rather than an SQLite file.
    public static func isPostgres(_ text: String) -> Bool { DatabaseLocation.isTeam(text) }

    /// Parses `text`; `environment` supplies PGPASSWORD, PGPASSFILE, PGUSER, PGSSLMODE and HOME.
    public init(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard Self.isPostgres(text), let components = URLComponents(string: text) else {
            throw StoreError("the database address is not a postgres:// URL", hint: "write it as postgres://user@host:5432/database")
        }
        host = components.host.flatMap { $0.isEmpty ? nil : $0.removingPercentEncoding } ?? "localhost"
        port = components.port ?? 5432
        let login = environment["USER"] ?? "postgres"
        user = components.user.flatMap { $0.isEmpty ? nil : $0.removingPercentEncoding } ?? environment["PGUSER"] ?? login
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        database = path.isEmpty ? user : (path.removingPercentEncoding ?? path)
        var mode = environment["PGSSLMODE"].flatMap { $0.isEmpty ? nil : $0 } ?? "prefer"
        sslRootCert = environment["PGSSLROOTCERT"].flatMap { $0.isEmpty ? nil : $0 }
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode": mode = item.value ?? ""
            case "connect_timeout":
                guard let seconds = item.value.flatMap(Int.init), seconds > 0 else {
                    throw StoreError("connect_timeout must be a whole number of seconds, not '\(item.value ?? "")'")
                }
                connectTimeout = seconds
            case "sslrootcert": sslRootCert = item.value
            case "application_name": break
            default:
                throw StoreError(
                    "the database URL has a parameter Handoff does not know: '\(item.name)'",
                    hint: "the parameters it reads are sslmode, sslrootcert, connect_timeout and application_name")
            }
        }
        guard let sslMode = SSLMode(rawValue: mode) else {
            throw StoreError(
                "sslmode '\(mode)' is not one PostgreSQL knows",
                hint: "use one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self.sslMode = sslMode
        if let password = components.password, !password.isEmpty {
            self.password = password.removingPercentEncoding ?? password
        } else if let password = environment["PGPASSWORD"], !password.isEmpty {
            self.password = password
        } else {
            let file = environment["PGPASSFILE"] ?? "\(environment["HOME"] ?? NSHomeDirectory())/.pgpass"
            self.password = Self.passwordFromPassFile(file, host: host, port: port, database: database, user: user)
        }
    }

    /// The address without its password, for messages.
    public var description: String {
        "postgres://\(user)@\(host):\(port)/\(database)" + (sslMode == .prefer ? "" : "?sslmode=\(sslMode.rawValue)")
    }

    /// The first matching line of a `.pgpass` file (`host:port:database:user:password`, `*` matching
    /// anything), read only when the file is private to its owner, as libpq does.
    static func passwordFromPassFile(_ path: String, host: String, port: Int, database: String, user: String) -> String? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let permissions = attributes[.posixPermissions] as? Int, permissions & 0o077 == 0,
              let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let fields = splitPassLine(String(line))
            guard fields.count == 5 else { continue }
            let wanted = [host, String(port), database, user]
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    /// Splits on unescaped colons; `\:` and `\\` stand for themselves.
    private static func splitPassLine(_ line: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == ":" {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }
}
