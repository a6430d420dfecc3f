import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a program to completion with posix_spawn and waitpid. Used for tmux, whose client forks
/// a server that outlives it: Foundation's Process waits on it unreliably here.
enum Spawn {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Exit status and standard output (when captured) of `path arguments…`.
    @discardableResult
    static func run(_ path: String, _ arguments: [String], capture: Bool = true) throws -> (status: Int32, output: String) {
        let outputPath = NSTemporaryDirectory() + "spawn-\(UUID().uuidString)"
        defer { unlink(outputPath) }
        let pid = try start(path, arguments, output: capture ? outputPath : "/dev/null")
        let status = wait(pid)
        let output = capture ? ((try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "") : ""
        return ((status >> 8) & 0xFF, output)
    }

    /// Starts `path arguments…` with standard input from /dev/null, standard output to `output`
    /// and standard error to `errors`, in `environment` (the test's own when nil); returns its pid.
    static func start(
        _ path: String, _ arguments: [String], environment: [String: String]? = nil, output: String = "/dev/null", errors: String = "/dev/null"
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errors, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let envp: [UnsafeMutablePointer<CChar>?]? = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer { envp?.forEach { free($0) } }
        // The test runner may block or ignore signals; the program starts as a shell would start it.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let spawned = envp.map { posix_spawn(&pid, path, &actions, &attributes, argv, $0) } ?? posix_spawn(&pid, path, &actions, &attributes, argv, environ)
        guard spawned == 0 else { throw Failure(description: "cannot start \(path): \(String(cString: strerror(spawned)))") }
        return pid
    }

    /// Waits for a process `start` started; its raw wait status.
    static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            if errno != EINTR { break }
        }
        return status
    }
}
