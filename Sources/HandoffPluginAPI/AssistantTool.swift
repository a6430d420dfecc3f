/// How a command is offered to assistants as a tool of `handoff mcp`. The plugin that owns the
/// command says so beside it, so a renamed or removed command takes its tool with it. Each
/// argument fills one field of the command's request, as its kind says, and is never read as a
/// command line: no value can add an option or another command.
public struct AssistantTool: Sendable {
    /// The tool's name, in snake case: `find_leads`.
    public var name: String
    public var description: String
    public var arguments: [Argument]
    public var writes: Writes

    public init(name: String, description: String, arguments: [Argument] = [], writes: Writes = .nothing) {
        self.name = name
        self.description = description
        self.arguments = arguments
        self.writes = writes
    }

    /// One argument of the tool's JSON Schema, and where it goes in the request.
    public struct Argument: Sendable {
        public var name: String
        public var description: String
        public var required: Bool
        public var kind: Kind

        public init(_ name: String, _ kind: Kind, required: Bool, description: String) {
            self.name = name
            self.kind = kind
            self.required = required
            self.description = description
        }

        /// The argument the lookup tools take: a lead or an account.
        public static let leadOrAccount = Argument("lead", .subject, required: true, description: "a lead or account: name, email or external id")
    }

    /// Where an argument goes in the request.
    public enum Kind: Sendable {
        /// A lead or an account by name, email or external id: the subject.
        case subject
        /// Time words: the range.
        case period
        /// An objection theme: the theme.
        case theme
        /// Text kept exactly as sent, as this value of the request.
        case text(value: String)
        /// Words the command filters by, read as the shell reads them after the command's name
        /// (a stage, a source, `at ACCOUNT`, a period), but never as an option or a command.
        case filters
        /// How to group: the words `by` and the value.
        case grouping
        /// A whole number, as this option.
        case count(option: String)

        /// The argument's type in the JSON Schema.
        public var schemaType: String { if case .count = self { "integer" } else { "string" } }
    }

    /// What a tool changes, as its annotations declare it.
    public enum Writes: Sendable {
        case nothing
        /// Changes the lead model: offered only with `--allow-writes`. `destructive` when it changes
        /// what is there (a lead's stage) rather than adding to it.
        case model(destructive: Bool)
        /// Keeps what it answered (a brief's draft) when writes are allowed; without, it answers
        /// and keeps nothing.
        case keepsAnswer
    }
}
