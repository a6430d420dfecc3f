import Foundation

/// The taxonomy's keyword trackers and names: each theme's phrases, found in a text in order and
/// with word forms ("don't really need" still says "don't need"), and each theme as a person or a
/// file names it. Cheap to build, so the router keeps one per line it reads.
public struct ThemeTrackers: Sendable {
    private let ids: [String]
    /// Every phrase of every theme, as words, with the theme it counts for.
    private let phrases: [(theme: Int, words: [Word])]
    /// The phrases each first word starts, by its stem; and, for first words long enough to
    /// forgive a typo, by the word and each of its one-letter deletions ("budget" under "budget",
    /// "udget", "bdget"…), so a token finds its phrases in a few dictionary reads: an import
    /// classifies a million lines, and comparing each word with every phrase was most of its time.
    private let byFirstStem: [String: [Int]]
    private let byFirstSpelling: [String: [Int]]
    /// Every theme's id and label, for reading a theme named in a file.
    private let names: [(id: String, label: String, phrases: [String])]

    public init(themes: [Theme]) {
        ids = themes.map(\.id)
        var phrases: [(theme: Int, words: [Word])] = []
        for (index, theme) in themes.enumerated() {
            phrases += theme.phrases.map(Self.words).filter { !$0.isEmpty }.map { (index, $0) }
        }
        var byFirstStem: [String: [Int]] = [:]
        var byFirstSpelling: [String: [Int]] = [:]
        for (index, phrase) in phrases.enumerated() {
            let first = phrase.words[0]
            byFirstStem[first.stem, default: []].append(index)
            guard first.forgivesTypos else { continue }
            for key in Set([first.raw] + Spelling.deletions(first.raw)) { byFirstSpelling[key, default: []].append(index) }
        }
        self.phrases = phrases
        self.byFirstStem = byFirstStem
        self.byFirstSpelling = byFirstSpelling
        names = themes.map { ($0.id, $0.label, $0.phrases.map { $0.lowercased() }) }
    }

    /// The theme a file or a person names: by its id, its label, or one of its phrases, ignoring
    /// case ("Price", "price / budget", "pricing" are all `price`); `other` is a theme too.
    public func theme(named text: String) -> String? {
        let key = text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let id = key.replacingOccurrences(of: " ", with: "_")
        if id == ThemeClassifier.other { return ThemeClassifier.other }
        return names.first { $0.id.lowercased() == id }?.id
            ?? names.first { $0.label.lowercased() == key }?.id
            ?? names.first { $0.phrases.contains(key) }?.id
    }

    /// The themes as a file may name them, for an error message.
    public var namesForMessage: String {
        names.map { "\($0.id) (\($0.label))" }.joined(separator: ", ")
    }

    /// The theme whose phrases the text holds most of (longer phrases count for more), or nil when
    /// it holds none: what a line says outright, with nothing guessed.
    public func trackedTheme(_ text: String) -> String? {
        let hits = self.hits(Self.words(text))
        guard let best = hits.indices.max(by: { (hits[$0], $1) < (hits[$1], $0) }), hits[best] > 0 else { return nil }
        return ids[best]
    }

    /// Each theme's phrase hits in the text, in the taxonomy's order: the words of every phrase found.
    func hits(_ tokens: [Word]) -> [Double] {
        var hits = [Double](repeating: 0, count: ids.count)
        var found = Set<Int>()
        for (position, token) in tokens.enumerated() {
            var candidates = byFirstStem[token.stem] ?? []
            if token.forgivesTypos {
                for key in [token.raw] + Spelling.deletions(token.raw) { candidates += byFirstSpelling[key] ?? [] }
            }
            for index in candidates where !found.contains(index) && Self.similar(token, phrases[index].words[0]) {
                if Self.continues(tokens, from: position, phrases[index].words) {
                    found.insert(index)
                    hits[phrases[index].theme] += Double(phrases[index].words.count)
                }
            }
        }
        return hits
    }

    /// A word as written (lower-cased) and its stem.
    struct Word: Sendable, Hashable {
        let raw: String
        let stem: String
        /// Its letters, as UTF-8, for comparing spellings without walking characters.
        let bytes: [UInt8]

        /// "IT" written in capitals: the IT department ("IT has nobody to set it up"), which the
        /// examples' model reads as a word of its own, not as the pronoun it drops as filler.
        /// Phrases and everything shown keep the word as "it".
        let isITDepartment: Bool

        init(raw: String, stem: String, isITDepartment: Bool = false) {
            self.raw = raw
            self.stem = stem
            self.isITDepartment = isITDepartment
            bytes = Array(raw.utf8)
        }

        /// Long enough that one typo cannot make it another word.
        var forgivesTypos: Bool { bytes.count >= 5 }
    }

    /// Lower-cased words with apostrophes dropped ("don't" → "dont"), each with its stem, so
    /// "prices", "priced" and "pricing" meet "price".
    static func words(_ text: String) -> [Word] {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return asciiWords(text) }
        return text
            .filter { $0 != "'" && $0 != "’" }
            .split(whereSeparator: { !$0.isLetter && !$0.isNumber })
            .map { word in
                let raw = word.lowercased()
                return Word(raw: raw, stem: Stemmer.stem(raw), isITDepartment: word == "IT")
            }
    }

    /// The same, for text in ASCII (nearly all of it), byte by byte: asking each character for its
    /// Unicode properties was most of the time taken to learn the examples.
    private static func asciiWords(_ text: String) -> [Word] {
        var words: [Word] = []
        var current: [UInt8] = []
        var capitals = 0
        func flush() {
            guard !current.isEmpty else { return }
            let raw = String(decoding: current, as: UTF8.self)
            words.append(Word(raw: raw, stem: Stemmer.stem(raw), isITDepartment: capitals == 2 && raw == "it"))
            current.removeAll(keepingCapacity: true)
            capitals = 0
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                current.append(byte + 32)
                capitals += 1
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): current.append(byte)
            case UInt8(ascii: "'"): break
            default: flush()
            }
        }
        flush()
        return words
    }

    /// Whether the rest of the phrase follows the token at `start` (which is like its first
    /// word) in order, each word within one word of the last ("don't really need" still says
    /// "don't need").
    private static func continues(_ tokens: [Word], from start: Int, _ phrase: [Word]) -> Bool {
        var position = start
        for word in phrase.dropFirst() {
            let candidates = [position + 1, position + 2].filter { $0 < tokens.count }
            guard let next = candidates.first(where: { similar(tokens[$0], word) }) else { return false }
            position = next
        }
        return true
    }

    /// The same stem, or one typo apart (a letter added, dropped, changed, or two swapped) for
    /// words long enough that a typo cannot make another word.
    static func similar(_ a: Word, _ b: Word) -> Bool {
        if a.stem == b.stem { return true }
        guard a.forgivesTypos, b.forgivesTypos, abs(a.bytes.count - b.bytes.count) <= 1 else { return false }
        return Spelling.oneEditApart(a.bytes, b.bytes)
    }
}
