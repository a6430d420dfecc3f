import Foundation
import Testing

/// How wide answers are where they land: in a pipe or a file every value is whole, whatever
/// `COLUMNS` says; on a terminal (tmux) every line fits the width, read again for each answer,
/// with `COLUMNS` first.
@Suite(.serialized) struct WidthTests {
    static let now = "2026-11-20T12:00:00Z"
    let handoff = HandoffBinary()

    init() throws {
        try handoff.run(["--now", Self.now, "-c", "demo"])
    }

    /// A prompt in a terminal of `width` columns.
    func terminal(width: Int, environment extra: [String: String] = [:]) throws -> Tmux {
        var environment = handoff.environment.filter { ["HOME", "HANDOFF_DB", "HANDOFF_USER", "NO_COLOR", "PATH"].contains($0.key) }
        environment["TERM"] = "xterm-256color"
        environment["LANG"] = "C.UTF-8"
        environment["HANDOFF_NOW"] = Self.now
        environment.merge(extra) { $1 }
        let tmux = try Tmux(command: [HandoffBinary.path], environment: environment, width: width, height: 150)
        try tmux.waitForPrompt()
        return tmux
    }

    /// Types each line at the prompt and waits for its answer.
    func ask(_ tmux: Tmux, _ lines: String...) throws {
        for line in lines {
            try tmux.type(line)
            try tmux.press("Enter")
            try tmux.waitForPrompt()
        }
    }

    /// Everything the pane showed, scrolled-off lines included, with lines the terminal wrapped
    /// joined again: a line longer than the terminal shows up as one.
    func transcript(_ tmux: Tmux) throws -> [String] {
        try tmux.run(["capture-pane", "-t", tmux.session, "-p", "-J", "-S", "-"])
            .split(separator: "\n", omittingEmptySubsequences: false)
            .map { String($0).replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }
    }

    @Test func inAPipeNothingIsCutWhateverColumnsSays() throws {
        defer { handoff.remove() }
        let file = "\(HandoffBinary.repositoryRoot)/Tests/Journeys/data/hubspot-dupes.csv"
        let result = try handoff.run(
            ["--now", Self.now, "-c", "leads", "-c", "objections this month by industry", "-c", "import leads \(file) --dry-run"],
            extraEnvironment: ["COLUMNS": "40"])
        #expect(!result.stdout.contains("…"), "nothing is shortened")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        // A lead's row is one line, with every cell whole.
        #expect(lines.contains { $0.contains("George Costanza") && $0.contains("Assistant to the Traveling Secretary") && $0.contains("2026-10-23") })
        #expect(lines.contains { $0.hasPrefix("  industry") && $0.contains("Price / budget") && $0.contains("Authority / decision process") })
        #expect(lines.contains { $0.hasPrefix("  financial services ") })
        #expect(lines.contains { $0.hasPrefix("  Authority / decision process █") }, "a chart's label is whole")
        #expect(lines.contains { $0.hasSuffix("so the file cannot move it to inquiry") }, "an import's problem is whole")
    }

    @Test func onATerminalEveryLineFitsAndNumbersStayWhole() throws {
        defer { handoff.remove() }
        let tmux = try terminal(width: 80)
        try ask(tmux, "funnel", "leads", "objections this month")
        let lines = try transcript(tmux)
        #expect(lines.allSatisfy { $0.count <= 80 }, "\(lines.filter { $0.count > 80 })")
        #expect(lines.contains { $0.hasPrefix("  INQUIRY ") && $0.contains(" 40 ") && $0.contains("72.5%") && $0.hasSuffix("13.7 days") })
        #expect(lines.contains { $0.hasPrefix("  INQUIRY     █") && $0.hasSuffix("█ 40") }, "the funnel's chart fills the line: \(lines)")
        #expect(lines.contains { $0.hasPrefix("  Albert Wesker") && $0.hasSuffix("118.1") }, "a score is never cut")
        #expect(lines.contains("Not shown at 80 columns: created; a wider terminal or a pipe shows them."))
        // Prose breaks between words.
        #expect(lines.contains("3 won, 3 lost. 3 moves to lost, 9 moves to disqualified, 2 moves to nurture,"))
        #expect(!lines.joined().contains("…"))
    }

    @Test func theWidthIsReadForEachAnswer() throws {
        defer { handoff.remove() }
        let tmux = try terminal(width: 100)
        try ask(tmux, "funnel")
        let wide = try transcript(tmux)
        #expect(wide.contains { $0.contains("median time in stage") }, "at 100 columns the funnel's header is one line")
        try tmux.run(["resize-window", "-t", tmux.session, "-x", "60"])
        try ask(tmux, "funnel")
        let lines = try transcript(tmux)
        let second = lines[(lines.lastIndex { $0.hasSuffix("> funnel") } ?? 0)...]
        #expect(second.allSatisfy { $0.count <= 60 }, "\(second.filter { $0.count > 60 })")
        #expect(!second.contains { $0.contains("median time in stage") }, "the header wraps to the narrower window")
    }

    @Test func columnsOverridesTheTerminal() throws {
        defer { handoff.remove() }
        let tmux = try terminal(width: 120, environment: ["COLUMNS": "50"])
        try ask(tmux, "leads")
        let lines = try transcript(tmux)
        #expect(lines.contains { $0.hasPrefix("  Albert ") && $0.hasSuffix("118.1") })
        #expect(lines.allSatisfy { $0.count <= 50 }, "\(lines.filter { $0.count > 50 })")
        #expect(lines.contains { $0.hasPrefix("Not shown at 50 columns:") })
    }
}
