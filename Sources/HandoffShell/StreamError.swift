public import HandoffCore
import Platform

/// Standard input, a script file or standard output failed: the run cannot go on. Said in one
/// line on stderr, and the run ends with the status `sysexits.h` gives the failure.
public struct StreamError: HandoffError {
    public let code: String
    public let message: String
    /// The exit status: 65 (EX_DATAERR), 66 (EX_NOINPUT) or 74 (EX_IOERR).
    public let status: Int32

    init(code: String, message: String, status: Int32) {
        self.code = code
        self.message = message
        self.status = status
    }

    /// The file cannot be opened, or is a folder (66).
    static func cannotOpen(_ name: String, errno number: Int32) -> StreamError {
        StreamError(code: "cannot_read", message: "cannot read \(name): \(describe(number))", status: 66)
    }

    /// Reading failed part-way, or from a stream that was never readable (74).
    static func readFailed(_ name: String, errno number: Int32) -> StreamError {
        number == EISDIR ? cannotOpen(name, errno: number) : StreamError(code: "read_failed", message: "cannot read \(name): \(describe(number))", status: 74)
    }

    /// Writing failed: the answers that follow would be lost too (74).
    static func writeFailed(_ name: String, errno number: Int32) -> StreamError {
        StreamError(code: "write_failed", message: "cannot write to \(name): \(describe(number))", status: 74)
    }

    /// A line that is still going past the point where no text could be meant (65).
    static func lineNeverEnds(_ name: String, line: Int, limit: Int) -> StreamError {
        StreamError(
            code: "line_never_ends",
            message: "line \(line) of \(name) runs on past \(limit) bytes without ending; the rest is not read",
            status: 65)
    }

    private static func describe(_ number: Int32) -> String {
        number == EISDIR ? "it is a folder" : String(cString: strerror(number))
    }
}
