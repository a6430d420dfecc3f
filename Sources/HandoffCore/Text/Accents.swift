/// Names typed without their accents: "jose" is José, "muller" is Müller. One table, read by both
/// stores. (SQLite finds its candidates through its word index, which folds the accents Unicode
/// decomposes — é, ü, ñ — but not letters of their own such as ø or ł: "soren" misses Søren there.)
public enum Accents {
    /// Each plain letter and the accented letters that fold to it.
    public static let variants: [(plain: Character, accented: String)] = [
        ("a", "àáâãäåāăą"), ("c", "çćĉčċ"), ("d", "ďđ"), ("e", "èéêëēĕėęě"), ("g", "ĝğġģ"), ("i", "ìíîïĩīĭįı"),
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
                pattern += "[\(letter)\(accented)]"
            } else if letter.isLetter || letter.isNumber || letter == " " {
                pattern.append(letter)
            } else {
                pattern += "\\" + String(letter)
            }
        }
        return pattern
    }
}
