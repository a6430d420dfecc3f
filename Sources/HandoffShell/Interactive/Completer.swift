import Foundation
public import HandoffCore
public import HandoffPluginAPI

/// What Tab offers: command names at the start of a line; after a command, its choices and
/// options, lead and account names, themes, time words, and file names where it takes a path.
public struct Completer {
    public let commands: [Command]
    public let store: any LeadStore
    public let themes: [String]
    /// The definition's reason codes, offered after `because`.
    public let reasons: [String]

    public init(commands: [Command], store: any LeadStore, themes: [String], reasons: [String] = []) {
        self.commands = commands
        self.store = store
        self.themes = themes
        self.reasons = reasons
    }

    /// Completions for the line up to the cursor: how many characters they replace, and the candidates.
    public func complete(_ line: String) -> (replacing: Int, candidates: [String]) {
        let lowered = line.lowercased()
        let command = commands
            .filter { lowered.hasPrefix($0.name + " ") }
            .max { $0.name.count < $1.name.count }
        guard let command else {
            // Still typing the command: offer the names that start with what is typed.
            let names = commands.map(\.name).filter { $0.hasPrefix(lowered) }
            return (line.count, names.sorted())
        }
        let word = line.last == " " ? "" : String(line.split(separator: " ").last ?? "")
        let prefix = word.lowercased()
        // Which positional argument the cursor is in: count the words typed since the command.
        let typed = line.dropFirst(command.name.count).split(separator: " ").map(String.init).dropLast(word.isEmpty ? 0 : 1)
        if let option = typed.last.flatMap({ last in command.options.first { "--\($0.name)" == last && $0.value != nil } }) {
            let presets = option.name == "mapping" ? MappingPreset.allCases.map(\.rawValue).filter { $0.hasPrefix(prefix) } : []
            return (word.count, presets + files(matching: word))
        }
        // After the word that starts a reason (`reject kim because no<Tab>`): the reason codes only.
        for argument in command.arguments {
            if case .after(let marker) = argument.kind, typed.contains(where: { $0.lowercased() == marker }) {
                return (word.count, reasons.filter { $0.hasPrefix(prefix) })
            }
        }
        // `leads from <Tab>`: what follows "from" is a source.
        if typed.last?.lowercased() == "from", command.arguments.contains(where: { $0.kind == .words }) {
            return (word.count, Label.distinct((try? store.sources()) ?? []).filter { $0.lowercased().hasPrefix(prefix) })
        }
        let takesSubject = command.arguments.contains { $0.kind == .subject }
        // The words that already name a lead or an account: after them come the other arguments
        // (`stage pepper potts <Tab>` offers the stages), not more names.
        let named = takesSubject ? nameLength(Array(typed)) : 0
        if !word.isEmpty, takesSubject, named == 0, let whole = wholeName(typed: Array(typed), word: word) {
            return whole
        }
        let position = typed.dropFirst(named).filter { !$0.hasPrefix("--") }.count
        let positional = command.arguments.filter { !$0.kind.isResolved }
        var candidates: [String] = []
        if position < positional.count {
            switch positional[position].kind {
            case .choice(let options): candidates += options
            case .path: return (word.count, files(matching: word))
            default: break
            }
        }
        for argument in command.arguments {
            switch argument.kind {
            case .subject where named == 0: candidates += (try? store.names(startingWith: prefix, limit: 40)) ?? []
            case .theme: candidates += themes
            case .timeRange: candidates += TimeParser.vocabulary
            case .words: candidates += Label.distinct((try? store.sources()) ?? [])
            default: break
            }
        }
        candidates += command.options.map { "--\($0.name)" }
        var seen = Set<String>()
        let matching = candidates.filter { candidate in
            let lower = candidate.lowercased()
            let fits = lower.hasPrefix(prefix) || (!prefix.isEmpty && lower.split(separator: " ").contains { $0.hasPrefix(prefix) })
            return fits && seen.insert(candidate).inserted
        }
        return (word.count, matching)
    }

    /// How many of the first words typed make a whole lead or account name (0 when none do).
    func nameLength(_ typed: [String]) -> Int {
        guard let first = typed.first else { return 0 }
        let names = Set(((try? store.names(startingWith: first, limit: 40)) ?? []).map { $0.lowercased() })
        for count in stride(from: min(4, typed.count), through: 1, by: -1) where names.contains(typed.prefix(count).joined(separator: " ").lowercased()) {
            return count
        }
        return 0
    }

    /// `qualify wile coy<Tab>`: the words before the cursor that begin a lead or account name
    /// ("wile coy") are replaced by the whole name, not just the last of them.
    func wholeName(typed: [String], word: String) -> (replacing: Int, candidates: [String])? {
        for count in stride(from: min(3, typed.count), through: 1, by: -1) {
            let phrase = (typed.suffix(count) + [word]).joined(separator: " ")
            let names = ((try? store.names(startingWith: typed[typed.count - count], limit: 40)) ?? [])
                .filter { $0.lowercased().hasPrefix(phrase.lowercased()) }
            if !names.isEmpty { return (phrase.count, Array(Set(names)).sorted()) }
        }
        return nil
    }

    /// Files and folders whose path starts with `typed`; folders end in "/".
    func files(matching typed: String) -> [String] {
        let expanded = typed.hasPrefix("~/") ? NSHomeDirectory() + typed.dropFirst() : typed
        let directory = expanded.hasSuffix("/") ? expanded : (expanded as NSString).deletingLastPathComponent
        let namePrefix = expanded.hasSuffix("/") ? "" : (expanded as NSString).lastPathComponent
        let listed = (try? FileManager.default.contentsOfDirectory(atPath: directory.isEmpty ? "." : directory)) ?? []
        let shownDirectory = typed.hasSuffix("/") ? typed : String(typed.dropLast(namePrefix.count))
        return listed.filter { $0.hasPrefix(namePrefix) && !$0.hasPrefix(".") || (namePrefix.hasPrefix(".") && $0.hasPrefix(namePrefix)) }
            .sorted()
            .map { name in
                var isDirectory: ObjCBool = false
                let full = (directory.isEmpty ? name : (directory as NSString).appendingPathComponent(name))
                let isFolder = FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory) && isDirectory.boolValue
                return shownDirectory + name + (isFolder ? "/" : "")
            }
    }
}
