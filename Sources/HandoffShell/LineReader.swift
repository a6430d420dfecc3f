import Foundation

/// Reads lines from a file descriptor in chunks: for scripts and piped input. Invalid UTF-8 is
/// shown with replacement characters rather than dropped, so an error can point at it.
public final class LineReader {
    private let handle: FileHandle
    private var buffer = Data()
    private var finished = false

    public init(handle: FileHandle) { self.handle = handle }

    public func next() -> String? {
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                var line = buffer[buffer.startIndex..<newline]
                if line.last == 0x0D { line = line.dropLast() }
                buffer.removeSubrange(buffer.startIndex...newline)
                return String(decoding: line, as: UTF8.self)
            }
            if finished {
                guard !buffer.isEmpty else { return nil }
                defer { buffer.removeAll() }
                return String(decoding: buffer, as: UTF8.self)
            }
            let chunk = handle.availableData
            if chunk.isEmpty { finished = true } else { buffer.append(chunk) }
        }
    }
}
