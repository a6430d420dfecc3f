/// The options a command line gave, by name ("--db", "-c").
public struct ParsedOptions: Sendable, Equatable {
    public private(set) var values: [String: [String]] = [:]
    public private(set) var flags: Set<String> = []

    /// The last value given for `name` (a later one overrides an earlier one).
    public func value(_ name: String) -> String? { values[name]?.last }
    /// Every value given for a repeatable option, in order.
    public func all(_ name: String) -> [String] { values[name] ?? [] }
    public func isSet(_ flag: String) -> Bool { flags.contains(flag) }

    mutating func add(_ value: String, for name: String) { values[name, default: []].append(value) }
    mutating func set(_ flag: String) { flags.insert(flag) }
}

/// What a command line asked for: to run with these options, or to see the help.
public enum ParseOutcome: Sendable, Equatable {
    case run(ParsedOptions)
    case help
}

/// A command line the command cannot run with: the sentence says what is wrong and with which option.
public struct CommandLineError: Error, Sendable, Equatable {
    public var message: String
    /// The option concerned and its description, e.g. "--to <url>  The PostgreSQL database …".
    public var help: String?
    public init(_ message: String, help: String? = nil) {
        self.message = message
        self.help = help
    }
}

/// Reads a command line against a spec: `--name value`, `--name=value`, `-c value`, flags,
/// and `-h`/`--help` anywhere. Values are taken as given, even when they start with a dash.
public enum OptionParser {
    /// An array rather than any sequence of strings: generic code called from another module
    /// looks its types up at run time, which a one-shot start pays for.
    public static func parse(_ arguments: [String], for spec: CommandSpec) throws(CommandLineError) -> ParseOutcome {
        var parsed = ParsedOptions()
        var iterator = arguments.makeIterator()
        var wantsHelp = false
        while let argument = iterator.next() {
            if argument == "-h" || argument == "--help" {
                wantsHelp = true
                continue
            }
            guard argument.hasPrefix("-"), argument != "-" else {
                // `handoff --db x.sqlite mcp`: a subcommand comes first, as `git` takes them.
                if let subcommand = spec.subcommands.first(where: { $0.name == argument }) {
                    let others = arguments.filter { $0 != argument }.joined(separator: " ")
                    throw CommandLineError(
                        "'\(argument)' is a subcommand: it comes first, before the options",
                        help: "\(spec.name) \(subcommand.name)\(others.isEmpty ? "" : " " + others)")
                }
                throw CommandLineError("Unexpected argument '\(argument)'")
            }
            var name = argument
            var attached: String?
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                attached = String(argument[argument.index(after: equals)...])
            }
            guard let option = spec.options.first(where: { $0.name == name || $0.short == name }) else {
                throw CommandLineError("Unknown option '\(name)'")
            }
            name = option.name
            if option.isFlag {
                if attached != nil { throw CommandLineError("The flag '\(name)' takes no value") }
                parsed.set(name)
                continue
            }
            guard let value = attached ?? iterator.next() else {
                throw CommandLineError("Missing value for '\(option.synopsis)'", help: "\(option.synopsis)  \(option.help)")
            }
            parsed.add(value, for: name)
        }
        if wantsHelp { return .help }
        for option in spec.options where option.required && parsed.values[option.name] == nil {
            throw CommandLineError("Missing expected argument '\(option.synopsis)'", help: "\(option.synopsis)  \(option.help)")
        }
        return .run(parsed)
    }

    /// `arguments` with each value given for the option `name` (`name value` or `name=value`)
    /// replaced by `transform(value)`, the rest as they were: the arguments read as `parse` reads
    /// them, so a `-c` whose text looks like the option is left alone.
    public static func replacingValues(
        of name: String, in arguments: [String], for spec: CommandSpec, with transform: (String) -> String
    ) -> [String] {
        var result: [String] = []
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            index += 1
            result.append(argument)
            let equals = argument.hasPrefix("--") ? argument.firstIndex(of: "=") : nil
            let spelled = equals.map { String(argument[..<$0]) } ?? argument
            guard argument.hasPrefix("-"), let option = spec.options.first(where: { $0.name == spelled || $0.short == spelled }),
                  !option.isFlag else { continue }
            if let equals {
                if option.name == name { result[result.count - 1] = spelled + "=" + transform(String(argument[argument.index(after: equals)...])) }
            } else if index < arguments.endIndex {
                result.append(option.name == name ? transform(arguments[index]) : arguments[index])
                index += 1
            }
        }
        return result
    }
}
