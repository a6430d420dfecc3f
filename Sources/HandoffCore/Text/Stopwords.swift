/// Words that only hold a sentence together ("show me the leads from…"): the router and plugins
/// that read free words skip them.
public enum Stopwords {
    public static func contains(_ word: String) -> Bool { all.contains(word) }

    public static let all: Set<String> = [
        "a", "an", "the", "is", "are", "was", "were", "be", "been", "am", "to", "for", "of", "me", "my", "our", "we", "us", "i",
        "you", "your", "it", "its", "please", "what", "which", "who", "whom", "how", "did", "do", "does", "from", "in", "on",
        "at", "by", "with", "about", "and", "or", "any", "all", "there", "has", "have", "had", "can", "could", "would", "should",
        "will", "show", "list", "give", "tell", "get", "see", "let", "lets", "know", "so", "far", "that", "this", "these",
        "those", "some", "just", "now", "currently", "new", "hey", "hi", "ok", "okay", "thanks", "them", "they", "their",
        "up", "into", "out", "much", "many", "very", "really", "why", "not", "no", "came", "come", "comes", "where", "when",
    ]
}
