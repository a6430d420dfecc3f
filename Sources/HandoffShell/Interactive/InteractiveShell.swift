import CLibEdit
import Foundation
import HandoffCore
import HandoffPluginAPI

/// The REPL on a terminal: a prompt that names the lead in context, libedit for editing and
/// history, Ctrl-C that clears the line or cancels the running command, Ctrl-D or `exit` to leave.
public final class InteractiveShell {
    let session: Session
    let editor: LineEditor

    public init?(session: Session, historyFile: HistoryFile, completer: Completer) {
        self.session = session
        do {
            try historyFile.prepare()
        } catch {
            Terminal.write("warning: history is off: cannot use \(historyFile.path): \(error.localizedDescription)\n", to: 2)
        }
        guard let editor = LineEditor(historyFile: historyFile, completer: completer.complete) else { return nil }
        self.editor = editor
    }

    /// Ctrl-C pressed while a command runs: the command sees it through `Context.isCancelled`.
    public static let isCancelled: @Sendable () -> Bool = { handoff_interrupt_pending() != 0 }

    public func run(banner: String) {
        handoff_install_sigint()
        var shown = banner
        if let width = session.renderer.style.measuredWidth() {
            shown = banner.split(separator: "\n", omittingEmptySubsequences: false)
                .flatMap { WordWrap.lines(String($0), width: width) }.joined(separator: "\n")
        }
        Terminal.write(shown, to: 1)
        while true {
            let prompt = session.conversation.subject.map { "handoff [\(Self.short($0.name))]> " } ?? "handoff> "
            switch editor.read(prompt: prompt) {
            case .end:
                Terminal.write("\n", to: 1)
                return
            case .interrupted:
                Terminal.write("^C\n", to: 1)
            case .line(let line):
                let trimmed = line.trimmingWhitespace()
                if ["exit", "quit", "\\q"].contains(trimmed.lowercased()) { return }
                editor.remember(line)
                _ = handoff_take_interrupt()
                session.run(line)
                // A command that finished before it noticed Ctrl-C has nothing left to cancel.
                _ = handoff_take_interrupt()
            }
        }
    }

    /// The name in the prompt: a lead's name is data, so its control characters are shown.
    static func short(_ name: String) -> String {
        let shown = name.showingControlCharacters(keepingLineBreaks: false)
        return shown.count > 24 ? String(shown.prefix(23)) + "…" : shown
    }
}
