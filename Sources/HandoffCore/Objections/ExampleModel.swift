import Foundation

/// What the themes' example sentences teach: a naive Bayes model over the words of the examples
/// and the pairs of words that follow each other, so a sentence that shares no phrase with any
/// theme still lands where sentences with its words were filed. Deterministic, built in
/// milliseconds from the definition, and read-only once built, so it can be shared by threads.
struct ExampleModel: Sendable {
    /// One sentence filed under a theme, and how much it counts (a correction counts more).
    struct Sample {
        let text: String
        let theme: Int
        let weight: Double
    }

    private let themeCount: Int
    /// log P(feature | theme) of each feature: a word's stem ("w budget"), two stems that follow
    /// each other ("b next quarter"), a word's beginning ("p integ").
    private let bayes: NaiveBayes
    /// Every word the examples use, as written, for putting a misspelt word right.
    private let spelling: Spelling

    /// Additive smoothing: a feature a theme never saw still has a small chance there.
    static let smoothing = 0.2

    init(samples: [Sample], themeCount: Int) {
        self.themeCount = themeCount
        var words: [String: Int] = [:]
        let counted = samples.map { sample in
            let sampleWords = ThemeTrackers.words(sample.text)
            for word in sampleWords { words[word.raw, default: 0] += 1 }
            return NaiveBayes.Sample(features: Self.featureNames(sampleWords), label: sample.theme, weight: sample.weight)
        }
        bayes = NaiveBayes(samples: counted, labelCount: themeCount, smoothing: Self.smoothing)
        spelling = Spelling(words: words)
    }

    /// Each theme's log-score for the text, and how many of its meaningful words (or their
    /// beginnings) the examples know: with none, the model has nothing to say, however many pairs
    /// of filler words it knows ("is that").
    func scores(_ words: [ThemeTrackers.Word]) -> (scores: [Double], known: Int) {
        var scores = [Double](repeating: 0, count: themeCount)
        let corrected = words.map { word in
            // A word no example uses may be a typo of one that is ("bugdet", "contarct").
            guard spelling.count(of: word.raw) == 0, let fixed = spelling.correction(of: word.raw) else { return word }
            return ThemeTrackers.Word(raw: fixed, stem: Stemmer.stem(fixed))
        }
        var known = 0
        for feature in Self.featureNames(corrected) {
            let weight = feature.hasPrefix("w ") ? 1 : Self.secondaryWeight
            if bayes.add(feature, weight: weight, to: &scores), !feature.hasPrefix("b ") { known += 1 }
        }
        return (scores, known)
    }

    /// The words that carry meaning: filler words ("the", "we", "it") say nothing about a theme.
    /// Negations and time words stay ("not", "no", "now"): "not now" is timing, "no budget" price.
    static func tokens(_ words: [ThemeTrackers.Word]) -> [ThemeTrackers.Word] {
        words.filter { !fillers.contains($0.raw) || $0.isITDepartment }
    }

    /// Each meaningful word's stem, each pair of words that follow each other (filler words
    /// included: "best you can do" is a discount request, though each of its words says little),
    /// and the first five letters of each longer word, which meet where the stemmer does not
    /// ("signature" and "signing", "integrates" and "integration").
    static func featureNames(_ words: [ThemeTrackers.Word]) -> [String] {
        let tokens = Self.tokens(words)
        var names = tokens.map { "w \($0.isITDepartment ? "IT" : $0.stem)" }
        for (first, second) in zip(words, words.dropFirst()) { names.append("b \(first.stem) \(second.stem)") }
        for token in tokens where token.bytes.count > prefixLength { names.append("p \(token.raw.prefix(prefixLength))") }
        // Each feature once, in the order found: a sentence says a word or it does not, and the
        // same order every time keeps the sums, and so the answer, the same.
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }

    static let prefixLength = 5
    /// Pairs and beginnings say again much of what the words say: at full weight they drown a
    /// telling word ("okta") in pairs of filler words ("its a").
    static let secondaryWeight = 0.5

    static let fillers: Set<String> = [
        "a", "an", "the", "and", "or", "but", "so", "of", "to", "for", "in", "on", "at", "by", "with", "from", "as", "into",
        "i", "me", "my", "we", "us", "our", "you", "your", "it", "its", "they", "them", "their", "he", "him", "his", "she",
        "her", "this", "that", "these", "those", "there", "here", "is", "are", "was", "were", "be", "been", "being", "am",
        "do", "does", "did", "has", "have", "had", "will", "would", "should", "could", "can", "just", "really", "very",
        "also", "then", "than", "which", "who", "what", "if", "about", "up", "ll", "re", "ve", "d", "s", "m",
    ]
}

/// Putting a misspelt word right against the words the examples use: one letter added, dropped,
/// changed or two letters swapped, for words of five letters or more (shorter ones are too often
/// another real word). Each word is indexed by the words one deletion away, so a lookup costs a
/// few dictionary reads, not a pass over the vocabulary: an import classifies a million lines.
package struct Spelling: Sendable {
    private let counts: [String: Int]
    private let byDeletion: [String: [String]]

    package init(words: [String: Int]) {
        counts = words
        var index: [String: [String]] = [:]
        // The order words are indexed in does not matter: a correction is chosen by use, then by spelling.
        index.reserveCapacity(words.count * 8)
        for word in words.keys where word.utf8.count >= 4 {
            index[word, default: []].append(word)
            for deletion in Self.deletions(word) { index[deletion, default: []].append(word) }
        }
        byDeletion = index
    }

    package func count(of word: String) -> Int { counts[word] ?? 0 }

    /// The most used word within one edit of `word`, or nil.
    package func correction(of word: String) -> String? {
        guard word.count >= 5, word.allSatisfy(\.isLetter) else { return nil }
        var candidates = Set(byDeletion[word] ?? [])
        for deletion in Self.deletions(word) {
            if counts[deletion] != nil { candidates.insert(deletion) }
            candidates.formUnion(byDeletion[deletion] ?? [])
        }
        let close = candidates.filter { $0.count >= 4 && Self.oneEditApart(word, $0) }
        return close.max { (counts[$0] ?? 0, $1) < (counts[$1] ?? 0, $0) }
    }

    static func deletions(_ word: String) -> [String] {
        let letters = Array(word)
        return letters.indices.map { index in
            var shorter = letters
            shorter.remove(at: index)
            return String(shorter)
        }
    }

    /// One letter added, dropped or changed, or two neighbours swapped.
    static func oneEditApart(_ a: String, _ b: String) -> Bool { oneEditApart(Array(a.utf8), Array(b.utf8)) }

    static func oneEditApart(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        if a == b { return false }
        if a.count == b.count {
            var differ: [Int] = []
            for index in a.indices where a[index] != b[index] {
                differ.append(index)
                if differ.count > 2 { return false }
            }
            if differ.count == 1 { return true }
            return differ.count == 2 && differ[1] == differ[0] + 1 && a[differ[0]] == b[differ[1]] && a[differ[1]] == b[differ[0]]
        }
        let (longer, shorter) = a.count > b.count ? (a, b) : (b, a)
        guard longer.count == shorter.count + 1 else { return false }
        var skipped = false
        var (i, j) = (0, 0)
        while i < longer.count && j < shorter.count {
            if longer[i] == shorter[j] {
                i += 1
                j += 1
            } else if skipped {
                return false
            } else {
                skipped = true
                i += 1
            }
        }
        return true
    }
}
