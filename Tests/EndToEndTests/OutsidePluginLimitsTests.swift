import Foundation
import Testing

/// What an outside plugin is given and how it ends: the environment it sees, a crash that leaves
/// a child behind, a log it floods, and Handoff ended by a signal while a plugin works.
extension OutsidePluginTests {
    var misbehaving: [String: String] { ["HANDOFF_PLUGIN_PATH": "\(handoff.home)/misbehaving"] }

    @Test func aPluginSeesOnlyTheAllowedEnvironmentNotPasswordsKeysOrHandoffsSettings() throws {
        defer { handoff.remove() }
        // The interpreter itself, not a launcher such as a pyenv shim, which adds variables of its own.
        let python = try Spawn.run("/usr/bin/env", ["python3", "-c", "import sys; print(sys.executable)"]).output
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try writeMisbehaving(["environment"], python: python)
        let secret = UUID().uuidString
        let extra = misbehaving.merging(["PGPASSWORD": "pw-\(secret)", "SECRET": secret, "OPENAI_API_KEY": "sk-\(secret)"]) { $1 }
        let result = try run(["environment pepper potts"], format: "json", extra: extra)
        #expect(result.status == 0, "\(result.stderr)")
        let seen = try #require((result.json.first?["result"] as? [String: Any])?["environment"] as? [String: String])

        #expect(!result.stdout.contains(secret))
        #expect(seen["PGPASSWORD"] == nil && seen["SECRET"] == nil && seen["OPENAI_API_KEY"] == nil)
        #expect(!seen.keys.contains { $0.hasPrefix("HANDOFF_") }, "\(seen.keys.sorted())")
        #expect(seen["HOME"] == handoff.home)
        #expect(seen["PATH"] == handoff.environment["PATH"])
        #expect(seen["PWD"] == "\(handoff.home)/misbehaving/environment", "the server starts in its plugin's folder")
        let documented: Set = [
            "PATH", "HOME", "USER", "LOGNAME", "TZ", "TMPDIR", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "LC_COLLATE", "LC_MESSAGES",
            "LC_MONETARY", "LC_NUMERIC", "LC_TIME", "LC_ADDRESS", "LC_IDENTIFICATION", "LC_MEASUREMENT", "LC_NAME", "LC_PAPER",
            "LC_TELEPHONE", "PWD",
        ]
        #expect(Set(seen.keys).subtracting(documented).isEmpty, "more than docs/plugins.md lists: \(seen.keys.sorted())")
    }

    @Test func aPluginThatCrashesWhileItsChildHoldsItsOutputIsReportedAsACrashAtOnce() throws {
        defer { handoff.remove() }
        // A timeout long enough that waiting for it would show.
        try writeMisbehaving(["crash-leaving-child", "good"], timeout: 60)
        let started = Date()
        let result = try run(["crash-leaving-child pepper potts", "good elmer fudd"], extra: misbehaving)
        let took = Date().timeIntervalSince(started)

        #expect(result.stderr.contains("error: plugin 'crash-leaving-child' stopped during tools/call: it was killed by signal 9"), "\(result.stderr)")
        #expect(took < 30, "reported when it died, not at its timeout")
        #expect(result.stdout.contains("good looked at Elmer Fudd"))
        let pids = try recordedPids("crash-leaving-child")
        #expect(pids.count == 2)
        #expect(try waitUntilEnded(pids), "the crashed plugin's child was ended with it")
    }

    @Test func aChattyPluginsLogKeepsOneMiBPerRunAndSaysTheRestWasDropped() throws {
        defer { handoff.remove() }
        try writeMisbehaving(["chatty"])
        let log = "\(logFolder)/chatty.log"
        let note = "[handoff] this plugin wrote more than 1 MiB to stderr since it started; the rest is dropped until it is next started"
        // Two calls of 3 MiB each to stderr, in one run of the plugin.
        let result = try run(["chatty pepper potts", "chatty elmer fudd"], extra: misbehaving)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("chatty looked at Pepper Potts") && result.stdout.contains("chatty looked at Elmer Fudd"))
        let text = try String(contentsOfFile: log, encoding: .utf8)
        #expect(text.hasPrefix("misbehave chatty: started\nchatter chatter"))
        #expect(text.utf8.count == (1 << 20) + note.utf8.count + 2)
        #expect(text.components(separatedBy: note).count == 2, "said once")
        #expect(text.hasSuffix(note + "\n"))

        // The next session moves the full log aside, as before, and keeps its own 1 MiB.
        let again = try run(["chatty pepper potts"], extra: misbehaving)
        #expect(again.status == 0)
        #expect(try String(contentsOfFile: log + ".1", encoding: .utf8) == text)
        #expect(try String(contentsOfFile: log, encoding: .utf8).utf8.count == (1 << 20) + note.utf8.count + 2)
    }

    @Test(arguments: [SIGTERM, SIGHUP, SIGINT])
    func aSignalThatEndsHandoffEndsItsWorkingPluginAndThePluginsChild(signal: Int32) throws {
        defer { handoff.remove() }
        try writeMisbehaving(["slow"], timeout: 120)
        let script = handoff.write("slow.txt", "qualify pepper potts\nslow pepper potts\nqualify elmer fudd\n")
        let environment = handoff.environment.merging(misbehaving) { $1 }
        let pid = try Spawn.start(HandoffBinary.path, ["--now", Self.now, "-f", script], environment: environment)
        var waited = false
        defer { if !waited { kill(pid, SIGKILL); _ = Spawn.wait(pid) } }
        let pids = try recordedPids("slow")
        #expect(pids.count == 2)
        #expect(pids.allSatisfy(Self.isRunning), "the plugin and its child run while the call waits")

        kill(pid, signal)
        let status = Spawn.wait(pid)
        waited = true
        #expect(status & 0x7F == signal, "Handoff ended by the signal (shell status \(128 + signal)), raw status \(status)")
        #expect(try waitUntilEnded(pids), "no plugin outlives Handoff")
    }

    @Test func inTheShellCtrlCStillClearsTheLineOnceAPluginRunsAndSIGTERMEndsThePluginWithHandoff() throws {
        defer { handoff.remove() }
        // A plugin that would outlive Handoff on its own: it does not end when its input does.
        try writeMisbehaving(["stubborn"])
        let tmux = try Tmux(command: [HandoffBinary.path], environment: shellEnvironment(misbehaving))
        try tmux.waitFor("handoff> ")
        try tmux.type("stubborn pepper potts")
        try tmux.press("Enter")
        try tmux.waitFor("stubborn looked at Pepper Potts")
        try tmux.waitForPrompt()
        let handoffPid = try #require(pid_t(try tmux.run(["display-message", "-t", tmux.session, "-p", "#{pane_pid}"])
            .trimmingCharacters(in: .whitespacesAndNewlines)))
        let plugins = try recordedPids("stubborn")
        #expect(plugins.count == 1)
        #expect(plugins.allSatisfy(Self.isRunning), "the plugin's server is kept for the session")
        #expect(Self.isRunning(handoffPid))

        try tmux.type("this line is abandoned")
        // Shown means read by the line editor: the terminal would drop unread input at Ctrl-C.
        try tmux.waitFor("this line is abandoned")
        try tmux.press("C-c")
        try tmux.waitFor("abandoned^C")
        try tmux.waitUntil(what: "an empty prompt") { _ in (try? tmux.currentLine()) == "handoff [Pepper Potts]>" }
        #expect(try !tmux.exited(), "Ctrl-C at the prompt never ends the session")
        #expect(plugins.allSatisfy(Self.isRunning))

        kill(handoffPid, SIGTERM)
        try tmux.waitUntil(what: "the shell to end") { _ in (try? tmux.exited()) == true }
        #expect(try waitUntilEnded(plugins), "no plugin outlives Handoff")
    }

    /// The pids a `crash-leaving-child`, `slow` or `stubborn` plugin wrote: its own, then its child's.
    func recordedPids(_ mode: String) throws -> [pid_t] {
        let file = "\(handoff.home)/\(mode).pids"
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: file) && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        return try String(contentsOfFile: file, encoding: .utf8).split(whereSeparator: \.isWhitespace).compactMap { pid_t($0) }
    }

    /// Whether every one of `pids` has ended within a few seconds (killing is not instant).
    func waitUntilEnded(_ pids: [pid_t]) throws -> Bool {
        let deadline = Date().addingTimeInterval(10)
        while pids.contains(where: Self.isRunning) && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        return !pids.contains(where: Self.isRunning)
    }

    /// Whether a process runs; one that has ended but was not reaped yet (a zombie) has not.
    static func isRunning(_ pid: pid_t) -> Bool {
        // "123 (sleep) S …": the state follows the command name, which may hold spaces.
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let name = stat.range(of: ") ", options: .backwards) else { return false }
        return !["Z", "X"].contains(stat[name.upperBound...].prefix(1))
    }
}
