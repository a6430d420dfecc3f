import CPluginGroups
import Foundation
import Platform

/// A plugin's server process with its stdin and stdout as pipes and its stderr copied to a log
/// file (`PluginLog`). Started with posix_spawn (Foundation's Process is unreliable with the signal
/// mask the shell and tests run with), in its own process group so a hung plugin and its children
/// can be killed together, and recorded so that a signal ending Handoff ends that group too
/// (CPluginGroups). Reads are bounded in time and size: a plugin cannot stall or flood Handoff.
final class ChildProcess {
    let pid: pid_t
    private var input: Int32
    private var output: Int32
    private let log: PluginLog
    private var buffer: [UInt8] = []
    /// How much of `buffer` is known to hold no newline, so a long line is not searched again and again.
    private var scanned = 0
    /// Bytes read since the last `resetCount()`: a flood of short lines is caught as well as one long one.
    private(set) var bytesRead = 0
    /// How the server ended, once it has: "it exited with status 3".
    private var ending: String?
    private var stopped = false

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
        handoff_plugin_groups_end_with_handoff()
        var toChild: [Int32] = [0, 0]
        var fromChild: [Int32] = [0, 0]
        var errorsFromChild: [Int32] = [0, 0]
        guard pipe(&toChild) == 0 else { throw Failure.cannotStart(String(cString: strerror(errno))) }
        guard pipe(&fromChild) == 0 else {
            close(toChild[0]); close(toChild[1])
            throw Failure.cannotStart(String(cString: strerror(errno)))
        }
        guard pipe(&errorsFromChild) == 0 else {
            (toChild + fromChild).forEach { close($0) }
            throw Failure.cannotStart(String(cString: strerror(errno)))
        }
        // Handoff's ends must not leak into other children (they would keep the pipes open).
        for descriptor in toChild + fromChild + errorsFromChild { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        do {
            log = try PluginLog(reading: errorsFromChild[0], into: stderrLog)
        } catch {
            (toChild + fromChild + errorsFromChild).forEach { close($0) }
            throw error
        }
        var actions = Platform.spawnFileActions()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errorsFromChild[1], 2)
        var attributes = Platform.spawnAttributes()
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
        // A signal ending Handoff between the start and the recording would leave the plugin behind.
        var endingSignals = sigset_t()
        sigemptyset(&endingSignals)
        for signal in [SIGTERM, SIGINT, SIGHUP] { sigaddset(&endingSignals, signal) }
        var previous = sigset_t()
        pthread_sigmask(SIG_BLOCK, &endingSignals, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, envp)
        close(toChild[0])
        close(fromChild[1])
        // The log's end closes when the server and every child holding its stderr have ended.
        close(errorsFromChild[1])
        guard spawned == 0 else {
            close(toChild[1]); close(fromChild[0])
            throw Failure.cannotStart(String(cString: strerror(spawned)))
        }
        let recorded = handoff_plugin_group_add(pid) != 0
        self.pid = pid
        input = toChild[1]
        output = fromChild[0]
        _ = fcntl(output, F_SETFL, fcntl(output, F_GETFL) | O_NONBLOCK)
        guard recorded else {
            stop()
            throw Failure.cannotStart("\(HANDOFF_PLUGIN_GROUP_SLOTS) plugins are running already, as many as Handoff runs at once")
        }
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
            // A server that died while a child of its own holds its stdout open never closes its
            // output: its exit is the end, once nothing it wrote before dying is left to read.
            if ready == 0, let how = ended(), !hasOutput() { throw Failure.closed(how) }
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
        for _ in 0..<20 {
            if let how = ended() { return how }
            usleep(25_000)
        }
        return "it closed its output"
    }

    /// How the server ended, if it has (it is reaped here): "it was killed by signal 9".
    private func ended() -> String? {
        if let ending { return ending }
        var status: Int32 = 0
        guard waitpid(pid, &status, WNOHANG) == pid else { return nil }
        ending = status & 0x7F == 0 ? "it exited with status \((status >> 8) & 0xFF)" : "it was killed by signal \(status & 0x7F)"
        return ending
    }

    private func hasOutput() -> Bool {
        var descriptor = pollfd(fd: output, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) > 0 && descriptor.revents & Int16(POLLIN) != 0
    }

    func resetCount() { bytesRead = buffer.count }

    /// Ends the process group (politely, then not), releases the pipes and lets the log finish.
    func stop() {
        guard !stopped else { return }
        stopped = true
        if input >= 0 { close(input); input = -1 }
        if output >= 0 { close(output); output = -1 }
        if ended() == nil {
            kill(-pid, SIGTERM)
            for _ in 0..<10 {
                if ended() != nil { break }
                usleep(20_000)
            }
        }
        if ending == nil {
            kill(-pid, SIGKILL)
            var status: Int32 = 0
            _ = waitpid(pid, &status, 0)
        }
        // What is left of the group: the children of a server that has ended already.
        kill(-pid, SIGKILL)
        handoff_plugin_group_remove(pid)
        log.waitUntilWritten()
    }
}
