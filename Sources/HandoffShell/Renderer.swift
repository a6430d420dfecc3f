import Foundation
import HandoffCore
public import HandoffPluginAPI

/// Turns replies and errors into text for a format and a terminal. The one place output is shaped.
public struct Renderer: Sendable {
    public var format: OutputFormat
    public var style: TerminalStyle

    public init(format: OutputFormat, style: TerminalStyle) {
        self.format = format
        self.style = style
    }

    /// What goes to stdout and to stderr for one answered command.
    public struct Output: Sendable {
        public var stdout = ""
        public var stderr = ""
    }

    /// The version of the JSON answers' shapes (docs/json.md), first in every answer: it goes up
    /// only when a key is renamed, dropped or changes meaning, so a script can check it once.
    public static let jsonSchema = 1

    public func render(_ reply: Reply, command: String, request: Request) -> Output {
        var output = Output()
        // Text from data is shown, never obeyed; JSON escapes control characters itself.
        let reply = format == .json ? reply : reply.showingControlCharacters()
        switch format {
        case .json:
            var pairs: [(String, JSONValue)] = [
                ("schema", .int(Self.jsonSchema)), ("command", .string(command)), ("args", request.resolved), ("ok", .bool(reply.failure == nil)),
                ("result", reply.result),
            ]
            if let failure = reply.failure {
                pairs.append(("error", .object([("code", .string(failure.code)), ("message", .string(failure.message))])))
            }
            output.stdout = JSONValue.object(pairs).encoded() + "\n"
        case .markdown:
            output.stdout = Markdown.render(reply.blocks) + "\n"
        case .csv:
            output = csv(reply)
        case .text:
            let width = style.measuredWidth()
            for block in reply.blocks {
                if case .warning(let message) = block {
                    output.stderr += style.yellow("warning: ") + message + "\n"
                } else {
                    output.stdout += text(block, width: width)
                }
            }
        }
        if let failure = reply.failure { output.stderr += style.red("error: ") + failure.message + "\n" }
        return output
    }

    /// An error, shown the same way whatever command raised it.
    public func render(_ error: any Error, command: String?, request: Request?) -> Output {
        let (code, message, hint) = Self.describe(error)
        var output = Output()
        // Messages quote what they refuse (a cell of a file, a plugin's answer).
        output.stderr = style.red("error: ") + message.showingControlCharacters() + "\n"
            + (hint.map { "hint: \($0.showingControlCharacters())\n" } ?? "")
        if format == .json {
            var failure: [(String, JSONValue)] = [("code", .string(code)), ("message", .string(message))]
            if let hint { failure.append(("hint", .string(hint))) }
            output.stdout = JSONValue.object([
                ("schema", .int(Self.jsonSchema)), ("command", command.map(JSONValue.string) ?? .null), ("args", request?.resolved ?? .object([])),
                ("ok", .bool(false)), ("result", .null), ("error", .object(failure)),
            ]).encoded() + "\n"
        }
        return output
    }

    static func describe(_ error: any Error) -> (code: String, message: String, hint: String?) {
        if let error = error as? any HandoffError { return (error.code, error.message, error.hint) }
        return ("internal", "internal error: \(error)", "this is a bug in Handoff; please report it with the command you ran")
    }

    // MARK: Text

    /// One block as text for a line of `width` columns, or of any length when `width` is nil.
    private func text(_ block: Block, width: Int?) -> String {
        switch block {
        case .text(let text): return prose(text, width: width) + "\n"
        case .heading(let text): return style.bold(prose(text, width: width)) + "\n"
        case .note(let text): return style.dim(prose(text, width: width)) + "\n"
        case .quote(let text):
            return prose(text.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n"), width: width) + "\n"
        case .warning(let text): return "warning: \(text)\n"
        case .markdown(let text): return prose(text, width: width, markdown: true) + "\n"
        case .keyValues(let pairs):
            let keyWidth = pairs.map { $0.0.terminalColumns }.max() ?? 0
            return pairs.map { key, value in
                let line = "  " + TableLayout.padded(key, to: keyWidth) + "  "
                guard let width else { return line + value }
                // The value wraps under itself, so the keys stay a column of their own.
                return WordWrap.lines(line + value, width: width, continuation: line.terminalColumns).joined(separator: "\n")
            }.joined(separator: "\n") + "\n"
        // A table with no rows says nothing a reader needs (the answer says it in words); CSV
        // still writes its header, so a spreadsheet or script sees the columns it expects.
        case .table(let table): return table.rows.isEmpty ? "" : TableLayout(table: table, width: width, style: style).render()
        case .chart(let chart): return chartText(chart, width: width)
        }
    }

    /// Text wrapped at spaces to `width`, line by line. In Markdown, code blocks and tables keep
    /// their lines: breaking them would change what they say.
    private func prose(_ text: String, width: Int?, markdown: Bool = false) -> String {
        guard let width, text.terminalColumns > width || text.contains("\n") else { return text }
        var inCode = false
        var out: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if markdown && line.hasPrefix("```") { inCode.toggle() }
            if markdown && (inCode || line.hasPrefix("```") || line.hasPrefix("|") || line.hasPrefix("    ")) {
                out.append(line)
            } else {
                out += WordWrap.lines(line, width: width)
            }
        }
        return out.joined(separator: "\n")
    }

    /// Bars drawn to scale. Labels are never cut: on a terminal a long one wraps under itself, and
    /// the bars take the room that is left, so every line fits.
    private func chartText(_ chart: BarChart, width: Int?) -> String {
        let longestLabel = chart.bars.map { $0.label.terminalColumns }.max() ?? 0
        let shownWidth = chart.bars.map { $0.shown.terminalColumns }.max() ?? 0
        let labelWidth: Int
        let barWidth: Int
        if let width {
            // Two spaces of margin, and a space either side of the bar.
            let room = width - shownWidth - 4
            labelWidth = min(longestLabel, max(8, room - Self.shortestBar))
            barWidth = max(1, room - labelWidth)
        } else {
            // Bars keep one length whatever the labels: a longer label makes its line longer.
            labelWidth = longestLabel
            barWidth = max(10, Self.nominalWidth - min(labelWidth, Self.nominalLabelRoom) - shownWidth - 6)
        }
        let top = chart.bars.map(\.value).max() ?? 0
        var out = chart.title.isEmpty ? "" : style.bold(prose(chart.title, width: width)) + "\n"
        for bar in chart.bars {
            // Anything above zero shows at least a sliver, so it never reads as nothing.
            let eighths = top > 0 ? max(bar.value > 0 ? 1 : 0, Int((bar.value / top * Double(barWidth * 8)).rounded())) : 0
            let blocks = String(repeating: "█", count: eighths / 8) + (eighths % 8 > 0 ? String(Self.partials[eighths % 8]) : "")
            let label = width == nil ? [bar.label] : WordWrap.lines(bar.label, width: labelWidth, hanging: false)
            out += "  " + TableLayout.padded(label[0], to: labelWidth) + " " + blocks + " " + bar.shown + "\n"
            for more in label.dropFirst() { out += "  " + more + "\n" }
        }
        return out
    }

    /// Bars get at least this many columns on a terminal before labels wrap to make room.
    private static let shortestBar = 20
    /// The line a chart is drawn for in a pipe or a file, where no terminal says how wide, and the
    /// room it sets aside there for labels.
    private static let nominalWidth = 100
    private static let nominalLabelRoom = 28

    private static let partials: [Character] = [" ", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
}
