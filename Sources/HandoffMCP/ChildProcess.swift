import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A plugin's server process with its stdin and stdout as pipes and its stderr appended to a log
/// file. Started with posix_spawn (Foundation's Process is unreliable with the signal mask the
/// shell and tests run with), in its own process group so a hung plugin and its children can be
/// killed together. Reads are bounded in time and size: a plugin cannot stall or flood Handoff.
final class ChildProcess {
    let pid: pid_t
    private var input: Int32
    private var output: Int32
    private var buffer: [UInt8] = []
    /// How much of `buffer` is known to hold no newline, so a long line is not searched again and again.
    private var scanned = 0
    /// Bytes read since the last `resetCount()`: a flood of short lines is caught as well as one long one.
    private(set) var bytesRead = 0
    private(set) var exited = false

    enum Failure: Error {
        case cannotStart(String)
        case timedOut
        case closed(String)
        case tooLong(Int)
        case cancelled
    }

    /// Starts `arguments[0]` (an absolute path) in `directory`, with `environment` and nothing else.
    init(arguments: [String], directory: String, environment: [String: String], stderrLog: String) throws {
        // Writing to a plugin that died must be an error, not a SIGPIPE that ends Handoff.
        signal(SIGPIPE, SIG_IGN)
        var toChild: [Int32] = [0, 0]
        var fromChild: [Int32] = [0, 0]
        guard pipe(&toChild) == 0 else { throw Failure.cannotStart(String(cString: strerror(errno))) }
        guard pipe(&fromChild) == 0 else {
            close(toChild[0]); close(toChild[1])
            throw Failure.cannotStart(String(cString: strerror(errno)))
        }
        // Handoff's ends must not leak into other children (they would keep the pipes open).
        for descriptor in toChild + fromChild { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, stderrLog, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))
        // The server starts in its plugin's folder: a shell changes there and replaces itself with
        // it, leaving PWD (the folder) and no OLDPWD (where the user ran Handoff).
        let wrapped = ["/bin/sh", "-c", "cd \"$0\" && unset OLDPWD && exec \"$@\"", directory] + arguments
        let argv: [UnsafeMutablePointer<CChar>?] = wrapped.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let envp: [UnsafeMutablePointer<CChar>?] = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, envp)
        close(toChild[0])
        close(fromChild[1])
        guard spawned == 0 else {
            close(toChild[1]); close(fromChild[0])
            throw Failure.cannotStart(String(cString: strerror(spawned)))
        }
        self.pid = pid
        input = toChild[1]
        output = fromChild[0]
        _ = fcntl(output, F_SETFL, fcntl(output, F_GETFL) | O_NONBLOCK)
    }

    deinit { stop() }

    /// Writes one line (the newline is added). Throws when the plugin closed its input.
    func send(_ line: String) throws {
        var bytes = Array(line.utf8) + [0x0A]
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { write(input, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw Failure.closed("it stopped reading its input (\(String(cString: strerror(errno))))")
            }
            offset += written
        }
    }

    /// The next line of output, waiting until `deadline`; a line longer than `limit` bytes fails.
    func nextLine(deadline: Date, limit: Int, isCancelled: () -> Bool) throws -> String {
        while true {
            if let newline = buffer[scanned...].firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                scanned = 0
                return line
            }
            scanned = buffer.count
            if buffer.count > limit || bytesRead > limit { throw Failure.tooLong(max(buffer.count, bytesRead)) }
            if isCancelled() { throw Failure.cancelled }
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 { throw Failure.timedOut }
            var descriptor = pollfd(fd: output, events: Int16(POLLIN), revents: 0)
            // Short slices, so Ctrl-C is noticed while a plugin works.
            let ready = poll(&descriptor, 1, Int32(min(remaining, 0.1) * 1000) + 1)
            if ready < 0 && errno != EINTR { throw Failure.closed(String(cString: strerror(errno))) }
            if ready <= 0 { continue }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let count = chunk.withUnsafeMutableBytes { read(output, $0.baseAddress!, $0.count) }
            if count > 0 {
                buffer += chunk[..<count]
                bytesRead += count
            } else if count == 0 {
                throw Failure.closed(exitDescription())
            } else if errno != EAGAIN && errno != EINTR {
                throw Failure.closed(String(cString: strerror(errno)))
            }
        }
    }

    /// How the process ended, waiting briefly for it: "it exited with status 3".
    private func exitDescription() -> String {
        var status: Int32 = 0
        for _ in 0..<20 {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid {
                exited = true
                if status & 0x7F == 0 { return "it exited with status \((status >> 8) & 0xFF)" }
                return "it was killed by signal \(status & 0x7F)"
            }
            usleep(25_000)
        }
        return "it closed its output"
    }

    func resetCount() { bytesRead = buffer.count }

    /// Ends the process group (politely, then not) and releases the pipes.
    func stop() {
        if input >= 0 { close(input); input = -1 }
        if output >= 0 { close(output); output = -1 }
        guard !exited else { return }
        var status: Int32 = 0
        kill(-pid, SIGTERM)
        for _ in 0..<10 {
            if waitpid(pid, &status, WNOHANG) == pid { exited = true; break }
            usleep(20_000)
        }
        if !exited {
            kill(-pid, SIGKILL)
            _ = waitpid(pid, &status, 0)
            exited = true
        }
        kill(-pid, SIGKILL)
    }
}
