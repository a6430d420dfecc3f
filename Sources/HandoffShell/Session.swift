import Foundation
import HandoffCore
import HandoffPluginAPI

/// Runs command lines one after another against one context, writing each answer as it comes,
/// and keeps count of what failed so a script's exit status can tell.
public final class Session {
    public let parser: CommandParser
    public var context: Context
    public let renderer: Renderer
    public private(set) var failures = 0
    /// Cleared after each command, so the answer starts on a clean line.
    public var progressBar: ProgressBar?

    public init(parser: CommandParser, context: Context, renderer: Renderer) {
        self.parser = parser
        self.context = context
        self.renderer = renderer
    }

    /// Runs one line. Blank lines and `#` comments do nothing. Returns false when it failed.
    @discardableResult
    public func run(_ rawLine: String) -> Bool {
        let line = rawLine.trimmingCharacters(in: .whitespaces)
        if line.isEmpty || line.hasPrefix("#") { return true }
        var command: Command?
        var request: Request?
        defer { progressBar?.finish() }
        do {
            let (parsed, parsedRequest) = try parser.parse(line)
            command = parsed
            request = parsedRequest
            let reply = try parsed.run(parsedRequest, context)
            Terminal.write(renderer.render(reply, command: parsed.name, request: parsedRequest))
            if reply.failure != nil { failures += 1 }
            return reply.failure == nil
        } catch {
            Terminal.write(renderer.render(error, command: command?.name, request: request))
            failures += 1
            return false
        }
    }
}
