import Foundation

/// The words after a marker (`reject acme because …`) as the router hands them over: each phrase
/// that was typed in quotes comes in “ ”, so a command can tell what someone said from its own
/// words around it.
public enum QuotedPhrases {
    /// The words outside the quotes.
    public static func outside(_ text: String) -> String {
        var words = ""
        var inside = false
        for character in text {
            if character == "“" { inside = true } else if character == "”" { inside = false } else if !inside { words.append(character) }
        }
        return words.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// The text, without the quotes when one quoted phrase is all of it: `“logged twice”` is
    /// `logged twice`; `per the CFO “frozen”` stays as it is.
    public static func unwrapped(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("“"), trimmed.hasSuffix("”"), trimmed.count >= 2 else { return trimmed }
        let inner = trimmed.dropFirst().dropLast()
        return inner.contains("“") || inner.contains("”") ? trimmed : String(inner)
    }
}
