import Foundation

/// Places an objection under a theme of the definition's taxonomy, as Gong's trackers do: each
/// theme's phrases are keyword trackers (`ThemeTrackers`), and its example sentences train a model
/// (`ExampleModel`) that finds the theme however it is said, in words no phrase lists. Objections
/// the team filed by hand (`retheme`) are examples too, and count for more. Deterministic: the same
/// text, taxonomy and corrections always give the same theme and confidence.
public struct ThemeClassifier: Sendable {
    public static let other = "other"

    private let ids: [String]
    private let trackers: ThemeTrackers
    private let model: ExampleModel

    /// How much a phrase found counts, per word, against the model's log-odds: a tracker's hit is
    /// strong evidence, but the sentence's other words can still outweigh it.
    static let phraseWeight = 2.0
    /// How much a corrected objection counts, against one example of the definition.
    static let correctionWeight = 3.0
    /// The confidence from which a theme is taken without asking: of the labelled objections'
    /// training part, 97% of those classified at 0.9 or more were right, and about two in three
    /// of the rest (BENCHMARKS.md, "Understanding people's words").
    public static let sure = 0.9

    /// An objection the team filed under a theme by hand: the classifier learns from it.
    public struct Correction: Sendable, Hashable {
        public var text: String
        public var theme: String

        public init(text: String, theme: String) {
            self.text = text
            self.theme = theme
        }
    }

    public init(themes: [Theme], corrections: [Correction] = []) {
        ids = themes.map(\.id)
        trackers = ThemeTrackers(themes: themes)
        var samples: [ExampleModel.Sample] = []
        for (index, theme) in themes.enumerated() {
            samples += (theme.phrases + theme.examples).map { ExampleModel.Sample(text: $0, theme: index, weight: 1) }
        }
        let position = Dictionary(themes.enumerated().map { ($0.element.id, $0.offset) }, uniquingKeysWith: { first, _ in first })
        samples += corrections.compactMap { correction in
            position[correction.theme].map { ExampleModel.Sample(text: correction.text, theme: $0, weight: Self.correctionWeight) }
        }
        model = ExampleModel(samples: samples, themeCount: themes.count)
    }

    /// The theme a file or a person names: by its id, its label, or one of its phrases.
    public func theme(named text: String) -> String? { trackers.theme(named: text) }

    /// The themes as a file may name them, for an error message.
    public var namesForMessage: String { trackers.namesForMessage }

    public struct Classification: Sendable, Hashable {
        public var theme: String
        /// How sure: the winning theme's share of the evidence; 0 for `other`, when no word of the
        /// text is one the phrases or examples use.
        public var confidence: Double
        /// The runners-up, best first: themes with a share of at least 5%.
        public var nearest: [String]
        /// Every theme with a share of at least 1%, best first, the winner included.
        public var candidates: [Candidate]

        /// Whether the theme may be taken without asking a person: not `other`, and at least `sure`.
        public var isSure: Bool { theme != ThemeClassifier.other && confidence >= ThemeClassifier.sure }
    }

    /// A theme and its share of the evidence.
    public struct Candidate: Sendable, Hashable {
        public var theme: String
        public var confidence: Double
    }

    public func classify(_ text: String) -> Classification {
        let tokens = ThemeTrackers.words(text)
        let (modelled, known) = model.scores(tokens)
        let hits = trackers.hits(tokens)
        guard !ids.isEmpty, known > 0 || hits.contains(where: { $0 > 0 }) else {
            return Classification(theme: Self.other, confidence: 0, nearest: [], candidates: [])
        }
        // The scores are log-odds, so each theme's share is their softmax.
        let scores = zip(modelled, hits).map { $0 + Self.phraseWeight * $1 }
        let top = scores.max()!
        let weights = scores.map { exp($0 - top) }
        let total = weights.reduce(0, +)
        let ranked = weights.enumerated()
            .map { Candidate(theme: ids[$0.offset], confidence: $0.element / total) }
            .enumerated()
            // Ties keep the taxonomy's order, so the answer is the same every time.
            .sorted { ($0.element.confidence, -$0.offset) > ($1.element.confidence, -$1.offset) }
            .map(\.element)
        let rounded = ranked.map { Candidate(theme: $0.theme, confidence: ($0.confidence * 100).rounded() / 100) }
        return Classification(
            theme: ranked[0].theme, confidence: rounded[0].confidence,
            nearest: ranked.dropFirst().filter { $0.confidence >= 0.05 }.map(\.theme),
            candidates: rounded.filter { $0.confidence >= 0.01 })
    }
}

extension ThemeClassifier {
    /// The classifier for these themes and corrections, learned once per process and reused while
    /// they stay the same: learning the built-in examples takes some milliseconds, and a script
    /// that logs a hundred objections should pay for it once.
    public static func reusing(themes: [Theme], corrections: [Correction]) -> ThemeClassifier {
        lastBuilt.withLock { last in
            if let last, last.themes == themes, last.corrections == corrections { return last.classifier }
            let built = ThemeClassifier(themes: themes, corrections: corrections)
            last = (themes, corrections, built)
            return built
        }
    }

    private static let lastBuilt = Locked<(themes: [Theme], corrections: [Correction], classifier: ThemeClassifier)?>(nil)
}

/// A value behind a lock.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<Result>(_ body: (inout Value) -> Result) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
