import Platform

/// Reads lines from a file descriptor in chunks: for scripts, piped input and `handoff mcp`.
/// Invalid UTF-8 is shown with replacement characters rather than dropped, so an error can point
/// at it. Memory stays within `limit` and a chunk whatever the input: a line that passes `limit`
/// is refused as soon as it does, and the rest of it is read past without being kept.
public final class LineReader {
    /// One line of the input: its text, or the start of a line too long to keep.
    public enum Line: Equatable, Sendable {
        case text(String)
        /// A line longer than `limit` bytes, with its first `limit` bytes.
        case tooLong(start: String)
    }

    /// What the input is called in an error: "standard input" or the file's path.
    public let name: String
    /// A longer line is refused.
    public let limit: Int
    /// A refused line still going after this many bytes ends the reading with an error (nil: the
    /// rest of a refused line is read past however long it is).
    public let endlessLimit: Int?

    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private var buffer: [UInt8]
    /// The current line starts at `start`; bytes up to `end` have been read; bytes before
    /// `scanned` hold no line end (each byte is searched once, however long the line).
    private var start = 0
    private var scanned = 0
    private var end = 0
    private var finished = false
    /// Bytes of the refused line being read past so far, or nil outside one.
    private var skipped: Int?
    private var lineNumber = 0

    public init(descriptor: Int32, name: String, limit: Int, endlessLimit: Int? = nil) {
        self.descriptor = descriptor
        self.name = name
        self.limit = limit
        self.endlessLimit = endlessLimit
        ownsDescriptor = false
        // Room for a whole line at the limit plus a read at least as large, so that moving a
        // partial line to the front is paid for by the reads after it.
        buffer = [UInt8](repeating: 0, count: limit + max(1 << 16, limit))
    }

    /// Opens `path`; a file that cannot be opened, or a folder, is a `StreamError` (66).
    public init(path: String, limit: Int, endlessLimit: Int? = nil) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw StreamError.cannotOpen(path, errno: errno) }
        var status = stat()
        if fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFDIR {
            close(descriptor)
            throw StreamError.cannotOpen(path, errno: EISDIR)
        }
        self.descriptor = descriptor
        name = path
        self.limit = limit
        self.endlessLimit = endlessLimit
        ownsDescriptor = true
        buffer = [UInt8](repeating: 0, count: limit + max(1 << 16, limit))
    }

    deinit { if ownsDescriptor { close(descriptor) } }

    /// The next line without its line end (LF or CRLF), or nil at the end of the input. Throws
    /// a `StreamError` when reading fails, or when a refused line passes `endlessLimit`.
    public func next() throws -> Line? {
        while true {
            if let skipped {
                if let newline = newline(from: start) {
                    try checkEndless(skipped + newline - start)
                    self.skipped = nil
                    start = newline + 1
                    scanned = start
                    continue
                }
                try checkEndless(skipped + end - start)
                self.skipped = skipped + end - start
                (start, scanned, end) = (0, 0, 0)
                if finished {
                    self.skipped = nil
                    return nil
                }
                try fill()
                continue
            }
            if let newline = newline(from: scanned) {
                lineNumber += 1
                let line = self.line(start..<newline)
                start = newline + 1
                scanned = start
                return line
            }
            scanned = end
            if end - start > limit {
                // Refused now, not when the line ends: it may never end.
                lineNumber += 1
                let refused = Line.tooLong(start: String(decoding: buffer[start..<(start + limit)], as: UTF8.self))
                skipped = end - start
                (start, scanned, end) = (0, 0, 0)
                return refused
            }
            if finished {
                guard start < end else { return nil }
                lineNumber += 1
                defer { (start, scanned, end) = (0, 0, 0) }
                return line(start..<end)
            }
            try fill()
        }
    }

    private func line(_ range: Range<Int>) -> Line {
        var range = range
        if range.upperBound > range.lowerBound && buffer[range.upperBound - 1] == 0x0D { range = range.lowerBound..<(range.upperBound - 1) }
        guard range.count <= limit else { return .tooLong(start: String(decoding: buffer[range.prefix(limit)], as: UTF8.self)) }
        return .text(String(decoding: buffer[range], as: UTF8.self))
    }

    private func newline(from index: Int) -> Int? {
        guard index < end else { return nil }
        return buffer.withUnsafeBufferPointer { bytes in
            memchr(bytes.baseAddress! + index, 0x0A, end - index).map { UnsafeRawPointer(bytes.baseAddress!).distance(to: $0) }
        }
    }

    private func checkEndless(_ length: Int) throws {
        if let endlessLimit, length > endlessLimit {
            throw StreamError.lineNeverEnds(name, line: lineNumber, limit: endlessLimit)
        }
    }

    /// Reads what is available into the free end of the buffer, first moving the partial line
    /// to the front when the free end is short; sets `finished` at the end of the input.
    private func fill() throws {
        if buffer.count - end < buffer.count - limit {
            buffer.withUnsafeMutableBufferPointer { bytes in
                _ = memmove(bytes.baseAddress!, bytes.baseAddress! + start, end - start)
            }
            (scanned, end) = (scanned - start, end - start)
            start = 0
        }
        while true {
            let count = buffer.withUnsafeMutableBufferPointer { bytes in
                read(descriptor, bytes.baseAddress! + end, bytes.count - end)
            }
            if count > 0 {
                end += count
                return
            }
            if count == 0 {
                finished = true
                return
            }
            switch errno {
            case EINTR: continue
            case EAGAIN:
                // Standard input left non-blocking by whoever started us: wait for it.
                var ready = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                _ = poll(&ready, 1, -1)
            case let failure: throw StreamError.readFailed(name, errno: failure)
            }
        }
    }
}
