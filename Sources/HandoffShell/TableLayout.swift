import HandoffPluginAPI

/// Lays a table out in aligned columns that fit the terminal: when it is too wide, the widest
/// columns give way first and their cells end in "…".
struct TableLayout {
    let table: Table
    let width: Int
    let style: TerminalStyle

    func render() -> String {
        let columnCount = table.columns.count
        var widths = table.columns.map(\.count)
        for row in table.rows {
            for (index, cell) in row.prefix(columnCount).enumerated() { widths[index] = max(widths[index], Self.width(of: cell)) }
        }
        let gaps = 2 * (columnCount - 1) + 2
        while widths.reduce(0, +) + gaps > width, let widest = widths.indices.max(by: { widths[$0] < widths[$1] }), widths[widest] > 8 {
            widths[widest] -= 1
        }
        func line(_ cells: [String], header: Bool) -> String {
            let padded = cells.prefix(columnCount).enumerated().map { index, cell -> String in
                let fitted = Self.fit(cell, widths[index])
                let padding = String(repeating: " ", count: max(0, widths[index] - Self.width(of: fitted)))
                return table.numeric.contains(index) && !header ? padding + fitted : fitted + padding
            }
            let text = "  " + padded.joined(separator: "  ")
            return (header ? style.bold(text) : text).replacingTrailingSpaces() + "\n"
        }
        var out = line(table.columns, header: true)
        out += "  " + widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ") + "\n"
        for row in table.rows { out += line(row + Array(repeating: "", count: max(0, columnCount - row.count)), header: false) }
        return out
    }

    /// Display width: one column per character, with newlines shown as spaces.
    static func width(of text: String) -> Int { text.count }

    static func fit(_ text: String, _ width: Int) -> String {
        let flat = text.contains("\n") ? text.replacingOccurrences(of: "\n", with: " ") : text
        guard flat.count > width else { return flat }
        return String(flat.prefix(max(0, width - 1))) + "…"
    }
}

extension String {
    func replacingTrailingSpaces() -> String {
        var text = self
        while text.hasSuffix(" ") { text.removeLast() }
        return text
    }
}
