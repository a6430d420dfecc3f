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
            output.stdout = reply.blocks.map(markdown).joined(separator: "\n") + "\n"
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

    // MARK: Markdown

    /// One block as CommonMark (with GFM tables): every line of text its own paragraph, every
    /// quote its own blockquote, so a Markdown reader shows what the terminal shows.
    private func markdown(_ block: Block) -> String {
        switch block {
        // Each line a paragraph: lines that follow each other would run together into one.
        case .text(let text): return Self.lines(text).map(Self.literal).joined(separator: "\n\n") + "\n"
        case .markdown(let text): return text + "\n"
        case .heading(let text): return "## \(Self.literal(Self.lines(text).joined(separator: " ")))\n"
        case .note(let text): return Self.lines(text).map { "_\(Self.literal($0))_" }.joined(separator: "\n\n") + "\n"
        case .quote(let text): return Self.lines(text).map { "> " + Self.literal($0) }.joined(separator: "\n") + "\n"
        case .warning(let text): return "> **Warning:** " + Self.lines(text).map(Self.literal).joined(separator: "\n> ") + "\n"
        case .keyValues(let pairs):
            return pairs.map { key, value in
                let key = key.trimmingCharacters(in: .whitespaces)
                return "- " + (key.isEmpty ? "" : "**\(Self.literal(key))**: ") + Self.literal(Self.lines(value).joined(separator: " "))
            }.joined(separator: "\n") + "\n"
        case .table(let table):
            guard !table.rows.isEmpty else { return "" }
            var out = "| " + table.columns.map(Self.cell).joined(separator: " | ") + " |\n"
            out += "|" + table.columns.indices.map { table.numeric.contains($0) ? " ---: |" : " --- |" }.joined() + "\n"
            for row in table.rows {
                let cells = row.prefix(table.columns.count) + Array(repeating: "", count: max(0, table.columns.count - row.count))
                out += "| " + cells.map(Self.cell).joined(separator: " | ") + " |\n"
            }
            return out
        case .chart(let chart):
            var out = chart.title.isEmpty ? "" : "**\(Self.literal(chart.title))**\n\n"
            out += "| | |\n| --- | ---: |\n"
            for bar in chart.bars { out += "| \(Self.cell(bar.label)) | \(Self.cell(bar.shown)) |\n" }
            return out
        }
    }

    /// The lines of `text` without the indentation that lays them out in a terminal: in Markdown,
    /// four leading spaces would make a code block.
    static func lines(_ text: String) -> [String] {
        text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Text shown as written: names, quotes and notes come from data, and `*too*`, `<b>`, `[x](y)`
    /// or a leading `#` in one would otherwise render as emphasis, HTML, a link or a heading, so a
    /// verbatim quote would not read as said. Markdown's punctuation is escaped with a backslash
    /// outside code spans (Handoff's own `command` hints stay code).
    static func literal(_ text: String) -> String {
        let special: Set<Character> = ["\\", "*", "_", "<", ">", "[", "]", "&", "#", "~", "!"]
        guard text.contains(where: special.contains) else { return text }
        var out = ""
        var inCode = false
        for character in text {
            if character == "`" { inCode.toggle() }
            if !inCode && special.contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }

    /// A table cell: a pipe would end the cell and a line break the row.
    static func cell(_ text: String) -> String {
        literal(TableLayout.flat(text)).replacingOccurrences(of: "|", with: "\\|")
    }
}

extension Reply {
    /// The reply with control characters shown in every piece of text it holds (see
    /// `showingControlCharacters`), before any is styled, so the colours Handoff adds still work.
    func showingControlCharacters() -> Reply {
        func shown(_ text: String) -> String { text.showingControlCharacters() }
        var reply = self
        reply.blocks = blocks.map { block in
            switch block {
            case .text(let text): return .text(shown(text))
            case .heading(let text): return .heading(shown(text))
            case .note(let text): return .note(shown(text))
            case .quote(let text): return .quote(shown(text))
            case .warning(let text): return .warning(shown(text))
            case .markdown(let text): return .markdown(shown(text))
            case .keyValues(let pairs): return .keyValues(pairs.map { (shown($0.0), shown($0.1)) })
            case .table(var table):
                table.columns = table.columns.map(shown)
                table.rows = table.rows.map { $0.map(shown) }
                return .table(table)
            case .chart(var chart):
                chart.title = shown(chart.title)
                chart.bars = chart.bars.map { (shown($0.label), $0.value, shown($0.shown)) }
                return .chart(chart)
            }
        }
        if let failure { reply.failure?.message = shown(failure.message) }
        return reply
    }
}
