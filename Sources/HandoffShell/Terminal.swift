import Foundation
import Platform
import Synchronization

/// The process's standard streams, written with one system call per answer. A failed write to
/// standard output is kept (and later writes to it skipped) until `checkOutput` reports it: an
/// answer nobody receives must not pass for one given.
public enum Terminal {
    /// The errno of the first failed write to standard output, or 0.
    private static let outputFailure = Atomic<Int32>(0)

    /// Throws a `StreamError` (74) when a write to standard output has failed.
    public static func checkOutput() throws {
        let failure = outputFailure.load(ordering: .relaxed)
        if failure != 0 { throw StreamError.writeFailed("standard output", errno: failure) }
    }

    public static func write(_ output: Renderer.Output) {
        if !output.stdout.isEmpty { write(output.stdout, to: 1) }
        if !output.stderr.isEmpty { write(output.stderr, to: 2) }
    }

    public static func write(_ text: String, to descriptor: Int32) {
        if descriptor == 1 && outputFailure.load(ordering: .relaxed) != 0 { return }
        var text = text
        text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Platform.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 {
                    if written < 0 && errno == EINTR { continue }
                    // Nowhere to say that standard error failed; standard output's is kept.
                    if descriptor == 1 { _ = outputFailure.compareExchange(expected: 0, desired: written < 0 ? errno : EIO, ordering: .relaxed) }
                    return
                }
                offset += written
            }
        }
    }

    public static func isTerminal(_ descriptor: Int32) -> Bool { isatty(descriptor) == 1 }

    /// The terminal's width in columns: `COLUMNS` when it is set, as the user or a script asked,
    /// else what the terminal says (TIOCGWINSZ), else 80.
    public static func width(of descriptor: Int32 = 1) -> Int {
        if let value = getenv("COLUMNS"), let columns = Int(String(cString: value)), columns > 0 { return columns }
        return Platform.terminalColumns(of: descriptor) ?? 80
    }
}
