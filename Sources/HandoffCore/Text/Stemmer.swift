/// A light stemmer for matching words people type against words we listed: "prices", "priced"
/// and "pricing" meet "price"; "qualified" meets "qualify".
public enum Stemmer {
    public static func stem(_ word: String) -> String {
        guard word.count > 4 else { return word }
        if word.hasSuffix("ied") || word.hasSuffix("ies") { return String(word.dropLast(3)) + "y" }
        for suffix in ["ing", "ed", "es", "s", "e"] where word.hasSuffix(suffix) && word.count - suffix.count >= 3 {
            return String(word.dropLast(suffix.count))
        }
        return word
    }
}
