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
        let edge: Set<Character> = ["?", "!", ",", ";", ":", ".", "(", ")", "\"", "'", "’", "“", "”", "¿", "¡"]
        while let first = text.first, edge.contains(first) { text.removeFirst() }
        while let last = text.last, edge.contains(last) { text.removeLast() }
        for suffix in ["'s", "’s"] where text.hasSuffix(suffix) { text.removeLast(2) }
        return text.replacingOccurrences(of: "'", with: "").replacingOccurrences(of: "’", with: "")
    }

    /// Words that only hold a sentence together.
    static var stopwords: Set<String> { Stopwords.all }

    /// Openings that mark a follow-up to the previous question ("and last month?").
    static let followUps: [[String]] = [
        ["and", "what", "about"], ["and", "how", "about"], ["what", "about"], ["how", "about"], ["and", "for"],
        ["same", "for"], ["and"], ["same"],
    ]
}
