import HandoffCore
import HandoffMCP
import HandoffPluginAPI
import HandoffShell

/// A tool's arguments made into its command's request: each argument fills the one field its kind
/// says, so no value is ever read as a command line.
extension MCPServer {
    /// What a tool's arguments make: the request, or a question back.
    enum Built {
        case ready(Request)
        /// A name fits several leads or accounts.
        case choose(question: String, candidates: [Subject])
    }

    /// A tool's arguments that do not fit its schema: answered in words, before any command runs.
    struct ArgumentError: Error {
        let message: String
    }

    /// The command's request, each argument put where its kind says. An argument is only ever the
    /// value it was sent as: names, periods and themes are resolved whole, text is kept as sent.
    static func request(for tool: Tool, arguments: JSONValue, router: Router) throws -> Built {
        let command = tool.command
        guard let pairs = arguments.objectValue else { throw ArgumentError(message: "\(tool.name) takes its arguments as an object") }
        var given: [String: JSONValue] = [:]
        for (key, value) in pairs {
            guard tool.offer.arguments.contains(where: { $0.name == key }) else { throw ArgumentError(message: "\(tool.name) takes no argument '\(key)'") }
            given[key] = value
        }
        var request = Request(command: command.name)
        // Filter words first: they make a request of their own, which the other arguments add to.
        for argument in tool.offer.arguments where given[argument.name] != nil {
            guard case .filters = argument.kind, let words = try text(of: argument, given), !words.isEmpty else { continue }
            switch try router.request(command, words: words) {
            case .run(let routed): request = routed.request
            case .choose(let question, let candidates, _): return .choose(question: question, candidates: candidates)
            // One command's own words never fit another.
            case .chooseCommand: throw ArgumentError(message: "\(tool.name) could not read its filters")
            }
        }
        for argument in tool.offer.arguments {
            if case .count(let option) = argument.kind {
                switch given[argument.name] {
                case .int(let number)?: request.options[option] = String(number)
                case nil, .null?: if argument.required { throw ArgumentError(message: "the argument '\(argument.name)' is required") }
                case let other?: throw ArgumentError(message: "the argument '\(argument.name)' must be a whole number, not \(other.encoded())")
                }
                continue
            }
            guard let value = try text(of: argument, given), !value.trimmingWhitespace().isEmpty else {
                if argument.required { throw ArgumentError(message: "the argument '\(argument.name)' is required") }
                continue
            }
            switch argument.kind {
            case .subject:
                switch try router.subject(named: value) {
                case .one(let subject): request.subject = subject
                case .several(let question, let candidates): return .choose(question: question, candidates: candidates)
                }
            case .period: request.range = try router.period(value)
            case .theme: request.theme = try router.theme(named: value.trimmingWhitespace())
            case .text(let name): request.values[name] = value
            case .grouping: request.words += ["by", value.trimmingWhitespace().lowercased()]
            case .filters, .count: break
            }
        }
        return .ready(request)
    }

    /// The argument's text, or nil when it was not sent; anything but a string (or null) is refused.
    private static func text(of argument: AssistantTool.Argument, _ given: [String: JSONValue]) throws -> String? {
        switch given[argument.name] {
        case .string(let text)?: text
        case nil, .null?: nil
        case let other?: throw ArgumentError(message: "the argument '\(argument.name)' must be a string, not \(other.encoded())")
        }
    }
}
