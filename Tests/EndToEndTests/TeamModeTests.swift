import Foundation
import Testing

/// A database of its own on the test server `scripts/test` starts, dropped when done; asked
/// through `psql`, as a team's administrator would check it.
struct TeamDatabase: Sendable {
    let name: String
    let url: String
    private let admin: String

    /// A new database: empty, or a copy of the database `template` (no session may be connected to it).
    init(template: String? = nil) throws {
        guard let admin = ProcessInfo.processInfo.environment["HANDOFF_TEST_POSTGRES"], !admin.isEmpty else {
            throw TestServerMissing()
        }
        self.admin = admin
        name = "handoff_e2e_\(UUID().uuidString.prefix(8).lowercased())"
        var components = URLComponents(string: admin)!
        components.path = "/\(name)"
        url = components.string!
        _ = try Self.psql(admin, "CREATE DATABASE \(name)" + (template.map { " TEMPLATE \($0)" } ?? ""))
    }

    func drop() { _ = try? Self.psql(admin, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }

    func query(_ sql: String) throws -> String { try Self.psql(url, sql) }

    /// The password in the URL, to check that it is never shown.
    var password: String { URLComponents(string: url)!.password! }

    static func psql(_ url: String, _ sql: String) throws -> String {
        try command("/usr/bin/psql", [url, "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql])
    }
}

struct TestServerMissing: Error, CustomStringConvertible {
    var description: String { "HANDOFF_TEST_POSTGRES is not set: run bash scripts/test, which starts a throw-away PostgreSQL server" }
}

/// Runs a command and returns its standard output, failing on a non-zero exit.
func command(_ path: String, _ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    let errors = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw CommandFailed(message: "\(path) failed: \(String(decoding: errors, as: UTF8.self))")
    }
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}

struct CommandFailed: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// Team mode: the same Handoff on a shared PostgreSQL database.
@Suite(.serialized) struct TeamModeTests {
    static let root = HandoffBinary.repositoryRoot
    static let now = ["--now", "2026-11-18T15:30:00Z"]

    /// The answers users compare, as JSON lines, from one store.
    func answers(_ handoff: HandoffBinary, db: String, _ commands: [String], definition: [String] = []) throws -> [String] {
        let result = try handoff.run(["--db", db, "--format", "json"] + Self.now + definition + commands.flatMap { ["-c", $0] })
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == commands.count, "\(result.stderr)")
        return lines
    }

    @Test func theDemoAndXEducationGiveTheSameAnswersOnBothStores() throws {
        let handoff = HandoffBinary()
        let team = try TeamDatabase()
        defer {
            handoff.remove()
            team.drop()
        }
        for db in [handoff.database, team.url] {
            let loaded = try handoff.run(["--db", db] + Self.now + ["-c", "demo"])
            #expect(loaded.status == 0, "\(loaded.stderr)")
        }
        let demo = [
            "qualify acme", "qualify miles dyson", "why rejected rita rival", "why rejected frank grimes", "objections this week",
            "objections this quarter by industry", "objections last 90 days by rep", "funnel", "leads", "mqls this month",
            "history tony stark", "brief pricing",
        ]
        let sqliteDemo = try answers(handoff, db: handoff.database, demo)
        let postgresDemo = try answers(handoff, db: team.url, demo)
        for (index, command) in demo.enumerated() where index < min(sqliteDemo.count, postgresDemo.count) {
            #expect(sqliteDemo[index] == postgresDemo[index], "\(command) differs between the stores")
        }

        // X Education's real leads, with its example definition.
        let other = try TeamDatabase()
        defer { other.drop() }
        let file = HandoffBinary()
        defer { file.remove() }
        let mapping = "\(Self.root)/examples/x-education/mapping.yaml"
        let csv = "\(Self.root)/../shared/data/x-education/Leads.csv"
        let definition = ["--definition", "\(Self.root)/examples/x-education/definition.yaml"]
        for db in [file.database, other.url] {
            let imported = try file.run(["--db", db] + Self.now + definition + ["-c", "import leads \(csv) --mapping \(mapping)"])
            #expect(imported.status == 0, "\(imported.stderr)")
        }
        let real = [
            "definition report", "qualify 7927b2df-8bba-4d29-b9a2-b6e0beafe620", "qualify lead 660737", "objections this month",
            "objections this month by stage", "leads --limit 200", "funnel",
        ]
        let sqliteReal = try answers(file, db: file.database, real, definition: definition)
        let postgresReal = try answers(file, db: other.url, real, definition: definition)
        for (index, command) in real.enumerated() where index < min(sqliteReal.count, postgresReal.count) {
            #expect(sqliteReal[index] == postgresReal[index], "\(command) differs between the stores")
            #expect(sqliteReal[index].contains("\"ok\":true"), "\(command): \(sqliteReal[index].prefix(300))")
        }
    }

    /// Eight processes at once: four reps logging objections and accepting leads (their own, and
    /// five all four try to take), four marketers running summaries. Every write lands once.
    @Test(arguments: ["sqlite", "postgres"]) func eightSessionsAtOnceLoseAndDoubleNothing(store: String) throws {
        let handoff = HandoffBinary()
        let team = store == "postgres" ? try TeamDatabase() : nil
        defer {
            handoff.remove()
            team?.drop()
        }
        let db = team?.url ?? handoff.database
        var leads = "external_id,name,stage\n"
        for rep in 1...4 { for n in 1...10 { leads += "tm-r\(rep)-\(n),Rep\(rep) Lead\(n),mql\n" } }
        for n in 1...5 { leads += "tm-c-\(n),Contested Lead\(n),mql\n" }
        let seeded = try handoff.run(["--db", db, "-c", "demo", "-c", "import leads \(handoff.write("team.csv", leads))"])
        #expect(seeded.status == 0, "\(seeded.stderr)")

        var processes: [(Process, String, String)] = []
        for rep in 1...4 {
            var script = ""
            for n in 1...10 {
                script += "log objection tm-r\(rep)-\(n) \"rep \(rep) objection \(n): it is too expensive for us\"\n"
                script += "accept tm-r\(rep)-\(n)\n"
                if n <= 5 { script += "accept tm-c-\(n)\n" }
            }
            processes.append(try start(handoff, ["--db", db, "--as", "rep\(rep)", "-f", handoff.write("rep\(rep).txt", script)]))
        }
        for marketer in 1...4 {
            let script = Array(repeating: "objections this week\nfunnel\nleads\nqualify tm-c-1\nobjections last 30 days by rep\n", count: 6).joined()
            processes.append(try start(handoff, ["--db", db, "--as", "marketer\(marketer)", "-f", handoff.write("m\(marketer).txt", script)]))
        }
        var repErrors = ""
        for (index, (process, out, err)) in processes.enumerated() {
            process.waitUntilExit()
            let errors = (try? String(contentsOfFile: err, encoding: .utf8)) ?? ""
            let output = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
            #expect(!errors.contains("locked") && !errors.contains("serializ") && !errors.contains("deadlock"), "\(errors)")
            if index >= 4 {
                #expect(process.terminationStatus == 0, "a marketer's summary failed: \(errors)")
                #expect(output.contains("Objections"))
            } else {
                repErrors += errors
            }
        }
        // The contested leads: each taken by one rep; the others were told it was already taken.
        let refusals = repErrors.split(separator: "\n").filter { $0.contains(": error: ") }
        #expect(refusals.count == 5 * 3, "\(repErrors)")
        #expect(refusals.allSatisfy { $0.contains("Contested Lead") && ($0.contains("already sal") || $0.contains("someone else moved it")) }, "\(repErrors)")

        let ask: (String) throws -> String = { sql in
            if let team { return try team.query(sql) }
            return try handoff.sqlite(sql)
        }
        #expect(try ask("SELECT count(*) FROM objections WHERE text LIKE 'rep % objection %'") == "40")
        #expect(try ask("SELECT count(*) FROM (SELECT text FROM objections WHERE text LIKE 'rep %' GROUP BY text HAVING count(*) > 1) doubled") == "0")
        #expect(try ask("SELECT count(*) FROM transitions WHERE to_stage = 'sal' AND reason = 'accepted'") == "45")
        #expect(try ask("SELECT count(*) FROM leads WHERE external_id LIKE 'tm-%' AND stage = 'sal'") == "45")
        #expect(try ask("SELECT count(*) FROM (SELECT lead_id FROM transitions WHERE to_stage = 'sal' GROUP BY lead_id HAVING count(*) > 1) doubled") == "0")
    }

    private func start(_ handoff: HandoffBinary, _ arguments: [String]) throws -> (Process, String, String) {
        let process = try handoff.process(arguments)
        let out = "\(handoff.home)/out-\(UUID().uuidString)"
        let err = "\(handoff.home)/err-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        process.standardOutput = FileHandle(forWritingAtPath: out)
        process.standardError = FileHandle(forWritingAtPath: err)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return (process, out, err)
    }

    @Test func migrateMovesEveryRowAndNeverShowsThePassword() throws {
        let handoff = HandoffBinary()
        let team = try TeamDatabase()
        defer {
            handoff.remove()
            team.drop()
        }
        let loaded = try handoff.run(Self.now + ["-c", "demo", "-c", "log objection acme \"legal wants monthly terms\"", "-c", "brief pricing"])
        #expect(loaded.status == 0, "\(loaded.stderr)")

        let moved = try handoff.run(["migrate", "--to", team.url])
        #expect(moved.status == 0, "\(moved.stderr)")
        #expect(moved.stdout.contains("every table's count matches"))
        #expect(moved.stdout.contains("leads             40"))
        #expect(!(moved.stdout + moved.stderr).contains(team.password))
        for table in ["accounts", "leads", "events", "transitions", "rejections", "objections", "briefs", "brief_objections", "definitions"] {
            #expect(try team.query("SELECT count(*) FROM \(table)") == handoff.sqlite("SELECT count(*) FROM \(table)"), "\(table)")
        }
        let commands = ["qualify acme", "why rejected frank grimes", "objections this week", "history tony stark"]
        #expect(try answers(handoff, db: handoff.database, commands) == answers(handoff, db: team.url, commands))

        // Into a database that already holds leads: refused, and nothing there changes.
        let again = try handoff.run(["migrate", "--to", team.url])
        #expect(again.status == 1)
        #expect(again.stderr.contains("already holds 40 leads"))
        #expect(try team.query("SELECT count(*) FROM leads") == "40")

        // A wrong password is refused without echoing either password.
        var wrong = URLComponents(string: team.url)!
        wrong.password = "not-the-password-42"
        let refused = try handoff.run(["--db", wrong.string!, "-c", "leads"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("password authentication failed"))
        #expect(!(refused.stdout + refused.stderr).contains("not-the-password-42"))
        #expect(!(refused.stdout + refused.stderr).contains(team.password))
    }

    /// `handoff` links no PostgreSQL client: it runs `handoff-team`, built beside it, for team
    /// databases. Without one beside it, it says so and how to build it.
    @Test func withoutHandoffTeamBesideItATeamDatabaseIsRefusedWithHowToBuildIt() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        let folder = "\(handoff.home)/bin"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let (status, said) = try runCopy(of: handoff, in: folder, ["--db", "postgres://someone@127.0.0.1:1/team", "-c", "leads"])
        #expect(status == 1)
        #expect(said.contains("team databases (postgres://) are opened by handoff-team, which is not beside handoff in \(folder)"), "\(said)")
        #expect(said.contains("swift build -c release --static-swift-stdlib --product handoff-team"))
    }

    /// Anyone on the machine can read a process's arguments (`ps`); only its owner its
    /// environment. A password in a `--db` (or `migrate --to`) URL is handed to `handoff-team` in
    /// HANDOFF_TEAM_URL, and its arguments name the database without it.
    @Test func aPasswordInTheURLIsHandedToHandoffTeamInTheEnvironmentNotItsArguments() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        let folder = "\(handoff.home)/bin"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // A handoff-team that writes down its arguments and the URL handed to it.
        let team = "\(folder)/handoff-team"
        try #"""
            #!/bin/sh
            { printf '%s\n' "$0" "$@"; printf 'HANDOFF_TEAM_URL=%s\n' "$HANDOFF_TEAM_URL"; } > "$HOME/given"
            """#.write(toFile: team, atomically: false, encoding: .utf8)
        #expect(chmod(team, 0o755) == 0)
        let url = "postgres://ann:S3CRET-pw@127.0.0.1:1/team?sslmode=disable"
        let named = "postgres://ann@127.0.0.1:1/team?sslmode=disable"
        // A variable left in the caller's environment is replaced, or not passed on.
        let leftOver = ["HANDOFF_TEAM_URL": "postgres://bob:other@127.0.0.1:1/team?sslmode=disable"]
        let runs: [(arguments: [String], given: [String], handed: String)] = [
            (["--db", url, "-c", "leads"], ["--db", named, "-c", "leads"], url),
            (["mcp", "--db=\(url)"], ["mcp", "--db=\(named)"], url),
            (["migrate", "--from", "laptop.sqlite", "--to", url], ["migrate", "--from", "laptop.sqlite", "--to", named], url),
            (["--db", named, "-c", "leads"], ["--db", named, "-c", "leads"], ""),
        ]
        for run in runs {
            let (status, said) = try runCopy(of: handoff, in: folder, run.arguments, extraEnvironment: leftOver)
            #expect(status == 0, "\(said)")
            let given = try String(contentsOfFile: "\(handoff.home)/given", encoding: .utf8)
            #expect(given == ([team] + run.given + ["HANDOFF_TEAM_URL=\(run.handed)"]).map { $0 + "\n" }.joined(), "\(run.arguments)")
        }
    }

    /// Runs a copy of `handoff` in `folder`, where it looks for `handoff-team`; returns its exit
    /// status and what it wrote on standard error.
    private func runCopy(
        of handoff: HandoffBinary, in folder: String, _ arguments: [String], extraEnvironment: [String: String] = [:]
    ) throws -> (status: Int32, stderr: String) {
        let copy = "\(folder)/handoff"
        if !FileManager.default.fileExists(atPath: copy) { try FileManager.default.copyItem(atPath: HandoffBinary.path, toPath: copy) }
        var process: Process
        let errors = Pipe()
        // A test running alongside may fork while the copy's write handle is still open; until
        // that child execs it holds the handle, and running the copy fails with "text file busy".
        var attempt = 0
        while true {
            process = try handoff.process(arguments, extraEnvironment: extraEnvironment)
            process.executableURL = URL(fileURLWithPath: copy)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = errors
            do {
                try process.run()
                break
            } catch let error as NSError where (error.userInfo[NSUnderlyingErrorKey] as? NSError)?.code == Int(ETXTBSY) && attempt < 500 {
                attempt += 1
                usleep(20_000)
            }
        }
        let said = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, said)
    }

    @Test func theInteractiveShellOnATeamDatabaseNeverShowsOrKeepsThePassword() throws {
        let handoff = HandoffBinary()
        let team = try TeamDatabase()
        defer {
            handoff.remove()
            team.drop()
        }
        #expect(try handoff.run(["--db", team.url] + Self.now + ["-c", "demo"]).status == 0)
        var environment = handoff.environment.filter { ["HOME", "HANDOFF_USER", "NO_COLOR", "PATH"].contains($0.key) }
        environment.merge(["HANDOFF_DB": team.url, "TERM": "xterm-256color", "LANG": "C.UTF-8", "HANDOFF_NOW": "2026-11-18T15:30:00Z"]) { $1 }
        let tmux = try Tmux(command: [HandoffBinary.path], environment: environment)
        let banner = try tmux.waitFor("handoff> ")
        #expect(banner.contains("40 leads"))
        #expect(banner.contains("postgres://handoff@127.0.0.1:"))
        try tmux.type("qualify acme")
        try tmux.press("Enter")
        let screen = try tmux.waitFor("Wile Coyote")
        try tmux.press("C-d")
        try tmux.waitUntil(what: "the shell to exit") { _ in (try? tmux.exited()) == true }
        #expect(!screen.contains(team.password))
        let history = (try? String(contentsOfFile: "\(handoff.home)/.local/state/handoff/history", encoding: .utf8)) ?? ""
        #expect(history.contains("qualify\\040acme"))
        #expect(!history.contains(team.password))
    }
}
