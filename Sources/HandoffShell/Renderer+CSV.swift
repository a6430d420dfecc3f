import Foundation
import HandoffPluginAPI

extension Renderer {
    /// An answer for a spreadsheet: each table, and the figures a chart is drawn from, as RFC 4180
    /// CSV (a header row, every cell whole, tables apart by a blank line) on standard output; what
    /// else the answer says goes to standard error, so `handoff --format csv -c "leads ready" >
    /// calls.csv` holds only the rows, and `objections this week` its themes' counts and changes.
    func csv(_ reply: Reply) -> Output {
        var output = Output()
        var tables: [String] = []
        func write(_ table: Table) {
            tables.append(([table.columns] + table.rows).map { $0.map(Self.csvField).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n")
        }
        for block in reply.blocks {
            switch block {
            case .table(let table):
                write(table)
            case .text(let line), .heading(let line), .note(let line), .markdown(let line):
                output.stderr += line + "\n"
            case .quote(let words):
                output.stderr += "  " + words + "\n"
            case .warning(let message):
                output.stderr += "warning: " + message + "\n"
            case .keyValues(let pairs):
                output.stderr += pairs.map { "\($0.0): \($0.1)" }.joined(separator: "\n") + "\n"
            case .chart(let chart):
                // Bars cannot be drawn in a cell; the figures they stand for can be written.
                if let figures = chart.figures { write(figures) }
            }
        }
        if tables.isEmpty {
            output.stderr += "note: this answer has no table to write as CSV; --format json gives all of it\n"
        }
        output.stdout = tables.joined(separator: "\r\n")
        return output
    }

    /// A cell as CSV writes it: quoted when it holds a comma, a quote or a line break. A cell a
    /// spreadsheet would run as a formula (`=`, `+`, `@`, or `-` unless the cell is a negative
    /// number: data from a CRM, typed by anyone; `-2+3` is a formula) starts with an apostrophe,
    /// which spreadsheets show as text.
    static func csvField(_ text: String) -> String {
        var text = text
        if let first = text.first, "=+@".contains(first) || (first == "-" && Double(text) == nil) {
            text = "'" + text
        }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
