import HandoffCore

/// One invocation of a command, with its arguments resolved: names to leads or accounts, time
/// words to a range, theme words to a theme.
public struct Request: Sendable {
    public var command: String
    /// Positional arguments by name, as written.
    public var values: [String: String]
    /// Options with values by name (without `--`).
    public var options: [String: String]
    /// Flags given (without `--`).
    public var flags: Set<String>
    /// The lead or account the command is about.
    public var subject: Subject?
    /// The period asked about.
    public var range: TimeRange?
    /// An objection theme's id.
    public var theme: String?
    /// Words the router did not use for anything else, lower-cased, for commands that filter by
    /// them (`leads from webinar` → ["webinar"]).
    public var words: [String]
    /// The line as typed.
    public var line: String
    /// Whether the line was read in someone's own words ("which objections are hurting us?")
    /// rather than typed in the command's syntax: a word among `words` that the command cannot
    /// place may then be a word of asking, to leave aside (and say so), not a mistake to refuse.
    public var inOwnWords: Bool

    public init(
        command: String, values: [String: String] = [:], options: [String: String] = [:], flags: Set<String> = [],
        subject: Subject? = nil, range: TimeRange? = nil, theme: String? = nil, words: [String] = [], line: String = "",
        inOwnWords: Bool = false
    ) {
        self.command = command
        self.values = values
        self.options = options
        self.flags = flags
        self.subject = subject
        self.range = range
        self.theme = theme
        self.words = words
        self.line = line
        self.inOwnWords = inOwnWords
    }

    public subscript(argument: String) -> String? { values[argument] ?? options[argument] }

    public func has(_ flag: String) -> Bool { flags.contains(flag) }

    /// The resolved arguments, as JSON output reports them.
    public var resolved: JSONValue {
        var pairs: [(String, JSONValue)] = values.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }
        if let subject {
            switch subject {
            case .lead: pairs.append(("lead", subject.json))
            case .account: pairs.append(("account", subject.json))
            }
        }
        if let range {
            pairs.append(("range", .object([
                ("label", .string(range.label)), ("start", .string(Timestamp.iso(range.start))), ("end", .string(Timestamp.iso(range.end))),
            ])))
        }
        if let theme { pairs.append(("theme", .string(theme))) }
        if !words.isEmpty { pairs.append(("words", .array(words.map(JSONValue.string)))) }
        pairs += options.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }
        pairs += flags.sorted().map { ($0, .bool(true)) }
        return .object(pairs)
    }
}
