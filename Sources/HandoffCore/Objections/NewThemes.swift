/// What sales says that fits no theme, grouped by the words it shares, so marketing sees where
/// the taxonomy should grow: "tariffs" said four times is a theme the definition lacks.
public enum NewThemes {
    /// Objections that share a word, the words most of them share, and an id a new theme could
    /// take from them.
    public struct Group: Sendable, Hashable {
        /// The shared words, most shared first, as written in the first objection that used each.
        public var words: [String]
        /// Newest first.
        public var objections: [Objection]
        /// A theme id made of the group's first word: letters, digits and `_`.
        public var suggestedTheme: String
    }

    /// Groups `objections` (of theme `other`) by shared words: each joins the group of its word
    /// the most of them use (ties go to the alphabet), counting only words that at least two use;
    /// an objection that shares no word with another is left out of every group and counted apart.
    /// Groups come largest first, then by their word. Filler words, stop words ("not", "now") and
    /// words under three letters do not count: they would join everything to everything.
    public static func group(_ objections: [Objection]) -> (groups: [Group], alone: [Objection]) {
        let words = objections.map { objection -> [ThemeTrackers.Word] in
            var seen = Set<String>()
            return ExampleModel.tokens(ThemeTrackers.words(objection.text))
                .filter { $0.bytes.count >= 3 && !Stopwords.contains($0.raw) && !$0.raw.allSatisfy(\.isNumber) && seen.insert($0.stem).inserted }
        }
        var used: [String: Int] = [:]
        var spelling: [String: String] = [:]
        for list in words {
            for word in list {
                used[word.stem, default: 0] += 1
                if spelling[word.stem] == nil { spelling[word.stem] = word.raw }
            }
        }
        var members: [String: [Int]] = [:]
        var alone: [Objection] = []
        for (index, list) in words.enumerated() {
            let shared = list.filter { used[$0.stem]! >= 2 }
            guard let key = shared.min(by: { (-used[$0.stem]!, $0.stem) < (-used[$1.stem]!, $1.stem) }) else {
                alone.append(objections[index])
                continue
            }
            members[key.stem, default: []].append(index)
        }
        // A word whose objections all went to other words' groups leaves a group of one; its
        // objection is alone after all.
        for (stem, indices) in members where indices.count < 2 {
            alone += indices.map { objections[$0] }
            members[stem] = nil
        }
        let groups = members.map { stem, indices -> Group in
            // The words at least half of the group uses, the key first.
            var counts: [String: Int] = [:]
            for index in indices { for word in words[index] { counts[word.stem, default: 0] += 1 } }
            let common = counts.filter { $0.key != stem && $0.value * 2 >= indices.count && $0.value >= 2 }
                .sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map(\.key)
            let shown = ([stem] + common).prefix(4).map { spelling[$0] ?? $0 }
            return Group(words: shown, objections: indices.map { objections[$0] }, suggestedTheme: shown[0])
        }
        return (groups.sorted { ($0.objections.count, $1.words[0]) > ($1.objections.count, $0.words[0]) }, alone)
    }
}
