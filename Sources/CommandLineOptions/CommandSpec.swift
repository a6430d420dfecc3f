/// What a command accepts on its command line, and the words its help prints.
public struct CommandSpec: Sendable {
    /// How the command is typed, e.g. "handoff" or "handoff mcp".
    public var name: String
    public var abstract: String
    public var discussion: String
    public var options: [OptionSpec]
    /// Subcommands, listed in the help: (name, abstract).
    public var subcommands: [(name: String, abstract: String)]

    public init(
        name: String, abstract: String, discussion: String = "", options: [OptionSpec],
        subcommands: [(name: String, abstract: String)] = []
    ) {
        self.name = name
        self.abstract = abstract
        self.discussion = discussion
        self.options = options
        self.subcommands = subcommands
    }
}

/// One option: a flag (no value) or an option taking a value.
public struct OptionSpec: Sendable {
    /// The spelling, with its dashes: "--db", "-c".
    public var name: String
    /// Another spelling, e.g. "-a" for "--echo-all"; what was parsed is kept under `name`.
    public var short: String?
    /// The placeholder shown in help, e.g. "path"; nil for a flag.
    public var valueName: String?
    public var help: String
    public var repeatable: Bool
    public var required: Bool
    /// Shown in the help as "(default: …)".
    public var defaultValue: String?

    public static func flag(_ name: String, short: String? = nil, help: String) -> OptionSpec {
        OptionSpec(name: name, short: short, valueName: nil, help: help, repeatable: false, required: false, defaultValue: nil)
    }

    public static func value(
        _ name: String, _ valueName: String, help: String, repeatable: Bool = false, required: Bool = false, default defaultValue: String? = nil
    ) -> OptionSpec {
        OptionSpec(name: name, short: nil, valueName: valueName, help: help, repeatable: repeatable, required: required, defaultValue: defaultValue)
    }

    var isFlag: Bool { valueName == nil }
    /// "--db <path>", "-c <command>", "--explain".
    public var synopsis: String { valueName.map { "\(name) <\($0)>" } ?? name }
    /// The help's left column: the synopsis, after the short spelling if there is one ("-a, --echo-all").
    var spellings: String { short.map { "\($0), \(synopsis)" } ?? synopsis }
}
