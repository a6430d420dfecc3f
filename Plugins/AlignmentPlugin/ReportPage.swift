import Foundation
import HandoffPluginAPI

/// The report as one self-contained HTML page a marketer can open or mail: styles inline, charts
/// drawn as inline SVG, no script, and a content security policy that lets the page fetch nothing,
/// so it looks the same offline, in a mail client, and a year from now.
struct ReportPage {
    var title: String
    /// Who made it and when, under the title.
    var generated: String
    var sections: [(title: String, blocks: [Block])]

    var html: String {
        var out = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
            <title>\(Self.escaped(title))</title>
            <style>\(Self.style)</style>
            </head>
            <body>
            <header><h1>\(Self.escaped(title))</h1><p class="generated">\(Self.escaped(generated))</p></header>

            """
        for section in sections {
            out += "<section>\n<h2>\(Self.escaped(section.title))</h2>\n"
            for block in section.blocks { out += Self.html(block) }
            out += "</section>\n"
        }
        return out + "</body>\n</html>\n"
    }

    static let style = """
        body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2733;max-width:980px;margin:24px auto;padding:0 20px}
        h1{font-size:26px;margin:0}h2{font-size:20px;border-bottom:2px solid #dfe5ec;padding-bottom:4px;margin-top:32px}h3{font-size:16px;margin:18px 0 6px}
        .generated,.note{color:#5d6b7a}.note{font-size:13px}
        .warning{background:#fff4d6;border-left:4px solid #e0a100;padding:6px 10px}
        blockquote{margin:6px 0 6px 8px;padding-left:12px;border-left:3px solid #c9d3de;color:#33414f}
        table{border-collapse:collapse;margin:8px 0;font-size:14px}th,td{padding:4px 10px;border-bottom:1px solid #e6ebf0;text-align:left;vertical-align:top}
        th{background:#f2f5f8}.num{text-align:right;font-variant-numeric:tabular-nums}
        dl{display:grid;grid-template-columns:max-content auto;gap:4px 16px;margin:8px 0}dt{font-weight:600}dd{margin:0}
        code{background:#f2f5f8;padding:0 3px;border-radius:3px}pre{background:#f7f9fb;padding:10px;white-space:pre-wrap}
        figure{margin:10px 0}figcaption{font-weight:600;margin-bottom:4px}svg text{font:13px system-ui,sans-serif;fill:#1d2733}
        """

    /// Text from data as HTML text: markup characters escaped, control characters shown, and
    /// Handoff's own `command` hints set as code.
    static func escaped(_ text: String) -> String {
        var out = ""
        for character in text.showingControlCharacters() {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    static func inline(_ text: String) -> String {
        let parts = text.split(separator: "`", omittingEmptySubsequences: false)
        // An odd count of backticks leaves the last one as written.
        guard parts.count % 2 == 1 else { return escaped(text) }
        return parts.enumerated().map { index, part in index % 2 == 1 ? "<code>\(escaped(String(part)))</code>" : escaped(String(part)) }.joined()
    }

    static func html(_ block: Block) -> String {
        switch block {
        case .text(let text): return Markdown.lines(text).map { "<p>\(inline($0))</p>\n" }.joined()
        case .heading(let text): return "<h3>\(inline(text))</h3>\n"
        case .note(let text): return Markdown.lines(text).map { "<p class=\"note\">\(inline($0))</p>\n" }.joined()
        case .quote(let text): return "<blockquote>" + Markdown.lines(text).map(escaped).joined(separator: "<br>") + "</blockquote>\n"
        case .warning(let text): return "<p class=\"warning\"><strong>Warning:</strong> \(inline(text))</p>\n"
        case .markdown(let text): return "<pre>\(escaped(text))</pre>\n"
        case .keyValues(let pairs):
            return "<dl>" + pairs.map { "<dt>\(inline($0.0.trimmingCharacters(in: .whitespaces)))</dt><dd>\(inline($0.1))</dd>" }.joined() + "</dl>\n"
        case .table(let table):
            guard !table.rows.isEmpty else { return "" }
            func cell(_ tag: String, _ index: Int, _ text: String) -> String {
                "<\(tag)\(table.numeric.contains(index) ? " class=\"num\"" : "")>\(inline(text))</\(tag)>"
            }
            var out = "<table><thead><tr>" + table.columns.enumerated().map { cell("th", $0, $1) }.joined() + "</tr></thead><tbody>\n"
            for row in table.rows {
                out += "<tr>" + table.columns.indices.map { cell("td", $0, $0 < row.count ? row[$0] : "") }.joined() + "</tr>\n"
            }
            return out + "</tbody></table>\n"
        case .chart(let chart): return BarChartSVG(chart: chart).figure
        }
    }
}

/// A bar chart as inline SVG: a label, a bar drawn to scale, and the value as the answer shows it,
/// one row each. Long labels wrap onto more lines rather than being cut.
struct BarChartSVG {
    var chart: BarChart

    static let width = 760.0
    static let characterWidth = 7.4
    static let lineHeight = 16.0
    static let barHeight = 14.0

    var figure: String {
        let labelChars = min(36, max(6, chart.bars.map { $0.label.count }.max() ?? 0))
        let labelWidth = Double(labelChars) * Self.characterWidth + 10
        let valueWidth = Double(chart.bars.map { $0.shown.count }.max() ?? 1) * Self.characterWidth + 10
        let barRoom = max(60, Self.width - labelWidth - valueWidth)
        let top = chart.bars.map(\.value).max() ?? 0
        var rows = ""
        var y = 4.0
        for bar in chart.bars {
            let lines = Self.wrapped(bar.label, to: labelChars)
            let rowHeight = max(Self.barHeight + 8, Double(lines.count) * Self.lineHeight + 6)
            let length = top > 0 ? max(bar.value > 0 ? 1 : 0, bar.value / top * (barRoom - 8)) : 0
            let middle = y + rowHeight / 2
            let label = lines.enumerated().map { index, line in
                "<tspan x=\"0\" y=\"\(Self.number(middle - Double(lines.count - 1) * Self.lineHeight / 2 + Double(index) * Self.lineHeight + 4.5))\">\(ReportPage.escaped(line))</tspan>"
            }.joined()
            rows += "<g><title>\(ReportPage.escaped(bar.label)): \(ReportPage.escaped(bar.shown))</title>"
            rows += "<text>\(label)</text>"
            rows += "<rect x=\"\(Self.number(labelWidth))\" y=\"\(Self.number(middle - Self.barHeight / 2))\" width=\"\(Self.number(length))\" height=\"\(Self.number(Self.barHeight))\" rx=\"2\" fill=\"#3b6fb6\"/>"
            rows += "<text x=\"\(Self.number(labelWidth + length + 6))\" y=\"\(Self.number(middle + 4.5))\">\(ReportPage.escaped(bar.shown))</text></g>\n"
            y += rowHeight
        }
        let height = y + 4
        let caption = chart.title.isEmpty ? "" : "<figcaption>\(ReportPage.escaped(chart.title))</figcaption>"
        return """
            <figure>\(caption)<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="\(ReportPage.escaped(chart.title.isEmpty ? "bar chart" : chart.title))" \
            width="\(Self.number(Self.width))" height="\(Self.number(height))" viewBox="0 0 \(Self.number(Self.width)) \(Self.number(height))">
            \(rows)</svg></figure>

            """
    }

    static func number(_ value: Double) -> String { String(format: "%.1f", value) }

    /// `text` in lines of at most `width` characters, broken at spaces (a longer word is broken where it must).
    static func wrapped(_ text: String, to width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ").map(String.init) {
            var word = word
            while word.count > width {
                if !line.isEmpty { lines.append(line); line = "" }
                lines.append(String(word.prefix(width)))
                word = String(word.dropFirst(width))
            }
            if line.isEmpty { line = word } else if line.count + 1 + word.count <= width { line += " " + word } else { lines.append(line); line = word }
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines
    }
}
