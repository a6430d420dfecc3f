import HandoffCore
import HandoffPluginAPI

/// Turns a name as typed ("acme", "ada lovelace", "ada@acme.com") into the lead or account it
/// means, with how sure it is.
struct EntityResolver {
    let store: any LeadStore

    struct Match {
        var subject: Subject
        /// 100 exact, 80 name starts with it, 60 a word of the name does, 40 one typo away.
        var score: Int
        var how: String
    }

    /// Every lead and account `text` may mean, best first. Accounts come before leads at the same
    /// score: "acme" is the company before it is a person at it.
    func candidates(for text: String, limit: Int = 9, loose: Bool = true) throws -> [Match] {
        // Exact and prefix matches come from indexes; the slower word and typo search runs only
        // when neither a lead nor an account matched that way.
        let strong = try search(text, limit: limit, loose: false)
        return strong.isEmpty && loose ? try search(text, limit: limit, loose: true) : strong
    }

    private func search(_ text: String, limit: Int, loose: Bool) throws -> [Match] {
        let key = text.lowercased()
        var matches: [Match] = []
        for account in try store.findAccounts(matching: text, limit: limit, loose: loose) {
            let name = account.name.lowercased()
            let (score, how) = Self.score(name: name, key: key, alternatives: [account.domain?.lowercased()].compactMap { $0 })
            matches.append(Match(subject: .account(account), score: score + 1, how: "account \(how)"))
        }
        for lead in try store.findLeads(matching: text, limit: limit, loose: loose) {
            let (score, how) = Self.score(
                name: lead.name.lowercased(), key: key, alternatives: [lead.email?.lowercased(), lead.externalId.lowercased()].compactMap { $0 })
            matches.append(Match(subject: .lead(lead), score: score, how: "lead \(how)"))
        }
        return matches.sorted { $0.score > $1.score }.prefix(limit).map { $0 }
    }

    static func score(name: String, key: String, alternatives: [String]) -> (Int, String) {
        // Accents aside: "jose" names José Müller as well as it names Joseph.
        let (name, key) = (Accents.fold(name), Accents.fold(key))
        if name == key || alternatives.contains(key) { return (100, "named exactly") }
        if name.hasPrefix(key) { return (80, "whose name starts with '\(key)'") }
        if name.split(separator: " ").contains(where: { $0.hasPrefix(key) }) { return (60, "with a word starting '\(key)'") }
        return (40, "one typo from '\(key)'")
    }

    enum Resolution {
        case one(Match)
        case several([Match])
        case none

        var isNone: Bool { if case .none = self { true } else { false } }
    }

    /// The one subject `text` means, several equally good ones, or none. With `strong`, only exact
    /// and prefix matches count (for optional arguments, so filter words are not taken for names).
    func resolve(_ text: String, strong: Bool) throws -> Resolution {
        // Strong matches are exact or prefix ones, which the store finds through its indexes.
        // A word of one or two letters ("he", "it", "al") says too little to stand for the start of
        // a name: only an exact name, email or id counts.
        let short = text.count <= 2
        let matches = try candidates(for: text, loose: !strong && !short).filter { short ? $0.score >= 100 : !strong || $0.score >= 80 }
        guard let best = matches.first else { return .none }
        let tied = matches.filter { $0.score == best.score }
        // An account and the leads whose account it is are not a real choice: the account wins.
        if tied.count > 1, case .account(let account) = best.subject,
           tied.dropFirst().allSatisfy({ if case .lead(let lead) = $0.subject { lead.accountId == account.id } else { false } }) {
            return .one(best)
        }
        return tied.count == 1 ? .one(best) : .several(tied)
    }
}
