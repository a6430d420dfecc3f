/// Breaks a line of prose into lines that fit a terminal, at spaces, the way a reader expects: a
/// word is only broken inside when it is wider than a whole line. Widths are terminal columns.
enum WordWrap {
    /// `line` as lines of at most `width` columns. With `hanging`, continuation lines are indented
    /// under the text after the line's leading spaces and list marker (`- `, `> `, `2) `), so an
    /// item or a quote still reads as one block; `continuation` sets that indent instead.
    static func lines(_ line: String, width: Int, hanging: Bool = true, continuation: Int? = nil) -> [String] {
        guard width > 0, line.terminalColumns > width else { return [line] }
        let hang = min(continuation ?? (hanging ? indentation(of: line) : 0), width / 2)
        let indent = String(repeating: " ", count: hang)
        var lines: [String] = []
        var current = ""
        var currentWidth = 0
        // Only the first line keeps the spaces before its first word; elsewhere the spaces a
        // break falls on are dropped.
        var atStart = true
        var lineIsEmpty = true
        for (gap, word) in words(of: line) {
            let gapWidth = gap.terminalColumns
            if !lineIsEmpty && currentWidth + gapWidth + word.terminalColumns > width {
                lines.append(current)
                (current, currentWidth, lineIsEmpty) = (indent, hang, true)
            } else if atStart || !lineIsEmpty {
                current += gap
                currentWidth += gapWidth
            }
            atStart = false
            var rest = Substring(word)
            while currentWidth + rest.terminalColumns > width {
                let head = prefix(of: rest, columns: width - currentWidth, atLeastOne: lineIsEmpty)
                if head.isEmpty {
                    lines.append(current)
                    (current, currentWidth, lineIsEmpty) = (indent, hang, true)
                    continue
                }
                current += head
                lines.append(current)
                (current, currentWidth, lineIsEmpty) = (indent, hang, true)
                rest = rest.dropFirst(head.count)
            }
            current += rest
            currentWidth += rest.terminalColumns
            lineIsEmpty = lineIsEmpty && rest.isEmpty
        }
        if !lineIsEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }

    /// The words of a line, each with the spaces before it.
    private static func words(of line: String) -> [(gap: String, word: String)] {
        var pairs: [(gap: String, word: String)] = []
        var gap = ""
        var word = ""
        for character in line {
            if character == " " {
                if !word.isEmpty {
                    pairs.append((gap, word))
                    (gap, word) = ("", "")
                }
                gap.append(character)
            } else {
                word.append(character)
            }
        }
        if !word.isEmpty { pairs.append((gap, word)) }
        return pairs
    }

    /// The longest start of `text` that takes at most `columns`; one character at least when asked,
    /// so a character wider than the line still moves on.
    private static func prefix(of text: Substring, columns: Int, atLeastOne: Bool) -> String {
        var taken = ""
        var width = 0
        for character in text {
            let next = character.terminalColumns
            if width + next > columns && !(atLeastOne && taken.isEmpty) { break }
            taken.append(character)
            width += next
        }
        return taken
    }

    /// How far continuation lines are indented: past leading spaces and a list or quote marker.
    static func indentation(of line: String) -> Int {
        let spaces = line.prefix { $0 == " " }
        var rest = line.dropFirst(spaces.count)
        var marker = 0
        if let first = rest.first, "-*•>·".contains(first), rest.dropFirst().first == " " {
            marker = 1
        } else {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            if !digits.isEmpty, let after = rest.dropFirst(digits.count).first, after == ")" || after == ".",
               rest.dropFirst(digits.count + 1).first == " " {
                marker = digits.count + 1
            }
        }
        guard marker > 0 else { return spaces.count }
        rest = rest.dropFirst(marker)
        return spaces.count + marker + rest.prefix { $0 == " " }.count
    }
}
