import Foundation

/// Answers as CommonMark (with GFM tables): what `--format markdown` prints, and what a command
/// that writes a document (the weekly report) writes. Every line of text is its own paragraph and
/// every quote its own blockquote, so a Markdown reader shows what the terminal shows.
public enum Markdown {
    /// The blocks as one document, a blank line between blocks; headings at `headingLevel` (a
    /// document that puts answers under headings of its own gives them a lower level).
    public static func render(_ blocks: [Block], headingLevel: Int = 2) -> String {
        blocks.map { block($0, headingLevel: headingLevel) }.joined(separator: "\n")
    }

    /// One block, ending in a line break.
    public static func block(_ block: Block, headingLevel: Int = 2) -> String {
        switch block {
        // Each line a paragraph: lines that follow each other would run together into one.
        case .text(let text): return lines(text).map(literal).joined(separator: "\n\n") + "\n"
        case .markdown(let text): return text + "\n"
        case .heading(let text): return String(repeating: "#", count: headingLevel) + " \(literal(lines(text).joined(separator: " ")))\n"
        case .note(let text): return lines(text).map { "_\(literal($0))_" }.joined(separator: "\n\n") + "\n"
        case .quote(let text): return lines(text).map { "> " + literal($0) }.joined(separator: "\n") + "\n"
        case .warning(let text): return "> **Warning:** " + lines(text).map(literal).joined(separator: "\n> ") + "\n"
        case .keyValues(let pairs):
            return pairs.map { key, value in
                let key = key.trimmingCharacters(in: .whitespaces)
                return "- " + (key.isEmpty ? "" : "**\(literal(key))**: ") + literal(lines(value).joined(separator: " "))
            }.joined(separator: "\n") + "\n"
        case .table(let table):
            guard !table.rows.isEmpty else { return "" }
            var out = "| " + table.columns.map(cell).joined(separator: " | ") + " |\n"
            out += "|" + table.columns.indices.map { table.numeric.contains($0) ? " ---: |" : " --- |" }.joined() + "\n"
            for row in table.rows {
                let cells = row.prefix(table.columns.count) + Array(repeating: "", count: max(0, table.columns.count - row.count))
                out += "| " + cells.map(cell).joined(separator: " | ") + " |\n"
            }
            return out
        case .chart(let chart):
            var out = chart.title.isEmpty ? "" : "**\(literal(chart.title))**\n\n"
            out += "| | |\n| --- | ---: |\n"
            for bar in chart.bars { out += "| \(cell(bar.label)) | \(cell(bar.shown)) |\n" }
            return out
        }
    }

    /// The lines of `text` without the indentation that lays them out in a terminal: in Markdown,
    /// four leading spaces would make a code block.
    public static func lines(_ text: String) -> [String] {
        text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Text shown as written: names, quotes and notes come from data, and `*too*`, `<b>`, `[x](y)`
    /// or a leading `#` in one would otherwise render as emphasis, HTML, a link or a heading, so a
    /// verbatim quote would not read as said. Markdown's punctuation is escaped with a backslash
    /// outside code spans (Handoff's own `command` hints stay code).
    public static func literal(_ text: String) -> String {
        let special: Set<Character> = ["\\", "*", "_", "<", ">", "[", "]", "&", "#", "~", "!"]
        guard text.contains(where: special.contains) else { return text }
        // A backtick without its pair opens no code span: it is escaped like the rest, or a name
        // such as "Zed `<img …>" would leave its markup unescaped.
        let paired = text.filter { $0 == "`" }.count % 2 == 0
        var out = ""
        var inCode = false
        for character in text {
            if character == "`" {
                if !paired {
                    out.append("\\`")
                    continue
                }
                inCode.toggle()
            }
            if !inCode && special.contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }

    /// A table cell: a pipe would end the cell and a line break the row.
    public static func cell(_ text: String) -> String {
        literal(text.onOneLine).replacingOccurrences(of: "|", with: "\\|")
    }
}

extension Reply {
    /// The reply with control characters shown in every piece of text it holds (see
    /// `showingControlCharacters`), before any is styled, so the colours Handoff adds still work.
    public func showingControlCharacters() -> Reply {
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
                if var figures = chart.figures {
                    figures.columns = figures.columns.map(shown)
                    figures.rows = figures.rows.map { $0.map(shown) }
                    chart.figures = figures
                }
                return .chart(chart)
            }
        }
        if let failure { reply.failure?.message = shown(failure.message) }
        return reply
    }
}
