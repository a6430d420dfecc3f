import CommandLineOptions
import Foundation
import HandoffCore
import HandoffShell

/// The options every way of running Handoff shares (the shell, `handoff mcp`): where the data
/// is, which definition, what time it is and who acts.
struct SessionOptions {
    var database: String?
    var definition: String?
    var now: String?
    var actor: String?

    init(_ options: ParsedOptions) {
        database = options.value("--db")
        definition = options.value("--definition")
        now = options.value("--now")
        actor = options.value("--as")
    }

    /// The options resolved: the command line first, then the environment, then the settings file.
    struct Resolved {
        let paths: Paths
        let settings: Settings
        let clock: Clock
        let actor: String
        let databaseLocation: String
        let definitionPath: String?
        /// Whether `--definition` named it, for this run alone (not the settings file).
        var definitionIsForOneRun: Bool
    }

    /// Resolves the options; a malformed settings file is reported and ends the run (status 2).
    func resolve(_ environment: [String: String]) throws -> Resolved {
        let nonEmpty = { (key: String) in environment[key].flatMap { $0.isEmpty ? nil : $0 } }
        // An empty path would be SQLite's private temporary database: every answer lost at exit.
        // (An empty HANDOFF_DB is taken as unset, as shells leave variables.)
        if database?.isEmpty == true {
            let option = CommandSpecs.root.options.first { $0.name == "--db" }
            throw CommandLineError("--db needs a path or a postgres:// URL", help: option.map { "\($0.synopsis)  \($0.help)" })
        }
        var fixedNow: Date?
        if let text = now ?? nonEmpty("HANDOFF_NOW") {
            guard let date = Timestamp.parse(text) else {
                throw CommandLineError("--now '\(text)' is not a time; write e.g. 2026-11-22 or 2026-11-22T09:30:00Z")
            }
            fixedNow = date
        }
        let paths = Paths(environment: environment)
        let settings: Settings
        do {
            settings = try Settings.load(path: paths.settingsFile, home: environment["HOME"] ?? NSHomeDirectory())
        } catch {
            Terminal.write(Renderer(format: .text, style: .plain).render(error, command: nil, request: nil))
            throw ExitStatus(2)
        }
        let login = environment["USER"] ?? getpwuid(getuid()).map { String(cString: $0.pointee.pw_name) } ?? "unknown"
        return Resolved(
            paths: paths, settings: settings, clock: Clock(fixed: fixedNow),
            actor: actor ?? nonEmpty("HANDOFF_USER") ?? settings.user ?? login,
            databaseLocation: StoreOpening.location(flag: database, environment: environment, settings: settings, paths: paths),
            definitionPath: definition ?? settings.definition, definitionIsForOneRun: definition != nil)
    }
}
