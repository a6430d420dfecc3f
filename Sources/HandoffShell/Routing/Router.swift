import Foundation
public import HandoffCore
public import HandoffPluginAPI

/// Maps what people type to a command and its arguments, deterministically, and can say why.
///
/// A line that starts with a command's name is held to that command's syntax (`import leads
/// a.csv`). Otherwise the router reads it as a question: the commands' sayings model
/// (`Router+Model.swift`) ranks the commands, a phrasing found word for word counts beside it, and
/// the likeliest that takes the line's arguments wins; time words are the period, what is left
/// resolves to a lead, an account or a theme, and the conversation fills what is missing. A
/// command that changes something runs from a question never.
public struct Router {
    public let commands: [Command]
    let resolver: EntityResolver
    let definition: Definition
    let timeParser: TimeParser
    let modelCache = CommandModelCache()

    /// Each command's name and phrasings as words (lower-cased; and normalised, for questions),
    /// split once rather than for every line.
    private let openings: [[[String]]]
    private let phrasings: [[(phrase: String, words: [String])]]

    public init(commands: [Command], store: any LeadStore, definition: Definition, clock: Clock) {
        self.commands = commands
        let split = commands.map { command in
            ([command.name] + command.phrasings).map { phrase in (phrase, Vocabulary.words(phrase.lowercased())) }
        }
        openings = split.map { $0.map(\.1) }
        phrasings = split.map { $0.map { phrase, words in (phrase, words.map(Vocabulary.normalise)) } }
        self.resolver = EntityResolver(store: store)
        self.definition = definition
        self.timeParser = TimeParser(clock: clock)
    }

    public struct Routed {
        public var command: Command
        public var request: Request
        /// How the line was understood, one fact per line, for `explain`.
        public var explanation: [String]
        /// Words of a question that went to no argument.
        var ignored: [String] = []
    }

    public enum Outcome {
        case run(Routed)
        /// A name matched several leads or accounts: ask which (the next line may be its number).
        case choose(question: String, candidates: [Subject], pending: Routed)
        /// Two commands fit a line in someone's own words about equally, and each takes it: ask
        /// which was meant (the next line may be its number).
        case chooseCommand(question: String, options: [Routed])
    }

    public func route(_ line: String, conversation: Conversation) throws -> Outcome {
        let tokens = try Tokenizer.tokens(line)
        guard !tokens.isEmpty else { throw UsageError("empty command") }

        if let pending = conversation.pendingChoice, tokens.count == 1, let number = Int(tokens[0].text) {
            guard (1...pending.candidates.count).contains(number) else {
                throw UsageError("choose a number from 1 to \(pending.candidates.count)")
            }
            var request = pending.request
            request.subject = pending.candidates[number - 1]
            return .run(Routed(command: pending.command, request: request, explanation: ["choice \(number): \(request.subject!.name)"]))
        }

        let words = tokens.map { $0.quoted ? $0.text : Vocabulary.normalise($0.text) }
        if let (command, used) = exactMatch(tokens) {
            let opening = tokens.prefix(used).map(\.text).joined(separator: " ")
            let explanation = ["command: \(command.name) (the line starts with '\(opening)')"]
            // A line that starts with the command's name is held to its syntax; one that starts
            // with a phrasing is a question, read as freely as any other.
            let byName = opening.lowercased() == command.name
            // A line that starts with a phrasing and goes on is read whole, as a question: "take
            // back the move of pepper potts" starts with `accept`'s "take".
            if !byName, used < tokens.count {
                var modelError: (any Error)?
                do {
                    if let routed = try modelRoute(tokens, words: words, line: line, conversation: conversation) { return routed }
                } catch {
                    modelError = error
                }
                // Nor does a phrasing at the start make a change the model did not choose: "take
                // pepper to lunch" starts with `accept`'s "take".
                if command.writes {
                    throw try modelError ?? UsageError(
                        "I don't know what '\(line.count > 60 ? String(line.prefix(60)) + "…" : line)' asks for", hint: try suggestion(for: words, tokens: tokens))
                }
            }
            // "objections that fit no theme" starts with `objections` and asks `objections other`:
            // when the name begins longer names and the line uses a word their sayings use and its
            // own do not, the sayings' model, read on the whole line, may choose one of them (only
            // then: learning the sayings costs a one-shot `objections this week` 25 ms).
            if byName, used < tokens.count, longerNamesAsked(after: command, in: Array(words.dropFirst(used))),
               case .run(let routed)? = try? modelRoute(tokens, words: words, line: line, conversation: conversation),
               routed.command.name.hasPrefix(command.name + " "), !routed.command.writes {
                return .run(routed)
            }
            do {
                return try bind(
                    command, tokens: Array(tokens.dropFirst(used)), line: line, free: !byName, base: nil, conversation: conversation,
                    explanation: explanation, routeWords: Array(words.prefix(used)))
            } catch {
                // "nurture the acme lead", "accept acme pls": the command named, with words its
                // syntax does not take, read as a question, when what it leaves aside is words people
                // use for that command ("accept acme corp west" names no lead, whatever "acme corp" is).
                // A word left aside that is nearly one of the command's options ("import lead x.csv")
                // is a mistyped option, refused with the syntax's reason, not a word to pass over.
                if byName, case .run(let routed)? = try? bind(
                    command, tokens: Array(tokens.dropFirst(used)), line: line, free: true, base: nil, conversation: conversation,
                    explanation: explanation, routeWords: Array(words.prefix(used))),
                   Set(routed.ignored).isSubset(of: vocabulary(of: command)), !routed.ignored.contains(where: { nearlyAnOption($0, of: routed.request, command) }) {
                    return .run(routed)
                }
                // "nurture leads in q3" starts with the command `nurture` but asks `leads`: when the
                // words fit another command, that one was meant.
                if let routed = try? freeRoute(words, tokens: tokens, line: line, conversation: conversation, excluding: command.name) {
                    return routed
                }
                // The syntax's reason names what it could not place ("x.csv"); a mistyped option
                // before it is what went wrong ("import lead x.csv": 'lead').
                if byName, let (typo, options) = mistypedOption(in: Array(tokens.dropFirst(used)), of: command) {
                    throw UsageError(
                        "\(command.name): '\(typo)' is not one of \(options.joined(separator: ", "))",
                        hint: "did you mean " + options.filter { Self.matches(Vocabulary.normalise(typo), $0) }.map { "`\($0)`" }.joined(separator: " or ")
                            + "? usage: \(command.usage)")
                }
                throw error
            }
        }
        if let followUp = try followUp(tokens, words: words, line: line, conversation: conversation) { return followUp }
        // The sayings' model first; failing it, a phrasing found word for word; and if neither
        // reads the line, what stopped the model's likeliest command ("reject needs a reason").
        var modelError: (any Error)?
        do {
            if let routed = try modelRoute(tokens, words: words, line: line, conversation: conversation) { return routed }
        } catch {
            modelError = error
        }
        // A phrasing alone never makes a change the model did not choose ("did tony stark move to
        // opportunity?" holds `stage`'s "move").
        if case .run(let routed)? = try freeRoute(words, tokens: tokens, line: line, conversation: conversation, excluding: nil),
           !routed.command.writes {
            return .run(routed)
        }
        if let modelError { throw modelError }
        throw UsageError("I don't know what '\(line.count > 60 ? String(line.prefix(60)) + "…" : line)' asks for", hint: try suggestion(for: words, tokens: tokens))
    }

    // MARK: Finding the command

    /// Whether `words` (what follows `command`'s name) use a word that the sayings of the commands
    /// whose names begin with that name use and `command`'s own do not.
    func longerNamesAsked(after command: Command, in words: [String]) -> Bool {
        let longer = commands.filter { $0.name.hasPrefix(command.name + " ") }
        guard !longer.isEmpty else { return false }
        func stems(_ words: Set<String>) -> Set<String> { Set(words.map { Stemmer.stem($0) }) }
        let theirs = stems(longer.reduce(into: Set<String>()) { $0.formUnion(vocabulary(of: $1)) }).subtracting(stems(vocabulary(of: command)))
        return words.contains { !Vocabulary.stopwords.contains($0) && theirs.contains(Stemmer.stem($0)) }
    }

    /// The command whose name or phrasing the line starts with, word for word: the longest, and
    /// a command's own name before another's phrasing of the same length ("nurture" the command,
    /// not "nurture" the leads filter).
    func exactMatch(_ tokens: [Token]) -> (Command, Int)? {
        let lowered = tokens.map { $0.quoted ? "\u{0}" : $0.text.lowercased() }
        var best: (command: Command, length: Int, byName: Bool)?
        for (command, names) in zip(commands, openings) {
            for (index, nameWords) in names.enumerated() {
                guard lowered.starts(with: nameWords) else { continue }
                if best == nil || (nameWords.count, index == 0 ? 1 : 0) > (best!.length, best!.byName ? 1 : 0) {
                    best = (command, nameWords.count, index == 0)
                }
            }
        }
        return best.map { ($0.command, $0.length) }
    }

    /// Reads the line as a question: the best phrasing match, with its arguments.
    func freeRoute(_ words: [String], tokens: [Token], line: String, conversation: Conversation, excluding: String?) throws -> Outcome? {
        guard let (command, used, phrase) = phraseMatch(words, tokens: tokens, excluding: excluding) else { return nil }
        let remaining = tokens.enumerated().filter { !used.contains($0.offset) }.map(\.element)
        let explanation = ["command: \(command.name) (matched the phrasing '\(phrase)')"]
        return try bind(
            command, tokens: remaining, line: line, free: true, base: nil, conversation: conversation, explanation: explanation,
            routeWords: used.sorted().map { words[$0] })
    }

    /// The command whose phrasing's words all appear in the line in order, best scored.
    func phraseMatch(_ words: [String], tokens: [Token], excluding: String? = nil, only: String? = nil) -> (Command, Set<Int>, String)? {
        var best: (command: Command, used: [Int], phrase: String, score: Int, length: Int)?
        for (command, phrases) in zip(commands, phrasings) where command.name != excluding && (only == nil || command.name == only) {
            for (phrase, phraseWords) in phrases {
                guard let (score, used) = Self.score(phraseWords, in: words, tokens: tokens) else { continue }
                // Standing in for a command the line names, another must claim that same first word,
                // and not be the shorter reading of its name (`objections other blah` is about
                // `objections other`, not the `objections` of "other blah").
                if let excluding, used.first != 0 || phraseWords.first != words.first || excluding.hasPrefix(command.name + " ") { continue }
                if best == nil || (score, phraseWords.count) > (best!.score, best!.length) {
                    best = (command, used, phrase, score, phraseWords.count)
                }
            }
        }
        return best.map { ($0.command, Set($0.used), $0.phrase) }
    }

    static func score(_ phrase: [String], in words: [String], tokens: [Token]) -> (Int, [Int])? {
        var used: [Int] = []
        var position = 0
        var score = 0
        for word in phrase {
            guard let index = (position..<words.count).first(where: { !tokens[$0].quoted && matches(words[$0], word) }) else {
                return nil
            }
            score += words[index] == word ? 3 : 2
            if let last = used.last, index == last + 1 { score += 1 }
            used.append(index)
            position = index + 1
        }
        if used.first == 0 { score += 1 }
        return (score, used)
    }

    /// The same word, the same stem, or a typo away in a word long enough to tell.
    static func matches(_ typed: String, _ wanted: String) -> Bool {
        if typed == wanted { return true }
        if typed.count > 3, Stemmer.stem(typed) == Stemmer.stem(wanted) { return true }
        guard typed.count >= 4, wanted.count >= 4, abs(typed.count - wanted.count) <= 2 else { return false }
        // A short word needs its first letter right: "leds" is "leads", but "days" is not "says".
        if min(typed.count, wanted.count) < 5 && typed.first != wanted.first { return false }
        guard EditDistance.levenshtein(typed, wanted, limit: 2) <= (wanted.count >= 7 ? 2 : 1) else { return false }
        // A real word means what it says: "sales" and "says" are not typos of "sals".
        return !CommonWords.contains(typed)
    }

    /// "did you mean …": commands whose words are closest to the first words typed.
    func suggestion(for words: [String], tokens: [Token]) throws -> String {
        let typed = words.filter { !Vocabulary.stopwords.contains($0) }
        // A name on its own: offer to show it.
        if let lead = commands.first(where: { $0.name == "lead" }),
           case .found(let match, _) = try findSubject(in: tokens.filter { !Vocabulary.stopwords.contains(Vocabulary.normalise($0.text)) }, strong: true) {
            return "did you mean `\(lead.name) \(match.subject.name)`?"
        }
        var scored: [(String, Int)] = []
        for command in commands {
            var best = Int.max
            for phrase in [command.name] + command.phrasings {
                for wanted in phrase.lowercased().split(separator: " ").map(String.init) {
                    for word in typed.prefix(3) {
                        let distance = EditDistance.levenshtein(word, wanted, limit: 3)
                        if distance <= max(1, wanted.count / 3) || (word.count >= 3 && wanted.hasPrefix(word)) {
                            best = min(best, distance)
                        }
                    }
                }
            }
            if best != .max { scored.append((command.name, best)) }
        }
        var seen = Set<String>()
        let names = scored.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.map(\.0).filter { seen.insert($0).inserted }.prefix(3)
        if names.isEmpty { return "type `help` for the commands, or ask in words, e.g. `leads from webinar this month`" }
        return "did you mean " + names.map { "`\($0)`" }.joined(separator: " or ") + "?"
    }

    /// "and last month?", "what about globex?": the last question again with what changed.
    func followUp(_ tokens: [Token], words: [String], line: String, conversation: Conversation) throws -> Outcome? {
        guard let last = conversation.last,
              let opening = Vocabulary.followUps.first(where: { words.starts(with: $0) && words.count > $0.count }) else { return nil }
        let rest = Array(tokens.dropFirst(opening.count))
        let restWords = Array(words.dropFirst(opening.count))
        // Only a period, a name or a theme may follow; anything else is a new question.
        if exactMatch(rest) != nil || phraseMatch(restWords, tokens: rest) != nil { return nil }
        var base = last.request
        base.values = [:]
        let explanation = ["follow-up: \(last.command.name) again, with what changed"]
        return try bind(
            last.command, tokens: rest, line: line, free: true, base: base, conversation: conversation, explanation: explanation,
            routeWords: [])
    }

    // MARK: Filling the arguments

    /// Fills `command`'s arguments from the tokens after the words that chose it. `routeWords` are
    /// those words: a command that takes words gets them too, so "mqls" can both reach `leads`
    /// and say which leads. Without `takingOptions`, a word like `--out` is a word like any other.
    func bind(
        _ command: Command, tokens: [Token], line: String, free: Bool, base: Request?, conversation: Conversation,
        explanation: [String], routeWords: [String], takingOptions: Bool = true
    ) throws -> Outcome {
        var explanation = explanation
        var request = base ?? Request(command: command.name)
        request.command = command.name
        request.line = tokens.map(\.text).joined(separator: " ")
        request.inOwnWords = free
        var remaining = takingOptions ? try takeOptions(command, tokens, into: &request) : tokens
        if let named = request.options["theme"], command.arguments.contains(where: { $0.kind == .theme }) {
            request.theme = try namedTheme(named)
            explanation.append("theme: \(request.theme!) (from --theme)")
        }
        // What someone said is kept as typed: its words are never read as names, themes or times.
        if command.arguments.contains(where: { $0.kind == .remainder }) {
            return try bindQuote(command, remaining, line: line, request: request, conversation: conversation, explanation: explanation)
        }

        let kinds = command.arguments.map(\.kind)
        var afterTheName: CommandArgument?
        // The tokens that named the subject, for what comes after them.
        var subjectTokens: [Token] = []
        var ignoredWords: [String] = []
        // "… because no budget": the words after the marker are one argument, taken first.
        for argument in command.arguments {
            guard case .after(let marker) = argument.kind else { continue }
            // In a question the marker may be misspelt ("becuase").
            if let index = remaining.firstIndex(where: { token in
                let word = Vocabulary.normalise(token.text)
                return !token.quoted && (word == marker || (free && Self.matches(word, marker)))
            }) {
                let tail = Self.keepingQuotes(remaining[(index + 1)...])
                if !tail.isEmpty { request.values[argument.name] = tail }
                remaining.removeSubrange(index...)
            }
            // "disqualify acme, no budget": in a question, what follows the name is the reason.
            if free && request.values[argument.name] == nil && kinds.contains(.subject) {
                afterTheName = argument
                continue
            }
            if argument.required && request.values[argument.name] == nil {
                throw UsageError("\(command.name) needs '\(marker)' and \(argument.help.isEmpty ? argument.name : argument.help)", hint: "usage: \(command.usage)")
            }
        }
        if kinds.contains(.timeRange) {
            let words = remaining.map { $0.quoted ? "\u{0}" : Vocabulary.normalise($0.text) }
            if var (range, used) = timeParser.find(in: words) {
                let said = remaining[used].map(\.text).joined(separator: " ")
                var how = "from '\(said)'"
                // "more price objections than last month": the period named is the one compared
                // against; the one asked about is this one, whose period before it is.
                if Self.comparesAgainst(Array(words[..<used.lowerBound])), words[used.lowerBound] == "last",
                   let now = timeParser.parse((["this"] + words[used.dropFirst()]).joined(separator: " ")), now.previous.start == range.start {
                    range = now
                    how = "against '\(said)', the period before it"
                }
                request.range = range
                explanation.append("period: \(range.description) (\(how))")
                remaining.removeSubrange(used)
            }
        }

        // Positional arguments, in order.
        var unchosen: (argument: CommandArgument, options: [String])?
        for argument in command.arguments where !argument.kind.isResolved {
            if free { remaining.removeAll { !$0.quoted && Vocabulary.stopwords.contains(Vocabulary.normalise($0.text)) } }
            switch argument.kind {
            case .rest:
                if !remaining.isEmpty { request.values[argument.name] = remaining.map(\.text).joined(separator: " ") }
                remaining = []
            case .choice(let options):
                // The words that name one of the choices (`choice(in:)`). Failing that, which word was meant as the
                // choice is known only once the names are read ("stage wile customer"): said below.
                guard let (used, chosen) = Self.choice(in: remaining, options: options, accepted: options + argument.aliases) else {
                    if !free && !remaining.isEmpty && command.arguments.contains(where: { $0.kind == .subject }) {
                        unchosen = (argument, options)
                        continue
                    }
                    // An optional choice not given leaves the word to the next argument (`import x.csv`).
                    if !free, argument.required, let word = remaining.first?.text {
                        throw UsageError(
                            "\(argument.name) must be one of \(options.joined(separator: ", ")), not '\(word)'",
                            hint: Self.nearChoice(word, options: options).map { "did you mean `\(command.name) \($0)`?" } ?? "usage: \(command.usage)")
                    }
                    break
                }
                request.values[argument.name] = chosen
                remaining.removeSubrange(used)
            case .path where free:
                // In someone's own words the file is the word that looks like one ("check
                // draft.yaml", "bring in this csv: leads.csv"), a file's ending first; failing
                // that, for a command that only reads, a word nobody uses for it ("check mydef"),
                // so a missing file is an error and not the default; never the first word of the
                // line just for being first, and never a stray word as a file to write.
                let vocabulary = vocabulary(of: command)
                if let index = remaining.firstIndex(where: { $0.quoted || Self.hasFileEnding($0.text) })
                    ?? remaining.firstIndex(where: { Self.looksLikeFile($0.text) })
                    ?? (command.writes ? nil : remaining.firstIndex(where: { token in
                        let word = Vocabulary.normalise(token.text)
                        return !Vocabulary.stopwords.contains(word) && !vocabulary.contains(word) && !Self.isNumber(word)
                    })) {
                    request.values[argument.name] = remaining[index].text
                    remaining.remove(at: index)
                }
            case .number where free:
                if let index = remaining.firstIndex(where: { !$0.quoted && Self.isNumber(Vocabulary.normalise($0.text)) }) {
                    request.values[argument.name] = Vocabulary.normalise(remaining[index].text)
                    remaining.remove(at: index)
                }
            default:
                // A quoted phrase is the text when there is one; otherwise the next word.
                let index = (argument.kind == .text ? remaining.firstIndex(where: \.quoted) : nil) ?? (remaining.isEmpty ? nil : 0)
                if let index {
                    request.values[argument.name] = remaining[index].text
                    remaining.remove(at: index)
                }
            }
            if argument.required && request.values[argument.name] == nil {
                throw UsageError(
                    "\(command.name) needs \(argument.name.uppercased())\(argument.help.isEmpty ? "" : " (\(argument.help))")",
                    hint: "usage: \(command.usage)")
            }
        }

        // With a remainder (a quote), only a theme named outright counts: the quote's words are
        // what was said, not which theme to file it under.
        // A theme the command needs (`brief`) may be read from the taxonomy's phrases ("brief on
        // too expensive"); one that only narrows an answer (`objections`) must be named: a
        // question is not narrowed by a guess ("objections next month" is no question about timing).
        if let argument = command.arguments.first(where: { $0.kind == .theme }), request.theme == nil,
           let (theme, used) = findTheme(in: remaining, named: !argument.required) {
            request.theme = theme
            explanation.append("theme: \(theme) (from '\(remaining[used].map(\.text).joined(separator: " "))')")
            remaining.removeSubrange(used)
        }

        if let argument = command.arguments.first(where: { $0.kind == .subject }) {
            var candidates = remaining.filter { !$0.quoted && !Vocabulary.stopwords.contains(Vocabulary.normalise($0.text)) }
            if !argument.required && kinds.contains(.words) {
                // "leads from web form": words after "from" that start a lead source are the source,
                // not an account whose name starts the same way ("Web Foundry").
                candidates.removeAll(where: Set(try sourceWords(in: remaining)).contains)
                // "by rep", "owned by dana reyes": what follows "by" groups or filters; it names no subject.
                for (index, token) in remaining.enumerated() where !token.quoted && Vocabulary.normalise(token.text) == "by" {
                    let following = Set(remaining[(index + 1)...].prefix(2))
                    candidates.removeAll(where: following.contains)
                }
            }
            // "sales will work nora green, accept her": a pronoun beside a name stands for that name.
            if let used = Self.pronoun(in: remaining), free,
               case .found(let match, let named) = try findSubject(in: candidates.filter { !remaining[used].contains($0) }, strong: true) {
                request.subject = match.subject
                explanation.append("subject: \(match.subject.name) (\(match.how))")
                let pronounTokens = Array(remaining[used])
                subjectTokens = named + pronounTokens
                remaining.removeAll { named.contains($0) || pronounTokens.contains($0) }
            } else if let used = Self.pronoun(in: remaining),
               argument.required || !kinds.contains(.words) || (used.lowerBound > 0 && Vocabulary.normalise(remaining[used.lowerBound - 1].text) == "at") {
                // "why was he rejected?", "accept her": the lead or account the conversation is about.
                let said = remaining[used].map(\.text).joined(separator: " ")
                guard let subject = try fresh(base?.subject ?? conversation.subject) else {
                    throw UsageError("who is '\(said)'? No lead or account has been named yet", hint: "name one, e.g. `\(command.name) wile coyote`")
                }
                request.subject = subject
                explanation.append("subject: \(subject.name) (from '\(said)': the conversation)")
                subjectTokens = Array(remaining[used])
                remaining.removeSubrange(used)
            } else if let quoted = remaining.first(where: \.quoted), case let found = try resolver.resolve(quoted.text, strong: false),
                      !(found.isNone) {
                // `lead "Wile Coyote"`: a quoted name is the name, as a shell would pass it.
                switch found {
                case .one(let match):
                    request.subject = match.subject
                    explanation.append("subject: \(match.subject.name) (\(match.how))")
                    subjectTokens = [quoted]
                    remaining.removeAll { $0 == quoted }
                case .several(let matches):
                    return .choose(
                        question: "'\(quoted.text)' could be several; which one?", candidates: matches.map(\.subject),
                        pending: Routed(command: command, request: request, explanation: explanation))
                case .none: break
                }
            } else {
                switch try findSubject(in: candidates, strong: !argument.required || kinds.contains(.words)) {
                case .found(let match, let used):
                    request.subject = match.subject
                    explanation.append("subject: \(match.subject.name) (\(match.how))")
                    subjectTokens = used
                    remaining.removeAll { token in used.contains(token) }
                case .several(let matches, let text):
                    let routed = Routed(command: command, request: request, explanation: explanation)
                    return .choose(
                        question: "'\(text)' could be several; which one?", candidates: matches.map(\.subject), pending: routed)
                case .none(let text):
                    if let text, argument.required && !kinds.contains(.words) {
                        throw NotFoundError("no lead or account matches '\(text)'", hint: "try part of the name, an email address, or `leads` to list them")
                    }
                    if let subject = try fresh(base?.subject ?? (argument.required ? conversation.subject : nil)) {
                        request.subject = subject
                        explanation.append("subject: \(subject.name) (from the conversation)")
                    } else if argument.required {
                        throw UsageError("\(command.name) needs a lead or an account", hint: try exampleHint(command))
                    }
                }
            }
        }

        if let argument = afterTheName, case .after(let marker) = argument.kind {
            let position = { (token: Token) in tokens.firstIndex(of: token) ?? 0 }
            let nameEnd = subjectTokens.map(position).max() ?? Int.max
            let said = Self.keepingQuotes(remaining.filter { position($0) > nameEnd }[...]).trimmingCharacters(in: CharacterSet(charactersIn: ",;:-– ").union(.whitespaces))
            if said.isEmpty {
                if argument.required {
                    throw UsageError("\(command.name) needs '\(marker)' and \(argument.help.isEmpty ? argument.name : argument.help)", hint: "usage: \(command.usage)")
                }
            } else {
                request.values[argument.name] = said
                explanation.append("\(argument.name): \(said) (the words after the name)")
                remaining = remaining.filter { position($0) <= nameEnd }
            }
        }
        if let (argument, options) = unchosen {
            let words = remaining.filter { $0.quoted || !Vocabulary.stopwords.contains(Vocabulary.normalise($0.text)) }
            guard let word = words.first?.text else {
                throw UsageError("\(command.name) needs \(argument.name.uppercased())\(argument.help.isEmpty ? "" : " (\(argument.help))")", hint: "usage: \(command.usage)")
            }
            throw UsageError(
                "\(argument.name) must be one of \(options.joined(separator: ", ")), not '\(word)'",
                hint: (Self.nearChoice(word, options: options).map { "did you mean `\($0)`? " } ?? "") + "usage: \(command.usage)")
        }
        let leftover = remaining.filter { $0.quoted || !Vocabulary.stopwords.contains(Vocabulary.normalise($0.text)) }
        // "sla 2026-11-10..2026-11-01": a period that is none says why, not that it is unknown.
        if kinds.contains(.timeRange), let problem = TimeParser.problem(with: leftover.filter { !$0.quoted }.map(\.text)) {
            throw UsageError(problem, hint: "usage: \(command.usage)")
        }
        if kinds.contains(.words) {
            // The words keep their stopwords, so a plugin can read "trade show" or "web form".
            let nameWords = command.name.split(separator: " ").map(String.init)
            let meaningful = routeWords.filter { word in
                // Stopwords in a phrasing are there on purpose ("my leads"): the plugin reads them.
                !nameWords.contains { Self.matches(word, $0) }
            }
            let rest = remaining.map { $0.quoted ? $0.text : Vocabulary.normalise($0.text) }
            let fresh = meaningful + rest.filter { word in !nameWords.contains { Self.matches(word, $0) } }
            // A follow-up that names no new filter keeps the previous question's.
            request.words = leftover.isEmpty && meaningful.isEmpty ? (base?.words ?? []) : fresh
            if !request.words.isEmpty { explanation.append("words: \(request.words.joined(separator: " "))") }
        } else if !leftover.isEmpty {
            if !free {
                throw UsageError("\(command.name) does not take '\(leftover[0].text)'", hint: "usage: \(command.usage)")
            }
            explanation.append("ignored: \(leftover.map(\.text).joined(separator: " "))")
            ignoredWords = leftover.map { Vocabulary.normalise($0.text) }
        }
        // A word left over that is almost another command's name is a typo of what was meant:
        // "imprt leads x.csv" must not quietly list leads. A word people write is no typo, though
        // it is close to a name ("where are we losing people between stages").
        let own = command.name.split(separator: " ").map(String.init)
        let others = commands.filter { $0.name != command.name }.flatMap { $0.name.split(separator: " ").map(String.init) }
            .filter { !Vocabulary.stopwords.contains($0) }
        if free, let typo = remaining.first(where: { token in
            let word = Vocabulary.normalise(token.text)
            return !token.quoted && word.count >= 4 && !own.contains { Self.matches(word, $0) } && !others.contains(word)
                && others.contains { Self.matches(word, $0) } && !CommonWords.contains(word)
        }) {
            let word = Vocabulary.normalise(typo.text)
            let meant = others.filter { Self.matches(word, $0) }
            throw UsageError(
                "'\(typo.text)' looks like a misspelt command",
                hint: "did you mean " + (Array(Set(meant)).sorted().map { "`\($0)`" } + ["`\(command.name)`"]).joined(separator: " or ") + "?")
        }
        return .run(Routed(command: command, request: request, explanation: explanation, ignored: ignoredWords))
    }

    /// The first word of `tokens` that misspells an option of one of `command`'s choice
    /// arguments, with that argument's options.
    func mistypedOption(in tokens: [Token], of command: Command) -> (word: String, options: [String])? {
        for token in tokens where !token.quoted {
            let word = Vocabulary.normalise(token.text)
            for argument in command.arguments {
                guard case .choice(let options) = argument.kind, !options.contains(word), options.contains(where: { Self.matches(word, $0) }) else { continue }
                return (token.text, options)
            }
        }
        return nil
    }

    /// Whether `word` is a misspelling of an option of one of `command`'s choice arguments that
    /// `request` leaves unset.
    func nearlyAnOption(_ word: String, of request: Request, _ command: Command) -> Bool {
        command.arguments.contains { argument in
            guard case .choice(let options) = argument.kind, request[argument.name] == nil else { return false }
            return !options.contains(word) && options.contains { Self.matches(word, $0) }
        }
    }

    /// The subject as the store holds it now: a lead remembered from an earlier line may have been
    /// accepted, rejected or moved since, and every answer about it must say so.
    func fresh(_ subject: Subject?) throws -> Subject? {
        switch subject {
        case .lead(let lead): try lead.id.flatMap { try resolver.store.lead(id: $0) }.map(Subject.lead) ?? subject
        case .account(let account): try account.id.flatMap { try resolver.store.account(id: $0) }.map(Subject.account) ?? subject
        case nil: nil
        }
    }

    /// The tokens after "from" that are the first words of a lead source.
    func sourceWords(in tokens: [Token]) throws -> [Token] {
        guard let from = tokens.firstIndex(where: { !$0.quoted && Vocabulary.normalise($0.text) == "from" }), from + 1 < tokens.count else {
            return []
        }
        let sources = try resolver.store.sources().map { Label.key($0).split(separator: " ").map(String.init) }
        var taken: [Token] = []
        for token in tokens[(from + 1)...] {
            let words = (taken + [token]).map { Vocabulary.normalise($0.text) }
            guard sources.contains(where: { $0.starts(with: words) }) else { break }
            taken.append(token)
        }
        return taken
    }

    /// "e.g. `history Wile Coyote`": an example with a lead that exists (a lead suits every command
    /// that takes a lead or an account, where an account would be refused by some).
    func exampleHint(_ command: Command) throws -> String {
        var query = LeadQuery()
        query.limit = 1
        guard let lead = try resolver.store.leads(query).first else { return "there are no leads yet: `import leads FILE`, or `demo`" }
        return "e.g. `\(command.name) \(lead.name)`"
    }

    /// Where the line refers to the subject in context: "he", "her", "them", "this one", "that lead".
    static func pronoun(in tokens: [Token]) -> Range<Int>? {
        let words = tokens.map { $0.quoted ? "\u{0}" : Vocabulary.normalise($0.text) }
        for (index, word) in words.enumerated() {
            if Vocabulary.pronouns.contains(word) { return index..<(index + 1) }
            if word == "this" || word == "that", index + 1 < words.count, Vocabulary.referents.contains(words[index + 1]) {
                return index..<(index + 2)
            }
        }
        return nil
    }

    /// A theme named outright (`--theme price`, or a word after a quote): its id, or its label.
    func namedTheme(_ text: String) throws -> String {
        if let theme = ThemeTrackers(themes: definition.themes).theme(named: text) { return theme }
        if let (theme, _) = findTheme(in: (try? Tokenizer.tokens(text)) ?? [], named: true) { return theme }
        throw UsageError(
            "no objection theme called '\(text)'",
            hint: "themes: \(definition.themes.map(\.id).joined(separator: ", ")); leave it out to have the text classified")
    }

    /// The words after a marker, with each quoted phrase in “ ” as it was kept together, so the
    /// command can tell what someone said from the words around it (`because no budget "frozen"`).
    static func keepingQuotes(_ tokens: ArraySlice<Token>) -> String {
        tokens.map { $0.quoted ? "“\($0.text)”" : $0.text }.joined(separator: " ")
    }

    /// `log objection acme "too expensive" price`, `road runner said legal needs a security review`:
    /// the subject is the words right after the command (or before the word that chose it); what
    /// follows is the text, taken from the line exactly as typed; a theme counts only when named
    /// outright, after a quoted text or with `--theme`.
    func bindQuote(
        _ command: Command, _ tokens: [Token], line: String, request: Request, conversation: Conversation, explanation: [String]
    ) throws -> Outcome {
        var request = request
        var explanation = explanation
        var rest = tokens[...]
        // Where the name ends in the line: the text starts after it.
        var subjectEnd: String.Index?
        if let argument = command.arguments.first(where: { $0.kind == .subject }) {
            var found = false
            if let used = Self.pronoun(in: Array(rest.prefix(2))), used.lowerBound == 0 {
                let said = rest.prefix(used.count).map(\.text).joined(separator: " ")
                guard let subject = try fresh(conversation.subject) else {
                    throw UsageError("who is '\(said)'? No lead or account has been named yet", hint: "name one, e.g. `\(command.name) acme \"…\"`")
                }
                request.subject = subject
                explanation.append("subject: \(subject.name) (from '\(said)': the conversation)")
                subjectEnd = rest.prefix(used.count).last?.range?.upperBound
                rest = rest.dropFirst(used.count)
                found = true
            }
            // The longest run of words at the start that names a lead or an account; or a quoted
            // name, as a shell passes it (`log objection "Acme Corp" "too expensive"`), when more
            // follows it (a quote alone is what was said, about the lead in context).
            var runs: [(text: String, length: Int, quoted: Bool)] = []
            if let first = rest.first, first.quoted, rest.count > 1 {
                runs = [(first.text, 1, true)]
            } else {
                let names = Array(rest.prefix { !$0.quoted }.prefix(4))
                runs = stride(from: names.count, through: 1, by: -1).map { length in
                    (names.prefix(length).map { Vocabulary.trimmed($0.text) }.joined(separator: " "), length, false)
                }
            }
            for run in runs where !found && !run.text.isEmpty {
                switch try resolver.resolve(run.text, strong: run.quoted) {
                case .one(let match):
                    request.subject = match.subject
                    explanation.append("subject: \(match.subject.name) (\(match.how)\(run.quoted ? ", quoted" : ""))")
                    // "road runer says …": a misspelt rest of the name is the name, not what was said.
                    let length = run.length + (run.quoted ? 0 : Self.misspeltRest(of: match.subject, after: run.text, in: rest.dropFirst(run.length)).count)
                    subjectEnd = rest.prefix(length).last?.range?.upperBound
                    rest = rest.dropFirst(length)
                    found = true
                case .several(let matches):
                    return .choose(
                        question: "'\(run.text)' could be several; which one?", candidates: matches.map(\.subject),
                        pending: Routed(command: command, request: request, explanation: explanation))
                case .none: continue
                }
            }
            // "rachel rosen says …": a first word that is a typo of the start of the name found
            // after it is part of the name.
            if !found, let first = rest.first, !first.quoted {
                let names = Array(rest.prefix { !$0.quoted }.prefix(4))
                for length in stride(from: names.count - 1, through: 1, by: -1) where !found {
                    let text = names[1...length].map { Vocabulary.trimmed($0.text) }.joined(separator: " ")
                    guard case .one(let match) = try resolver.resolve(text, strong: false),
                          Self.misspeltStart(of: match.subject, before: text, in: names[..<1]).count == 1 else { continue }
                    request.subject = match.subject
                    explanation.append("subject: \(match.subject.name) (\(match.how), after '\(first.text)', a typo of its start)")
                    let used = 1 + length + Self.misspeltRest(of: match.subject, after: text, in: rest.dropFirst(1 + length)).count
                    subjectEnd = rest.prefix(used).last?.range?.upperBound
                    rest = rest.dropFirst(used)
                    found = true
                }
            }
            if !found {
                if let first = rest.first, !first.quoted {
                    throw NotFoundError(
                        "no lead or account matches '\(Vocabulary.trimmed(first.text))'",
                        hint: "start with who said it, e.g. `\(command.name) acme \"too expensive for us\"`")
                }
                guard let subject = try fresh(conversation.subject) else {
                    if let first = rest.first, first.quoted, rest.count > 1 {
                        throw NotFoundError(
                            "no lead or account matches '\(first.text)'",
                            hint: "start with who said it, e.g. `\(command.name) acme \"too expensive for us\"`")
                    }
                    if argument.required {
                        throw UsageError("\(command.name) needs who said it", hint: "e.g. `\(command.name) acme \"too expensive for us\"`")
                    }
                    return .run(Routed(command: command, request: request, explanation: explanation))
                }
                request.subject = subject
                explanation.append("subject: \(subject.name) (from the conversation)")
            }
        }
        guard let argument = command.arguments.first(where: { $0.kind == .remainder }) else {
            return .run(Routed(command: command, request: request, explanation: explanation))
        }
        // "mindy said …", "tony told me …": the words that only report speech are not what was said.
        let restWords = rest.map { $0.quoted ? "\u{0}" : Vocabulary.normalise($0.text) }
        if let verb = Vocabulary.reportingVerbs.first(where: { restWords.starts(with: $0) && restWords.count > $0.count }) {
            rest = rest.dropFirst(verb.count)
        }
        if let first = rest.first, first.quoted {
            // A quoted text, then perhaps the theme to file it under.
            request.values[argument.name] = first.text
            let after = rest.dropFirst()
            if !after.isEmpty {
                if request.theme != nil {
                    throw UsageError("the theme is given twice: '\(after.map(\.text).joined(separator: " "))' and --theme", hint: "usage: \(command.usage)")
                }
                request.theme = try namedTheme(after.map(\.text).joined(separator: " "))
                explanation.append("theme: \(request.theme!) (named after the quote)")
            }
        } else if var first = rest.first?.range, let last = rest.last?.range {
            // Unquoted: everything from the first word after the name to the end of the line (but
            // options and a reporting verb: "tony told me …", "acme said …"), so punctuation,
            // spacing, and words that happen to be names or command words stay as typed.
            let lineTokens = try Tokenizer.tokens(line)
            if let named = subjectEnd, var index = lineTokens.firstIndex(where: { ($0.range?.lowerBound ?? line.startIndex) >= named }) {
                let words = lineTokens.map { Vocabulary.normalise($0.text) }
                for verb in Vocabulary.reportingVerbs where words[index...].starts(with: verb) { index += verb.count; break }
                if index < lineTokens.count, let start = lineTokens[index].range, start.lowerBound < first.lowerBound { first = start }
            }
            var end = last.upperBound
            if let lineEnd = try Tokenizer.tokens(line).last(where: { token in
                guard let range = token.range else { return false }
                return range.lowerBound >= last.upperBound && !token.text.hasPrefix("--") && !Self.isOptionValue(token, in: line)
            })?.range?.upperBound { end = max(end, lineEnd) }
            request.values[argument.name] = String(line[first.lowerBound..<end])
        } else if !rest.isEmpty {
            request.values[argument.name] = rest.map(\.text).joined(separator: " ")
        }
        if argument.required && request.values[argument.name] == nil {
            throw UsageError("\(command.name) needs \(argument.help.isEmpty ? argument.name : argument.help)", hint: "usage: \(command.usage)")
        }
        return .run(Routed(command: command, request: request, explanation: explanation))
    }

    /// Whether `token` is the value of an option just before it (`--theme price`).
    static func isOptionValue(_ token: Token, in line: String) -> Bool {
        guard let tokens = try? Tokenizer.tokens(line), let index = tokens.firstIndex(of: token), index > 0 else { return false }
        let previous = tokens[index - 1].text
        return previous.hasPrefix("--") && !previous.contains("=")
    }

    /// Whether the words before a period end by comparing with it ("more than", "compared to",
    /// "vs"): that period is the one before the one asked about.
    static func comparesAgainst(_ before: [String]) -> Bool {
        guard let last = before.last else { return false }
        return ["than", "vs", "versus", "against"].contains(last)
            || (["to", "with"].contains(last) && before.dropLast().last == "compared")
    }

    /// Takes `--name value`, `--name=value` and `--flag` out of the tokens.
    func takeOptions(_ command: Command, _ tokens: [Token], into request: inout Request) throws -> [Token] {
        var remaining: [Token] = []
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            guard !token.quoted, token.text.hasPrefix("--"), token.text.count > 2 else {
                remaining.append(token)
                index += 1
                continue
            }
            var name = String(token.text.dropFirst(2))
            var value: String?
            if let equals = name.firstIndex(of: "=") {
                value = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            guard let option = command.options.first(where: { $0.name == name }) else {
                let known = command.options.map { "--\($0.name)" }
                throw UsageError(
                    "\(command.name) has no option --\(name)",
                    hint: known.isEmpty ? "usage: \(command.usage)" : "its options are \(known.joined(separator: ", "))")
            }
            if let placeholder = option.value {
                if value == nil {
                    index += 1
                    guard index < tokens.count else { throw UsageError("--\(name) needs a value (\(placeholder))", hint: "usage: \(command.usage)") }
                    value = tokens[index].text
                }
                request.options[name] = value
            } else {
                if value != nil { throw UsageError("--\(name) takes no value", hint: "usage: \(command.usage)") }
                request.flags.insert(name)
            }
            index += 1
        }
        return remaining
    }

    /// A theme named by its id or a word of its label, or (unless `named`) one its phrases point to.
    /// `other` counts as a theme only as the line's last word ("retheme 12 other"): elsewhere it is
    /// just a word ("no other option").
    func findTheme(in tokens: [Token], named: Bool = false) -> (String, Range<Int>)? {
        let words = tokens.map { Vocabulary.normalise($0.text) }
        if let last = words.last, last == ThemeClassifier.other, !tokens[tokens.count - 1].quoted {
            return (ThemeClassifier.other, (tokens.count - 1)..<tokens.count)
        }
        for (index, word) in words.enumerated() where !tokens[index].quoted {
            for theme in definition.themes {
                let labelWords = theme.label.lowercased().split(whereSeparator: { !$0.isLetter }).map(String.init)
                if Self.matches(word, theme.id) || labelWords.contains(where: { $0.count > 3 && Self.matches(word, $0) }) {
                    return (theme.id, index..<(index + 1))
                }
            }
        }
        if named { return nil }
        // Only what the words say outright: a line is not guessed into a theme.
        if let theme = ThemeTrackers(themes: definition.themes).trackedTheme(words.joined(separator: " ")), !tokens.isEmpty {
            return (theme, 0..<tokens.count)
        }
        return nil
    }

    enum SubjectSearch {
        case found(EntityResolver.Match, used: [Token])
        case several([EntityResolver.Match], text: String)
        case none(text: String?)
    }

    /// "qualify pepper pots": "pepper" found Pepper Potts, and "pots", one typo from the rest of her
    /// name, is part of it, not a word the command does not take. The words right after the
    /// name that bring it closer to the whole name, within two edits a word (a swapped pair is two).
    static func misspeltRest(of subject: Subject, after said: String, in rest: ArraySlice<Token>) -> [Token] {
        misspelt(subject, said, Array(rest.prefix(3)), before: false)
    }

    /// "qualify rachel rosen": "rosen" found Rachael Rosen, and "rachel", a typo of the start of her
    /// name, is part of it: the words right before the name, taken as `misspeltRest` takes those after.
    static func misspeltStart(of subject: Subject, before said: String, in words: ArraySlice<Token>) -> [Token] {
        misspelt(subject, said, words.suffix(3).reversed(), before: true).reversed()
    }

    /// The words next to `said`, nearest first, that each bring it closer to the subject's whole
    /// name; a quoted word is said whole, as something else, and the name ends at it.
    private static func misspelt(_ subject: Subject, _ said: String, _ nearestFirst: [Token], before: Bool) -> [Token] {
        let name = Label.key(subject.name)
        var text = Label.key(said)
        var taken: [Token] = []
        for token in nearestFirst {
            if token.quoted { break }
            let word = Label.key(Vocabulary.trimmed(token.text))
            let longer = before ? word + " " + text : text + " " + word
            let (now, then) = (EditDistance.levenshtein(longer, name), EditDistance.levenshtein(text, name))
            guard now < then, now <= 2 * (taken.count + 1) else { break }
            taken.append(token)
            text = longer
        }
        return taken
    }

    /// The longest run of words that names a lead or an account.
    func findSubject(in tokens: [Token], strong: Bool) throws -> SubjectSearch {
        guard !tokens.isEmpty else { return .none(text: nil) }
        // Names are short: a long run of words is a sentence, and searching every part of it
        // would cost a query per part.
        guard tokens.count <= 8 else { return .none(text: tokens.map(\.text).joined(separator: " ")) }
        for length in stride(from: tokens.count, through: 1, by: -1) {
            for start in 0...(tokens.count - length) {
                let span = Array(tokens[start..<(start + length)])
                let text = span.map { Vocabulary.trimmed($0.text) }.joined(separator: " ")
                guard text.count >= 2 else { continue }
                switch try resolver.resolve(text, strong: strong) {
                case .one(let match):
                    return .found(match, used: Self.misspeltStart(of: match.subject, before: text, in: tokens[..<start]) + span
                        + Self.misspeltRest(of: match.subject, after: text, in: tokens[(start + length)...]))
                case .several(let matches): return .several(matches, text: text)
                case .none: continue
                }
            }
        }
        return .none(text: tokens.map(\.text).joined(separator: " "))
    }
}
