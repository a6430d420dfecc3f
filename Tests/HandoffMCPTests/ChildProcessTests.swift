import Foundation
import Testing
@testable import HandoffMCP
#if canImport(Glibc)
import Glibc
#endif

/// A plugin's server process, played by real programs (`/bin/sh`, `/bin/cat`, `/usr/bin/env`):
/// lines in and out, reads bounded in time and size, how it ended, its stderr in the log, and
/// its whole process group gone when it is stopped.
@Suite struct ChildProcessTests {
    let directory = NSTemporaryDirectory() + "handoff-child-\(UUID().uuidString)"
    var log: String { "\(directory)/plugin.log" }

    init() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    func start(_ arguments: [String], environment: [String: String] = ["PATH": "/usr/bin:/bin"]) throws -> ChildProcess {
        try ChildProcess(arguments: arguments, directory: directory, environment: environment, stderrLog: log)
    }

    func shell(_ script: String) throws -> ChildProcess { try start(["/bin/sh", "-c", script]) }

    func line(_ child: ChildProcess, within seconds: Double = 5, limit: Int = 1 << 20) throws -> String {
        try child.nextLine(deadline: Date(timeIntervalSinceNow: seconds), limit: limit, isCancelled: { false })
    }

    /// How reading the next line fails, as the host would report it.
    func failure(_ child: ChildProcess, within seconds: Double = 5, limit: Int = 1 << 20) -> ChildProcess.Failure? {
        do {
            let text = try line(child, within: seconds, limit: limit)
            Issue.record("read a line where a failure was expected: \(text)")
            return nil
        } catch let failure as ChildProcess.Failure {
            return failure
        } catch {
            Issue.record("\(error)")
            return nil
        }
    }

    /// Every line the child writes until it ends.
    func lines(_ child: ChildProcess) throws -> [String] {
        var lines: [String] = []
        while true {
            do { lines.append(try line(child)) } catch ChildProcess.Failure.closed { return lines }
        }
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }

    @Test func aLineGoesThereAndBack() throws {
        defer { remove() }
        let child = try start(["/bin/cat"])
        defer { child.stop() }
        for text in ["hello", "", "Müller 東京 \u{1F600}", String(repeating: "z", count: 100_000), #"{"jsonrpc":"2.0","id":1}"#] {
            try child.send(text)
            #expect(try line(child) == text)
        }
        // Two lines sent at once come back as two.
        try child.send("one\ntwo")
        #expect(try line(child) == "one")
        #expect(try line(child) == "two")
    }

    @Test func aReadThatGetsNoLineTimesOut() throws {
        defer { remove() }
        let child = try start(["/bin/cat"])
        defer { child.stop() }
        let started = Date()
        guard case .timedOut? = failure(child, within: 0.3) else {
            Issue.record("no time-out")
            return
        }
        let waited = Date().timeIntervalSince(started)
        #expect(waited >= 0.3 && waited < 1.5, "waited \(waited) s")
        // A line without its newline is no line; the child is still there to answer.
        try child.send("still here")
        #expect(try line(child) == "still here")
    }

    @Test func aCancelledReadStopsWaiting() throws {
        defer { remove() }
        let child = try start(["/bin/cat"])
        defer { child.stop() }
        let started = Date()
        do {
            _ = try child.nextLine(deadline: Date(timeIntervalSinceNow: 10), limit: 1000) { Date().timeIntervalSince(started) > 0.2 }
            Issue.record("read a line from a silent child")
        } catch ChildProcess.Failure.cancelled {
            #expect(Date().timeIntervalSince(started) < 1)
        }
    }

    @Test func aChildThatExitsIsNamedByItsStatus() throws {
        defer { remove() }
        let child = try shell("echo last words; exit 3")
        defer { child.stop() }
        #expect(try line(child) == "last words", "what it wrote before it ended is read first")
        guard case .closed(let how)? = failure(child) else {
            Issue.record("no ending")
            return
        }
        #expect(how == "it exited with status 3")

        let quiet = try shell("exit 0")
        defer { quiet.stop() }
        guard case .closed(let ended)? = failure(quiet) else {
            Issue.record("no ending")
            return
        }
        #expect(ended == "it exited with status 0")
    }

    @Test func aChildKilledByASignalIsNamedByIt() throws {
        defer { remove() }
        let child = try shell("kill -9 $$")
        defer { child.stop() }
        guard case .closed(let how)? = failure(child) else {
            Issue.record("no ending")
            return
        }
        #expect(how == "it was killed by signal 9")

        let terminated = try start(["/bin/cat"])
        defer { terminated.stop() }
        kill(terminated.pid, SIGTERM)
        guard case .closed(let ended)? = failure(terminated) else {
            Issue.record("no ending")
            return
        }
        #expect(ended == "it was killed by signal 15")
    }

    /// A child that died while a child of its own keeps its output open is seen to have ended.
    @Test func aChildWhoseGrandchildHoldsItsOutputStillEnds() throws {
        defer { remove() }
        let child = try shell("sleep 5 & exit 4")
        defer { child.stop() }
        let started = Date()
        guard case .closed(let how)? = failure(child) else {
            Issue.record("no ending")
            return
        }
        #expect(how == "it exited with status 4")
        #expect(Date().timeIntervalSince(started) < 1)
    }

    @Test func aLineLongerThanTheCapIsRefused() throws {
        defer { remove() }
        let child = try shell("head -c 300000 /dev/zero | tr '\\0' a; echo; echo after")
        defer { child.stop() }
        guard case .tooLong(let bytes)? = failure(child, limit: 100_000) else {
            Issue.record("the long line was read")
            return
        }
        #expect(bytes > 100_000)
        #expect(bytes <= 100_000 + 65_536, "refused within a read past the cap, not after the whole line (\(bytes) bytes)")
    }

    @Test func aFloodOfShortLinesIsCountedByBytesRead() throws {
        defer { remove() }
        let child = try start(["/usr/bin/yes", "flood"])
        defer { child.stop() }
        let limit = 50_000
        var read = 0
        do {
            while true {
                #expect(try line(child, limit: limit) == "flood")
                read += 1
            }
        } catch ChildProcess.Failure.tooLong(let bytes) {
            #expect(bytes > limit)
            #expect(child.bytesRead == bytes)
        }
        #expect(read > 100, "short lines are read until the count passes the cap")
        #expect(read <= (limit + 65_536) / 6, "and no more than one read past it: \(read) lines")
        // The host counts per answer: after a reset the child may go on.
        child.resetCount()
        #expect(child.bytesRead < limit)
        #expect(try line(child, limit: limit) == "flood")
    }

    @Test func stderrIsCopiedToTheLog() throws {
        defer { remove() }
        try "an earlier run\n".write(toFile: log, atomically: true, encoding: .utf8)
        let child = try shell("echo 'something went wrong' >&2; printf 'no newline' >&2; echo done")
        #expect(try line(child) == "done")
        child.stop()
        #expect(try String(contentsOfFile: log, encoding: .utf8) == "an earlier run\nsomething went wrong\nno newline", "appended, as written")
    }

    @Test func theLogKeepsAtMostItsCapPerRun() throws {
        defer { remove() }
        let child = try shell("head -c 3000000 /dev/zero | tr '\\0' x >&2; echo done")
        #expect(try line(child) == "done", "the child was not blocked on its stderr")
        child.stop()
        let kept = try Data(contentsOf: URL(fileURLWithPath: log))
        #expect(kept.count == PluginLog.cap + PluginLog.dropped.utf8.count)
        #expect(kept.prefix(PluginLog.cap).allSatisfy { $0 == UInt8(ascii: "x") })
        #expect(String(decoding: kept.suffix(PluginLog.dropped.utf8.count), as: UTF8.self) == PluginLog.dropped)
        // A new run starts a new allowance.
        let next = try shell("echo again >&2; echo done")
        #expect(try line(next) == "done")
        next.stop()
        #expect(try Data(contentsOf: URL(fileURLWithPath: log)).count == kept.count + "again\n".utf8.count)
    }

    @Test func stopEndsTheWholeProcessGroup() throws {
        defer { remove() }
        let child = try shell("sleep 30 & echo $!; sleep 30 & echo $!; wait")
        let grandchildren = try [line(child), line(child)].compactMap { pid_t($0) }
        #expect(grandchildren.count == 2)
        for pid in grandchildren + [child.pid] { #expect(kill(pid, 0) == 0, "\(pid) runs") }
        #expect(getpgid(child.pid) == child.pid, "the child leads a group of its own")
        #expect(grandchildren.allSatisfy { getpgid($0) == child.pid })
        let started = Date()
        child.stop()
        #expect(Date().timeIntervalSince(started) < 1)
        for pid in grandchildren + [child.pid] { #expect(isGone(pid), "\(pid) is still there") }
    }

    /// A child that ignores SIGTERM is killed all the same.
    @Test func stopKillsAChildThatIgnoresTheRequestToEnd() throws {
        defer { remove() }
        let child = try shell("trap '' TERM; echo ready; while :; do sleep 0.05; done")
        #expect(try line(child) == "ready")
        child.stop()
        #expect(isGone(child.pid))
    }

    @Test func theEnvironmentIsExactlyWhatWasGiven() throws {
        defer { remove() }
        let given = ["PATH": "/usr/bin:/bin", "HANDOFF_PLUGIN_DATA": "/tmp/x y", "LANG": "C.UTF-8", "EMPTY": ""]
        let child = try start(["/usr/bin/env"], environment: given)
        defer { child.stop() }
        var seen = Set(try lines(child))
        // The shell that starts the server in its folder says where that is, and nothing else.
        #expect(seen.remove("PWD=\(directory)") != nil)
        #expect(seen == Set(given.map { "\($0.key)=\($0.value)" }))
    }

    @Test func theServerStartsInItsFolder() throws {
        defer { remove() }
        let child = try start(["/bin/pwd"])
        defer { child.stop() }
        #expect(try lines(child) == [directory])
    }

    /// Gone, or a zombie left for whoever adopted it (the test's parent may not reap): either way
    /// it runs no more.
    func isGone(_ pid: pid_t) -> Bool {
        for _ in 0..<50 {
            if kill(pid, 0) != 0 && errno == ESRCH { return true }
            if let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
               let state = stat.split(separator: ")").last?.split(separator: " ").first, state == "Z" {
                return true
            }
            usleep(20_000)
        }
        return false
    }
}
