public import Foundation

/// A language model's answer to "which theme is this?", asked only for what the classifier was
/// unsure of, and kept so the same words never ask it twice.
public struct ThemeAnswer: Sendable, Hashable {
    public var theme: String
    /// The model and endpoint that answered, without credentials: `tiny at http://localhost:11434/v1`.
    public var model: String
    public var at: Date

    public init(theme: String, model: String, at: Date) {
        self.theme = theme
        self.model = model
        self.at = at
    }

    /// The text as the cache knows it: lower-cased, its spaces collapsed, so "Too  expensive" and
    /// "too expensive" are one question.
    public static func key(_ text: String) -> String {
        text.lowercased().split(whereSeparator: { $0.isWhitespace || $0.isNewline }).joined(separator: " ")
    }

    /// What the model is told: the taxonomy, and to answer with one id.
    public static func instruction(_ themes: [Theme]) -> String {
        let list = themes.map { "\($0.id): \($0.label)" } + ["\(ThemeClassifier.other): none of these"]
        return """
            You sort what B2B prospects tell sales reps into objection themes. Answer with exactly one theme id \
            from this list, and nothing else:
            \(list.joined(separator: "\n"))
            """
    }

    /// The theme an answer names (its id or label, on its first line, or its first word), or nil
    /// when it names none: an answer that is not a theme is not used.
    public static func theme(in answer: String, _ trackers: ThemeTrackers) -> String? {
        let line = answer.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        let trimmed = line.trimmingCharacters(in: .whitespaces.union(.punctuationCharacters))
        if let theme = trackers.theme(named: trimmed) { return theme }
        let first = trimmed.split(whereSeparator: { $0.isWhitespace }).first.map { String($0).trimmingCharacters(in: .punctuationCharacters) }
        return first.flatMap { trackers.theme(named: $0) }
    }
}
