import Foundation
public import HandoffCore
public import HandoffPluginAPI

/// Runs lines one after another against one context and one conversation, writing each answer
/// as it comes, and keeps count of what failed so a script's exit status can tell.
public final class Session {
    /// Longer lines are refused before they are read as a command: no command needs one, and a
    /// pasted file would otherwise be searched for names word by word.
    public static let lineLimit = 16_384
    /// A refused line of a script still going after this many bytes ends the script: nobody
    /// wrote it (`-f /dev/zero` is one line without an end), and reading past it would never stop.
    public static let endlessLineLimit = 1 << 20

    public var router: Router
    public let conversation = Conversation()
    public var context: Context
    public let renderer: Renderer
    /// On a terminal an ambiguous name is a question to answer; in a script it is a failure.
    public var interactive = false
    /// Print how each line was understood, on stderr, before its answer (`--explain`).
    public var explain = false
    /// Print each line, as `handoff> LINE` on stdout, before its answer (`--echo-all` in a script,
    /// as psql's `-a`): a script's output then reads as a transcript.
    public var echo = false
    public private(set) var failures = 0
    /// Where the line being run comes from in a script (`weekly.txt:7`, `<stdin>:7`): an error names
    /// it, as a compiler names the line it stopped at.
    public var location: String?
    /// Cleared after each command, so the answer starts on a clean line.
    public var progressBar: ProgressBar?
    /// A definition named for this run (`--definition FILE`), recorded as in force once a command
    /// has changed the data under it.
    public var unrecordedDefinition = DefinitionInForce.Unrecorded(nil)
    /// The last command of this session that changed the data.
    private var lastChange: String?

    public init(router: Router, context: Context, renderer: Renderer) {
        self.router = router
        self.context = context
        self.renderer = renderer
    }

    /// Runs one line. Blank lines and `#` comments do nothing. Returns false when it failed.
    @discardableResult
    public func run(_ rawLine: String) -> Bool {
        let line = rawLine.trimmingWhitespace()
        if line.isEmpty || line.hasPrefix("#") { return true }
        if echo { Terminal.write("handoff> \(Self.echoed(line))\n", to: 1) }
        var routed: Router.Routed?
        do {
            try Self.check(line)
            if line.lowercased().hasPrefix("explain ") {
                return try explain(String(line.dropFirst("explain ".count)))
            }
            if !conversation.pendingCommands.isEmpty, let number = Int(line) {
                let options = conversation.pendingCommands
                conversation.pendingCommands = []
                guard (1...options.count).contains(number) else { throw UsageError("choose a number from 1 to \(options.count)") }
                routed = options[number - 1]
                return try context.store.readingTogether { try execute(options[number - 1]) }
            }
            conversation.pendingCommands = []
            if !conversation.choices.isEmpty, conversation.pendingChoice == nil, let number = Int(line) {
                let choices = conversation.choices
                conversation.choices = []
                guard (1...choices.count).contains(number) else { throw UsageError("choose a number from 1 to \(choices.count)") }
                let chosen = choices[number - 1]
                guard run(chosen.line) else { return false }
                return chosen.then.map { run($0) } ?? true
            }
            // Routing and the command read one snapshot of the data, in one transaction.
            return try context.store.readingTogether {
                switch try router.route(line, conversation: conversation) {
                case .run(let found):
                    routed = found
                    return try execute(found)
                case .choose(let question, let candidates, let pending):
                    // In a script the question is an error, and no later line answers it.
                    conversation.pendingChoice = interactive ? .init(candidates: candidates, command: pending.command, request: pending.request) : nil
                    return ask(question, candidates: candidates, pending: pending)
                case .chooseCommand(let question, let options):
                    conversation.pendingCommands = interactive ? options : []
                    return ask(question, options: options, line: line)
                }
            }
        } catch {
            progressBar?.finish()
            Terminal.write(located(renderer.render(error, command: routed?.command.name, request: routed?.request)))
            failures += 1
            return false
        }
    }

    private func execute(_ routed: Router.Routed) throws -> Bool {
        if explain { Terminal.write(routed.explanation.map { "explain: \($0)\n" }.joined(), to: 2) }
        conversation.remember(routed.command, routed.request)
        var context = self.context
        context.answersByNumber = interactive
        context.lastChangeInSession = lastChange
        let reply = try routed.command.run(routed.request, context)
        if routed.command.changedData(routed.request, reply) {
            lastChange = routed.command.name
            try unrecordedDefinition.recordAfterChanging(context.store, at: context.clock.now, by: context.actor)
        }
        // Only a person at a prompt answers with a number; in a script the next line is the next command.
        if interactive { conversation.choices = reply.choices }
        progressBar?.finish()
        Terminal.write(located(renderer.render(reply, command: routed.command.name, request: routed.request)))
        if reply.failure != nil { failures += 1 }
        return reply.failure == nil
    }

    private func explain(_ line: String) throws -> Bool {
        let text: String
        switch try router.route(line, conversation: conversation) {
        case .run(let routed):
            text = (routed.explanation + ["runs: \(routed.command.name)"]).joined(separator: "\n")
        case .choose(let question, let candidates, let pending):
            text = (pending.explanation + ["asks: \(question) (\(candidates.map(\.name).joined(separator: ", ")))"]).joined(separator: "\n")
        case .chooseCommand(let question, let options):
            text = (options.flatMap(\.explanation) + ["asks: \(question)"]).joined(separator: "\n")
        }
        conversation.pendingChoice = nil
        let reply = Reply([.text(text)], result: .object([("explanation", .string(text))]))
        Terminal.write(renderer.render(reply, command: "explain", request: Request(command: "explain", line: line)))
        return true
    }

    private func ask(_ question: String, candidates: [Subject], pending: Router.Routed) -> Bool {
        // Two people of one name are told apart by where they work, what they do and their stage.
        let described = candidates.map { subject -> String in
            switch subject {
            case .account(let account): "\(account.name) (account\(account.industry.map { ", \($0)" } ?? ""))"
            case .lead(let lead):
                "\(lead.name) (lead\(((try? lead.accountId.flatMap { try context.store.account(id: $0) }) ?? nil).map { " at \($0.name)" } ?? "")\(lead.title.map { ", \($0)" } ?? ""), \(lead.stage.rawValue))"
            }
        }
        let options = described.enumerated().map { "\($0.offset + 1)) \($0.element)" }
        // In a script the error names the choices; a number typed next would not pick one, so
        // the invitation to type it is only shown where someone can.
        let reply = Reply(
            interactive ? [.text(question)] + options.map { Block.text("  " + $0) } + [.note("Type the number, or ask again with more of the name.")] : [],
            result: .object([
                ("question", .string(question)), ("choices", .array(candidates.map(\.json))),
            ]),
            failure: interactive ? nil : .init(code: "ambiguous", message: "\(question) \(described.joined(separator: "; "))"))
        Terminal.write(located(renderer.render(reply, command: pending.command.name, request: pending.request)))
        if !interactive { failures += 1 }
        return interactive
    }

    /// A line that fits two commands about equally: at a prompt, each is offered by its number;
    /// in a script, an `ambiguous` error names both, and nothing runs.
    private func ask(_ question: String, options: [Router.Routed], line: String) -> Bool {
        let described = options.map { option in
            "`\(option.command.name)\(option.request.subject.map { " \($0.name)" } ?? "")`: \(option.command.summary)"
        }
        let reply = Reply(
            interactive ? [.text(question)] + described.enumerated().map { Block.text("  \($0.offset + 1)) \($0.element)") }
                + [.note("Type the number, or say it again in other words.")] : [],
            result: .object([
                ("question", .string(question)), ("commands", .array(options.map { .string($0.command.name) })),
            ]),
            failure: interactive ? nil : .init(
                code: "ambiguous",
                message: "'\(line)' fits two commands about equally: \(options.map { "`\($0.command.name)`" }.joined(separator: " and ")); say which"))
        Terminal.write(located(renderer.render(reply, command: options[0].command.name, request: options[0].request)))
        if !interactive { failures += 1 }
        return interactive
    }

    /// The line as `--echo-all` shows it: a line too long to run is cut short, and control
    /// characters are shown as their pictures (U+2400…), so the echo cannot drive a terminal.
    static func echoed(_ line: String) -> String {
        var shown = line
        if line.utf8.count > lineLimit { shown = String(line.prefix(60)) + "… (\(line.utf8.count) bytes)" }
        return shown.showingControlCharacters(keepingLineBreaks: false)
    }

    /// The answer with its error line prefixed by where the script line came from; a JSON answer
    /// says it as `script_line`, so a program matches answers to lines though a comment or a blank
    /// line answers nothing.
    private func located(_ output: Renderer.Output) -> Renderer.Output {
        guard let location, !interactive else { return output }
        var output = output
        output.stderr = output.stderr.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasPrefix("error: ") || line.contains("error: ") && line.hasPrefix("\u{1B}") ? "\(location): \(line)" : String(line)
        }.joined(separator: "\n")
        // After `schema`, which stays first.
        let schema = "{\"schema\":\(Renderer.jsonSchema),"
        if output.stdout.hasPrefix(schema) {
            output.stdout = schema + "\"script_line\":\(JSONValue.string(location).encoded())," + output.stdout.dropFirst(schema.count)
        }
        return output
    }

    /// Refuses a line without running it (one a `LineReader` refused as too long): the error is
    /// shown as any command's, and counts as a failure. Returns false.
    @discardableResult
    public func refuse(_ error: any Error) -> Bool {
        progressBar?.finish()
        Terminal.write(located(renderer.render(error, command: nil, request: nil)))
        failures += 1
        return false
    }

    /// The error for a line longer than `lineLimit`, quoting only its start: the rest may be
    /// megabytes, or bytes no terminal should be sent.
    public static func lineTooLong(startingWith start: some StringProtocol) -> UsageError {
        let quoted = String(start.prefix(80)).debugDescription + (start.count > 80 ? "…" : "")
        return UsageError("the line is longer than \(lineLimit) bytes (it starts \(quoted))", hint: "for data, use `import`")
    }

    /// Refuses lines no command could mean: too long, not UTF-8, or with control characters.
    static func check(_ line: String) throws {
        if line.utf8.count > lineLimit { throw lineTooLong(startingWith: line) }
        for (offset, scalar) in line.unicodeScalars.enumerated() {
            if scalar == "\u{FFFD}" {
                throw UsageError("the line is not valid UTF-8 text (at character \(offset + 1))")
            }
            if scalar.value < 0x20 && scalar != "\t" || scalar.value == 0x7F {
                throw UsageError(String(format: "the line contains a control character (U+%04X at character %d)", scalar.value, offset + 1))
            }
        }
    }
}

extension Command {
    /// Whether this command, run with `request`, changed the shared data: it writes, it answered
    /// without failing, and it was no dry run nor `definition init` (which writes a file only).
    public func changedData(_ request: Request, _ reply: Reply) -> Bool {
        writes && reply.failure == nil && !request.has("dry-run") && name != "definition init"
    }
}
