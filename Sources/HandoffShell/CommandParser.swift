import HandoffCore
import HandoffPluginAPI

/// Matches a command line against the loaded commands and parses its arguments and options.
public struct CommandParser: Sendable {
    public let commands: [Command]

    public init(commands: [Command]) {
        // Longer names first, so `definition check` wins over a one-word `definition`.
        self.commands = commands.sorted { $0.name.split(separator: " ").count > $1.name.split(separator: " ").count }
    }

    /// The command a line names and the request it makes.
    public func parse(_ line: String) throws -> (Command, Request) {
        let words = try Tokenizer.split(line)
        guard !words.isEmpty else { throw UsageError("empty command") }
        guard let (command, used) = match(words) else {
            throw UsageError("unknown command '\(words[0])'", hint: suggestion(for: words))
        }
        let request = try bind(command, Array(words.dropFirst(used)), line: line)
        return (command, request)
    }

    /// The command whose name, or one of whose phrasings, the line starts with.
    func match(_ words: [String]) -> (Command, Int)? {
        let lowered = words.map { $0.lowercased() }
        var best: (Command, Int)?
        for command in commands {
            for name in [command.name] + command.phrasings {
                let nameWords = name.lowercased().split(separator: " ").map(String.init)
                if lowered.starts(with: nameWords), nameWords.count > (best?.1 ?? 0) {
                    best = (command, nameWords.count)
                }
            }
        }
        return best
    }

    /// "did you mean …" from edit distance to the command names and their first words.
    func suggestion(for words: [String]) -> String {
        let typed = words[0].lowercased()
        var candidates: [(String, Int)] = []
        for command in commands {
            let first = String(command.name.split(separator: " ")[0])
            let distance = EditDistance.levenshtein(typed, first, limit: 3)
            if distance <= max(1, typed.count / 3) || first.hasPrefix(typed) { candidates.append((command.name, distance)) }
        }
        let names = Array(uniqued(candidates.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.map(\.0)).prefix(3))
        if names.isEmpty { return "type `help` for the list of commands" }
        return "did you mean " + names.map { "`\($0)`" }.joined(separator: " or ") + "?"
    }

    /// Fills the command's arguments and options from the words after its name.
    func bind(_ command: Command, _ words: [String], line: String) throws -> Request {
        var request = Request(command: command.name, line: line)
        var positional: [String] = []
        var index = 0
        while index < words.count {
            let word = words[index]
            if word.hasPrefix("--") && word.count > 2 {
                var name = String(word.dropFirst(2))
                var value: String?
                if let equals = name.firstIndex(of: "=") {
                    value = String(name[name.index(after: equals)...])
                    name = String(name[..<equals])
                }
                guard let option = command.options.first(where: { $0.name == name }) else {
                    let known = command.options.map { "--\($0.name)" }
                    throw UsageError(
                        "\(command.name) has no option --\(name)",
                        hint: known.isEmpty ? "usage: \(command.usage)" : "its options are \(known.joined(separator: ", "))")
                }
                if option.value != nil {
                    if value == nil {
                        index += 1
                        guard index < words.count else {
                            throw UsageError("--\(name) needs a value (\(option.value!))", hint: "usage: \(command.usage)")
                        }
                        value = words[index]
                    }
                    request.options[name] = value
                } else {
                    if value != nil { throw UsageError("--\(name) takes no value", hint: "usage: \(command.usage)") }
                    request.flags.insert(name)
                }
            } else {
                positional.append(word)
            }
            index += 1
        }
        var rest = positional[...]
        for argument in command.arguments {
            if argument.kind == .rest {
                if !rest.isEmpty { request.values[argument.name] = rest.joined(separator: " ") }
                rest = []
                break
            }
            guard let word = rest.popFirst() else {
                if argument.required {
                    throw UsageError("\(command.name) needs \(argument.name.uppercased())\(argument.help.isEmpty ? "" : " (\(argument.help))")", hint: "usage: \(command.usage)")
                }
                break
            }
            if case .choice(let options) = argument.kind {
                guard let chosen = options.first(where: { $0.caseInsensitiveCompare(word) == .orderedSame }) else {
                    let near = options.min { EditDistance.levenshtein(word.lowercased(), $0) < EditDistance.levenshtein(word.lowercased(), $1) }
                    throw UsageError(
                        "\(argument.name) must be one of \(options.joined(separator: ", ")), not '\(word)'",
                        hint: near.map { "did you mean `\(command.name) \($0)`?" })
                }
                request.values[argument.name] = chosen
            } else {
                request.values[argument.name] = word
            }
        }
        if let extra = rest.first {
            throw UsageError("\(command.name) does not take '\(extra)'", hint: "usage: \(command.usage)")
        }
        return request
    }
}

/// Keeps the first of each repeated element, in order.
private func uniqued(_ items: [String]) -> [String] {
    var seen = Set<String>()
    return items.filter { seen.insert($0).inserted }
}
