import CommandLineOptions
import Foundation
import HandoffCore
import HandoffLLM
import HandoffMCP
import HandoffPluginAPI
import HandoffPrompts
import HandoffShell

/// Entry point of both executables: reads the command line, then runs the shell, `handoff mcp`
/// or `handoff migrate`. A command line it cannot run with gets one line saying why, the usage,
/// and status 64. `team` opens team databases (postgres://): `handoff-team` links it;
/// `handoff` leaves it out, to start faster, and hands such command lines to `handoff-team`.
public enum CommandLineMain {
    public static func main(team: (any TeamStores)?) -> Never {
        var arguments = CommandLine.arguments.dropFirst()
        var spec = CommandSpecs.root
        var run: (ParsedOptions) throws -> Void = { try Handoff(options: $0, team: team).run() }
        switch arguments.first {
        case "mcp":
            (spec, run) = (CommandSpecs.mcp, { try MCPServe(options: $0, team: team).run() })
            arguments = arguments.dropFirst()
        case "migrate":
            (spec, run) = (CommandSpecs.migrate, { try Migrate(options: $0, team: team).run() })
            arguments = arguments.dropFirst()
        case "--version":
            printVersion()
        case "help":
            // `handoff help [mcp|migrate]`, as `--help` for the command named.
            let named = [CommandSpecs.mcp, CommandSpecs.migrate].first { $0.name == "handoff \(arguments.dropFirst().first ?? "")" }
            Terminal.write(HelpText.full(named ?? CommandSpecs.root), to: 1)
            exit(0)
        default:
            break
        }
        do {
            switch try OptionParser.parse(Array(arguments), for: spec) {
            case .help:
                Terminal.write(HelpText.full(spec), to: 1)
            case .run(let options):
                // As psql and git: `--version` among the options prints the version and runs nothing.
                if options.isSet("--version") { printVersion() }
                try run(options)
            }
        } catch let error as CommandLineError {
            let help = error.help.map { "Help:  \($0)\n" } ?? ""
            Terminal.write("Error: \(error.message)\n" + help + HelpText.errorFooter(spec), to: 2)
            exit(64)
        } catch let status as ExitStatus {
            exit(status.code)
        } catch let error as StreamError {
            Terminal.write(Renderer(format: .text, style: .plain).render(error, command: nil, request: nil).stderr, to: 2)
            exit(error.status)
        } catch {
            Terminal.write("Error: \(error)\n", to: 2)
            exit(1)
        }
        exit(0)
    }

    private static func printVersion() -> Never {
        Terminal.write("handoff \(HandoffVersion.number) (built-in definition \(DefaultDefinition.load().version))\n", to: 1)
        exit(0)
    }
}

/// Ends the run with this status; whatever went wrong has been said already.
struct ExitStatus: Error {
    let code: Int32
    init(_ code: Int32) { self.code = code }
}

/// The shell: commands from -c, -f, a script on stdin, or a prompt.
struct Handoff {
    let session: SessionOptions
    let format: String
    let onError: String
    let commands: [String]
    let file: String?
    let explain: Bool
    let echoAll: Bool
    let team: (any TeamStores)?

    init(options: ParsedOptions, team: (any TeamStores)?) {
        self.team = team
        session = SessionOptions(options)
        format = options.value("--format") ?? "text"
        onError = options.value("--on-error") ?? "continue"
        commands = options.all("-c")
        file = options.value("-f")
        explain = options.isSet("--explain")
        echoAll = options.isSet("--echo-all")
    }

    func run() throws -> Never {
        let environment = ProcessInfo.processInfo.environment
        guard let format = OutputFormat(rawValue: format.lowercased()) else {
            throw CommandLineError("--format must be text, json, markdown or csv, not '\(format)'")
        }
        guard ["stop", "continue"].contains(onError) else {
            throw CommandLineError("--on-error must be stop or continue, not '\(onError)'")
        }
        let resolved = try session.resolve(environment)
        let (paths, clock, actor) = (resolved.paths, resolved.clock, resolved.actor)
        let polisher: ChatCompletionsPolisher?
        do {
            polisher = try ChatCompletionsPolisher.fromEnvironment(environment)
        } catch {
            Terminal.write(Renderer(format: .text, style: .plain).render(error, command: nil, request: nil))
            throw ExitStatus(2)
        }
        let interactive = commands.isEmpty && file == nil && Terminal.isTerminal(0)
        let colour = Terminal.isTerminal(1) && environment["NO_COLOR"].map(\.isEmpty) ?? true
        // A terminal is measured for each answer; a pipe or a file has no width, so nothing is cut.
        let renderer = Renderer(
            format: format,
            style: TerminalStyle(colour: colour && format == .text, width: Terminal.isTerminal(1) ? .terminal : .unlimited))

        // A script that cannot be opened is said before anything is opened or created for it.
        let script = try file.map { try LineReader(path: $0, limit: Session.lineLimit, endlessLimit: Session.endlessLineLimit) }
        let (store, definition, unrecorded) = try StoreOpening.openSession(
            resolved, environment: environment, team: team, reportingWith: renderer, interactive: interactive)

        let builtins = BuiltinPlugins.all.map(\.info)
        let outside = OutsidePlugins(paths: paths, environment: environment, taken: Set(builtins.flatMap(\.commands).map(\.name)))
        defer { outside.host.stopAll() }
        // A manifest's problem quotes the manifest: data, shown and not obeyed.
        for problem in outside.problems { Terminal.write("warning: plugin not loaded: \(problem.showingControlCharacters(keepingLineBreaks: false))\n", to: 2) }
        let plugins = builtins + outside.catalogue
        let available = plugins.flatMap(\.commands)
        let progressBar = Terminal.isTerminal(2) && format == .text ? ProgressBar(width: Terminal.width(of: 2)) : nil
        var isCancelled: @Sendable () -> Bool = { false }
        if interactive { isCancelled = InteractiveShell.isCancelled }
        let context = Context(
            store: store, definition: definition, clock: clock, actor: actor, paths: paths, catalogue: plugins,
            prompts: PromptLibrary(paths: paths), polisher: polisher,
            progress: { done, total, label in progressBar?.update(done: done, total: total, label: label) },
            isCancelled: isCancelled)
        let router = Router(commands: available, store: store, definition: definition, clock: clock)
        let session = Session(router: router, context: context, renderer: renderer)
        session.progressBar = progressBar
        session.unrecordedDefinition = unrecorded
        session.interactive = interactive
        session.explain = explain
        // At a prompt the terminal shows what was typed; a JSON line stays one per command.
        session.echo = echoAll && !interactive && (format == .text || format == .markdown)
        let stopOnError = onError == "stop"

        var prompted = false
        // Reading or writing that fails ends the run, closed as below, with the failure's status.
        var streamFailure: StreamError?
        do {
            if !commands.isEmpty {
                for (index, command) in commands.enumerated() {
                    let succeeded = session.run(command)
                    try Terminal.checkOutput()
                    if !succeeded && stopOnError {
                        let left = commands.count - index - 1
                        if left > 0 { Self.saidStopped("-c \(index + 1)", "\(left) -c command\(left == 1 ? "" : "s") after it did not run") }
                        break
                    }
                }
            } else if let script {
                try runLines(script, named: file ?? "-f", session: session, stopOnError: stopOnError)
            } else if interactive, let shell = InteractiveShell(
                session: session, historyFile: HistoryFile(path: "\(paths.state)/history"),
                completer: Completer(commands: available, store: store, themes: definition.themes.map(\.id), reasons: definition.reasons.map(\.code))) {
                let counts = try? store.counts()
                shell.run(banner: """
                    Handoff — \(counts.map { "\($0.leads) leads, \($0.objections) objections" } ?? "") in \(store.location)
                    Definition "\(definition.name)" version \(definition.version). Type help, or ask in your own words; Ctrl-D leaves.

                    """)
                prompted = true
                try Terminal.checkOutput()
            } else {
                let input = LineReader(descriptor: 0, name: "standard input", limit: Session.lineLimit, endlessLimit: Session.endlessLineLimit)
                try runLines(input, named: "<stdin>", session: session, stopOnError: stopOnError)
            }
        } catch let error as StreamError {
            streamFailure = error
        }
        // A script or -c that failed exits 1; a prompt session said so as it went.
        let status: Int32 = !prompted && session.failures > 0 ? 1 : 0
        // The end of the run: the plugins and the store are closed as on any clean exit, and the
        // process exits without releasing the rest object by object (GRDB's queue leaving
        // Foundation's NotificationCenter is slow; BENCHMARKS.md has the figure). exit()
        // skips the defer above, which stops the plugins when a line throws on the way here.
        outside.host.stopAll()
        store.close()
        if let streamFailure { throw streamFailure }
        exit(status)
    }

    /// Runs the lines of a script; a failed read or write ends it with a `StreamError`. An error
    /// names the line it came from (`weekly.txt:7`, `<stdin>:7`).
    private func runLines(_ reader: LineReader, named name: String, session: Session, stopOnError: Bool) throws {
        var number = 0
        while let line = try reader.next() {
            number += 1
            session.location = "\(name):\(number)"
            let succeeded = switch line {
            case .text(let text): session.run(text)
            case .tooLong(let start): session.refuse(Session.lineTooLong(startingWith: start))
            }
            try Terminal.checkOutput()
            if !succeeded && stopOnError {
                // A file says whether lines were left; a pipe still open would block the asking.
                if name == "<stdin>" {
                    Self.saidStopped("\(name):\(number)", "nothing after it is read")
                } else if try reader.next() != nil {
                    Self.saidStopped("\(name):\(number)", "the lines after it did not run")
                }
                break
            }
        }
    }

    /// `--on-error stop` says where it stopped and that the rest did not run, so a script's log
    /// does not read as if the error were its last line.
    private static func saidStopped(_ location: String, _ what: String) {
        Terminal.write("\(location): stopped (--on-error stop): \(what)\n", to: 2)
    }
}
