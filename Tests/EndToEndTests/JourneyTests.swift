import Foundation
import Testing

/// Journey transcripts, as PostgreSQL's regression tests (sql/*.sql + expected/*.out): each
/// Tests/Journeys/NAME.journey is run against the built binary with `-f`, once with `--echo-all`
/// and once with `--format json`, and what it writes (stdout and stderr, merged in order) must be
/// expected/NAME.out and expected/NAME.json byte for byte. A difference is written to
/// results/NAME.out|json and shown as a diff; `bash scripts/bless-journeys` (HANDOFF_BLESS=1)
/// writes the expected files from the binary instead. Each journey runs again on a PostgreSQL
/// database of its own on the test server (team mode), and must answer the same, byte for byte.
/// Tests/Journeys/README.md has the format.
@Suite struct JourneyTests {
    static let folder = "\(HandoffBinary.repositoryRoot)/Tests/Journeys"
    static let blessing = ProcessInfo.processInfo.environment["HANDOFF_BLESS"] == "1"

    /// Every journey, by name (the file name without `.journey`), in order.
    static let names: [String] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return files.filter { $0.hasSuffix(".journey") }.map { String($0.dropLast(".journey".count)) }.sorted()
    }()

    @Test(arguments: names) func journey(_ name: String) throws {
        let journey = try Journey(name: name)
        for output in Journey.Output.allCases {
            let actual = try journey.run(output, on: .sqlite)
            try compare(actual, journey: name, output: output, store: .sqlite)
        }
    }

    /// The same journey through `handoff --db postgres://…` (so `handoff-team`), compared with the
    /// same expected files: the stores must not differ in any answer. Blessing writes the expected
    /// files from the SQLite run; this one is compared with them on the next run.
    @Test(.disabled(if: blessing, "blessing writes the expected files from the SQLite run"), arguments: names)
    func journeyOnPostgreSQL(_ name: String) throws {
        let journey = try Journey(name: name)
        for output in Journey.Output.allCases {
            let actual = try journey.run(output, on: .postgres)
            try compare(actual, journey: name, output: output, store: .postgres)
        }
    }

    @Test func thereAreJourneysAndEveryExpectedFileHasOne() throws {
        #expect(!Self.names.isEmpty, "no *.journey file in \(Self.folder)")
        let expected = (try? FileManager.default.contentsOfDirectory(atPath: "\(Self.folder)/expected")) ?? []
        for file in expected.sorted() {
            let name = (file as NSString).deletingPathExtension
            #expect(Self.names.contains(name), "expected/\(file) has no \(name).journey: remove it, or restore the journey")
        }
    }

    /// Compares one output with its expected file, or writes the expected file when blessing. A
    /// PostgreSQL run's differing output goes to results/NAME.postgres.out|json.
    private func compare(_ actual: String, journey name: String, output: Journey.Output, store: Journey.Store) throws {
        let file = "\(name).\(output.rawValue)"
        let expectedPath = "\(Self.folder)/expected/\(file)"
        let result = store == .sqlite ? file : "\(name).\(store.rawValue).\(output.rawValue)"
        let resultPath = "\(Self.folder)/results/\(result)"
        let expected = try? String(contentsOfFile: expectedPath, encoding: .utf8)
        if Self.blessing {
            try FileManager.default.createDirectory(atPath: "\(Self.folder)/expected", withIntermediateDirectories: true)
            try actual.write(toFile: expectedPath, atomically: true, encoding: .utf8)
            try? FileManager.default.removeItem(atPath: resultPath)
            let what = expected == nil ? "new" : expected == actual ? "unchanged" : "changed"
            print("journey \(name): blessed expected/\(file) (\(what))")
            Attachment.record(actual, named: file)
            return
        }
        if expected == actual {
            try? FileManager.default.removeItem(atPath: resultPath)
            return
        }
        try FileManager.default.createDirectory(atPath: "\(Self.folder)/results", withIntermediateDirectories: true)
        try actual.write(toFile: resultPath, atomically: true, encoding: .utf8)
        guard expected != nil else {
            Issue.record("""
                journey \(name): there is no expected/\(file); the output is in Tests/Journeys/results/\(result). \
                Read it, then bless it: bash scripts/bless-journeys (or HANDOFF_BLESS=1 swift test --filter JourneyTests)
                """)
            return
        }
        let firstDifference = output == .json ? Self.firstDifference(expected ?? "", actual).map { "\n" + $0 } ?? "" : ""
        Issue.record("""
            journey \(name)\(store == .postgres ? " on PostgreSQL" : ""): the output differs from expected/\(file) \
            (the actual output is in Tests/Journeys/results/\(result); \
            \(store == .postgres ? "the stores must answer alike" : "if the change is intended, bless it: bash scripts/bless-journeys"))
            \(Self.diff("expected/\(file)", "results/\(result)"))\(firstDifference)
            """)
    }

    /// Where the first differing JSON answer differs: its lines are too long for a diff to show it.
    static func firstDifference(_ expected: String, _ actual: String) -> String? {
        let pairs = zip(expected.split(separator: "\n"), actual.split(separator: "\n"))
        for (index, (was, now)) in pairs.enumerated() where was != now {
            let common = zip(was, now).prefix { $0 == $1 }.count
            let around = { (line: Substring) in String(line.dropFirst(max(0, common - 40)).prefix(100)) }
            return """
                answer \(index + 1) differs from character \(common + 1):
                  expected …\(around(was))…
                  actual   …\(around(now))…
                """
        }
        return nil
    }

    /// `diff -u` of two files under Tests/Journeys, cut short after 60 lines.
    static func diff(_ expected: String, _ actual: String) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["diff", "-u", expected, actual]
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch { return "(diff could not run: \(error))" }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let limit = 60
        guard lines.count > limit else { return lines.joined(separator: "\n") }
        return lines.prefix(limit).joined(separator: "\n") + "\n… \(lines.count - limit) more lines of diff"
    }
}

/// One journey file: its directives (`# journey:`, `# data:`, `# now:` at the top) and how to run it.
struct Journey {
    enum DataSet: String, CaseIterable {
        /// `handoff --now NOW -c demo` on a fresh database.
        case demo
        /// X Education's Leads.csv imported with examples/x-education/mapping.yaml (once per test
        /// run and clock, then copied), and answered with examples/x-education/definition.yaml
        /// (copied beside the journey and given as `--definition definition.yaml`).
        case xeducation
        /// A fresh database.
        case empty
    }

    enum Output: String, CaseIterable {
        case out, json
        var arguments: [String] { self == .out ? ["--echo-all"] : ["--format", "json"] }
    }

    /// Where the journey's data lives: an SQLite file in its home, or a database of its own on
    /// the PostgreSQL test server, named by `HANDOFF_DB`.
    enum Store: String {
        case sqlite, postgres
    }

    static let root = HandoffBinary.repositoryRoot
    static let xeducationCSV = "\(root)/../shared/data/x-education/Leads.csv"
    static let xeducationMapping = "\(root)/examples/x-education/mapping.yaml"
    static let xeducationDefinition = "\(root)/examples/x-education/definition.yaml"

    let name: String
    let path: String
    let title: String
    let data: DataSet
    let now: String

    init(name: String) throws {
        self.name = name
        path = "\(JourneyTests.folder)/\(name).journey"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        // The directives are the comment lines the file starts with, up to the first other line.
        var directives: [String: String] = [:]
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("#") else { break }
            let body = trimmed.dropFirst().trimmingCharacters(in: .whitespaces)
            guard let colon = body.firstIndex(of: ":"), case let key = body[..<colon].lowercased(),
                  ["journey", "data", "now"].contains(key) else {
                throw JourneyError("\(name).journey:\(index + 1): a directive is '# journey:', '# data:' or '# now:'; end the directives with a blank line before other comments")
            }
            directives[key] = body[body.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        guard let title = directives["journey"], !title.isEmpty else {
            throw JourneyError("\(name).journey: no '# journey: what the user does' line at the top")
        }
        guard let dataName = directives["data"], let data = DataSet(rawValue: dataName) else {
            throw JourneyError("\(name).journey: '# data:' must be one of \(DataSet.allCases.map(\.rawValue).joined(separator: ", ")), not '\(directives["data"] ?? "")'")
        }
        guard let now = directives["now"], !now.isEmpty else {
            throw JourneyError("\(name).journey: no '# now: 2026-11-20T12:00:00Z' line: answers depend on the clock")
        }
        self.title = title
        self.data = data
        self.now = now
    }

    /// Runs the journey in a home of its own, on a new database of `store`, and returns what it
    /// wrote, with that home's path as `$HOME`.
    func run(_ output: Output, on store: Store) throws -> String {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        var team: TeamDatabase?
        defer { team?.drop() }
        if store == .postgres {
            team = try data == .xeducation ? XEducation.shared.copyOnPostgreSQL(now: now) : TeamDatabase()
        }
        let database = team?.url ?? handoff.database
        let files = FileManager.default
        // The fixtures, reachable as data/… from the journey's working directory (its home).
        let fixtures = "\(JourneyTests.folder)/data"
        if files.fileExists(atPath: fixtures) { try files.copyItem(atPath: fixtures, toPath: "\(handoff.home)/data") }
        try files.copyItem(atPath: path, toPath: "\(handoff.home)/\(name).journey")

        var arguments = ["--now", now]
        switch data {
        case .empty:
            break
        case .demo:
            let demo = try Self.run(handoff, ["--now", now, "-c", "demo"], database: database)
            guard demo.status == 0 else { throw JourneyError("\(name): loading the demo data failed: \(demo.output)") }
        case .xeducation:
            if store == .sqlite { try XEducation.shared.copy(now: now, to: handoff.database) }
            // Beside the journey, so answers name it as `definition.yaml` wherever the repository is.
            try files.copyItem(atPath: Self.xeducationDefinition, toPath: "\(handoff.home)/definition.yaml")
            arguments += ["--definition", "definition.yaml"]
        }
        let result = try Self.run(handoff, arguments + output.arguments + ["-f", "\(name).journey"], database: database)
        if let team {
            // The answers came from the team database, not from a file beside the journey.
            #expect(!files.fileExists(atPath: handoff.database), "\(name) on PostgreSQL made \(handoff.database)")
            #expect(try data == .empty || team.query("SELECT count(*) FROM leads") != "0", "\(name): no leads in \(team.name)")
        }
        return result.output
            .replacingOccurrences(of: handoff.home, with: "$HOME")
            .replacingOccurrences(of: Self.root, with: "$REPO")
    }

    /// The environment of a journey: only what it needs, so nothing of the caller's leaks in
    /// (plugins, a language model, a database, a time zone).
    static func environment(home: String, database: String) -> [String: String] {
        [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": home, "USER": "tester", "TZ": "UTC", "LANG": "C.UTF-8",
            "XDG_CONFIG_HOME": "\(home)/.config", "XDG_DATA_HOME": "\(home)/.local/share",
            "XDG_STATE_HOME": "\(home)/.local/state",
            "HANDOFF_DB": database, "HANDOFF_USER": "tester", "NO_COLOR": "1",
        ]
    }

    /// Runs the binary in the home on `database` (the home's SQLite file unless a postgres:// URL
    /// is given), stdout and stderr into one file (so they stay in order), with no standard input;
    /// a run that takes longer than two minutes is stopped.
    static func run(_ handoff: HandoffBinary, _ arguments: [String], database: String? = nil) throws -> (status: Int32, output: String) {
        let process = try handoff.process(arguments)
        process.environment = environment(home: handoff.home, database: database ?? handoff.database)
        let outputPath = "\(handoff.home)/.journey-output-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        defer { try? output.close() }
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let watchdog = DispatchWorkItem { [process] in if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 120, execute: watchdog)
        process.waitUntilExit()
        watchdog.cancel()
        let text = try String(contentsOfFile: outputPath, encoding: .utf8)
        if process.terminationReason == .uncaughtSignal {
            return (process.terminationStatus, text + "(handoff ended by signal \(process.terminationStatus))\n")
        }
        return (process.terminationStatus, text)
    }
}

/// X Education's leads, imported once per test run (per `now`, and per store) and copied for each
/// journey: 9,240 rows are too many to import for every run of every journey. On PostgreSQL the
/// import is a database of its own that each journey's database is created from (as a template).
final class XEducation: @unchecked Sendable {
    static let shared = XEducation()

    /// The folder of this test run's imports, removed when the test process exits.
    static let cache: String = {
        let folder = NSTemporaryDirectory() + "handoff-journeys-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: XEducation.cache) }
        return folder
    }()

    private let lock = NSLock()
    /// The imported database for each store and `now` (a file, or a PostgreSQL database's name),
    /// or why the import failed.
    private var imported: [String: Result<String, JourneyError>] = [:]
    /// The PostgreSQL databases imported into, dropped when the test process exits.
    private var templates: [TeamDatabase] = []

    private init() {
        atexit { XEducation.shared.dropTemplates() }
    }

    /// Copies the database imported as of `now` to `database`, importing it first if this run has not.
    func copy(now: String, to database: String) throws {
        let source = try imported(now: now, on: .sqlite)
        try FileManager.default.copyItem(atPath: source, toPath: database)
    }

    /// A new database on the test server holding the leads imported as of `now`, importing them
    /// first if this run has not.
    func copyOnPostgreSQL(now: String) throws -> TeamDatabase {
        try TeamDatabase(template: try imported(now: now, on: .postgres))
    }

    private func imported(now: String, on store: Journey.Store) throws -> String {
        try lock.withLock { () throws -> String in
            let key = "\(store.rawValue) \(now)"
            if let done = imported[key] { return try done.get() }
            let result: Result<String, JourneyError>
            do throws(JourneyError) { result = .success(try importLeads(now: now, on: store)) } catch { result = .failure(error) }
            imported[key] = result
            return try result.get()
        }
    }

    private func dropTemplates() {
        lock.withLock { templates.forEach { $0.drop() } }
    }

    /// Imports the leads into a new database of `store`; returns the SQLite file's path, or the
    /// PostgreSQL database's name. Called with the lock held.
    private func importLeads(now: String, on store: Journey.Store) throws(JourneyError) -> String {
        guard FileManager.default.fileExists(atPath: Journey.xeducationCSV) else {
            throw JourneyError("X Education's leads are missing: \(Journey.xeducationCSV)")
        }
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        var database = handoff.database
        if store == .postgres {
            do {
                let team = try TeamDatabase()
                templates.append(team)
                database = team.url
            } catch {
                throw JourneyError("making a PostgreSQL database for X Education's leads: \(error)")
            }
        }
        // Imported by relative names, so what the import records ("imported from Leads.csv, line
        // 2") reads the same wherever the repository is checked out.
        let result: (status: Int32, output: String)
        do {
            try FileManager.default.createSymbolicLink(atPath: "\(handoff.home)/Leads.csv", withDestinationPath: Journey.xeducationCSV)
            try FileManager.default.copyItem(atPath: Journey.xeducationMapping, toPath: "\(handoff.home)/mapping.yaml")
            // Under the example definition, whose themes the mapping files the notes' objections under.
            result = try Journey.run(
                handoff, ["--now", now, "--definition", Journey.xeducationDefinition, "-c", "import leads Leads.csv --mapping mapping.yaml"], database: database)
        } catch {
            throw JourneyError("importing X Education's leads: \(error)")
        }
        guard result.status == 0 else { throw JourneyError("importing X Education's leads failed: \(result.output)") }
        if store == .postgres { return templates.last!.name }
        let target = "\(Self.cache)/xeducation-\(now.replacingOccurrences(of: ":", with: "")).sqlite"
        do {
            try FileManager.default.copyItem(atPath: handoff.database, toPath: target)
        } catch {
            throw JourneyError("keeping X Education's database: \(error)")
        }
        return target
    }
}

struct JourneyError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
