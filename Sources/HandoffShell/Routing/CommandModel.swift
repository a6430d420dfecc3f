import Foundation
import HandoffCore

/// What the commands' sayings teach the router: a naive Bayes model over the words of a line,
/// with the names, times, numbers, files and quotes in it put as slots ("is {who} ready for sales
/// {period}"), so a line that matches no phrasing word for word still reaches the command whose
/// sayings use its words. Deterministic, and read-only once built.
struct CommandModel: Sendable {
    /// A line as the model reads it: its words, lower-cased, with slots for what the line names.
    struct Line: Sendable {
        var words: [String]
    }

    /// Stand-ins for what a line names rather than says: the model learns "is {who} ready", not
    /// "is acme ready".
    enum Slot {
        static let who = "{who}"
        static let period = "{period}"
        static let number = "{number}"
        static let file = "{file}"
        static let quote = "{quote}"
        /// A cell of the fit × engagement grid: "a1", "c3" (the sayings name some, people any).
        static let cell = "{cell}"
        static let all: Set<String> = [who, period, number, file, quote, cell]
    }

    struct Sample {
        let line: Line
        let command: Int
    }

    private let commandCount: Int
    private let bayes: NaiveBayes
    /// Every word the sayings use, for putting a misspelt word right.
    private let spelling: Spelling

    static let smoothing = 0.1

    init(samples: [Sample], commandCount: Int) {
        self.commandCount = commandCount
        var words: [String: Int] = [:]
        let counted = samples.map { sample in
            for word in sample.line.words where !Slot.all.contains(word) { words[word, default: 0] += 1 }
            return NaiveBayes.Sample(features: Self.featureNames(sample.line.words), label: sample.command, weight: 1)
        }
        bayes = NaiveBayes(samples: counted, labelCount: commandCount, smoothing: Self.smoothing)
        spelling = Spelling(words: words)
    }

    /// Each command's share of the line (they add up to 1).
    func shares(_ line: Line) -> [Double] {
        let words = line.words.map { word in
            guard !Slot.all.contains(word), spelling.count(of: word) == 0, let fixed = spelling.correction(of: word) else { return word }
            return fixed
        }
        var scores = [Double](repeating: 0, count: commandCount)
        for feature in Self.featureNames(words) {
            bayes.add(feature, weight: feature.hasPrefix("w ") ? 1 : feature.hasPrefix("r ") ? Self.formWeight : Self.pairWeight, to: &scores)
        }
        guard let best = scores.max() else { return [] }
        let exps = scores.map { exp($0 - best) }
        let sum = exps.reduce(0, +)
        return exps.map { $0 / sum }
    }

    /// Whether the sayings use this word (or a word with its stem).
    func knows(_ word: String) -> Bool { Self.spelledOut(word).contains { bayes.knows("w \(Stemmer.stem($0))") } }

    /// Each word's stem, each pair of neighbouring words (with "^" for the line's start: "show me"
    /// opens a lookup, "who" a question), and a plural or other form as written where the stem
    /// loses it ("leads" asks for a list, "lead" for one), once each, in the order found.
    static func featureNames(_ words: [String]) -> [String] {
        let expanded = words.flatMap(Self.spelledOut).filter { !fillers.contains($0) }
        let stems = expanded.map { Slot.all.contains($0) ? $0 : Stemmer.stem($0) }
        var names = stems.map { "w \($0)" }
        for (word, stem) in zip(expanded, stems) where word != stem { names.append("r \(word)") }
        for (first, second) in zip(["^"] + stems, stems) { names.append("b \(first) \(second)") }
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }

    /// A contraction as its words ("whos" → "who is", as the router's normalising leaves "who's"),
    /// and a hyphenated word as one word and its parts ("hand-off" is "handoff", "hand" and "off").
    static func spelledOut(_ word: String) -> [String] {
        if let words = contractions[word] { return words }
        guard word.contains("-"), !Slot.all.contains(word) else { return [word] }
        let parts = word.split(separator: "-").map(String.init)
        return [parts.joined()] + parts
    }

    /// Words any request is wrapped in ("can you …", "please", "the"): learned from forty lines a
    /// command, one saying that happens to be polite would pull every polite line its way.
    static let fillers: Set<String> = ["a", "an", "the", "can", "could", "would", "will", "you", "u", "please", "pls", "me", "my", "i", "we", "us", "our"]

    static let contractions: [String: [String]] = [
        "whos": ["who", "is"], "whats": ["what", "is"], "wheres": ["where", "is"], "hows": ["how", "is"], "thats": ["that", "is"],
        "isnt": ["is", "not"], "arent": ["are", "not"], "wasnt": ["was", "not"], "dont": ["do", "not"], "doesnt": ["does", "not"],
        "didnt": ["did", "not"], "cant": ["can", "not"], "wont": ["will", "not"], "shouldnt": ["should", "not"],
        "hes": ["he", "is"], "shes": ["she", "is"], "theyre": ["they", "are"], "im": ["i", "am"],
        "lets": ["let", "us"], "whys": ["why", "is"],
    ]

    /// Pairs say again much of what the words say.
    static let pairWeight = 0.7
    /// The form as written says a little more than its stem.
    static let formWeight = 0.5
}
