import Foundation
public import HandoffCore
public import HandoffSQLite
import Platform

/// What opens team databases (postgres:// URLs). Only `handoff-team` links one: PostgreSQL's
/// client (SwiftNIO, BoringSSL) made up a third of the binary, and every start of `handoff`
/// paid for it in page faults and in the Swift runtime's conformance look-ups.
public protocol TeamStores: Sendable {
    func open(_ url: String, environment: [String: String]) throws -> any LeadStore
    /// Copies every row of `source` (the file at `path`) into the empty team database at `url`,
    /// saying what it moves.
    func moveIn(_ source: SQLiteStore, from path: String, to url: String, environment: [String: String]) throws
}

/// `handoff-team`, beside `handoff`: the same program with team databases linked in.
enum TeamProgram {
    static let name = "handoff-team"

    /// Runs this command line as `handoff-team` instead (same arguments, environment and
    /// standard streams, a password in the URL handed over in the environment: `TeamHandOver`),
    /// or says why it cannot.
    static func takeOver() throws -> Never {
        let executable = Platform.executablePath() ?? CommandLine.arguments[0]
        let program = URL(fileURLWithPath: executable).deletingLastPathComponent().appendingPathComponent(name).path
        let handOver = TeamHandOver.arguments(Array(CommandLine.arguments.dropFirst()))
        if let url = handOver.url { setenv(TeamHandOver.variable, url, 1) } else { unsetenv(TeamHandOver.variable) }
        var argv = ([program] + handOver.arguments).map { strdup($0) } + [nil]
        execv(program, &argv)
        throw StoreError(
            "team databases (postgres://) are opened by \(name), which is not beside handoff in \((program as NSString).deletingLastPathComponent)",
            hint: "build it: swift build -c release --static-swift-stdlib --product \(name)")
    }
}
