import CommandLineOptions
import Foundation
import HandoffCore

/// How `handoff` hands a postgres:// URL given on its command line to `handoff-team` without the
/// password: any user can read a process's arguments (`ps`), only its owner its environment. The
/// URL goes in `HANDOFF_TEAM_URL`, and `handoff-team`'s arguments name the database without the
/// password. (Outside plugins get no `HANDOFF_*` variable.)
enum TeamHandOver {
    static let variable = "HANDOFF_TEAM_URL"

    /// `handoff-team`'s arguments for `handoff`'s, with the password left out of the option that
    /// names the database (`--db`, or `migrate`'s `--to`), and the URL it was taken from, if any.
    static func arguments(_ arguments: [String]) -> (arguments: [String], url: String?) {
        let (spec, option, rest): (CommandSpec, String, ArraySlice<String>) = switch arguments.first {
        case "migrate": (CommandSpecs.migrate, "--to", arguments.dropFirst())
        case "mcp": (CommandSpecs.mcp, "--db", arguments.dropFirst())
        default: (CommandSpecs.root, "--db", arguments[...])
        }
        var handed: String?
        let replaced = OptionParser.replacingValues(of: option, in: Array(rest), for: spec) { value in
            guard let named = withoutPassword(value) else { return value }
            handed = value
            return named
        }
        return (Array(arguments[..<rest.startIndex]) + replaced, handed)
    }

    /// In `handoff-team`: the URL handed over for `named`, which it names without its password;
    /// `named` itself otherwise (a variable left in the environment for another database is not used).
    static func url(_ named: String, environment: [String: String]) -> String {
        guard let handed = environment[variable], withoutPassword(handed) == named else { return named }
        return handed
    }

    /// `url` without the password between the user name and the host, or nil when it has none.
    static func withoutPassword(_ url: String) -> String? {
        guard DatabaseLocation.isTeam(url), let scheme = url.range(of: "://") else { return nil }
        let authority = url[scheme.upperBound...].prefix { !"/?#".contains($0) }
        guard let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") else { return nil }
        return String(url[..<colon] + url[at...])
    }
}
