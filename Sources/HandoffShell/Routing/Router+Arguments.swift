public import HandoffCore
public import HandoffPluginAPI

/// Arguments that arrive one by one, each already meaning one thing (a tool call of `handoff mcp`),
/// resolved without reading them as a command line: a value is taken whole, so no word of it can
/// become an option, a quote's end, another argument or another command.
extension Router {
    /// What a name given on its own stands for.
    public enum Named {
        case one(Subject)
        /// Several leads or accounts fit it equally well: the caller must say which.
        case several(question: String, candidates: [Subject])
    }

    /// The lead or account `name` names (a name, an email or an external id), taken whole as a
    /// quoted name on a command line is.
    public func subject(named name: String) throws -> Named {
        let text = name.trimmingWhitespace()
        switch try resolver.resolve(text, strong: false) {
        case .one(let match): return .one(match.subject)
        case .several(let matches): return .several(question: "'\(text)' could be several; which one?", candidates: matches.map(\.subject))
        case .none: throw NotFoundError("no lead or account matches '\(text)'", hint: "try part of the name, an email address, or `leads` to list them")
        }
    }

    /// The period `text` says, all of it time words ("last quarter", "since 2026-10-01").
    public func period(_ text: String) throws -> TimeRange {
        guard let range = timeParser.parse(text.trimmingWhitespace()) else {
            throw UsageError(
                "'\(text)' is not a period",
                hint: "e.g. \(["today", "this week", "last month", "last quarter", "last 30 days", "since 2026-10-01", "q3"].joined(separator: ", "))")
        }
        return range
    }

    /// The objection theme `text` names as a whole: by its id, its label or one of its phrases, or
    /// (one word) a word of its label a typo or an ending away ("prices"). Words after a theme's
    /// name make it no theme at all.
    public func theme(named text: String) throws -> String {
        let words = text.split(whereSeparator: \.isWhitespace)
        if let theme = ThemeTrackers(themes: definition.themes).theme(named: text) { return theme }
        if words.count == 1, let (theme, _) = findTheme(in: [Token(String(words[0]))], named: true) { return theme }
        throw UsageError(
            "no objection theme called '\(text)'",
            hint: "themes: \(definition.themes.map(\.id).joined(separator: ", "))")
    }

    /// `command`'s arguments read from `words` as filter words (`mqls from webinar this month`,
    /// `at acme`): names, periods and words as the shell finds them after a command's name, but
    /// no option, no quote and no other command.
    public func request(_ command: Command, words: String) throws -> Outcome {
        var tokens: [Token] = []
        var start: String.Index?
        var index = words.startIndex
        while index <= words.endIndex {
            let atSpace = index == words.endIndex || words[index].isWhitespace
            if atSpace, let begun = start {
                tokens.append(Token(String(words[begun..<index]), range: begun..<index))
                start = nil
            } else if !atSpace, start == nil {
                start = index
            }
            if index == words.endIndex { break }
            index = words.index(after: index)
        }
        return try bind(
            command, tokens: tokens, line: words, free: false, base: nil, conversation: Conversation(), explanation: [],
            routeWords: [], takingOptions: false)
    }
}
