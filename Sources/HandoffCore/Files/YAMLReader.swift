package import Yams

/// Reads a YAML document into typed values, reporting every problem with its file, line and the
/// path of the key (`fit[2].points`). Shared by the definition and mapping parsers.
package struct YAMLReader {
    let file: String
    let code: String
    /// Set when the text was composed with Yams's basic resolver (see `root(of:)`).
    private(set) var basicResolver = false

    package init(file: String, code: String) {
        self.file = file
        self.code = code
    }

    /// Parses `text` and returns its root, or throws a located error for a syntax problem.
    package func root(of text: String) throws -> YAMLValue {
        do {
            // Yams's default resolver compiles seven regular expressions (and ICU's tables) before
            // reading a line: that was most of start-up. Without a `!` there is no explicit tag, and
            // the only tag read here is bool's (see `bool()`), so the basic resolver does.
            var reader = self
            reader.basicResolver = !text.utf8.contains(UInt8(ascii: "!"))
            // The parser holds the anchors (nodes refer to them weakly) until the aliases are counted.
            let parser = try Parser(yaml: text, resolver: reader.basicResolver ? .basic : .default)
            guard let node = try parser.singleRoot() else {
                throw FileError(code: code, file: file, line: 1, problem: "the file is empty")
            }
            if text.utf8.contains(UInt8(ascii: "*")) {
                var aliases = AliasCount()
                try withExtendedLifetime(parser) { _ = try aliases.expandedSize(of: node, reader: reader) }
            }
            return YAMLValue(node: node, path: "", reader: reader)
        } catch let error as YamlError {
            throw located(error)
        }
    }

    package func fail(_ node: Node?, _ problem: String, hint: String? = nil) -> FileError {
        FileError(code: code, file: file, line: node?.mark?.line ?? 1, column: node?.mark?.column, problem: problem, hint: hint)
    }

    private func located(_ error: YamlError) -> FileError {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            let detail = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
            return FileError(code: code, file: file, line: mark.line, column: mark.column, problem: "not valid YAML: \(detail)")
        case let .duplicatedKeysInMapping(duplicates, context):
            return FileError(
                code: code, file: file, line: context.mark.line, column: context.mark.column,
                problem: "duplicate key \(duplicates.joined(separator: ", "))")
        case let .reader(problem, _, _, _):
            return FileError(code: code, file: file, line: 1, problem: "cannot read the file: \(problem)")
        default:
            return FileError(code: code, file: file, line: 1, problem: "not valid YAML: \(error)")
        }
    }
}

/// Aliases let a short text stand for an enormous document (nine lines of `[*a, *a, …]` stand
/// for a billion values; a list of aliases to one long text, for gigabytes), and every reader of
/// the values would walk all of them: a file whose aliases pass either limit is refused before
/// anything reads it. Sizes are counted once per anchor, so counting costs no more than the text.
struct AliasCount {
    /// More aliases than any hand-written definition, mapping or manifest uses.
    static let aliasLimit = 100
    /// What the aliases may stand for, written out: bytes of text, and one for each value.
    static let expandedLimit = 1 << 20

    private var sizes: [ObjectIdentifier: Int] = [:]
    private var aliases = 0
    /// What the aliases met so far stand for.
    private var expanded = 0

    /// What `node` stands for (bytes of text and values), counting each alias as what it refers to.
    mutating func expandedSize(of node: Node, reader: YAMLReader) throws -> Int {
        if let anchor = node.anchor, let known = sizes[ObjectIdentifier(anchor)] {
            aliases += 1
            expanded += known
            if aliases > Self.aliasLimit {
                throw reader.fail(
                    node, "the document uses more than \(Self.aliasLimit) aliases (*\(anchor.rawValue) and others)",
                    hint: "write the values out; a file with this many aliases is refused")
            }
            if expanded > Self.expandedLimit {
                throw reader.fail(
                    node, "the aliases (*\(anchor.rawValue) and others) stand for more than \(Self.expandedLimit) bytes",
                    hint: "write the values out; a file whose aliases expand this far is refused")
            }
            return known
        }
        var size = 1
        switch node {
        case .scalar(let scalar): size += scalar.string.utf8.count
        case .alias: break
        case .sequence(let items):
            for item in items { size = min(size + (try expandedSize(of: item, reader: reader)), Self.expandedLimit + 1) }
        case .mapping(let pairs):
            for pair in pairs {
                size = min(size + (try expandedSize(of: pair.key, reader: reader)), Self.expandedLimit + 1)
                size = min(size + (try expandedSize(of: pair.value, reader: reader)), Self.expandedLimit + 1)
            }
        }
        if let anchor = node.anchor { sizes[ObjectIdentifier(anchor)] = size }
        return size
    }
}

/// One node of a YAML document with the path that led to it, for error messages.
package struct YAMLValue {
    package let node: Node
    package let path: String
    let reader: YAMLReader

    package var line: Int { node.mark?.line ?? 1 }

    private func child(_ node: Node, _ key: String) -> YAMLValue {
        YAMLValue(node: node, path: path.isEmpty ? key : "\(path).\(key)", reader: reader)
    }

    private var name: String { path.isEmpty ? "the document" : path }

    package func fail(_ problem: String, hint: String? = nil) -> FileError {
        reader.fail(node, problem, hint: hint)
    }

    /// The entries of a mapping, in file order. Keys outside `allowed` are refused (they are almost
    /// always typos that would otherwise be silently ignored); an empty `allowed` takes any key.
    package func mapping(allowed: [String] = []) throws -> [(key: String, value: YAMLValue)] {
        guard case .mapping(let pairs) = node else {
            throw fail("\(name) must be a mapping of keys to values, found \(kind)")
        }
        return try pairs.map { pair in
            guard let key = pair.key.string else { throw reader.fail(pair.key, "keys under \(name) must be text") }
            if !allowed.isEmpty, !allowed.contains(key) {
                throw reader.fail(
                    pair.key, "unknown key '\(key)' under \(name)",
                    hint: "expected one of: \(allowed.joined(separator: ", "))")
            }
            return (key, child(pair.value, key))
        }
    }

    /// The keys of a mapping, each as a value of its own: to check one and point at its line.
    package func keys() throws -> [YAMLValue] {
        guard case .mapping(let pairs) = node else {
            throw fail("\(name) must be a mapping of keys to values, found \(kind)")
        }
        return pairs.map { YAMLValue(node: $0.key, path: path, reader: reader) }
    }

    /// A mapping read into a dictionary, with `required` keys checked.
    package func fields(allowed: [String], required: [String] = []) throws -> Fields {
        let entries = try mapping(allowed: allowed)
        var values: [String: YAMLValue] = [:]
        for entry in entries { values[entry.key] = entry.value }
        for key in required where values[key] == nil {
            throw fail("\(name) is missing '\(key)'")
        }
        return Fields(values: values, owner: self)
    }

    package func list() throws -> [YAMLValue] {
        guard case .sequence(let items) = node else {
            throw fail("\(name) must be a list, found \(kind)")
        }
        return items.enumerated().map { index, node in
            YAMLValue(node: node, path: "\(path)[\(index)]", reader: reader)
        }
    }

    package func string() throws -> String {
        guard case .scalar(let scalar) = node else {
            throw fail("\(name) must be text, found \(kind)")
        }
        return scalar.string
    }

    package func number() throws -> Double {
        guard case .scalar(let scalar) = node, let value = Double(scalar.string), value.isFinite else {
            throw fail("\(name) must be a number, found \(describe)")
        }
        return value
    }

    package func bool() throws -> Bool {
        guard let value = reader.basicResolver ? Self.plainBool(node) : node.bool else { throw fail("\(name) must be true or false, found \(describe)") }
        return value
    }

    /// Spellings Yams's default resolver reads as a bool (its `Resolver.Rule.bool`).
    private static let boolSpellings: [String: Bool] = [
        "yes": true, "Yes": true, "YES": true, "true": true, "True": true, "TRUE": true, "on": true, "On": true, "ON": true,
        "no": false, "No": false, "NO": false, "false": false, "False": false, "FALSE": false, "off": false, "Off": false, "OFF": false,
    ]

    /// `node.bool` as Yams's default resolver would read it, for a text without tags: a plain
    /// (unquoted) scalar with a bool spelling.
    static func plainBool(_ node: Node) -> Bool? {
        guard case .scalar(let scalar) = node, scalar.style == .plain else { return nil }
        return boolSpellings[scalar.string]
    }

    /// A list of text, or a single text taken as a list of one.
    package func strings() throws -> [String] {
        if case .scalar = node { return [try string()] }
        return try list().map { try $0.string() }
    }

    private var kind: String {
        switch node {
        case .scalar(let scalar): "'\(scalar.string)'"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    private var describe: String { kind }

    package struct Fields {
        let values: [String: YAMLValue]
        let owner: YAMLValue

        package subscript(key: String) -> YAMLValue? { values[key] }
    }
}
