import CLibEdit
import Foundation
import HandoffCore

/// Line editing through libedit: emacs keys, arrow-up recall, Ctrl-R search, Tab completion.
/// Only for a terminal; scripts read plain lines.
public final class LineEditor {
    public enum Input {
        case line(String)
        /// Ctrl-C: the line was dropped.
        case interrupted
        /// Ctrl-D on an empty line, or the terminal went away.
        case end
    }

    /// Given the line up to the cursor, what to complete: how many characters of it the
    /// completion replaces, and the candidates.
    public typealias Completer = (String) -> (replacing: Int, candidates: [String])

    private let editLine: OpaquePointer
    private let history: OpaquePointer
    private let historyFile: HistoryFile

    // libedit calls completion through a C function pointer, which carries no context: the one
    // editor of the process keeps its completer here.
    nonisolated(unsafe) private static var completer: Completer?

    public init?(historyFile: HistoryFile, completer: @escaping Completer) {
        handoff_setlocale()
        guard let history = handoff_history_open(Int32(historyFile.limit)) else { return nil }
        guard let editLine = handoff_el_open("handoff", history, LineEditor.complete) else { return nil }
        self.editLine = editLine
        self.history = history
        self.historyFile = historyFile
        Self.completer = completer
        _ = handoff_history_load(history, historyFile.path)
    }

    deinit {
        el_end(editLine)
        history_end(history)
    }

    public func read(prompt: String) -> Input {
        handoff_set_prompt(prompt)
        var count: Int32 = 0
        _ = handoff_take_interrupt()
        guard let text = el_gets(editLine, &count), count > 0 else {
            // libedit says -1 when the read was interrupted (Ctrl-C), 0 at end of input (Ctrl-D).
            if handoff_take_interrupt() != 0 || count < 0 {
                el_reset(editLine)
                return .interrupted
            }
            return .end
        }
        var line = String(cString: text)
        if line.hasSuffix("\n") { line.removeLast() }
        return .line(line)
    }

    /// Adds a line to the history in memory and to the file.
    public func remember(_ line: String) {
        guard !line.trimmingWhitespace().isEmpty else { return }
        _ = handoff_history_enter(history, line)
        historyFile.append(line)
    }

    private static let complete: handoff_complete_fn = { editLine, _ in
        guard let editLine, let info = el_line(editLine), let completer = LineEditor.completer else { return UInt8(CC_ERROR) }
        let start = UnsafeRawPointer(info.pointee.buffer!).assumingMemoryBound(to: UInt8.self)
        let length = UnsafeRawPointer(info.pointee.cursor!) - UnsafeRawPointer(info.pointee.buffer!)
        let text = String(decoding: UnsafeBufferPointer(start: start, count: length), as: UTF8.self)
        let (replacing, candidates) = completer(text)
        guard !candidates.isEmpty else { return UInt8(CC_REFRESH_BEEP) }
        let typed = String(text.suffix(replacing))
        if candidates.count == 1 {
            el_deletestr(editLine, Int32(replacing))
            el_insertstr(editLine, candidates[0] + (candidates[0].hasSuffix("/") ? "" : " "))
            return UInt8(CC_REFRESH)
        }
        let common = commonPrefix(candidates)
        if common.count > typed.count {
            el_deletestr(editLine, Int32(replacing))
            el_insertstr(editLine, common)
            return UInt8(CC_REFRESH)
        }
        // Several ways on: show them under the line, then redraw it.
        let width = min(40, (candidates.map(\.terminalColumns).max() ?? 10) + 2)
        let columns = max(1, 80 / width)
        var listing = "\n"
        for (index, candidate) in candidates.prefix(60).enumerated() {
            listing += TableLayout.padded(TableLayout.fit(candidate, width - 2), to: width)
            if (index + 1) % columns == 0 { listing += "\n" }
        }
        if !listing.hasSuffix("\n") { listing += "\n" }
        if candidates.count > 60 { listing += "… \(candidates.count - 60) more\n" }
        FileHandle.standardOutput.write(Data(listing.utf8))
        return UInt8(CC_REDISPLAY)
    }

    static func commonPrefix(_ strings: [String]) -> String {
        guard var prefix = strings.first else { return "" }
        for string in strings.dropFirst() {
            while !string.lowercased().hasPrefix(prefix.lowercased()) { prefix.removeLast() }
        }
        return prefix
    }
}
