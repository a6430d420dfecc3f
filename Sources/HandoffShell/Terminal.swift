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

    /// The terminal's width in columns: `COLUMNS` when it is set, as the user or a script asked,
    /// else what the terminal says (TIOCGWINSZ), else 80.
    public static func width(of descriptor: Int32 = 1) -> Int {
        if let value = getenv("COLUMNS"), let columns = Int(String(cString: value)), columns > 0 { return columns }
        var size = winsize()
        if ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }
}
