import HandoffCore
import HandoffPluginAPI

/// How a choice argument is read from the words of a line ("stage wile closed won").
extension Router {
    /// The words that name one of `accepted`, compared by letters and digits alone so a choice
    /// may be written in several words or with dashes ("closed won", "Closed-Won" are "closedwon"),
    /// and the choice they name. Of several, one of `options` beats an alias, and then the last
    /// wins: "move lead wile to customer" names the stage at its end.
    static func choice(in tokens: [Token], options: [String], accepted: [String]) -> (used: Range<Int>, chosen: String)? {
        var byKey: [String: String] = [:]
        for word in accepted where byKey[choiceKey(word)] == nil { byKey[choiceKey(word)] = word }
        var found: [(used: Range<Int>, chosen: String)] = []
        var start = 0
        while start < tokens.count {
            // The longest run of words that names a choice: "marketing qualified lead", not "lead".
            let run = stride(from: min(4, tokens.count - start), through: 1, by: -1).lazy.compactMap { length -> (Range<Int>, String)? in
                let key = choiceKey(tokens[start..<(start + length)].map(\.text).joined())
                return byKey[key].map { (start..<(start + length), $0) }
            }.first
            if let run {
                found.append(run)
                start = run.0.upperBound
            } else {
                start += 1
            }
        }
        return found.last { options.contains($0.chosen) } ?? found.last
    }

    /// The choice a word that names none of them was meant to be: only a near spelling of one
    /// ("opportunty"), never a word that merely shares letters ("salesqualifiedlead" is not
    /// "disqualified").
    static func nearChoice(_ word: String, options: [String]) -> String? {
        let key = choiceKey(word)
        return options.first { matches(key, $0) }
    }

    private static func choiceKey(_ text: String) -> String {
        text.lowercased().filter { $0.isLetter || $0.isNumber }
    }
}
