import HandoffCore

/// How the router reads words: normalising them, and which carry no meaning of their own.
enum Vocabulary {
    /// Lower-cased, with surrounding punctuation and a possessive or contraction's apostrophe
    /// removed: "Acme's" → "acme", "don't" → "dont", "qualified?" → "qualified". Inner dots, dashes,
    /// @ and slashes stay, so emails, dates and paths survive.
    static func normalise(_ word: String) -> String { trimmed(word).lowercased() }

    /// The words of a phrase, split at spaces (by scalar: splitting by character costs grapheme
    /// breaking, which building the router did for every phrasing of every command).
    static func words(_ phrase: String) -> [String] {
        phrase.unicodeScalars.split(separator: " ").map(String.init)
    }

    /// The word without the punctuation around it or a possessive, case kept: how names and ids
    /// are looked up ("L339563's" → "L339563").
    static func trimmed(_ word: String) -> String {
        // Scalar by scalar: the router trims every phrasing at start-up, and characters (grapheme
        // breaking) in a Set cost a one-shot run more than the rest of building the router.
        let scalars = word.unicodeScalars
        var (start, end) = (scalars.startIndex, scalars.endIndex)
        while start < end, isEdge(scalars[start]) { scalars.formIndex(after: &start) }
        while start < end, isEdge(scalars[scalars.index(before: end)]) { scalars.formIndex(before: &end) }
        var text = start == scalars.startIndex && end == scalars.endIndex ? word : String(scalars[start..<end])
        let tail = text.unicodeScalars.suffix(2)
        if tail.count == 2, tail.last == "s", let mark = tail.first, mark == "'" || mark == "’" { text.unicodeScalars.removeLast(2) }
        guard text.unicodeScalars.contains(where: { $0 == "'" || $0 == "’" }) else { return text }
        return String(text.unicodeScalars.filter { $0 != "'" && $0 != "’" })
    }

    private static func isEdge(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "?", "!", ",", ";", ":", ".", "(", ")", "\"", "'", "’", "“", "”", "¿", "¡": true
        default: false
        }
    }

    /// Words that only hold a sentence together.
    static var stopwords: Set<String> { Stopwords.all }

    /// "acme said …", "tony told me …": words that only report speech, left out of the text logged.
    /// Verbs that say more ("complained about", "pushed back on") stay in it.
    static let reportingVerbs: [[String]] = [["told", "me"], ["told", "us"], ["said"], ["says"], ["thinks"], ["thought"], ["mentioned"], ["wrote"]]

    /// Words that stand for the lead or account being discussed.
    static let pronouns: Set<String> = ["he", "she", "him", "her", "they", "them", "it"]
    /// What "this" or "that" may point at: "this one", "that lead".
    static let referents: Set<String> = ["one", "lead", "person", "account", "company", "guy", "contact", "prospect"]

    /// Openings that mark a follow-up to the previous question ("and last month?").
    static let followUps: [[String]] = [
        ["and", "what", "about"], ["and", "how", "about"], ["what", "about"], ["how", "about"], ["and", "for"],
        ["same", "for"], ["and"], ["same"],
    ]
}
