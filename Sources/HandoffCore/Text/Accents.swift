/// Names typed without their accents: "jose" is José, "muller" is Müller. One table, read by both
/// stores. (SQLite finds its candidates through its word index, which folds the accents Unicode
/// decomposes — é, ü, ñ — but not letters of their own such as ø or ł: "soren" misses Søren there.)
public enum Accents {
    /// Each plain letter and the accented letters that fold to it.
    public static let variants: [(plain: Character, accented: String)] = [
        ("a", "àáâãäåāăą"), ("c", "çćĉčċ"), ("d", "ďđð"), ("e", "èéêëēĕėęě"), ("g", "ĝğġģ"), ("i", "ìíîïĩīĭįı"),
        ("l", "ĺļľł"), ("n", "ñńņňŉ"), ("o", "òóôõöøōŏő"), ("r", "ŕŗř"), ("s", "śŝşšș"), ("t", "ţťŧț"),
        ("u", "ùúûüũūŭůűų"), ("y", "ýÿŷ"), ("z", "źżž"),
    ]

    private static let plainOf: [Character: Character] = {
        var table: [Character: Character] = [:]
        for (plain, accented) in variants { for letter in accented { table[letter] = plain } }
        return table
    }()

    /// Lower case, accents removed: what two spellings of one name share.
    public static func fold(_ text: String) -> String {
        String(text.lowercased().map { plainOf[$0] ?? $0 })
    }

    /// Whether a name search should also look for accented spellings: a name typed in letters
    /// (not an id or an email), one of which has accented forms or is one.
    public static func couldMatchAccented(_ text: String) -> Bool {
        text.count >= 2 && text.allSatisfy { $0.isLetter || $0 == " " || $0 == "-" }
            && fold(text).contains { letter in variants.contains { $0.plain == letter } }
    }

    /// Letters Unicode does not write as a plain letter and a mark (ø is not o + ◌̸), which a word
    /// index that drops accents therefore keeps as they are: looking for "soren" there must also
    /// ask for "søren".
    static let undecomposed: [Character: [Character]] = ["o": ["ø"], "d": ["đ", "ð"], "l": ["ł"], "i": ["ı"]]

    /// `text` folded, and its spellings with the undecomposed letters in place of their plain
    /// ones, at most `limit` in all (the first letters vary first: a name is found by its start).
    public static func undecomposedSpellings(_ text: String, limit: Int = 16) -> [String] {
        var spellings = [[Character]](arrayLiteral: Array(fold(text)))
        for (position, letter) in Array(fold(text)).enumerated() {
            guard let others = undecomposed[letter], spellings.count * (others.count + 1) <= limit else { continue }
            spellings += spellings.flatMap { spelling in others.map { other in
                var changed = spelling
                changed[position] = other
                return changed
            } }
        }
        return spellings.map { String($0) }
    }

    /// Whether `name` starts with `text` (or, `anyWord`, has a word that does), accents aside.
    public static func nameStarts(_ name: String, with text: String, anyWord: Bool) -> Bool {
        let (name, text) = (fold(name), fold(text))
        return name.hasPrefix(text) || (anyWord && name.contains(" " + text))
    }

    /// A POSIX regular expression matching `text` at the start of a word, with each letter standing
    /// for its accented forms too ("jose" → `(^| )j[oòó…]s[eèé…]`). `text` is folded first.
    public static func wordStartPattern(_ text: String, anyWord: Bool = true) -> String {
        var pattern = anyWord ? "(^| )" : "^"
        for letter in fold(text) {
            if let accented = variants.first(where: { $0.plain == letter })?.accented {
                // Capitals too: a database in the C locale lowers only ASCII letters (Ł stays Ł).
                pattern += "[\(letter)\(accented)\(accented.uppercased())]"
            } else if letter.isLetter || letter.isNumber || letter == " " {
                pattern.append(letter)
            } else {
                pattern += "\\" + String(letter)
            }
        }
        return pattern
    }
}
