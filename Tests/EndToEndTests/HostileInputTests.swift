import Foundation
import Testing

/// Input and output that fail or never end: each gets one clear line and an exit status, in
/// bounded time and memory, and never a crash.
@Suite struct HostileInputTests {
    @Test func aScriptThatCannotBeOpenedIsOneLineAndStatus66() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        let folder = try handoff.run(["-f", handoff.home])
        #expect(folder.status == 66)
        #expect(folder.stderr == "error: cannot read \(handoff.home): it is a folder\n")
        let missing = try handoff.run(["-f", "/nonexistent/weekly.txt"])
        #expect(missing.status == 66)
        #expect(missing.stderr == "error: cannot read /nonexistent/weekly.txt: No such file or directory\n")
        #expect(!FileManager.default.fileExists(atPath: handoff.database), "nothing is created for a script that cannot be read")
    }

    @Test func standardInputThatCannotBeReadIsOneLineAndStatus66Or74() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        let folder = try handoff.run([], redirecting: "< \(handoff.home)")
        #expect(folder.status == 66)
        #expect(folder.stderr == "error: cannot read standard input: it is a folder\n")
        // Standard input open for writing only.
        let writeOnly = try handoff.run([], redirecting: "0> \(handoff.home)/x")
        #expect(writeOnly.status == 74)
        #expect(writeOnly.stderr == "error: cannot read standard input: Bad file descriptor\n")
    }

    @Test func aLongLineIsRefusedQuotingItsStartAndTheScriptGoesOn() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        let long = "leads " + String(repeating: "at acme ", count: 40_000)
        let script = handoff.write("long.txt", "\(long)\nplugins\n")
        let result = try handoff.run(["-f", script])
        #expect(result.status == 1)
        let quoted = "\"" + String(long.prefix(80)) + "\"…"
        #expect(result.stderr == "\(script):1: error: the line is longer than 16384 bytes (it starts \(quoted))\nhint: for data, use `import`\n")
        #expect(result.stdout.contains("built-in"), "the next line still runs")
    }

    @Test func aLineThatRunsOnPastAMebibyteEndsTheScriptWithStatus65() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        // Refusing 32 MB took 42 s when every chunk read searched the whole line again.
        let script = handoff.write("endless.txt", String(repeating: "y", count: 32 << 20) + "\nplugins\n")
        let started = Date()
        let result = try handoff.run(["-f", script], redirecting: "", timeout: 20)
        #expect(Date().timeIntervalSince(started) < 20)
        #expect(result.status == 65)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 3, "\(result.stderr.prefix(500))")
        #expect(lines.first?.hasPrefix("\(script):1: error: the line is longer than 16384 bytes (it starts \"yyyy") == true)
        #expect(lines.last == "error: line 1 of \(script) runs on past 1048576 bytes without ending; the rest is not read")
        #expect(!result.stdout.contains("built-in"), "nothing after the endless line runs")
    }

    @Test func devZeroEndsWithAnErrorFromAFileOrFromStandardInput() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        let fromFile = try handoff.run(["-f", "/dev/zero"], redirecting: "", timeout: 20)
        #expect(fromFile.status == 65)
        #expect(fromFile.stderr.hasPrefix(#"/dev/zero:1: error: the line is longer than 16384 bytes (it starts "\0\0\0"#))
        #expect(fromFile.stderr.hasSuffix("error: line 1 of /dev/zero runs on past 1048576 bytes without ending; the rest is not read\n"))
        let fromInput = try handoff.run([], redirecting: "< /dev/zero", timeout: 20)
        #expect(fromInput.status == 65)
        #expect(fromInput.stderr.hasSuffix("error: line 1 of standard input runs on past 1048576 bytes without ending; the rest is not read\n"))
    }

    @Test func importingDevZeroEndsWithAnError() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        let result = try handoff.run(["-c", "import leads /dev/zero"], redirecting: "", timeout: 60)
        #expect(result.status == 1)
        #expect(result.stderr == """
            error: /dev/zero:1: the header is unreadable: the record does not end within 16777216 bytes; the rest of the file is not read

            """)
    }

    @Test func aFailedWriteToStandardOutputIsStatus74() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        let command = try handoff.run(["-c", "plugins"], redirecting: "> /dev/full")
        #expect(command.status == 74)
        #expect(command.stderr == "error: cannot write to standard output: No space left on device\n")
        let script = handoff.write("weekly.txt", "plugins\nhelp\n")
        let scripted = try handoff.run(["-f", script], redirecting: "> /dev/full")
        #expect(scripted.status == 74)
        #expect(scripted.stderr == "error: cannot write to standard output: No space left on device\n", "said once, and the script stops")
    }

    @Test func processesOpeningOneNewDatabaseAtOnceAllSucceed() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        for round in 0..<5 {
            let database = "\(handoff.home)/new-\(round).sqlite"
            let processes = try (0..<8).map { _ in
                let process = try handoff.process(["--db", database, "-c", "leads"])
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                return process
            }
            for process in processes { try process.run() }
            for process in processes { process.waitUntilExit() }
            #expect(processes.map(\.terminationStatus) == Array(repeating: 0, count: 8), "round \(round)")
            let check = try handoff.run(["--db", database, "--format", "json", "-c", "leads"])
            #expect(check.status == 0)
        }
    }
    @Test func aDefinitionWhoseAliasesStandForGigabytesIsRefusedByDefinitionCheck() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        // About a megabyte of text standing for 1.3 GB: 64 KiB named once, then twenty thousand aliases to it.
        let list = "[&v " + String(repeating: "x", count: 65_536) + ", " + Array(repeating: "*v", count: 20_000).joined(separator: ", ") + "]"
        let bomb = handoff.write("bomb.yaml", """
            name: Bomb
            version: "1"
            fit:
              - id: senior
                field: lead.seniority
                in: \(list)
                points: 20
            thresholds:
              mql: 20

            """)
        let started = Date()
        let check = try handoff.run(["-c", "definition check \(bomb)"], redirecting: "", timeout: 30)
        #expect(Date().timeIntervalSince(started) < 30)
        #expect(check.status == 1)
        #expect(check.stderr.hasPrefix("error: \(bomb):6:"), "\(check.stderr.prefix(300))")
        #expect(check.stderr.hasSuffix(": the aliases (*v and others) stand for more than 1048576 bytes\nhint: write the values out; a file whose aliases expand this far is refused\n"))
    }
}
