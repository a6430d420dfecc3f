import HandoffCore

/// One word of a command line, and whether it was quoted (quoted words are taken as written:
/// never a command word, a name to resolve, or a time word).
public struct Token: Sendable, Hashable {
    public var text: String
    public var quoted: Bool
    /// Where the word stands in the line, quotes included, so text can be taken from the line
    /// exactly as typed; nil for a token made up by code. Two equal words at two places are two tokens.
    public var range: Range<String.Index>?

    public init(_ text: String, quoted: Bool = false, range: Range<String.Index>? = nil) {
        self.text = text
        self.quoted = quoted
        self.range = range
    }
}

/// Splits a command line into words the way a shell does: spaces separate, single or double
/// quotes keep a phrase together, a backslash escapes the next character.
public enum Tokenizer {
    public static func tokens(_ line: String) throws -> [Token] {
        var tokens: [Token] = []
        var current = ""
        var inWord = false
        var quoted = false
        var quote: Character?
        var quoteStart = 0
        var escaping = false
        var start = line.startIndex
        var index = line.startIndex
        for (offset, character) in line.enumerated() {
            defer { index = line.index(after: index) }
            if escaping {
                current.append(character)
                escaping = false
                continue
            }
            if character == "\\" && quote != "'" {
                if !inWord { start = index }
                escaping = true
                inWord = true
                continue
            }
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
                continue
            }
            if character == "\"" || character == "“" || character == "”" || (character == "'" && !inWord) {
                quote = character == "“" || character == "”" ? "”" : character
                quoteStart = offset + 1
                if !inWord { start = index }
                inWord = true
                quoted = true
            } else if character.isWhitespace {
                if inWord { tokens.append(Token(current, quoted: quoted, range: start..<index)) }
                current = ""
                inWord = false
                quoted = false
            } else {
                if !inWord { start = index }
                current.append(character)
                inWord = true
            }
        }
        if let quote {
            throw UsageError(
                "the quote \(quote == "”" ? "“" : String(quote)) opened at column \(quoteStart) is never closed",
                hint: "close it, or escape it with a backslash")
        }
        if escaping { current.append("\\") }
        if inWord { tokens.append(Token(current, quoted: quoted, range: start..<line.endIndex)) }
        return tokens
    }

    public static func split(_ line: String) throws -> [String] { try tokens(line).map(\.text) }
}
