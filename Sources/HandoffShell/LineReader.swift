import Foundation

/// Reads lines from a file descriptor in chunks: for scripts and piped input. Invalid UTF-8 is
/// shown with replacement characters rather than dropped, so an error can point at it.
public final class LineReader {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    /// Where the next line starts in `buffer`: lines are read past, not removed one by one (which
    /// moved the rest of a long script in memory for every line).
    private var start = 0
    private var finished = false

    public init(handle: FileHandle) { self.handle = handle }

    public func next() -> String? {
        while true {
            if let newline = buffer[start...].firstIndex(of: 0x0A) {
                var end = newline
                if end > start && buffer[end - 1] == 0x0D { end -= 1 }
                defer { start = newline + 1 }
                return String(decoding: buffer[start..<end], as: UTF8.self)
            }
            if finished {
                guard start < buffer.count else { return nil }
                defer { buffer.removeAll(); start = 0 }
                return String(decoding: buffer[start...], as: UTF8.self)
            }
            if start > 0 {
                buffer.removeFirst(start)
                start = 0
            }
            let chunk = handle.availableData
            if chunk.isEmpty { finished = true } else { buffer.append(contentsOf: chunk) }
        }
    }
}
