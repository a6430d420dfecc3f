import Foundation
import Testing

/// A real terminal: the binary runs in a tmux pane; keys are typed with send-keys and the screen is
/// read with capture-pane, as a person would see it.
final class Tmux {
    let socket = "handoff-test-\(UUID().uuidString.prefix(8))"
    let session = "h"

    init(command: [String], environment: [String: String], width: Int = 120, height: Int = 40) throws {
        let assignments = environment.map { "\($0.key)=\(Self.quote($0.value))" }.joined(separator: " ")
        let shellCommand = "env -i \(assignments) \(command.map(Self.quote).joined(separator: " "))"
        try run(["new-session", "-d", "-s", session, "-x", "\(width)", "-y", "\(height)", shellCommand], capture: false)
        // Keep the pane when the program exits, so a test can see that it did.
        try run(["set-option", "-t", session, "remain-on-exit", "on"])
    }

    deinit { _ = try? run(["kill-server"], capture: false) }

    static func quote(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    /// Runs a tmux command and returns what it printed.
    @discardableResult
    func run(_ arguments: [String], capture: Bool = true) throws -> String {
        try Spawn.run("/usr/bin/tmux", ["-L", socket] + arguments, capture: capture).output
    }

    /// Types text literally.
    func type(_ text: String) throws { try run(["send-keys", "-t", session, "-l", text]) }

    /// Presses keys by name: Enter, Up, Tab, C-c, C-d, C-r, C-u.
    func press(_ keys: String...) throws { try run(["send-keys", "-t", session] + keys) }

    func screen() throws -> String { try run(["capture-pane", "-t", session, "-p", "-J"]) }

    /// Whether the program in the pane has exited.
    func exited() throws -> Bool { try run(["display-message", "-t", session, "-p", "#{pane_dead}"]).hasPrefix("1") }

    /// Waits until the screen shows `text` (or `condition` holds), for at most `seconds`.
    @discardableResult
    func waitFor(_ text: String, seconds: Double = 20) throws -> String {
        try waitUntil(seconds: seconds, what: "'\(text)'") { $0.contains(text) }
    }

    @discardableResult
    func waitUntil(seconds: Double = 20, what: String, _ condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if condition(last) { return last }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw ScreenTimeout(what: what, screen: last)
    }

    /// Waits until the cursor sits on an empty prompt: the shell is ready for keys.
    func waitForPrompt(seconds: Double = 20) throws {
        try waitUntil(seconds: seconds, what: "an empty prompt") { _ in
            let line = (try? self.currentLine()) ?? ""
            return line.hasPrefix("handoff") && line.hasSuffix(">")
        }
    }

    /// The line the cursor is on, without trailing spaces.
    func currentLine() throws -> String {
        let y = Int(try run(["display-message", "-t", session, "-p", "#{cursor_y}"]).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        let lines = try run(["capture-pane", "-t", session, "-p"]).split(separator: "\n", omittingEmptySubsequences: false)
        return y < lines.count ? String(lines[y]).replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) : ""
    }
}

struct ScreenTimeout: Error, CustomStringConvertible {
    let what: String
    let screen: String
    var description: String { "the screen never showed \(what); it shows:\n\(screen)" }
}
