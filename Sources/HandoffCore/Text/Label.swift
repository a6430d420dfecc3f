/// A label people type into a CRM by hand (a lead source, an industry): "Trade Show", "trade show"
/// and "trade  show " are one label in three spellings, and count as one.
public enum Label {
    /// A–Z lower-cased and nothing else, as SQLite's NOCASE and PostgreSQL's lower() under the C
    /// collation fold text: a key made here and a store's comparison agree on every text.
    public static func asciiLowercased(_ text: String) -> String {
        guard text.utf8.contains(where: { (0x41...0x5A).contains($0) }) else { return text }
        return String(decoding: text.utf8.map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }, as: UTF8.self)
    }

    /// What two spellings of one label share: lower case, with runs of whitespace as one space.
    public static func key(_ text: String) -> String {
        text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Counts per spelling, merged per label; each label is shown in the spelling most of its rows
    /// use (the first in order on a tie), and the list is ordered by count, most first.
    public static func merge(_ counts: [(value: String, count: Int)]) -> [(value: String, count: Int)] {
        var order: [String] = []
        var groups: [String: (total: Int, spelling: String, most: Int)] = [:]
        for (value, count) in counts {
            let key = key(value)
            if var group = groups[key] {
                group.total += count
                if count > group.most { (group.spelling, group.most) = (value, count) }
                groups[key] = group
            } else {
                order.append(key)
                groups[key] = (count, value, count)
            }
        }
        return order.map { (value: groups[$0]!.spelling, count: groups[$0]!.total) }
            .enumerated().sorted { ($0.element.count, $1.offset) > ($1.element.count, $0.offset) }.map(\.element)
    }

    /// A label as an import stores it: trimmed, with each run of whitespace inside as one space,
    /// so "  trade   show " groups with "trade show".
    public static func tidy(_ text: String) -> String {
        // Most values are tidy already: a look at their bytes spares building a new string.
        var previous: UInt8 = 0x20
        var tidy = true
        for byte in text.utf8 {
            if byte >= 0x80 || (byte < 0x20) || (byte == 0x20 && previous == 0x20) { tidy = false; break }
            previous = byte
        }
        if tidy && previous != 0x20 { return text }
        return text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// The labels with one spelling each (the first met), in their order.
    public static func distinct(_ labels: [String]) -> [String] {
        var seen = Set<String>()
        return labels.filter { seen.insert(key($0)).inserted }
    }
}
