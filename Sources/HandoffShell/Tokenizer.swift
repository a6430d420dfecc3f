import HandoffCore

/// Splits a command line into words the way a shell does: spaces separate, single or double
/// quotes keep a phrase together, a backslash escapes the next character.
public enum Tokenizer {
    public static func split(_ line: String) throws -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        var quoteStart = 0
        var escaping = false
        for (offset, character) in line.enumerated() {
            if escaping {
                current.append(character)
                escaping = false
                continue
            }
            if character == "\\" && quote != "'" {
                escaping = true
                inWord = true
                continue
            }
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
                continue
            }
            if character == "\"" || character == "'" || character == "“" || character == "”" {
                quote = character == "“" || character == "”" ? "”" : character
                quoteStart = offset + 1
                inWord = true
            } else if character.isWhitespace {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
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
        if inWord { words.append(current) }
        return words
    }
}
