import Foundation
public import HandoffCore
import HandoffPluginAPI

/// Something went wrong with an outside plugin. One of these is all a misbehaving plugin costs
/// the user: the session goes on, and the plugin is started afresh on its next use.
public struct PluginError: HandoffError {
    public let message: String
    public let hint: String?
    public var code: String { "plugin" }

    public init(_ message: String, hint: String? = nil) {
        self.message = message
        self.hint = hint
    }
}

/// A plugin asked for data its manifest does not declare; Handoff refused it.
struct UndeclaredRead: Error {
    let scope: String
}

/// A running plugin server and the MCP client side of talking to it: JSON-RPC 2.0, one message
/// per line, over its stdin and stdout. Hand-written rather than an SDK client because every
/// read must be bounded in time and size and every malformed message must become a clear error.
final class PluginConnection {
    /// Most a plugin may send in answer to one request, newline-delimited messages included.
    static let outputLimit = 4 << 20

    let manifest: PluginManifest
    let log: String
    private let process: ChildProcess
    private var nextId = 1
    private(set) var serverVersion = ""

    /// Starts the server and shakes hands; throws a `PluginError` when it cannot.
    init(manifest: PluginManifest, log: String, environment: [String: String], isCancelled: () -> Bool) throws {
        self.manifest = manifest
        self.log = log
        let program = try Self.resolve(manifest.command[0], folder: manifest.folder, path: environment["PATH"] ?? "/usr/bin:/bin", manifest: manifest)
        do {
            process = try ChildProcess(
                arguments: [program] + manifest.command.dropFirst(), directory: manifest.folder, environment: environment, stderrLog: log)
        } catch ChildProcess.Failure.cannotStart(let reason) {
            throw PluginError("plugin '\(manifest.name)' cannot start \(program): \(reason)", hint: "check command in \(manifest.file)")
        }
        let handshake = try request(
            "initialize",
            .object([
                ("protocolVersion", .string(MCPProtocol.versions[0])), ("capabilities", .object([])),
                ("clientInfo", .object([("name", .string("handoff")), ("version", .string("1.0"))])),
            ]),
            timeout: manifest.startTimeout, isCancelled: isCancelled, serve: { _, _ in .null }, starting: true)
        guard let version = handshake["protocolVersion"]?.stringValue else {
            throw failure("answered initialize without a protocolVersion")
        }
        guard MCPProtocol.versions.contains(version) else {
            throw failure("speaks MCP protocol version \(version); Handoff speaks \(MCPProtocol.versions.sorted().joined(separator: ", "))")
        }
        serverVersion = version
        try notify("notifications/initialized")
        let listed = try request("tools/list", .object([]), timeout: manifest.startTimeout, isCancelled: isCancelled, serve: { _, _ in .null })
        let names = Set((listed["tools"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue })
        if let missing = manifest.tools.first(where: { !names.contains($0.tool) }) {
            throw failure("has no tool '\(missing.tool)' (it offers \(names.sorted().joined(separator: ", ")))")
        }
    }

    func close() { process.stop() }

    /// Calls a tool and returns its result object. `serve` answers the plugin's own requests for
    /// data (`handoff/read`) while the call runs.
    func call(
        _ tool: String, arguments: JSONValue, meta: JSONValue, isCancelled: () -> Bool, serve: (String, JSONValue) throws -> JSONValue
    ) throws -> JSONValue {
        try request(
            "tools/call", .object([("name", .string(tool)), ("arguments", arguments), ("_meta", .object([("handoff", meta)]))]),
            timeout: manifest.timeout,
            isCancelled: isCancelled, serve: serve)
    }

    private func failure(_ what: String) -> PluginError {
        PluginError("plugin '\(manifest.name)' \(what)", hint: "it will be restarted on next use; its log is \(log)")
    }

    private func notify(_ method: String) throws {
        try send(.object([("jsonrpc", .string("2.0")), ("method", .string(method))]))
    }

    private func send(_ message: JSONValue) throws {
        do { try process.send(message.encoded()) } catch ChildProcess.Failure.closed(let reason) {
            throw failure("stopped: \(reason)")
        }
    }

    private func request(
        _ method: String, _ params: JSONValue, timeout: Double, isCancelled: () -> Bool,
        serve: (String, JSONValue) throws -> JSONValue, starting: Bool = false
    ) throws -> JSONValue {
        let id = nextId
        nextId += 1
        try send(.object([("jsonrpc", .string("2.0")), ("id", .int(id)), ("method", .string(method)), ("params", params)]))
        let deadline = Date().addingTimeInterval(timeout)
        process.resetCount()
        while true {
            let line: String
            do {
                line = try process.nextLine(deadline: deadline, limit: Self.outputLimit, isCancelled: isCancelled)
            } catch let error as ChildProcess.Failure {
                switch error {
                case .timedOut:
                    throw failure(starting ? "did not start within \(Self.seconds(timeout))" : "did not answer \(method) within \(Self.seconds(timeout))")
                case .closed(let reason):
                    throw failure(starting ? "stopped while starting: \(reason)" : "stopped during \(method): \(reason)")
                case .tooLong(let bytes):
                    throw failure("sent more than \(Self.outputLimit >> 20) MiB of output (\(bytes) bytes) for one request")
                case .cancelled:
                    throw PluginError("cancelled; plugin '\(manifest.name)' was stopped and will be restarted on next use")
                case .cannotStart(let reason):
                    throw failure(reason)
                }
            }
            if line.trimmingWhitespace().isEmpty { continue }
            let message: JSONValue
            do { message = try JSONParser.parse(line) } catch {
                let shown = line.count > 60 ? String(line.prefix(60)) + "…" : line
                throw failure(line.hasPrefix("{") ? "sent malformed JSON (\(error)): \(shown)" : "sent output that is not JSON-RPC: \(shown)")
            }
            guard message["jsonrpc"]?.stringValue == "2.0" else {
                throw failure("sent a message that is not JSON-RPC 2.0: \(line.prefix(60))")
            }
            if let incoming = message["method"]?.stringValue {
                // A request from the plugin (it has an id) gets an answer; a notification needs none.
                if let requestId = message["id"] { try answer(requestId, incoming, message["params"] ?? .null, serve: serve) }
                continue
            }
            guard message["id"] == .int(id) else { continue }
            if let error = message["error"] {
                throw PluginError(
                    "plugin '\(manifest.name)' refused \(method): \(error["message"]?.display ?? error.encoded())",
                    hint: "its log is \(log)")
            }
            guard let result = message["result"], result.objectValue != nil else {
                throw failure("answered \(method) without a result object")
            }
            return result
        }
    }

    private func answer(_ id: JSONValue, _ method: String, _ params: JSONValue, serve: (String, JSONValue) throws -> JSONValue) throws {
        var reply: [(String, JSONValue)] = [("jsonrpc", .string("2.0")), ("id", id)]
        do {
            switch method {
            case "ping": reply.append(("result", .object([])))
            case "handoff/read", "handoff/write": reply.append(("result", try serve(method, params)))
            default:
                reply.append(("error", .object([("code", .int(-32601)), ("message", .string("Handoff does not answer \(method)"))])))
            }
        } catch let refused as UndeclaredRead {
            reply.append(("error", .object([
                ("code", .int(-32003)), ("message", .string("\(refused.scope) is not declared in this plugin's manifest")),
            ])))
            try send(.object(reply))
            throw refused
        } catch let error as any HandoffError {
            reply.append(("error", .object([("code", .int(-32602)), ("message", .string(error.message))])))
        } catch {
            reply.append(("error", .object([("code", .int(-32603)), ("message", .string("\(error)"))])))
        }
        try send(.object(reply))
    }

    /// The program to run: a path relative to the plugin's folder, or a name looked up on PATH.
    static func resolve(_ program: String, folder: String, path: String, manifest: PluginManifest) throws -> String {
        let candidates = program.contains("/")
            ? [program.hasPrefix("/") ? program : "\(folder)/\(program)"]
            : path.split(separator: ":").map { "\($0)/\(program)" }
        if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) { return found }
        throw PluginError(
            "plugin '\(manifest.name)' cannot start: \(program) is not an executable file" + (program.contains("/") ? "" : " on PATH"),
            hint: "check command in \(manifest.file)")
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : String(format: "%.1f s", value)
    }
}
