import Foundation
import HandoffCore
import HandoffPluginAPI

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

    public func render(_ reply: Reply, command: String, request: Request) -> Output {
        var output = Output()
        switch format {
        case .json:
            var pairs: [(String, JSONValue)] = [
                ("command", .string(command)), ("args", request.resolved), ("ok", .bool(reply.failure == nil)),
                ("result", reply.result),
            ]
            if let failure = reply.failure {
                pairs.append(("error", .object([("code", .string(failure.code)), ("message", .string(failure.message))])))
            }
            output.stdout = JSONValue.object(pairs).encoded() + "\n"
        case .markdown:
            output.stdout = reply.blocks.map(markdown).joined(separator: "\n") + "\n"
        case .csv:
            output = csv(reply)
        case .text:
            for block in reply.blocks {
                if case .warning(let message) = block {
                    output.stderr += style.yellow("warning: ") + message + "\n"
                } else {
                    output.stdout += text(block)
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
        output.stderr = style.red("error: ") + message + "\n" + (hint.map { "hint: \($0)\n" } ?? "")
        if format == .json {
            var failure: [(String, JSONValue)] = [("code", .string(code)), ("message", .string(message))]
            if let hint { failure.append(("hint", .string(hint))) }
            output.stdout = JSONValue.object([
                ("command", command.map(JSONValue.string) ?? .null), ("args", request?.resolved ?? .object([])),
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

    private func text(_ block: Block) -> String {
        switch block {
        case .text(let text): return text + "\n"
        case .heading(let text): return style.bold(text) + "\n"
        case .note(let text): return style.dim(text) + "\n"
        case .warning(let text): return "warning: \(text)\n"
        case .markdown(let text): return text + "\n"
        case .keyValues(let pairs):
            let width = pairs.map { $0.0.count }.max() ?? 0
            return pairs.map { "  " + TableLayout.padded($0.0, to: width) + "  " + $0.1 }
                .joined(separator: "\n") + "\n"
        case .table(let table): return TableLayout(table: table, width: style.width, style: style).render()
        case .chart(let chart): return chartText(chart)
        }
    }

    private func chartText(_ chart: BarChart) -> String {
        let labelWidth = min(28, chart.bars.map { $0.label.count }.max() ?? 0)
        let shownWidth = chart.bars.map { $0.shown.count }.max() ?? 0
        let barWidth = max(10, style.width - labelWidth - shownWidth - 6)
        let top = chart.bars.map(\.value).max() ?? 0
        var out = chart.title.isEmpty ? "" : style.bold(chart.title) + "\n"
        for bar in chart.bars {
            // Anything above zero shows at least a sliver, so it never reads as nothing.
            let eighths = top > 0 ? max(bar.value > 0 ? 1 : 0, Int((bar.value / top * Double(barWidth * 8)).rounded())) : 0
            let blocks = String(repeating: "█", count: eighths / 8) + (eighths % 8 > 0 ? String(Self.partials[eighths % 8]) : "")
            out += "  " + TableLayout.padded(TableLayout.fit(bar.label, labelWidth), to: labelWidth)
                + " " + blocks + " " + bar.shown + "\n"
        }
        return out
    }

    private static let partials: [Character] = [" ", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]

    // MARK: Markdown

    private func markdown(_ block: Block) -> String {
        switch block {
        case .text(let text), .markdown(let text): return text + "\n"
        case .heading(let text): return "## \(text)\n"
        case .note(let text): return "_\(text)_\n"
        case .warning(let text): return "> **Warning:** \(text)\n"
        case .keyValues(let pairs): return pairs.map { "- **\($0.0)**: \($0.1)" }.joined(separator: "\n") + "\n"
        case .table(let table):
            let escape = { (cell: String) in cell.replacingOccurrences(of: "|", with: "\\|") }
            var out = "| " + table.columns.map(escape).joined(separator: " | ") + " |\n"
            out += "|" + table.columns.indices.map { table.numeric.contains($0) ? " ---: |" : " --- |" }.joined() + "\n"
            for row in table.rows { out += "| " + row.map(escape).joined(separator: " | ") + " |\n" }
            return out
        case .chart(let chart):
            var out = chart.title.isEmpty ? "" : "**\(chart.title)**\n\n"
            out += "| | |\n| --- | ---: |\n"
            for bar in chart.bars { out += "| \(bar.label) | \(bar.shown) |\n" }
            return out
        }
    }
}
