import Foundation
import HandoffCore
import HandoffPluginAPI

/// The commands' model, learned the first time a line needs it: a line that starts with a
/// command's name never does, so `-c "leads"` does not pay for learning every saying.
final class CommandModelCache: @unchecked Sendable {
    private let lock = NSLock()
    private var model: CommandModel?

    func model(_ learn: () -> CommandModel) -> CommandModel {
        lock.lock()
        defer { lock.unlock() }
        if let model { return model }
        let learned = learn()
        model = learned
        return learned
    }
}

extension Router {
    /// A line as the model reads it, and where it names a lead or an account.
    struct Reading {
        var line: CommandModel.Line
        /// The tokens that name the subject, if the line names one.
        var subject: Range<Int>?
    }

    /// The model learned from every command's name, phrasings and sayings.
    var commandModel: CommandModel {
        modelCache.model {
            var samples: [CommandModel.Sample] = []
            for (index, command) in commands.enumerated() {
                for text in [command.name] + command.phrasings + command.sayings {
                    guard let tokens = try? Tokenizer.tokens(text), !tokens.isEmpty else { continue }
                    let words = Self.collapsed(slotted(tokens))
                    samples.append(CommandModel.Sample(line: CommandModel.Line(words: words), command: index))
                }
            }
            return CommandModel(samples: samples, commandCount: commands.count)
        }
    }

    /// The line's words, lower-cased, with slots for what it names: a time ("{period}"), a number,
    /// a file, a quote, a pronoun or a written `{who}` (as the sayings have it).
    func slotted(_ tokens: [Token]) -> [String] {
        var words = tokens.map { token in
            if token.quoted { return CommandModel.Slot.quote }
            // "who's" is "who is", not the possessive that normalising takes off.
            let normal = Vocabulary.normalise(token.text)
            guard token.text.unicodeScalars.contains(where: { $0 == "'" || $0 == "’" }) else { return normal }
            let spoken = Vocabulary.normalise(String(token.text.unicodeScalars.filter { $0 != "'" && $0 != "’" }))
            return CommandModel.contractions[spoken] != nil ? spoken : normal
        }
        if let (_, used) = timeParser.find(in: words.map { CommandModel.Slot.all.contains($0) ? "\u{0}" : $0 }) {
            for index in used { words[index] = CommandModel.Slot.period }
        }
        for (index, word) in words.enumerated() {
            if word.hasPrefix(CommandModel.Slot.who) || Vocabulary.pronouns.contains(word) {
                words[index] = CommandModel.Slot.who
            } else if Self.isNumber(word) {
                words[index] = CommandModel.Slot.number
            } else if word.count == 2, let grade = word.first, "abc".contains(grade), let column = word.last, "123".contains(column) {
                words[index] = CommandModel.Slot.cell
            } else if Self.looksLikeFile(word) {
                words[index] = CommandModel.Slot.file
            }
        }
        return words
    }

    /// The line as the model reads it, with a name that resolves to a lead or an account as
    /// "{who}" too.
    func reading(_ tokens: [Token]) throws -> Reading {
        var words = slotted(tokens)
        let subject = try nameSpan(in: tokens, words: words)
        for index in subject ?? 0..<0 { words[index] = CommandModel.Slot.who }
        return Reading(line: CommandModel.Line(words: Self.collapsed(words)), subject: subject)
    }

    /// A slot that spans several words ("last quarter", "road runner") is one slot.
    static func collapsed(_ words: [String]) -> [String] {
        var collapsed: [String] = []
        for word in words where !word.isEmpty && !(CommandModel.Slot.all.contains(word) && collapsed.last == word) { collapsed.append(word) }
        return collapsed
    }

    /// A word that names a file or a folder: it has a file's ending, or it starts as a path does
    /// ("/tmp/x", "./drafts", "~/exports"). "mql/sql" and "a/b/c" are words.
    static func looksLikeFile(_ word: String) -> Bool {
        hasFileEnding(word) || ["/", "./", "../", "~"].contains(where: word.hasPrefix)
    }

    static func hasFileEnding(_ word: String) -> Bool {
        [".csv", ".yaml", ".yml", ".json", ".txt", ".md", ".html"].contains(where: word.lowercased().hasSuffix)
    }

    static func isNumber(_ word: String) -> Bool {
        let digits = word.hasPrefix("#") ? word.dropFirst() : word[...]
        return !digits.isEmpty && digits.allSatisfy(\.isASCII) && digits.allSatisfy(\.isNumber)
    }

    /// The longest run of up to four words that names a lead or an account by its name's start;
    /// failing that, a run of words the sayings never use that is a typo away from a name ("whos
    /// road runer"). A single word the sayings use ("lead", "mark") is a word, not a name.
    func nameSpan(in tokens: [Token], words: [String]) throws -> Range<Int>? {
        let known = commandModel
        // Who a line is about is named near its start ("note from call with jill valentine: …");
        // every run of words costs queries, and a line may hold thousands of words. A typo is
        // looked for only in a short line.
        let searched = min(tokens.count, Self.nameSearchWords)
        for strong in [true, false] where strong || tokens.count <= Self.typoSearchWords {
            for length in stride(from: min(4, searched), through: 1, by: -1) {
                for start in 0...(searched - length) {
                    let span = start..<(start + length)
                    // A number may be part of a name ("lead 660737" names Lead 660737).
                    guard span.allSatisfy({ !tokens[$0].quoted && (!CommandModel.Slot.all.contains(words[$0]) || words[$0] == CommandModel.Slot.number) }) else { continue }
                    guard !Vocabulary.stopwords.contains(words[span.lowerBound]), !Vocabulary.stopwords.contains(words[span.upperBound - 1]) else { continue }
                    if length == 1, known.knows(words[start]) { continue }
                    if !strong, !span.contains(where: { !known.knows(words[$0]) && !CommonWords.contains(words[$0]) }) { continue }
                    let text = span.map { Vocabulary.trimmed(tokens[$0].text) }.joined(separator: " ")
                    guard text.count >= 3 else { continue }
                    if !(try resolver.resolve(text, strong: strong)).isNone { return span }
                }
            }
        }
        return nil
    }

    /// Reads the line with the commands' model: the commands its words point to, most likely
    /// first, each tried in turn until one takes the line's arguments (a line that names no lead
    /// does not go to a command that needs one).
    func modelRoute(_ tokens: [Token], words: [String], line: String, conversation: Conversation) throws -> Outcome? {
        // "imprt leads x.csv": a misspelt command name is asked about, not guessed at; a guess
        // could write.
        if let first = tokens.first, !first.quoted, tokens.count > 1 {
            let word = Vocabulary.normalise(first.text)
            // A command word that is also everyday English ("what" of `what if`) is no typo target:
            // "whats the score on acme" misspells nothing.
            let names = Set(commands.compactMap { $0.name.split(separator: " ").first.map(String.init) }).subtracting(Vocabulary.stopwords)
            let meant = names.filter { word.count >= 4 && Stemmer.stem(word) != Stemmer.stem($0) && Self.matches(word, $0) }.sorted()
            if !names.contains(word), !meant.isEmpty {
                throw UsageError(
                    "'\(first.text)' looks like a misspelt command", hint: "did you mean " + meant.map { "`\($0)`" }.joined(separator: " or ") + "?")
            }
        }
        let reading = try reading(tokens)
        let model = commandModel
        // Names, times and filler words alone ("globex", "nonsense here") say nothing of a command.
        guard reading.line.words.contains(where: { !CommandModel.Slot.all.contains($0) && !Self.saysNothing.contains($0) && model.knows($0) }) else {
            return nil
        }
        let shares = model.shares(reading.line)
        // A phrasing found word for word is what its plugin says the command is called: it counts
        // beside the sayings; for a command with none (an outside plugin's), whose share rests on
        // its name and phrasings alone, it decides.
        // Found in other forms of its words (a stem, a typo: "leads" for `lead`'s "lead"), it
        // counts half.
        let phrasedAs = commands.indices.map { index in
            phraseMatch(words, tokens: tokens, only: commands[index].name).map { _, used, phrase in
                zip(used.sorted(), Vocabulary.words(phrase.lowercased()).map(Vocabulary.normalise)).allSatisfy { words[$0] == $1 }
            }
        }
        let phrased = phrasedAs.map { $0 != nil }
        let fit = commands.indices.map { index in
            log(max(shares[index], 1e-12))
                + (phrasedAs[index].map { exact in commands[index].sayings.isEmpty ? Self.phraseDecides : Self.phraseBonus / (exact ? 1 : 2) } ?? 0)
        }
        let ranked = commands.indices.sorted { (fit[$0], -$0) > (fit[$1], -$1) }
        let question = Self.isQuestion(tokens)
        let likeliest = shares.indices.max { (shares[$0], -$0) < (shares[$1], -$1) }
        // "road runner says no budget this year", "acme told me IT has nobody to set it up": a line
        // that reports what someone said is logged as what they said, whatever its words fit
        // (its words are a reject's and a stage move's too); nothing else is changed from it.
        let logs = { (index: Int) in commands[index].arguments.contains { $0.kind == .remainder } }
        let reported = !question && Self.reportsSpeech(tokens, subject: reading.subject)
        let candidates = reported
            ? commands.indices.filter(logs) + ranked.prefix(3).filter { fit[$0] >= log(Self.worthTrying) && !logs($0) }
            : ranked.prefix(3).filter { fit[$0] >= log(Self.worthTrying) }
        var firstError: (any Error)?
        var passedOver: [String] = []
        func attempt(_ index: Int) -> Outcome? {
            let command = commands[index]
            if reported && command.writes && !logs(index) { return nil }
            // A line that names a lead or an account asks a command about one.
            if reading.subject != nil && !command.arguments.contains(where: { $0.kind == .subject }) { return nil }
            // A change is made from someone's own words only when they order it and the sayings
            // point to it first, and surely: "is wile coyote closed won?" and "email wile coyote
            // about the won deal" move nobody.
            if command.writes && !(reported && logs(index)) && (question || index != likeliest || shares[index] < Self.sureOfAChange) { return nil }
            // Nor is an answer kept from a line that does not ask for one: "what are our price
            // objections?" and "pricing pushback last month" ask to see them, and a brief drafted
            // from them would be stored.
            if case .keepsAnswer? = command.tool?.writes {
                let asking = askingFor(command)
                if question || !reading.line.words.contains(where: { asking.contains(Stemmer.stem($0)) }) {
                    passedOver.append(command.name)
                    return nil
                }
            }
            let others = ranked.filter { $0 != index }.prefix(2).map { "\(commands[$0].name) \(Self.percent(shares[$0]))" }
            let explanation = [
                "command: \(command.name) (the sayings' model: \(Self.percent(shares[index]))\(phrased[index] ? ", and a phrasing" : ""); then \(others.joined(separator: ", ")))",
                "  read as: \(reading.line.words.joined(separator: " "))",
            ] + passedOver.map { "  not \($0): it keeps what it answers, and the line does not ask for that" }
            do {
                let outcome: Outcome
                if command.arguments.contains(where: { $0.kind == .remainder }) {
                    // "note from call with acme: …": what was said starts with who said it, and
                    // what comes before the name is words people use for that ("book a meeting
                    // with tony about pricing" logs nothing).
                    let from = reading.subject?.lowerBound ?? 0
                    let before = tokens[..<from].map { Vocabulary.normalise($0.text) }
                    if !strangeWords(before, for: command).isEmpty { return nil }
                    outcome = try bind(
                        command, tokens: Array(tokens[from...]), line: line, free: true, base: nil, conversation: conversation,
                        explanation: explanation, routeWords: [])
                } else if let (phrased, used, phrase) = phraseMatch(words, tokens: tokens, only: command.name) {
                    let remaining = tokens.enumerated().filter { !used.contains($0.offset) }.map(\.element)
                    outcome = try bind(
                        phrased, tokens: remaining, line: line, free: true, base: nil, conversation: conversation,
                        explanation: explanation + ["  its phrasing '\(phrase)'"], routeWords: used.sorted().map { words[$0] })
                } else {
                    outcome = try bind(
                        command, tokens: tokens, line: line, free: true, base: nil, conversation: conversation, explanation: explanation,
                        routeWords: [])
                }
                // "how many interns did acme hire?" is not a question about Acme's lead, however
                // the shares fall: a command that leaves aside words nobody uses for it does not fit.
                if case .run(let routed) = outcome {
                    let strange = strangeWords(routed.ignored, for: command)
                    let meaningful = reading.line.words.filter {
                        !CommandModel.Slot.all.contains($0) && !Vocabulary.stopwords.contains($0) && !Self.saysNothing.contains($0)
                    }
                    // A change must be understood whole; a question may leave a word aside.
                    if command.writes ? !strange.isEmpty : strange.count >= 2 || Double(strange.count) > Self.strangeShare * Double(meaningful.count) {
                        return nil
                    }
                }
                return outcome
            } catch {
                firstError = firstError ?? error
                return nil
            }
        }
        for (position, index) in candidates.enumerated() {
            guard let outcome = attempt(index) else { continue }
            // Another command that fits about as well and takes the line as it stands: which one
            // was meant is asked, not guessed.
            if case .run(let first) = outcome {
                for other in candidates.dropFirst(position + 1) where fit[index] - fit[other] < Self.aboutEqually {
                    if case .run(let second)? = attempt(other), second.command.name != first.command.name {
                        return .chooseCommand(question: "Did you mean `\(first.command.name)` or `\(second.command.name)`?", options: [first, second])
                    }
                }
            }
            return outcome
        }
        if let firstError { throw firstError }
        return nil
    }

    /// Whether the line reports what someone said: it starts with who said it and then a word for
    /// saying it ("road runner says …", "acme told me …", "gavin thinks …").
    static func reportsSpeech(_ tokens: [Token], subject: Range<Int>?) -> Bool {
        guard let subject, subject.lowerBound == 0, subject.upperBound < tokens.count, !tokens[subject.upperBound].quoted else { return false }
        return reportingWords.contains(Vocabulary.normalise(tokens[subject.upperBound].text))
    }

    static let reportingWords: Set<String> = [
        "says", "said", "told", "tells", "thinks", "thought", "complained", "complains", "mentioned", "mentions", "pushed",
        "objected", "objects", "feels", "felt", "worries", "worried", "asked", "asks",
    ]

    /// Two commands fit "about equally" when the second's log-share (with its phrasing's bonus)
    /// is within this of the first's: the second is at least two thirds as likely.
    static let aboutEqually = log(1.5)

    /// Words that hold any line together, and so point to no command.
    static let saysNothing: Set<String> = [
        "a", "an", "the", "and", "or", "of", "to", "in", "on", "at", "for", "with", "is", "are", "it", "this", "that", "here", "there",
        "i", "me", "my", "you", "we", "please", "pls", "ok", "okay", "yes", "no", "hi", "hey", "thanks", "thx", "ty",
    ]

    /// The words people use for `command`: its name's, its phrasings' and its sayings', and the
    /// words that name what any command is about ("the acme lead").
    func vocabulary(of command: Command) -> Set<String> {
        Set(([command.name] + command.phrasings + command.sayings).flatMap { Vocabulary.words($0.lowercased()).map(Vocabulary.normalise) })
            .union(Self.saysNothing).union(Vocabulary.referents)
    }

    /// The stems of the words that ask for `command`: those of its name and phrasings ("brief",
    /// "draft", "campaign"), and those of its sayings that no command that changes and keeps
    /// nothing uses ("messaging", "counter"); not "objections", "pushback", nor a theme's id or
    /// label word ("security"), which says what the line is about, not what it asks for.
    func askingFor(_ command: Command) -> Set<String> {
        let readers = commands.filter { other in
            guard !other.writes else { return false }
            if case .keepsAnswer? = other.tool?.writes { return false }
            return true
        }
        func stems(_ words: Set<String>) -> Set<String> { Set(words.map { Stemmer.stem($0) }) }
        let own = readers.reduce(stems(vocabulary(of: command))) { $0.subtracting(stems(vocabulary(of: $1))) }
        let named = ([command.name] + command.phrasings).flatMap { Vocabulary.words($0.lowercased()).map(Vocabulary.normalise) }
        let themes = definition.themes.flatMap { [$0.id] + $0.label.lowercased().split(whereSeparator: { !$0.isLetter }).map(String.init) }
        return own.union(stems(Set(named.filter { !Vocabulary.stopwords.contains($0) }))).subtracting(stems(Set(themes)))
    }

    /// The words in `ignored` that carry meaning and that nobody uses for `command` (a contraction
    /// counts by its words: "whos" is "who is").
    func strangeWords(_ ignored: [String], for command: Command) -> [String] {
        let known = Set(vocabulary(of: command).flatMap(CommandModel.spelledOut).map { Stemmer.stem($0) })
        return ignored.filter { word in
            CommandModel.spelledOut(Vocabulary.normalise(word)).allSatisfy { part in
                !Vocabulary.stopwords.contains(part) && !Self.saysNothing.contains(part) && !known.contains(Stemmer.stem(part))
            }
        }
    }

    /// A command that changes nothing leaves aside at most this share of a line's meaningful words
    /// that nobody uses for it, and one word at most ("how many interns did acme hire?" is not
    /// `lead`); one that changes something, none ("send an email to wile coyote" is not
    /// `nurture`, though "send" is a word of it).
    static let strangeShare = 0.5

    /// How far into a line a name is looked for, and how long a line may be for a typo in a name
    /// to be looked for.
    static let nameSearchWords = 12
    static let typoSearchWords = 8

    /// How sure the sayings' model must be of a command that changes something.
    static let sureOfAChange = 0.5

    /// Whether the line asks rather than orders: it starts with a question word or an auxiliary
    /// ("is", "did", "should we"), but for a request ("can you accept her", "could we nurture
    /// him", "shall we"): asking for advice ("should we") is a question.
    static func isQuestion(_ tokens: [Token]) -> Bool {
        let words = tokens.prefix(2).map { $0.quoted ? "" : Vocabulary.normalise($0.text) }
        guard let first = words.first, questionWords.contains(first) else { return false }
        let request = ["can", "could", "would", "will", "may", "shall"].contains(first) && words.count > 1
            && ["you", "u", "we", "i"].contains(words[1])
        return !request
    }

    static let questionWords: Set<String> = [
        "is", "isnt", "was", "wasnt", "were", "are", "arent", "did", "didnt", "does", "doesnt", "do", "dont", "has", "hasnt", "have",
        "had", "should", "shouldnt", "shall", "can", "cant", "could", "would", "will", "wont", "may", "might", "must", "how", "what",
        "whats", "why", "who", "whos", "whom", "whose", "when", "where", "which",
    ]

    /// A command the model gives less than this share is not tried.
    static let worthTrying = 0.05
    /// What a phrasing found word for word in the line adds to a command's log-share (half that
    /// for one found in other forms of its words).
    static let phraseBonus = 2.0
    static let phraseDecides = 1000.0

    static func percent(_ share: Double) -> String { "\(Int((share * 100).rounded()))%" }
}
