import Foundation

extension StringProtocol {
    /// The text with its control characters shown rather than obeyed, as `less` and `git` show
    /// them: names, notes and answers come from imported files, outside plugins and language
    /// models, and an escape sequence in one would otherwise clear the screen or retitle the
    /// terminal of whoever reads it. C0 controls and DEL become their pictures (ESC is `␛`, BEL
    /// `␇`); C1 controls, which some terminals obey as escape sequences (U+009B is CSI), become
    /// `<U+009B>`. The bidirectional embeddings, overrides and isolates (U+202A–U+202E,
    /// U+2066–U+2069) become `<U+202E>` too: a right-to-left override in a name reverses the text
    /// after it on screen, so `moc.emca@` reads as an address it is not ("Trojan Source"). The
    /// marks LRM and RLM stay, since Arabic and Hebrew text needs them and they reorder nothing
    /// beyond their neighbours. A tab is kept (it only moves along the line), and so are line
    /// breaks when `keepingLineBreaks`: in a paragraph they are its layout; in a line being echoed
    /// they are not.
    public func showingControlCharacters(keepingLineBreaks: Bool = true) -> String {
        func isShown(_ scalar: Unicode.Scalar) -> Bool {
            switch scalar.value {
            case 0x09: false
            case 0x0A: !keepingLineBreaks
            case 0x00..<0x20, 0x7F, 0x80..<0xA0, 0x202A...0x202E, 0x2066...0x2069: true
            default: false
            }
        }
        guard unicodeScalars.contains(where: isShown) else { return String(self) }
        var visible = String.UnicodeScalarView()
        for scalar in unicodeScalars {
            guard isShown(scalar) else {
                visible.append(scalar)
                continue
            }
            switch scalar.value {
            case 0x7F: visible.append("\u{2421}")
            case 0x80...: visible.append(contentsOf: scalar.codePointName.unicodeScalars)
            default: visible.append(Unicode.Scalar(0x2400 + scalar.value)!)
            }
        }
        return String(visible)
    }

    /// Line breaks (a CRM note's CRLF too) and tabs shown as spaces: a table row stays one row, a
    /// carriage return cannot send the cursor back over it, and a tab cannot jump past the columns
    /// counted for it.
    public var onOneLine: String {
        guard utf8.contains(where: { $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) else { return String(self) }
        return String(replacingOccurrences(of: "\r\n", with: " ").map { $0 == "\n" || $0 == "\r" || $0 == "\t" ? " " : $0 })
    }
}

private extension Unicode.Scalar {
    /// `<U+009B>`, as `less` names a character it will not show.
    var codePointName: String {
        let digits = String(value, radix: 16, uppercase: true)
        return "<U+\(String(repeating: "0", count: max(0, 4 - digits.count)))\(digits)>"
    }
}
