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
                return table.numeric.contains(index) && !header ? Self.padded(fitted, to: widths[index], before: true) : Self.padded(fitted, to: widths[index])
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

    /// `text` with spaces after it (or before it) up to `width` columns; longer text is left whole
    /// (`fit` it first). Foundation's `padding(toLength:)` counts UTF-16 units, and its first call
    /// bridges through NSString.
    static func padded(_ text: String, to width: Int, before: Bool = false) -> String {
        let padding = String(repeating: " ", count: max(0, width - Self.width(of: text)))
        return before ? padding + text : text + padding
    }

    static func fit(_ text: String, _ width: Int) -> String {
        let flat = text.utf8.contains(0x0A) ? text.replacingOccurrences(of: "\n", with: " ") : text
        guard flat.count > width else { return flat }
        return String(flat.prefix(max(0, width - 1))) + "…"
    }
}

extension String {
    func replacingTrailingSpaces() -> String {
        guard let last = utf8.lastIndex(where: { $0 != 0x20 }) else { return "" }
        return last == utf8.index(before: utf8.endIndex) ? self : String(self[...last])
    }
}
