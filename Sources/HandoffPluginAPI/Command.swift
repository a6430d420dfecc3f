import HandoffCore

/// A command a plugin answers: how people reach it, what it takes, and the code that answers.
public struct Command: Sendable {
    /// The canonical name, one or two words: `import`, `definition check`.
    public var name: String
    public var summary: String
    /// Positional arguments, in order.
    public var arguments: [CommandArgument]
    public var options: [CommandOption]
    /// Other ways people say it (`load`, `upload csv`), for routing and "did you mean".
    public var phrasings: [String]
    public var examples: [String]
    /// Lines people type for it in their own words, with `{who}` where they name a lead or an
    /// account: what the router's model learns from, so lines that match no phrasing still arrive.
    public var sayings: [String]
    /// Whether it changes the shared data (leads, stages, objections) or writes a file in its
    /// place (a definition), which a wrong guess would damage: a line in someone's own words
    /// reaches such a command only when it reads as an order and the sayings' model is sure of
    /// it, never as a question ("is wile coyote closed won?" moves nobody). A draft kept for the
    /// record (a brief's) is not such a change.
    public var writes: Bool
    /// How `handoff mcp` offers the command to assistants, if it does.
    public var tool: AssistantTool?
    public var run: @Sendable (Request, Context) throws -> Reply

    public init(
        name: String, summary: String, arguments: [CommandArgument] = [], options: [CommandOption] = [], phrasings: [String] = [],
        examples: [String] = [], sayings: [String] = [], writes: Bool = false, tool: AssistantTool? = nil, run: @escaping @Sendable (Request, Context) throws -> Reply
    ) {
        self.name = name
        self.summary = summary
        self.arguments = arguments
        self.options = options
        self.phrasings = phrasings
        self.examples = examples
        self.sayings = sayings
        self.writes = writes
        self.tool = tool
        self.run = run
    }

    /// `import KIND FILE [--mapping FILE] [--dry-run]`.
    public var usage: String {
        var parts = [name]
        for argument in arguments {
            let shown = argument.kind.placeholder(argument.name)
            parts.append(argument.required ? shown : "[\(shown)]")
        }
        for option in options {
            parts.append(option.value.map { "[--\(option.name) \($0)]" } ?? "[--\(option.name)]")
        }
        return parts.joined(separator: " ")
    }
}

/// A positional argument.
public struct CommandArgument: Sendable {
    public var name: String
    public var kind: Kind
    public var required: Bool
    public var help: String
    /// For a choice: other words that are also taken (and passed on as written here), not shown in
    /// the usage. Choices are matched by their letters and digits alone, so "closedwon" also takes
    /// "closed won" and "Closed-Won".
    public var aliases: [String]

    public init(_ name: String, _ kind: Kind = .text, required: Bool = true, help: String = "", aliases: [String] = []) {
        self.name = name
        self.kind = kind
        self.required = required
        self.help = help
        self.aliases = aliases
    }

    public enum Kind: Sendable, Hashable {
        /// One word, or a quoted phrase.
        case text
        /// A whole number, `12` or `#12`: in a question, the first one in the line ("details of
        /// objection 4").
        case number
        /// One of these words.
        case choice([String])
        /// A file or folder path.
        case path
        /// The rest of the line.
        case rest
        /// A lead or an account, by name, email or external id; fills `Request.subject`. When the
        /// line names none, the conversation's current one is used.
        case subject
        /// Time words; fills `Request.range`.
        case timeRange
        /// An objection theme; fills `Request.theme`.
        case theme
        /// Whatever words are left; fills `Request.words`.
        case words
        /// The words after a marker word, as written: `reject acme because no budget`; a quoted
        /// phrase among them comes in “ ”, whichever quotes it was typed in.
        case after(String)
        /// Whatever text is left once everything else is resolved, as written (a quote, a note).
        case remainder

        func placeholder(_ name: String) -> String {
            switch self {
            case .choice(let options): options.joined(separator: "|")
            case .rest, .words: "\(name.uppercased())…"
            case .subject: "LEAD|ACCOUNT"
            case .after(let marker): "\(marker) \(name.uppercased())…"
            case .remainder: "\"\(name.uppercased())\""
            case .timeRange: "PERIOD"
            default: name.uppercased()
            }
        }

        /// Kinds the router fills from the meaning of words rather than their position.
        public var isResolved: Bool {
            switch self {
            case .subject, .timeRange, .theme, .words, .after, .remainder: true
            default: false
            }
        }
    }
}

/// A `--name` option, with a value (`--mapping FILE`) or as a flag (`--dry-run`).
public struct CommandOption: Sendable {
    public var name: String
    /// The value's placeholder, or nil for a flag.
    public var value: String?
    public var help: String

    public init(_ name: String, value: String? = nil, help: String) {
        self.name = name
        self.value = value
        self.help = help
    }
}
