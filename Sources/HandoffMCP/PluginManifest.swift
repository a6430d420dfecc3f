import Foundation
import HandoffCore
import Yams

/// An outside plugin's `plugin.yaml`: how to start its MCP server, and how each of its tools
/// becomes a Handoff command. Unknown keys are refused: a typo must not quietly change what a
/// plugin may read.
public struct PluginManifest: Sendable {
    public var name: String
    public var version: String
    public var summary: String
    /// The folder holding `plugin.yaml`; the server starts there.
    public var folder: String
    public var file: String
    /// The program and its arguments (a relative program path is taken from `folder`).
    public var command: [String]
    /// Seconds one tool call may take.
    public var timeout: Double
    /// Seconds the server may take to start and answer `initialize`.
    public var startTimeout: Double
    public var tools: [Tool]

    public struct Tool: Sendable {
        /// The MCP tool's name on the server.
        public var tool: String
        /// The Handoff command it becomes.
        public var command: String
        public var summary: String
        public var phrasings: [String]
        public var examples: [String]
        /// MCP argument name → what Handoff resolves and passes for it, in manifest order.
        public var arguments: [(name: String, kind: ArgumentKind)]
        /// What the plugin may be given or ask for (`handoff/read`).
        public var reads: Set<DataScope>
        /// What the plugin may change (`handoff/write`).
        public var writes: Set<WriteScope>
    }

    /// The parts of the lead model a plugin may change.
    public enum WriteScope: String, Sendable, CaseIterable {
        /// Log an objection against a lead, as `log objection` does.
        case objections
    }

    /// What a tool argument stands for.
    public enum ArgumentKind: String, Sendable, CaseIterable {
        /// A lead (by name, email or external id), passed as its record.
        case lead
        /// An account, passed as its record.
        case account
        /// Time words, passed as {label, start, end} (with the objections in it when read).
        case period
        /// An objection theme, passed as {id, label, answer}.
        case theme
        /// Whatever text is left on the line, as written.
        case text

        /// The data this argument hands over, which the manifest must declare.
        var needs: DataScope? {
            switch self {
            case .lead: .lead
            case .account: .account
            case .period, .theme, .text: nil
            }
        }
    }

    /// The parts of the lead model a plugin may read.
    public enum DataScope: String, Sendable, CaseIterable, Comparable {
        case lead, events, transitions, rejections, verdict, account, objections

        public static func < (lhs: Self, rhs: Self) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    static let fileName = "plugin.yaml"
    static let commandWord = try! NSRegularExpression(pattern: "^[a-z][a-z0-9-]*( [a-z][a-z0-9-]*)?$")

    /// Reads and checks `folder/plugin.yaml`; throws a `FileError` naming the line and the key.
    public static func load(folder: String) throws -> PluginManifest {
        let file = "\(folder)/\(fileName)"
        guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
            throw FileError(code: "bad_plugin", file: file, line: 1, problem: "cannot read the file")
        }
        return try parse(text, file: file, folder: folder)
    }

    static func parse(_ text: String, file: String, folder: String) throws -> PluginManifest {
        let reader = YAMLReader(file: file, code: "bad_plugin")
        let root = try reader.root(of: text)
        let fields = try root.fields(
            allowed: ["name", "version", "summary", "command", "timeout", "start-timeout", "tools"],
            required: ["name", "command", "tools"])
        let name = try fields["name"]!.string()
        guard commandWord.firstMatch(in: name, range: NSRange(name.startIndex..., in: name)) != nil, !name.contains(" ") else {
            throw fields["name"]!.fail("the plugin name '\(name)' must be one lower-case word (letters, digits, dashes)")
        }
        // `command: python3 server.py` is read as the shell would split it; a list keeps spaces inside an argument.
        let command: [String]
        if case .scalar = fields["command"]!.node {
            command = try fields["command"]!.string().split(separator: " ").map(String.init)
        } else {
            command = try fields["command"]!.strings()
        }
        guard let program = command.first, !program.isEmpty else { throw fields["command"]!.fail("command must name a program to run") }
        let timeout = try fields["timeout"].map { try seconds($0) } ?? 10
        let startTimeout = try fields["start-timeout"].map { try seconds($0) } ?? 20
        var tools: [Tool] = []
        for item in try fields["tools"]!.list() {
            let tool = try parseTool(item)
            if tools.contains(where: { $0.command == tool.command }) {
                throw item.fail("two tools become the command '\(tool.command)'")
            }
            tools.append(tool)
        }
        if tools.isEmpty { throw fields["tools"]!.fail("tools must list at least one tool") }
        return PluginManifest(
            name: name, version: try fields["version"]?.string() ?? "0", summary: try fields["summary"]?.string() ?? "",
            folder: folder, file: file, command: command, timeout: timeout, startTimeout: startTimeout, tools: tools)
    }

    private static func seconds(_ value: YAMLValue) throws -> Double {
        let number = try value.number()
        guard number > 0, number <= 600 else { throw value.fail("\(value.path) must be between 0 and 600 seconds") }
        return number
    }

    private static func parseTool(_ item: YAMLValue) throws -> Tool {
        let fields = try item.fields(
            allowed: ["tool", "command", "summary", "phrasings", "examples", "arguments", "reads", "writes"], required: ["tool", "command"])
        let command = try fields["command"]!.string().lowercased()
        guard commandWord.firstMatch(in: command, range: NSRange(command.startIndex..., in: command)) != nil else {
            throw fields["command"]!.fail("the command '\(command)' must be one or two lower-case words")
        }
        var arguments: [(String, ArgumentKind)] = []
        for entry in try fields["arguments"]?.mapping() ?? [] {
            let word = try entry.value.string()
            guard let kind = ArgumentKind(rawValue: word) else {
                throw entry.value.fail(
                    "argument '\(entry.key)' is '\(word)', which is not a kind Handoff resolves",
                    hint: "use one of: \(ArgumentKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            arguments.append((entry.key, kind))
        }
        for kind in [ArgumentKind.lead, .account, .period, .theme, .text] where arguments.filter({ $0.1 == kind }).count > 1 {
            throw fields["arguments"]!.fail("only one argument may be a \(kind.rawValue)")
        }
        if arguments.contains(where: { $0.1 == .lead }) && arguments.contains(where: { $0.1 == .account }) {
            throw fields["arguments"]!.fail("a tool takes a lead or an account, not both")
        }
        var reads = Set<DataScope>()
        for value in try fields["reads"].map({ try $0.list() }) ?? [] {
            let word = try value.string()
            guard let scope = DataScope(rawValue: word) else {
                throw value.fail(
                    "'\(word)' is not data Handoff can give", hint: "use any of: \(DataScope.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            reads.insert(scope)
        }
        var writes = Set<WriteScope>()
        for value in try fields["writes"].map({ try $0.list() }) ?? [] {
            let word = try value.string()
            guard let scope = WriteScope(rawValue: word) else {
                throw value.fail("'\(word)' is not data a plugin may change", hint: "use: \(WriteScope.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            writes.insert(scope)
        }
        // A lead or account argument hands over its record: the manifest must say so.
        for (name, kind) in arguments {
            if let needs = kind.needs, !reads.contains(needs) {
                throw fields["arguments"]!.fail(
                    "argument '\(name)' is a \(kind.rawValue), but reads does not declare '\(needs.rawValue)'",
                    hint: "add \(needs.rawValue) to reads")
            }
        }
        return Tool(
            tool: try fields["tool"]!.string(), command: command, summary: try fields["summary"]?.string() ?? "",
            phrasings: try fields["phrasings"]?.strings() ?? [], examples: try fields["examples"]?.strings() ?? [],
            arguments: arguments, reads: reads, writes: writes)
    }
}
