import Foundation
import HandoffCore
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

/// One connection to the server, used synchronously: the lead store's protocol is synchronous,
/// and waiting on NIO futures keeps the blocking off Swift's cooperative threads. A lock gives
/// each caller the connection whole, so a transaction's statements are never interleaved.
final class PostgresLink: @unchecked Sendable {
    let url: PostgresURL
    private var connection: PostgresConnection?
    private let lock = NSLock()
    private let logger: Logger = {
        var logger = Logger(label: "handoff.postgres")
        logger.logLevel = .critical  // queries carry lead data; nothing is logged
        return logger
    }()

    init(url: PostgresURL) throws {
        self.url = url
        lock.lock()
        defer { lock.unlock() }
        _ = try open()
    }

    deinit { close() }

    /// Closes the connection (the store's `close`, and deinit).
    func close() {
        lock.lock()
        defer { lock.unlock() }
        _ = try? connection?.close().wait()
        connection = nil
    }

    /// Runs `work` with the connection to itself, reconnecting first if the server dropped it.
    func withConnection<T>(_ work: (Statements) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        return try work(Statements(connection: try open(), logger: logger, url: url))
    }

    /// Runs `work` in one transaction, committing when it returns and rolling back when it throws.
    /// A serialisation failure, a deadlock or a lost race to insert the same key is retried from
    /// the start (the other session's rows are then visible), so none of them reaches the user.
    func transaction<T>(rollback: Bool = false, _ work: (Statements) throws -> T) throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try withConnection { statements in
                    try statements.execute("BEGIN")
                    do {
                        let result = try work(statements)
                        try statements.execute(rollback ? "ROLLBACK" : "COMMIT")
                        return result
                    } catch {
                        _ = try? statements.execute("ROLLBACK")
                        throw error
                    }
                }
            } catch let error as PostgresFailure where error.isWorthRetrying && attempt < 8 {
                usleep(UInt32.random(in: 5_000...50_000) * UInt32(attempt))
            }
        }
    }

    private func open() throws -> PostgresConnection {
        if let connection, !connection.isClosed { return connection }
        var configuration = PostgresConnection.Configuration(
            host: url.host, port: url.port, username: url.user, password: url.password, database: url.database,
            tls: try tls())
        configuration.options.connectTimeout = .seconds(Int64(url.connectTimeout))
        do {
            let connection = try PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration, id: 1, logger: logger
            ).wait()
            self.connection = connection
            return connection
        } catch {
            throw PostgresFailure(error, doing: "cannot connect to \(url.description)").storeError
        }
    }

    /// The TLS settings `sslmode` asks for, as libpq reads it: `prefer` tries TLS and falls back,
    /// `require` insists without checking the certificate, `verify-ca` checks it was signed by a
    /// trusted authority, `verify-full` also checks it names the host.
    private func tls() throws -> PostgresConnection.Configuration.TLS {
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch url.sslMode {
        case .disable: return .disable
        case .allow, .prefer, .require: configuration.certificateVerification = .none
        case .verifyCA: configuration.certificateVerification = .noHostnameVerification
        case .verifyFull: configuration.certificateVerification = .fullVerification
        }
        if let roots = url.sslRootCert {
            guard FileManager.default.isReadableFile(atPath: roots) else {
                throw StoreError("sslrootcert: cannot read \(roots)")
            }
            configuration.trustRoots = .file(roots)
        }
        let context: NIOSSLContext
        do {
            context = try NIOSSLContext(configuration: configuration)
        } catch {
            throw StoreError("cannot set up TLS for \(url.description): \(error)")
        }
        return url.sslMode == .allow || url.sslMode == .prefer ? .prefer(context) : .require(context)
    }
}

/// Statements on a connection the caller holds.
struct Statements {
    let connection: PostgresConnection
    let logger: Logger
    let url: PostgresURL

    @discardableResult
    func query(_ sql: String, _ binds: PostgresBindings = PostgresBindings()) throws -> [PostgresRandomAccessRow] {
        do {
            let result = try connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger).wait()
            return result.rows.map { $0.makeRandomAccess() }
        } catch {
            throw PostgresFailure(error, doing: "the database \(url.description) refused the operation")
        }
    }

    func execute(_ sql: String, _ binds: PostgresBindings = PostgresBindings()) throws {
        try query(sql, binds)
    }

    /// The first column of the first row, or nil when there is no row or it is NULL.
    func value<T: PostgresDecodable>(_ type: T.Type, _ sql: String, _ binds: PostgresBindings = PostgresBindings()) throws -> T? {
        guard let cell = try query(sql, binds).first?[0], cell.bytes != nil else { return nil }
        return try cell.decode(T.self)
    }
}

/// A failure from the server or the connection, kept whole so the transaction can tell which
/// ones to retry, and turned into a `StoreError` that names no password and no query text.
struct PostgresFailure: Error {
    let sqlState: String?
    let message: String

    init(_ error: any Error, doing: String) {
        if let error = error as? PSQLError {
            sqlState = error.serverInfo?[.sqlState]
            if let server = error.serverInfo?[.message] {
                message = "\(doing): \(server)"
            } else if error.code == .sslUnsupported {
                message = "\(doing): the server does not accept TLS, and sslmode asks for it"
            } else if let underlying = error.underlying {
                message = "\(doing): \(Self.explain(underlying))"
            } else {
                message = "\(doing): \(error.code)"
            }
        } else {
            sqlState = nil
            message = "\(doing): \(error)"
        }
    }

    /// TLS failures in words: BoringSSL's own are codes.
    static func explain(_ error: any Error) -> String {
        if let extra = error as? NIOSSLExtraError, extra == .failedToValidateHostname {
            return "the server's TLS certificate does not name the host in the URL (sslmode=verify-full checks it)"
        }
        if "\(error)".contains("CERTIFICATE_VERIFY_FAILED") {
            return "the server's TLS certificate is not signed by an authority Handoff trusts; "
                + "name the team's with sslrootcert=FILE, or use sslmode=require to encrypt without checking"
        }
        if error is NIOSSLError { return "TLS failed: \(error)" }
        if "\(error)".contains("Connection refused") { return "nothing answers there (connection refused); is the server running, on that port?" }
        return "\(error)"
    }

    /// Serialisation failure, deadlock, or a unique key another session inserted first.
    var isWorthRetrying: Bool { ["40001", "40P01", "23505"].contains(sqlState ?? "") }

    var storeError: StoreError { StoreError(message) }
}
