import HandoffCore

/// One invocation of a command, with its arguments parsed against the command's declaration.
public struct Request: Sendable {
    public var command: String
    /// Positional arguments by name.
    public var values: [String: String]
    /// Options with values by name (without `--`).
    public var options: [String: String]
    /// Flags given (without `--`).
    public var flags: Set<String>
    /// The line as typed.
    public var line: String

    public init(command: String, values: [String: String] = [:], options: [String: String] = [:], flags: Set<String> = [], line: String = "") {
        self.command = command
        self.values = values
        self.options = options
        self.flags = flags
        self.line = line
    }

    public subscript(argument: String) -> String? { values[argument] ?? options[argument] }

    public func has(_ flag: String) -> Bool { flags.contains(flag) }

    /// The resolved arguments, as JSON output reports them.
    public var resolved: JSONValue {
        var pairs: [(String, JSONValue)] = values.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }
        pairs += options.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }
        pairs += flags.sorted().map { ($0, .bool(true)) }
        return .object(pairs)
    }
}
