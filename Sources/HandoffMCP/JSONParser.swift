package import HandoffPluginAPI

/// Parses JSON text into a `JSONValue`, keeping object keys in the order they were written (a
/// plugin's structured answer is shown in its own order). Strict: anything else is an error that
/// says where, because a plugin's malformed output must become a clear message. `package`: `handoff mcp`
/// (HandoffMCPServer) reads its requests with it too.
package struct JSONParser {
    package struct Malformed: Error, CustomStringConvertible {
        let offset: Int
        let problem: String
        package var description: String { "\(problem) at byte \(offset + 1)" }
    }

    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0
    /// A member of the outermost object whose text is kept as written (see `memberText`).
    private var watchedKey: String?
    private var watchedText: String?

    package static func parse(_ text: String) throws -> JSONValue {
        try parse(text, keepingTextOf: nil).value
    }

    /// Parses `text`, and keeps the text of the outermost object's member `key` exactly as it was
    /// written: a JSON-RPC id is answered with its own digits, which no Int or Double keeps for
    /// every number.
    package static func parse(_ text: String, keepingTextOf key: String?) throws -> (value: JSONValue, memberText: String?) {
        var parser = JSONParser(bytes: Array(text.utf8))
        parser.watchedKey = key
        parser.skipSpace()
        let value = try parser.value()
        parser.skipSpace()
        guard parser.index == parser.bytes.count else { throw Malformed(offset: parser.index, problem: "unexpected text after the JSON value") }
        return (value, parser.watchedText)
    }

    /// The text of the outermost object's member `key` as written, when `start` (the start of a
    /// message, maybe cut short) reaches past it; nil otherwise.
    package static func memberText(_ key: String, inStartOf start: String) -> String? {
        var parser = JSONParser(bytes: Array(start.utf8))
        parser.watchedKey = key
        parser.skipSpace()
        _ = try? parser.value()
        return parser.watchedText
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private mutating func skipSpace() {
        while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
    }

    private func fail(_ problem: String) -> Malformed { Malformed(offset: index, problem: problem) }

    private mutating func value() throws -> JSONValue {
        guard index < bytes.count else { throw fail("the JSON ends too early") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default: return try number()
        }
    }

    private mutating func literal(_ word: String) throws {
        let expected = Array(word.utf8)
        guard index + expected.count <= bytes.count, Array(bytes[index..<(index + expected.count)]) == expected else {
            throw fail("expected \(word)")
        }
        index += expected.count
    }

    private mutating func object() throws -> JSONValue {
        depth += 1
        defer { depth -= 1 }
        guard depth < 200 else { throw fail("JSON nested too deeply") }
        index += 1
        var pairs: [(String, JSONValue)] = []
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(pairs) }
        while true {
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a key in quotes") }
            let key = try string()
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("expected ':'") }
            index += 1
            skipSpace()
            let start = index
            pairs.append((key, try value()))
            // Only a value seen to end: in a message cut short, a number may go on past the cut.
            if depth == 1, watchedText == nil, key == watchedKey, index < bytes.count {
                watchedText = String(decoding: bytes[start..<index], as: UTF8.self)
            }
            skipSpace()
            guard index < bytes.count else { throw fail("the JSON ends inside an object") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(pairs) }
            throw fail("expected ',' or '}'")
        }
    }

    private mutating func array() throws -> JSONValue {
        depth += 1
        defer { depth -= 1 }
        guard depth < 200 else { throw fail("JSON nested too deeply") }
        index += 1
        var items: [JSONValue] = []
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
        while true {
            skipSpace()
            items.append(try value())
            skipSpace()
            guard index < bytes.count else { throw fail("the JSON ends inside a list") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
            throw fail("expected ',' or ']'")
        }
    }

    private mutating func string() throws -> String {
        index += 1
        var scalars = String.UnicodeScalarView()
        var run: [UInt8] = []
        func flush() {
            if !run.isEmpty { scalars.append(contentsOf: String(decoding: run, as: UTF8.self).unicodeScalars); run = [] }
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                flush()
                return String(scalars)
            }
            if byte < 0x20 { throw fail("a control character inside a string") }
            if byte != UInt8(ascii: "\\") { run.append(byte); index += 1; continue }
            flush()
            guard index + 1 < bytes.count else { break }
            let escape = bytes[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "\""): scalars.append("\"")
            case UInt8(ascii: "\\"): scalars.append("\\")
            case UInt8(ascii: "/"): scalars.append("/")
            case UInt8(ascii: "b"): scalars.append("\u{08}")
            case UInt8(ascii: "f"): scalars.append("\u{0C}")
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "u"):
                scalars.append(try escapedScalar())
            default: throw fail("an unknown escape in a string")
            }
        }
        throw fail("the JSON ends inside a string")
    }

    /// The character of a `\uXXXX` escape (`index` just past the `u`): a UTF-16 surrogate pair
    /// is two escapes, and a surrogate without its other half is no character at all.
    private mutating func escapedScalar() throws -> Unicode.Scalar {
        let escapeStart = index - 2
        let code = try hex4()
        switch code {
        case 0xD800..<0xDC00:
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else { break }
            index += 2
            let low = try hex4()
            guard (0xDC00..<0xE000).contains(low) else { break }
            return Unicode.Scalar(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00))!
        case 0xDC00..<0xE000:
            break
        default:
            return Unicode.Scalar(code)!
        }
        index = escapeStart
        throw fail("a lone UTF-16 surrogate in a \\u escape")
    }

    private mutating func hex4() throws -> UInt32 {
        guard index + 4 <= bytes.count else { throw fail("a bad \\u escape") }
        var code: UInt32 = 0
        for byte in bytes[index..<(index + 4)] {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw fail("a bad \\u escape")
            }
            code = code << 4 | UInt32(digit)
        }
        index += 4
        return code
    }

    /// A number as JSON writes one: `-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`; no `+1`,
    /// `01` or `.5`, which Swift's own parsing of the text would take.
    private mutating func number() throws -> JSONValue {
        let start = index
        func digits() -> Int {
            let first = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            return index - first
        }
        func bad() -> Malformed {
            while index < bytes.count, "+-0123456789.eE".utf8.contains(bytes[index]) { index += 1 }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            index = start
            return fail("a bad number '\(text)'")
        }
        guard index < bytes.count else { throw fail("the JSON ends too early") }
        let first = bytes[index]
        guard first == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
            throw fail("unexpected character '\(String(decoding: [first], as: UTF8.self))'")
        }
        if first == UInt8(ascii: "-") { index += 1 }
        let integerStart = index
        guard digits() > 0 else { throw bad() }
        if bytes[integerStart] == UInt8(ascii: "0") && index - integerStart > 1 { throw bad() }
        var integral = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            integral = false
            index += 1
            guard digits() > 0 else { throw bad() }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            integral = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { throw bad() }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if integral, let integer = Int(text) { return .int(integer) }
        guard let double = Double(text), double.isFinite else {
            index = start
            throw fail("a number too large '\(text)'")
        }
        return .double(double)
    }
}

extension JSONValue {
    var arrayValue: [JSONValue]? { if case .array(let items) = self { items } else { nil } }
    package var objectValue: [(String, JSONValue)]? { if case .object(let pairs) = self { pairs } else { nil } }
    var boolValue: Bool? { if case .bool(let value) = self { value } else { nil } }

    /// Text for a cell or a line: strings as they are, anything else as JSON.
    var display: String {
        switch self {
        case .string(let text): text
        case .null: ""
        default: encoded()
        }
    }
}
