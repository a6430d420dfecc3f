import Foundation
import HandoffPluginAPI

/// Lays a table out in aligned columns, counted in terminal columns. Without a width (a pipe, a
/// file) every cell is shown whole on one line. On a terminal too narrow for it, the widest
/// columns give way first and their text wraps onto continuation lines; when even that does not
/// fit, the last text columns are left out and a note names them. A number is never split or
/// shortened.
struct TableLayout {
    let table: Table
    /// Columns a line may take, or nil for no limit.
    let width: Int?
    let style: TerminalStyle

    /// A text column is not squeezed narrower than its longest word, so words wrap whole, unless
    /// that word is longer than this (an email, a URL): then it is broken.
    static let longestUnbrokenWord = 20
    /// When nothing else helps, text columns give way down to this many columns.
    static let narrowestText = 8

    func render() -> String {
        let count = table.columns.count
        let header = table.columns.map(\.onOneLine)
        let rows = table.rows.map { row in
            (row.prefix(count).map(\.onOneLine) + Array(repeating: "", count: max(0, count - row.count)))
        }
        var natural = header.map(\.terminalColumns)
        var widestValue = Array(repeating: 0, count: count)
        var longestWord = header.map(Self.longestWord)
        for row in rows {
            for (index, cell) in row.enumerated() {
                let columns = cell.terminalColumns
                natural[index] = max(natural[index], columns)
                widestValue[index] = max(widestValue[index], columns)
                if width != nil && columns > longestWord[index] { longestWord[index] = max(longestWord[index], Self.longestWord(cell)) }
            }
        }
        var shown = Array(0..<count)
        var widths = natural
        if let width {
            let comfortable = (0..<count).map { index in
                table.numeric.contains(index)
                    ? max(widestValue[index], longestWord[index])
                    : min(natural[index], longestWord[index], Self.longestUnbrokenWord)
            }
            let tight = (0..<count).map { index in
                table.numeric.contains(index) ? widestValue[index] : min(natural[index], Self.narrowestText)
            }
            (shown, widths) = fit(natural: natural, comfortable: comfortable, tight: tight, into: width)
        }

        func lines(_ cells: [String], header: Bool) -> String {
            let wrapped = shown.map { index -> [String] in
                let cell = cells[index]
                if cell.terminalColumns <= widths[index] { return [cell] }
                return WordWrap.lines(cell, width: widths[index], hanging: false)
            }
            let height = wrapped.map(\.count).max() ?? 1
            var out = ""
            for line in 0..<height {
                let padded = zip(shown, wrapped).map { index, parts -> String in
                    let part = line < parts.count ? parts[line] : ""
                    let right = table.numeric.contains(index) && !header
                    return Self.padded(part, to: widths[index], before: right)
                }
                let text = ("  " + padded.joined(separator: "  ")).replacingTrailingSpaces()
                out += (header ? style.bold(text) : text) + "\n"
            }
            return out
        }
        var out = lines(header, header: true)
        out += "  " + shown.map { String(repeating: "─", count: widths[$0]) }.joined(separator: "  ") + "\n"
        for row in rows { out += lines(row, header: false) }
        let left = (0..<count).filter { !shown.contains($0) }
        if let width, !left.isEmpty {
            let names = left.map { header[$0] }.joined(separator: ", ")
            let note = "Not shown at \(width) columns: \(names); a wider terminal or a pipe shows them."
            out += style.dim(WordWrap.lines(note, width: width).joined(separator: "\n")) + "\n"
        }
        return out
    }

    /// The columns shown and how wide each is. The widest give way a column at a time, down to
    /// their longest word; if that is not enough, the last text column other than the first is
    /// left out, and so on; with none left to leave out, the labels of numeric columns break, then
    /// words in text columns, but a number never does.
    private func fit(natural: [Int], comfortable: [Int], tight: [Int], into width: Int) -> (shown: [Int], widths: [Int]) {
        var shown = Array(natural.indices)
        func squeezed(to narrowest: [Int]) -> (widths: [Int], fits: Bool) {
            var widths = natural
            // Two spaces before each column: the margin and the gaps between them.
            var excess = shown.reduce(0) { $0 + widths[$1] + 2 } - width
            while excess > 0, let widest = shown.filter({ widths[$0] > narrowest[$0] }).max(by: { widths[$0] < widths[$1] }) {
                widths[widest] -= 1
                excess -= 1
            }
            return (widths, excess <= 0)
        }
        while true {
            let (widths, fits) = squeezed(to: comfortable)
            if fits { return (shown, widths) }
            guard let last = shown.dropFirst().last(where: { !table.numeric.contains($0) }) else { break }
            shown.removeAll { $0 == last }
        }
        // Headers give way before values do: a number's label may break, the text in a row later.
        let labelsBroken = natural.indices.map { table.numeric.contains($0) ? tight[$0] : comfortable[$0] }
        let (widths, fits) = squeezed(to: labelsBroken)
        return (shown, fits ? widths : squeezed(to: tight).widths)
    }

    /// `text` cut to `width` terminal columns, ending in "…" when it was longer: only for a
    /// terminal's passing lists (completions), never for an answer.
    static func fit(_ text: String, _ width: Int) -> String {
        // Completions list names from data, outside any reply.
        let flat = text.onOneLine.showingControlCharacters()
        guard flat.terminalColumns > width else { return flat }
        var kept = ""
        var columns = 0
        for character in flat {
            columns += character.terminalColumns
            if columns > width - 1 { break }
            kept.append(character)
        }
        return kept + "…"
    }

    static func longestWord(_ text: String) -> Int {
        text.split(separator: " ").map(\.terminalColumns).max() ?? 0
    }

    /// `text` with spaces after it (or before it) up to `width` terminal columns; longer text is
    /// left whole. Foundation's `padding(toLength:)` counts UTF-16 units, and its first call
    /// bridges through NSString.
    static func padded(_ text: String, to width: Int, before: Bool = false) -> String {
        let padding = String(repeating: " ", count: max(0, width - text.terminalColumns))
        return before ? padding + text : text + padding
    }
}

extension String {
    func replacingTrailingSpaces() -> String {
        guard let last = utf8.lastIndex(where: { $0 != 0x20 }) else { return "" }
        return last == utf8.index(before: utf8.endIndex) ? self : String(self[...last])
    }
}
