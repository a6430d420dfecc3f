import Foundation
import Testing

/// The interactive shell in a real terminal (tmux), driven by keystrokes.
@Suite(.serialized) struct ShellTerminalTests {
    let handoff = HandoffBinary()

    init() throws {
        try handoff.run(["--now", "2026-11-18T15:30:00Z", "-c", "demo"])
    }

    func start(_ extra: [String: String] = [:]) throws -> Tmux {
        var environment = handoff.environment.filter { ["HOME", "HANDOFF_DB", "HANDOFF_USER", "NO_COLOR", "PATH", "LANG", "LC_ALL"].contains($0.key) }
        environment["TERM"] = "xterm-256color"
        environment["HANDOFF_NOW"] = "2026-11-18T15:30:00Z"
        environment["LANG"] = "C.UTF-8"
        environment.merge(extra) { $1 }
        // Tall enough for a whole lead, wrapped to the width, with its heading still on screen.
        let tmux = try Tmux(command: [HandoffBinary.path], environment: environment, height: 60)
        try tmux.waitFor("handoff> ")
        return tmux
    }

    var historyPath: String { "\(handoff.home)/.local/state/handoff/history" }

    @Test func typingACommandAnswersItAndThePromptNamesTheLeadInContext() throws {
        defer { handoff.remove() }
        let tmux = try start()
        try tmux.type("leads at acme")
        try tmux.press("Enter")
        let screen = try tmux.waitFor("handoff [Acme Corp]> ")
        #expect(screen.contains("Leads at Acme Corp: 4"))
        #expect(screen.contains("Wile Coyote"))
        #expect(!screen.contains("\u{1B}["), "NO_COLOR: no escape codes")
    }

    /// Unsure of a theme, the shell asks; a number files it, and `objections review` goes on to the
    /// next unsure one after each answer.
    @Test func anUnsureObjectionIsFiledByANumberAndTheReviewGoesOn() throws {
        defer { handoff.remove() }
        let tmux = try start()
        try tmux.type("log objection acme \"our team is small\"")
        try tmux.press("Enter")
        var screen = try tmux.waitFor("Type a number to file it: 1 Need / fit")
        try tmux.waitForPrompt()
        try tmux.type("1")
        try tmux.press("Enter")
        screen = try tmux.waitFor("now confirmed by")
        #expect(screen.contains("stays under Need / fit"))
        try tmux.waitForPrompt()
        for text in ["they said maybe", "the weather was lovely"] {
            try tmux.type("log objection globex \"\(text)\"")
            try tmux.press("Enter")
            try tmux.waitFor("“\(text)”")
            try tmux.waitForPrompt()
        }
        try tmux.type("objections review")
        try tmux.press("Enter")
        screen = try tmux.waitFor("2 objections filed unsure")
        #expect(screen.contains("“the weather was lovely” (") && screen.contains("8 Contract / terms, 9 other"))
        try tmux.waitForPrompt()
        try tmux.type("7")
        try tmux.press("Enter")
        screen = try tmux.waitFor("1 objection filed unsure")
        #expect(screen.contains("is now filed under Integration / technical, not other"))
        #expect(screen.contains("“they said maybe” ("))
    }

    /// A line that fits two commands about equally is asked about; the number runs the one meant.
    @Test func aLineThatFitsTwoCommandsIsAskedAboutAndANumberRunsTheOneMeant() throws {
        defer { handoff.remove() }
        let tmux = try start()
        try tmux.type("what's holding nora green back")
        try tmux.press("Enter")
        var screen = try tmux.waitFor("Type the number, or say it again in other words.")
        #expect(screen.contains("Did you mean `qualify` or `objections`?"))
        #expect(screen.contains("  1) `qualify Nora Green`: "))
        #expect(screen.contains("  2) `objections Nora Green`: "))
        try tmux.waitForPrompt()
        try tmux.type("1")
        try tmux.press("Enter")
        // What only `qualify` says, and nothing `objections` would.
        screen = try tmux.waitFor("Nora Green (Soylent Foods) is nurture: ")
        #expect(!screen.contains("Objections from Nora Green"), "\(screen)")
    }

    @Test func arrowUpRecallsAndCtrlRSearchesTheHistory() throws {
        defer { handoff.remove() }
        let tmux = try start()
        for line in ["lead wile coyote", "leads from webinar", "plugins"] {
            try tmux.type(line)
            try tmux.press("Enter")
            try tmux.waitForPrompt()
        }
        try tmux.press("Up")
        try tmux.waitUntil(what: "plugins recalled") { _ in (try? tmux.currentLine().hasSuffix("> plugins")) == true }
        try tmux.press("Up")
        try tmux.waitUntil(what: "webinar recalled") { _ in (try? tmux.currentLine().hasSuffix("> leads from webinar")) == true }
        try tmux.press("C-u")
        try tmux.press("C-l")
        try tmux.waitUntil(what: "a cleared screen") { !$0.contains("Leads from webinar") }
        try tmux.press("C-r")
        try tmux.type("coyo")
        try tmux.press("Enter")
        let screen = try tmux.waitFor("Stage history")
        #expect(screen.contains("Wile Coyote, VP Engineering at Acme Corp"))
    }

    @Test func tabCompletesCommandsAndNames() throws {
        defer { handoff.remove() }
        let tmux = try start()
        try tmux.type("plug")
        try tmux.press("Tab")
        try tmux.waitUntil(what: "'plugins' completed") { _ in (try? tmux.currentLine().hasSuffix("> plugins")) == true }
        try tmux.press("C-u")
        try tmux.type("lead glo")
        try tmux.press("Tab")
        try tmux.waitUntil(what: "'Globex' completed") { _ in (try? tmux.currentLine().hasSuffix("> lead Globex")) == true }
        try tmux.press("Enter")
        try tmux.waitFor("domain     globex.com")
        try tmux.waitForPrompt()
        // The second word of a name completes the whole name, not just that word.
        try tmux.type("qualify wile coy")
        try tmux.press("Tab")
        try tmux.waitUntil(what: "'Wile Coyote' completed") { _ in (try? tmux.currentLine().hasSuffix("> qualify Wile Coyote")) == true }
        try tmux.press("C-u")
        try tmux.type("import ")
        try tmux.press("Tab")
        let listing = try tmux.waitFor("--strict")
        #expect(listing.contains("leads") && listing.contains("events"), "the choices are listed under the line")
        try tmux.type("ev")
        try tmux.press("Tab")
        try tmux.waitUntil(what: "'events' completed") { _ in (try? tmux.currentLine().hasSuffix("> import events")) == true }
    }

    @Test func ctrlCClearsTheLineAndCtrlDLeaves() throws {
        defer { handoff.remove() }
        let tmux = try start()
        try tmux.type("this line is abandoned")
        try tmux.press("C-c")
        try tmux.waitFor("^C")
        try tmux.waitUntil(what: "an empty prompt") { _ in (try? tmux.currentLine()) == "handoff>" }
        #expect(try !tmux.exited(), "Ctrl-C never ends the session")
        try tmux.type("plugins")
        try tmux.press("Enter")
        try tmux.waitFor("built-in")
        try tmux.waitForPrompt()
        try tmux.press("C-d")
        try tmux.waitUntil(what: "the shell to exit") { _ in (try? tmux.exited()) == true }
        let history = try String(contentsOfFile: historyPath, encoding: .utf8)
        #expect(!history.contains("abandoned"), "a cancelled line is not kept")
    }

    @Test func ctrlCCancelsALongImportAndTheSessionGoesOn() throws {
        defer { handoff.remove() }
        var csv = "external_id,name,email\n"
        for n in 0..<400_000 { csv += "C\(n),Lead \(n),lead\(n)@example\(n % 97).com\n" }
        let file = handoff.write("long.csv", csv)
        let tmux = try start()
        try tmux.type("import leads \(file)")
        try tmux.press("Enter")
        // Wait until at least one batch has landed, then interrupt.
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, (Int((try? handoff.sqlite("SELECT count(*) FROM leads WHERE external_id LIKE 'C%'")) ?? "") ?? 0) == 0 {
            Thread.sleep(forTimeInterval: 0.05)
        }
        try tmux.press("C-c")
        let screen = try tmux.waitFor("cancelled", seconds: 60)
        #expect(screen.contains("Leads interrupted"))
        #expect(try !tmux.exited())
        let landed = Int(try handoff.sqlite("SELECT count(*) FROM leads WHERE external_id LIKE 'C%'")) ?? 0
        #expect(landed > 0 && landed < 400_000)
        try tmux.type("plugins")
        try tmux.press("Enter")
        try tmux.waitFor("built-in")
        #expect(try handoff.sqlite("PRAGMA integrity_check") == "ok")
    }

    @Test func historyPersistsPrivatelyAcrossSessionsInLibeditsFormat() throws {
        defer { handoff.remove() }
        do {
            let tmux = try start()
            try tmux.type("leads at acme")
            try tmux.press("Enter")
            try tmux.waitFor("Leads at Acme Corp")
            try tmux.type("exit")
            try tmux.press("Enter")
            try tmux.waitUntil(what: "exit") { _ in (try? tmux.exited()) == true }
        }
        let history = try String(contentsOfFile: historyPath, encoding: .utf8)
        #expect(history == "_HiStOrY_V2_\nleads\\040at\\040acme\n")
        let mode = try FileManager.default.attributesOfItem(atPath: historyPath)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        let tmux = try start()
        try tmux.press("Up")
        try tmux.waitUntil(what: "the line from the last session") { _ in (try? tmux.currentLine().hasSuffix("> leads at acme")) == true }
    }

    @Test func nonASCIITextSurvivesTheLineEditor() throws {
        defer { handoff.remove() }
        let csv = handoff.write("m.csv", "external_id,name,email\nM1,Jürgen Müller,jm@example.de\n")
        try handoff.run(["-c", "import leads \(csv)"])
        let tmux = try start()
        try tmux.type("who is Müller")
        try tmux.press("Enter")
        let screen = try tmux.waitFor("jm@example.de")
        #expect(screen.contains("Jürgen Müller"))
    }

    @Test func colourOnlyOnATerminalAndNeverWithNoColor() throws {
        defer { handoff.remove() }
        var environment = handoff.environment
        environment["NO_COLOR"] = nil
        let tmux = try Tmux(command: [HandoffBinary.path], environment: environment.merging(["TERM": "xterm-256color", "LANG": "C.UTF-8"]) { $1 })
        try tmux.waitFor("handoff> ")
        try tmux.type("help")
        try tmux.press("Enter")
        // The end of the answer: on a terminal its summaries wrap whole, so the top may have scrolled away.
        try tmux.waitFor("help COMMAND shows")
        let coloured = try tmux.run(["capture-pane", "-t", tmux.session, "-p", "-e"])
        #expect(coloured.contains("\u{1B}[1m"), "headings are bold on a terminal")
        let piped = try handoff.run(["-c", "help"], extraEnvironment: ["NO_COLOR": ""])
        #expect(!piped.stdout.contains("\u{1B}["), "never colour into a pipe")
    }
}
