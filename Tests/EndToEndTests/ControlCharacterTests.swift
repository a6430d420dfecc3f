import Foundation
import Testing

/// Text that came from data is shown with its control characters made visible: a lead named with
/// an escape sequence cannot clear the reader's screen or retitle their terminal.
@Suite struct ControlCharacterTests {
    static let evil = "Evil \u{1B}[2J\u{1B}]0;pwned\u{07}"
    static let shown = "Evil ␛[2J␛]0;pwned␇"

    @Test func aLeadNamedWithEscapeSequencesIsShownNotObeyedInEveryTextFormat() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        let csv = handoff.write("leads.csv", "external_id,name,email,created_at\n1,\(Self.evil),evil@acme.com,2026-10-01\n")
        let imported = try handoff.run(["-c", "import leads \(csv)"])
        #expect(imported.status == 0, "\(imported.stderr)")
        for format in ["text", "markdown", "csv"] {
            for command in ["lead evil@acme.com", "leads"] {
                let result = try handoff.run(["--format", format, "-c", command])
                // (Markdown escapes its punctuation, `\[`, which a reader of it sees as `[`.)
                let everything = (result.stdout + result.stderr).replacingOccurrences(of: "\\", with: "")
                #expect(!everything.contains("\u{1B}") && !everything.contains("\u{07}"), "\(format) \(command): \(everything.debugDescription)")
                #expect(everything.contains(Self.shown), "\(format) \(command): \(everything)")
            }
        }
        // JSON escapes the characters itself, and keeps the name as it was imported.
        let json = try handoff.run(["--format", "json", "-c", "lead evil@acme.com"])
        #expect(json.stdout.contains(#"Evil \u001b[2J\u001b]0;pwned\u0007"#), "\(json.stdout)")
    }

    @Test func aRightToLeftOverrideInAnImportedEmailIsShownNotObeyed() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        let csv = handoff.write("leads.csv", "external_id,name,email,created_at\n1,Mallory \u{202E}fdp.exe,mallory@\u{202E}moc.emca,2026-10-01\n")
        let imported = try handoff.run(["-c", "import leads \(csv)"])
        #expect(imported.status == 0, "\(imported.stderr)")
        // (CSV output holds a reply's last table: for `lead` that is its history, so `leads` here.)
        for (format, command) in [("text", "lead mallory"), ("markdown", "lead mallory"), ("text", "leads"), ("csv", "leads")] {
            let result = try handoff.run(["--format", format, "-c", command])
            let shown = result.stdout.replacingOccurrences(of: "\\", with: "")
            #expect(!result.stdout.unicodeScalars.contains { $0.value == 0x202E }, "\(format): \(result.stdout)")
            #expect(shown.contains("Mallory <U+202E>fdp.exe"), "\(format): \(result.stdout)")
            if command.hasPrefix("lead ") {
                #expect(shown.contains("mallory@<U+202E>moc.emca"), "\(format): \(result.stdout)")
            }
        }
    }
}
