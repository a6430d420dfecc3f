import HandoffCore

/// How the router reads words: normalising them, and which carry no meaning of their own.
enum Vocabulary {
    /// Lower-cased, with surrounding punctuation and a possessive or contraction's apostrophe
    /// removed: "Acme's" → "acme", "don't" → "dont", "qualified?" → "qualified". Inner dots, dashes,
    /// @ and slashes stay, so emails, dates and paths survive.
    static func normalise(_ word: String) -> String { trimmed(word).lowercased() }

    /// The word without the punctuation around it or a possessive, case kept: how names and ids
    /// are looked up ("L339563's" → "L339563").
    static func trimmed(_ word: String) -> String {
        var text = word
        while let first = text.first, edge.contains(first) { text.removeFirst() }
        while let last = text.last, edge.contains(last) { text.removeLast() }
        for suffix in ["'s", "’s"] where text.hasSuffix(suffix) { text.removeLast(2) }
        // Most words have no apostrophe left: skip Foundation's replacing, the costliest step here.
        guard text.unicodeScalars.contains(where: { $0 == "'" || $0 == "’" }) else { return text }
        return text.replacingOccurrences(of: "'", with: "").replacingOccurrences(of: "’", with: "")
    }

    private static let edge: Set<Character> = ["?", "!", ",", ";", ":", ".", "(", ")", "\"", "'", "’", "“", "”", "¿", "¡"]

    /// Words that only hold a sentence together.
    static var stopwords: Set<String> { Stopwords.all }

    /// Openings that mark a follow-up to the previous question ("and last month?").
    static let followUps: [[String]] = [
        ["and", "what", "about"], ["and", "how", "about"], ["what", "about"], ["how", "about"], ["and", "for"],
        ["same", "for"], ["and"], ["same"],
    ]
}
