import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The process's standard streams, written with one system call per answer.
public enum Terminal {
    public static func write(_ output: Renderer.Output) {
        if !output.stdout.isEmpty { write(output.stdout, to: 1) }
        if !output.stderr.isEmpty { write(output.stderr, to: 2) }
    }

    public static func write(_ text: String, to descriptor: Int32) {
        var text = text
        text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 {
                    if written < 0 && errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }

    public static func isTerminal(_ descriptor: Int32) -> Bool { isatty(descriptor) == 1 }

    /// The terminal's width in columns, or `COLUMNS`, or 100.
    public static func width(of descriptor: Int32 = 1) -> Int {
        var size = winsize()
        if ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 0 { return columns }
        return 100
    }
}
