import Foundation
import Platform

/// A plugin's stderr, copied into its log file by a thread of its own, so the plugin never waits
/// on Handoff to write it. Each run of a plugin (from its start until it is stopped) keeps at most
/// `cap` bytes; past that the log says so and the rest is read and dropped.
final class PluginLog: Sendable {
    static let cap = 1 << 20
    static let dropped = "\n[handoff] this plugin wrote more than 1 MiB to stderr since it started; the rest is dropped until it is next started\n"

    private let finished = DispatchSemaphore(value: 0)

    /// Copies from `stderr` (the read end of the plugin's stderr pipe, closed when the copying
    /// ends) to the end of the file at `path`, created mode 0600 if needed.
    init(reading stderr: Int32, into path: String) throws {
        let log = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard log >= 0 else { throw ChildProcess.Failure.cannotStart("cannot open its log \(path): \(String(cString: strerror(errno)))") }
        let thread = Thread { [finished] in
            Self.copy(from: stderr, to: log)
            close(stderr)
            close(log)
            finished.signal()
        }
        thread.start()
    }

    /// Waits until the plugin's stderr is closed (every process holding it has ended) and all of
    /// it is in the log; a process that escaped its group and still holds it is not waited for long.
    func waitUntilWritten() {
        _ = finished.wait(timeout: .now() + 1)
    }

    private static func copy(from stderr: Int32, to log: Int32) {
        var kept = 0
        var noted = false
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(stderr, $0.baseAddress!, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return }
            let keep = min(count, cap - kept)
            if keep > 0 {
                append(chunk[..<keep], to: log)
                kept += keep
            }
            // Said once, when the cap is reached; later output is still read, so the plugin never blocks.
            if keep < count && !noted {
                append(ArraySlice(dropped.utf8), to: log)
                noted = true
            }
        }
    }

    /// Writes all of `bytes`; a log that cannot be written (a full disk) loses them, not the plugin.
    private static func append(_ bytes: ArraySlice<UInt8>, to log: Int32) {
        var offset = bytes.startIndex
        while offset < bytes.endIndex {
            let written = bytes[offset...].withUnsafeBytes { write(log, $0.baseAddress!, $0.count) }
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { return }
            offset += written
        }
    }
}
