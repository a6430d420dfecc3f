/// Levenshtein distance, for "did you mean" and typo-tolerant matching.
public enum EditDistance {
    /// The number of single-character edits between `a` and `b`; stops early above `limit`.
    public static func levenshtein(_ a: String, _ b: String, limit: Int = .max) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowBest = current[0]
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                rowBest = min(rowBest, current[j])
            }
            if rowBest > limit { return rowBest }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
