import Foundation
import Testing

/// The built `handoff` binary, run as a user would run it: arguments, environment, standard input.
struct HandoffBinary {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    static var path: String {
        if let explicit = ProcessInfo.processInfo.environment["HANDOFF_BIN"] { return explicit }
        return "\(repositoryRoot)/.build/debug/handoff"
    }

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String

        /// Each line of stdout parsed as a JSON object.
        var json: [[String: Any]] {
            stdout.split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
        }
    }

    /// A home of its own (config, data, state) so a test never touches the user's files.
    let home: String
    let database: String

    init() {
        home = NSTemporaryDirectory() + "handoff-e2e-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        database = "\(home)/handoff.sqlite"
    }

    func remove() { try? FileManager.default.removeItem(atPath: home) }

    var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for key in ["HANDOFF_DB", "HANDOFF_NOW", "HANDOFF_USER", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"] {
            environment[key] = nil
        }
        environment["HOME"] = home
        environment["HANDOFF_DB"] = database
        environment["HANDOFF_USER"] = "tester"
        environment["NO_COLOR"] = "1"
        return environment
    }

    func process(_ arguments: [String], extraEnvironment: [String: String] = [:]) throws -> Process {
        guard FileManager.default.isExecutableFile(atPath: Self.path) else {
            throw BinaryMissing(path: Self.path)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.path)
        process.arguments = arguments
        process.environment = environment.merging(extraEnvironment) { $1 }
        process.currentDirectoryURL = URL(fileURLWithPath: home)
        return process
    }

    @discardableResult
    func run(_ arguments: [String], stdin: String? = nil, extraEnvironment: [String: String] = [:]) throws -> Result {
        let process = try process(arguments, extraEnvironment: extraEnvironment)
        let outFile = "\(home)/.out-\(UUID().uuidString)"
        let errFile = "\(home)/.err-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: outFile, contents: nil)
        _ = FileManager.default.createFile(atPath: errFile, contents: nil)
        defer {
            try? FileManager.default.removeItem(atPath: outFile)
            try? FileManager.default.removeItem(atPath: errFile)
        }
        process.standardOutput = FileHandle(forWritingAtPath: outFile)
        process.standardError = FileHandle(forWritingAtPath: errFile)
        let input = Pipe()
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            stdout: (try? String(contentsOfFile: outFile, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: errFile, encoding: .utf8)) ?? "")
    }

    /// Runs as a shell would with `redirections` (`< /dev/zero`, `0> file`, `> /dev/full`…)
    /// after the command line; stdout and stderr not redirected are captured. A run still going
    /// after `timeout` seconds is killed, and its status is then the signal's (9).
    func run(_ arguments: [String], redirecting redirections: String, timeout: TimeInterval = 60) throws -> Result {
        guard FileManager.default.isExecutableFile(atPath: Self.path) else { throw BinaryMissing(path: Self.path) }
        let outFile = "\(home)/.out-\(UUID().uuidString)"
        let errFile = "\(home)/.err-\(UUID().uuidString)"
        defer {
            try? FileManager.default.removeItem(atPath: outFile)
            try? FileManager.default.removeItem(atPath: errFile)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", #"exec "$0" "$@" > "$OUT" 2> "$ERR" < /dev/null "# + redirections, Self.path] + arguments
        process.environment = environment.merging(["OUT": outFile, "ERR": errFile]) { $1 }
        process.currentDirectoryURL = URL(fileURLWithPath: home)
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            stdout: (try? String(contentsOfFile: outFile, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: errFile, encoding: .utf8)) ?? "")
    }

    /// Asks SQLite itself, through the `sqlite3` command, as a user checking the file would.
    func sqlite(_ sql: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [database, sql]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        let path = "\(home)/\(name)"
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }
}

extension HandoffBinary {
    /// X Education's leads imported with the example mapping, under the example definition;
    /// returns the `--definition` arguments every later run of the test passes.
    func importXEducation() throws -> [String] {
        let root = Self.repositoryRoot
        let definition = ["--definition", "\(root)/examples/x-education/definition.yaml"]
        let imported = try run(definition + [
            "-c", "import leads \(root)/../shared/data/x-education/Leads.csv --mapping \(root)/examples/x-education/mapping.yaml"])
        #expect(imported.status == 0, "\(imported.stderr)")
        return definition
    }
}

extension HandoffBinary {
    /// Runs one of the tests' Python scripts (Tests/EndToEndTests/Fixtures), whose packages
    /// scripts/install-dependencies installs, reading `input` (a file) as its standard input.
    /// Standard error goes to a file, so a script that writes much there cannot stall on a full pipe.
    static func python(
        _ script: String, _ arguments: [String] = [], input: String? = nil, environment: [String: String]? = nil
    ) throws -> (status: Int32, output: Data, errors: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "\(repositoryRoot)/Tests/EndToEndTests/Fixtures/\(script)"] + arguments
        if let environment { process.environment = environment }
        if let input { process.standardInput = FileHandle(forReadingAtPath: input) }
        let errorFile = NSTemporaryDirectory() + "handoff-python-\(UUID().uuidString).err"
        _ = FileManager.default.createFile(atPath: errorFile, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: errorFile) }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle(forWritingAtPath: errorFile)
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, data, (try? String(contentsOfFile: errorFile, encoding: .utf8)) ?? "")
    }
}

struct BinaryMissing: Error, CustomStringConvertible {
    let path: String
    var description: String { "no handoff binary at \(path): build it first (`swift build`), or set HANDOFF_BIN" }
}
