import Foundation

/// Places an objection under a theme of the definition's taxonomy by the phrases each theme lists.
/// Deterministic: the same text and taxonomy always give the same theme.
public struct ThemeClassifier: Sendable {
    public static let other = "other"

    private let themes: [(id: String, phrases: [[Word]])]
    /// Every theme's id and label, for reading a theme named in a file.
    private let names: [(id: String, label: String, phrases: [String])]

    public init(themes: [Theme]) {
        self.themes = themes.map { theme in
            (theme.id, theme.phrases.map(Self.words).filter { !$0.isEmpty })
        }
        names = themes.map { ($0.id, $0.label, $0.phrases.map { $0.lowercased() }) }
    }

    /// The theme a file or a person names: by its id, its label, or one of its phrases, ignoring
    /// case ("Price", "price / budget", "pricing" are all `price`); `other` is a theme too.
    public func theme(named text: String) -> String? {
        let key = text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let id = key.replacingOccurrences(of: " ", with: "_")
        if id == Self.other { return Self.other }
        return names.first { $0.id.lowercased() == id }?.id
            ?? names.first { $0.label.lowercased() == key }?.id
            ?? names.first { $0.phrases.contains(key) }?.id
    }

    /// The themes as a file may name them, for an error message.
    public var namesForMessage: String {
        names.map { "\($0.id) (\($0.label))" }.joined(separator: ", ")
    }

    public struct Classification: Sendable, Hashable {
        public var theme: String
        /// 0 when nothing matched; towards 1 the more the winning theme stands out.
        public var confidence: Double
        /// The runners-up, best first, for "did you mean" and for text filed under `other`.
        public var nearest: [String]
    }

    public func classify(_ text: String) -> Classification {
        let tokens = Self.words(text)
        var scores: [(id: String, score: Double)] = []
        for theme in themes {
            var score = 0.0
            for phrase in theme.phrases where Self.contains(tokens, phrase) {
                // Longer phrases are more specific, so they count for more.
                score += Double(phrase.count)
            }
            scores.append((theme.id, score))
        }
        let ranked = scores.enumerated()
            .sorted { ($0.element.score, -$0.offset) > ($1.element.score, -$1.offset) }
            .map(\.element)
        guard let best = ranked.first, best.score > 0 else {
            return Classification(theme: Self.other, confidence: 0, nearest: nearest(tokens))
        }
        let second = ranked.dropFirst().first?.score ?? 0
        let confidence = best.score / (best.score + second + 0.5)
        return Classification(
            theme: best.id, confidence: (confidence * 100).rounded() / 100,
            nearest: ranked.dropFirst().filter { $0.score > 0 }.map(\.id))
    }

    /// For text no phrase matched: the themes sharing the most single words with it, best first.
    private func nearest(_ tokens: [Word]) -> [String] {
        let overlaps = themes.map { theme -> (String, Int) in
            let words = theme.phrases.flatMap { $0 }
            // A shared beginning of five letters or more is enough here: "contractual" leans to "contract".
            let related = tokens.filter { token in
                token.raw.count >= 5 && words.contains { word in
                    word.raw.count >= 5 && (token.raw.hasPrefix(word.raw) || word.raw.hasPrefix(token.raw) || Self.similar(token, word))
                }
            }
            return (theme.id, related.count)
        }
        // Ties keep the taxonomy's order, so the suggestion is the same every time.
        return overlaps.enumerated().filter { $0.element.1 > 0 }
            .sorted { ($0.element.1, -$0.offset) > ($1.element.1, -$1.offset) }.prefix(2).map(\.element.0)
    }

    /// A word as written (lower-cased) and its stem.
    struct Word: Sendable, Hashable {
        let raw: String
        let stem: String
    }

    /// Lower-cased words with apostrophes dropped ("don't" → "dont"), each with its stem, so
    /// "prices", "priced" and "pricing" meet "price".
    static func words(_ text: String) -> [Word] {
        text.lowercased()
            .replacingOccurrences(of: "'", with: "")
            .replacingOccurrences(of: "’", with: "")
            .split(whereSeparator: { !$0.isLetter && !$0.isNumber })
            .map { Word(raw: String($0), stem: Stemmer.stem(String($0))) }
    }

    /// Whether the phrase's words appear in order, each within one word of the last ("don't
    /// really need" still says "don't need").
    private static func contains(_ tokens: [Word], _ phrase: [Word]) -> Bool {
        guard let first = phrase.first, phrase.count <= tokens.count else { return false }
        for start in tokens.indices where similar(tokens[start], first) {
            var position = start
            var matched = true
            for word in phrase.dropFirst() {
                let candidates = [position + 1, position + 2].filter { $0 < tokens.count }
                guard let next = candidates.first(where: { similar(tokens[$0], word) }) else {
                    matched = false
                    break
                }
                position = next
            }
            if matched { return true }
        }
        return false
    }

    /// The same stem, or one typo apart for words long enough that a typo cannot make another word.
    private static func similar(_ a: Word, _ b: Word) -> Bool {
        if a.stem == b.stem { return true }
        guard a.raw.count >= 5, b.raw.count >= 5, abs(a.raw.count - b.raw.count) <= 1 else { return false }
        return EditDistance.levenshtein(a.raw, b.raw, limit: 1) <= 1
    }
}
