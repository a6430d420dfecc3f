import ArgumentParser
import Foundation
import HandoffCore
import HandoffLLM
import HandoffMCP
import HandoffPluginAPI
import HandoffPrompts
import HandoffShell

@main
struct Handoff: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "handoff",
        abstract: "The marketing–sales hand-off in a terminal: one agreed definition of a qualified lead, one shared lead model.",
        discussion: """
            With no -c or -f, reads commands from standard input: a prompt on a terminal, one command \
            per line in a script. Type `help` for the commands.
            """,
        subcommands: [MCPServe.self, Migrate.self])

    @OptionGroup var session: SessionOptions

    @Option(help: ArgumentHelp("Output format: text, json or markdown.", valueName: "format"))
    var format: String = "text"

    @Option(name: .customLong("on-error"), help: ArgumentHelp("In a script: stop at the first failed command, or continue.", valueName: "stop|continue"))
    var onError: String = "continue"

    @Option(name: .customShort("c"), help: ArgumentHelp("Run this command and exit (repeatable).", valueName: "command"))
    var commands: [String] = []

    @Option(name: .customShort("f"), help: ArgumentHelp("Run the commands in this file and exit.", valueName: "file"))
    var file: String?

    @Flag(help: "Before each answer, print on stderr how the line was understood.")
    var explain = false

    mutating func run() throws {
        let environment = ProcessInfo.processInfo.environment
        guard let format = OutputFormat(rawValue: format.lowercased()) else {
            throw ValidationError("--format must be text, json or markdown, not '\(format)'")
        }
        guard ["stop", "continue"].contains(onError) else {
            throw ValidationError("--on-error must be stop or continue, not '\(onError)'")
        }
        let resolved = try session.resolve(environment)
        let (paths, clock, actor) = (resolved.paths, resolved.clock, resolved.actor)
        let polisher: ChatCompletionsPolisher?
        do {
            polisher = try ChatCompletionsPolisher.fromEnvironment(environment)
        } catch {
            Terminal.write(Renderer(format: .text, style: .plain).render(error, command: nil, request: nil))
            throw ExitCode(2)
        }
        let interactive = commands.isEmpty && file == nil && Terminal.isTerminal(0)
        let colour = Terminal.isTerminal(1) && environment["NO_COLOR"].map(\.isEmpty) ?? true
        let renderer = Renderer(
            format: format,
            style: TerminalStyle(colour: colour && format == .text, width: Terminal.isTerminal(1) ? Terminal.width() : 100))

        let store: any LeadStore
        do {
            store = try StoreOpening.open(resolved.databaseLocation, environment: environment)
        } catch {
            Terminal.write(renderer.render(error, command: nil, request: nil))
            throw ExitCode(1)
        }
        let choice = DefinitionInForce.choose(explicit: resolved.definitionPath, paths: paths, store: store, now: clock.now)
        if let warning = choice.warning { Terminal.write("warning: \(warning)\n", to: 2) }

        let builtins = BuiltinPlugins.all.map(\.info)
        let outside = OutsidePlugins(paths: paths, environment: environment, taken: Set(builtins.flatMap(\.commands).map(\.name)))
        defer { outside.host.stopAll() }
        for problem in outside.problems { Terminal.write("warning: plugin not loaded: \(problem)\n", to: 2) }
        let plugins = builtins + outside.catalogue
        let available = plugins.flatMap(\.commands)
        let progressBar = Terminal.isTerminal(2) && format == .text ? ProgressBar(width: Terminal.width(of: 2)) : nil
        var isCancelled: @Sendable () -> Bool = { false }
        if interactive { isCancelled = InteractiveShell.isCancelled }
        let context = Context(
            store: store, definition: choice.definition, clock: clock, actor: actor, paths: paths, catalogue: plugins,
            prompts: PromptLibrary(paths: paths), polisher: polisher,
            progress: { done, total, label in progressBar?.update(done: done, total: total, label: label) },
            isCancelled: isCancelled)
        let router = Router(commands: available, store: store, definition: choice.definition, clock: clock)
        let session = Session(router: router, context: context, renderer: renderer)
        session.progressBar = progressBar
        session.interactive = interactive
        session.explain = explain
        let stopOnError = onError == "stop"

        if !commands.isEmpty {
            for command in commands where !session.run(command) && stopOnError { break }
        } else if let file {
            guard let handle = FileHandle(forReadingAtPath: file) else {
                throw ValidationError("-f: cannot read \(file)")
            }
            runLines(LineReader(handle: handle), session: session, stopOnError: stopOnError)
        } else if interactive, let shell = InteractiveShell(
            session: session, historyFile: HistoryFile(path: "\(paths.state)/history"),
            completer: Completer(commands: available, store: store, themes: choice.definition.themes.map(\.id))) {
            let counts = try? store.counts()
            shell.run(banner: """
                Handoff — \(counts.map { "\($0.leads) leads, \($0.objections) objections" } ?? "") in \(store.location)
                Definition "\(choice.definition.name)" version \(choice.definition.version). Type help, or ask in your own words; Ctrl-D leaves.

                """)
            return
        } else {
            runLines(LineReader(handle: .standardInput), session: session, stopOnError: stopOnError)
        }
        if session.failures > 0 { throw ExitCode(1) }
    }

    private func runLines(_ reader: LineReader, session: Session, stopOnError: Bool) {
        while let line = reader.next() {
            if !session.run(line) && stopOnError { break }
        }
    }
}
